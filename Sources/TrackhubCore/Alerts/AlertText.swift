import Foundation

/// What a notification says, in pt-BR (what sellers read) and English: a title and the
/// details. Plain text; each channel escapes it for its format (Telegram HTML, JSON).
public enum AlertText {
    /// The headline of the notification, with its state (`🔴 …`, `🔁 … (continua)`, `✅ Resolvido: …`).
    public static func title(_ n: AlertNotification) -> InsightText {
        let base = headline(n.condition)
        switch n.kind {
        case .fired: return InsightText("🔴 " + base.ptBR, en: "🔴 " + base.en)
        case .repeated: return InsightText("🔁 " + base.ptBR + " (continua)", en: "🔁 " + base.en + " (ongoing)")
        case .resolved: return InsightText("✅ Resolvido: " + base.ptBR, en: "✅ Resolved: " + base.en)
        }
    }

    /// The details: what the numbers are and what to do (nothing to do once resolved).
    public static func body(_ n: AlertNotification) -> InsightText {
        let minutes = max(0, Int(n.at.timeIntervalSince(n.firstSeenAt) / 60))
        switch n.kind {
        case .resolved:
            return InsightText("Durou \(minutes) min.", en: "It lasted \(minutes) min.")
        case .fired, .repeated:
            let d = detail(n.condition)
            guard n.kind == .repeated else { return d }
            return InsightText(d.ptBR + " Ativo há \(minutes) min.", en: d.en + " Active for \(minutes) min.")
        }
    }

    static func headline(_ c: AlertCondition) -> InsightText {
        let v = c.values
        switch c.key.rule {
        case .pixelPaused:
            return InsightText("Pixel \(v["pixel"] ?? c.key.subject) pausado: token ou permissão", en: "Pixel \(v["pixel"] ?? c.key.subject) paused: token or permission")
        case .deadLetters:
            return InsightText("Eventos na fila de falhas (\(v["reason"] ?? c.key.subject))", en: "Events dead-lettered (\(v["reason"] ?? c.key.subject))")
        case .consumerLag:
            return InsightText("Fila atrasada: \(v["stream"] ?? c.key.subject)", en: "Backlog growing: \(v["stream"] ?? c.key.subject)")
        case .matchRateDrop:
            return InsightText("Taxa de correspondência caiu", en: "Match rate dropped")
        case .gatewaySilent:
            return InsightText("Sem vendas em \(c.key.subject)", en: "No sales on \(c.key.subject)")
        case .webhookAuthFailures:
            return InsightText("Webhooks recusados em \(c.key.subject)", en: "Webhooks refused on \(c.key.subject)")
        case .ingestSpooling:
            return InsightText("ingestd gravando em disco: \(v["instance"] ?? c.key.subject)", en: "ingestd spooling: \(v["instance"] ?? c.key.subject)")
        case .eventsNearExpiry:
            return InsightText("Eventos perto do limite de 7 dias da Meta", en: "Events close to Meta's 7-day limit")
        case .telegramBotDown:
            return InsightText("Bot @\(v["bot"] ?? c.key.subject) fora do ar", en: "Bot @\(v["bot"] ?? c.key.subject) is down")
        }
    }

    static func detail(_ c: AlertCondition) -> InsightText {
        let v = c.values
        func n(_ k: String) -> String { v[k] ?? "<\(k)>" }
        switch c.key.rule {
        case .pixelPaused:
            return InsightText(
                "A Meta recusou o token (\(n("reason"))). Nada é enviado por este pixel e \(n("parked")) evento(s) aguardam. Gere um novo token e aplique a configuração.",
                en: "Meta refused the token (\(n("reason"))). Nothing is sent for this pixel and \(n("parked")) event(s) are parked. Create a new token and apply the configuration.")
        case .deadLetters:
            return InsightText(
                "\(n("count")) evento(s) na fila de falhas na última hora. Veja a página Fila de falhas e reenvie depois de corrigir.",
                en: "\(n("count")) event(s) dead-lettered in the last hour. See the failure queue and replay after fixing the cause.")
        case .consumerLag:
            return InsightText(
                "\(n("entries")) entrada(s) esperando; a mais antiga há \(n("minutes")) min. Verifique se os dispatchd estão rodando.",
                en: "\(n("entries")) entries waiting; the oldest for \(n("minutes")) min. Check that the dispatchd workers are running.")
        case .matchRateDrop:
            return InsightText(
                "Últimas 24 h: \(n("recent_percent"))% das vendas ligadas a um clique (média de 7 dias: \(n("baseline_percent"))%). Confira links, UTMs e o script /t.js nas páginas.",
                en: "Last 24 h: \(n("recent_percent"))% of sales matched to a click (7-day baseline: \(n("baseline_percent"))%). Check links, UTMs and the /t.js script on the pages.")
        case .gatewaySilent:
            return InsightText(
                "Nenhuma venda há \(n("business_hours")) horas comerciais (\(n("sales_7d")) nos últimos 7 dias). Confira o webhook no painel do gateway.",
                en: "No sale for \(n("business_hours")) business hours (\(n("sales_7d")) in the last 7 days). Check the webhook in the gateway's panel.")
        case .webhookAuthFailures:
            return InsightText(
                "\(n("count")) webhook(s) com assinatura inválida em \(n("minutes")) min. O segredo mudou no gateway? Atualize-o na configuração.",
                en: "\(n("count")) webhook(s) with a bad signature in \(n("minutes")) min. Did the secret change on the gateway? Update it in the configuration.")
        case .ingestSpooling:
            return InsightText(
                "\(n("spool_pending")) evento(s) no spool local; Redis conectado: \(v["redis_connected"] == "true" ? "sim" : "não"); último relato há \(n("report_age_seconds")) s. Nada se perde, mas verifique o Redis.",
                en: "\(n("spool_pending")) event(s) in the local spool; Redis connected: \(n("redis_connected")); last report \(n("report_age_seconds")) s ago. Nothing is lost, but check Redis.")
        case .eventsNearExpiry:
            return InsightText(
                "\(n("count")) evento(s) do pixel \(n("pixel")) esperam há \(n("age_hours")) h; restam \(n("hours_left")) h antes de a Meta recusá-los. Resolva a pausa ou a falha agora.",
                en: "\(n("count")) event(s) of pixel \(n("pixel")) have waited \(n("age_hours")) h; \(n("hours_left")) h left before Meta refuses them. Fix the pause or failure now.")
        case .telegramBotDown:
            let gone = v["reason"] == "unauthorized" || v["reason"] == "not_found"
            return InsightText(
                (gone ? "O Telegram diz que o token do bot não vale mais (token revogado ou bot apagado)"
                      : "O bot não responde ao Telegram há \(n("failures")) verificações seguidas (\(n("reason")))")
                    + " desde \(n("since")). Ele saiu do rodízio: os cliques vão para os outros bots do link (ou para o fallback_url). "
                    + "Se o bot foi banido ou apagado, crie outro no @BotFather e troque no link; se você gerou um token novo, atualize o token na configuração. Ele volta sozinho ao rodízio quando responder.",
                en: (gone ? "Telegram says the bot's token is no longer valid (token revoked or bot deleted)"
                          : "The bot has failed \(n("failures")) checks in a row (\(n("reason")))")
                    + " since \(n("since")). It left the rotation: clicks go to the link's other bots (or its fallback_url). "
                    + "If the bot was banned or deleted, create another with @BotFather and put it in the link; if you made a new token, update it in the configuration. It rejoins the rotation by itself once it answers.")
        }
    }
}
