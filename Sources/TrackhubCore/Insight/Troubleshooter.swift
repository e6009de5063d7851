public import Foundation

/// The troubleshooting assistant's rules: evidence in, a pt-BR (and English) answer out, with
/// the evidence it rests on and the fixes it proposes. Pure functions over
/// ``TroubleshootingEvidence``, so each rule is unit-tested without a database; the console
/// gathers the evidence (``TroubleshootingEvidenceReader``) and renders the answer.
public enum Troubleshooter {
    /// How many sales an answer names as evidence (the rest are counted).
    public static let maxEvidenceSales = 5

    public static func diagnose(_ topic: TroubleshootingTopic, _ e: TroubleshootingEvidence) -> Diagnosis {
        switch topic {
        case .tokenExpired: tokens(e)
        case .salesNotReachingMeta: salesReachingMeta(e)
        case .saleNotMatched: matching(e)
        }
    }

    // MARK: "token expirou"

    static func tokens(_ e: TroubleshootingEvidence) -> Diagnosis {
        guard !e.pixels.isEmpty else { return noPixel(.tokenExpired) }
        let (findings, fixes) = tokenFindings(e, okFindings: true)
        let broken = fixes.compactMap { if case .replaceToken(let p) = $0.action { p } else { nil } }
        let summary = broken.isEmpty
            ? InsightText("Os tokens de acesso estão funcionando.", en: "The access tokens are working.")
            : InsightText("O token do pixel \(broken.joined(separator: ", ")) precisa ser trocado.",
                          en: "The token of pixel \(broken.joined(separator: ", ")) must be replaced.")
        return Diagnosis(topic: .tokenExpired, summary: summary, findings: findings, fixes: fixes,
                         needsHuman: broken.isEmpty && findings.allSatisfy { $0.level == .ok } && e.pixels.allSatisfy { $0.lastSentAt == nil })
    }

    /// Per pixel: a missing token, a token/permission pause or refusal (with Meta's code and
    /// message), or — with `okFindings` — that it works (its last accepted send).
    static func tokenFindings(_ e: TroubleshootingEvidence, okFindings: Bool) -> ([DiagnosisFinding], [ProposedFix]) {
        var findings: [DiagnosisFinding] = []
        var fixes: [ProposedFix] = []
        for p in e.pixels {
            let replace = ProposedFix(.replaceToken(pixel: p.id), InsightText("Trocar o token do pixel \(p.id)", en: "Replace the token of pixel \(p.id)"))
            if !p.hasToken {
                let level: InsightLevel = p.mode == "dry_run" ? .warning : .problem
                findings.append(DiagnosisFinding(level, InsightText(
                    "O pixel \(p.id) não tem token de acesso: nada pode ser enviado ao Meta.",
                    en: "Pixel \(p.id) has no access token: nothing can be sent to Meta.")))
                fixes.append(replace)
                continue
            }
            let refusal = p.lastError.flatMap { a in MetaTokenProblem.explain(a).map { (a, $0) } }
            let pausedForToken = p.pause.map { $0.hasPrefix("token") || $0.hasPrefix("permission") } ?? false
            let recoveredAfterRefusal = refusal != nil && (p.lastSentAt.map { $0 > refusal!.0.at } ?? false)
            if pausedForToken || (refusal != nil && !recoveredAfterRefusal) {
                var evidence: [InsightText] = []
                if let (attempt, _) = refusal { evidence.append(refusalLine(attempt)) }
                if pausedForToken {
                    evidence.append(InsightText("Envio pausado até um novo token: \(p.parked) evento(s) aguardando, nenhum perdido.",
                                                en: "Sending paused until a new token: \(p.parked) event(s) waiting, none lost."))
                }
                let text = refusal?.1 ?? InsightText("O Meta recusou o token do pixel \(p.id).", en: "Meta refused the token of pixel \(p.id).")
                findings.append(DiagnosisFinding(.problem, InsightText("Pixel \(p.id): " + text.ptBR, en: "Pixel \(p.id): " + text.en), evidence: evidence))
                fixes.append(replace)
            } else if okFindings {
                if let sent = p.lastSentAt {
                    let when = InsightFormat.dateTimeText(sent)
                    findings.append(DiagnosisFinding(.ok, InsightText("O token do pixel \(p.id) funciona: o Meta aceitou um evento em \(when.pt).",
                                                                      en: "The token of pixel \(p.id) works: Meta accepted an event on \(when.en).")))
                } else {
                    findings.append(DiagnosisFinding(.ok, InsightText(
                        "O pixel \(p.id) não enviou eventos nos últimos 7 dias, e o Meta não recusou o token.",
                        en: "Pixel \(p.id) sent no events in the last 7 days, and Meta did not refuse its token.")))
                }
            }
        }
        return (findings, fixes)
    }

    static func refusalLine(_ a: LedgerAttempt) -> InsightText {
        let when = InsightFormat.dateTimeText(a.at)
        let code = a.metaCodeText ?? a.httpStatus.map { "HTTP \($0)" } ?? "-"
        let message = a.metaMessage.map { ": “\(String($0.prefix(160)))”" } ?? ""
        return InsightText("Última recusa do Meta em \(when.pt), código \(code)\(message)",
                           en: "Meta's last refusal on \(when.en), code \(code)\(message)")
    }

    // MARK: "minhas vendas não aparecem no Meta"

    static func salesReachingMeta(_ e: TroubleshootingEvidence) -> Diagnosis {
        guard !e.pixels.isEmpty else { return noPixel(.salesNotReachingMeta) }
        var findings: [DiagnosisFinding] = []
        var fixes: [ProposedFix] = []
        let (tokenProblems, tokenFixes) = tokenFindings(e, okFindings: false)
        findings += tokenProblems
        fixes += tokenFixes

        for p in e.pixels where p.mode != "live" {
            let dryRun = p.mode == "dry_run"
            findings.append(DiagnosisFinding(dryRun ? .problem : .warning, dryRun
                ? InsightText("O pixel \(p.id) está em modo simulação: os eventos são registrados, mas não são enviados ao Meta.",
                              en: "Pixel \(p.id) is in dry-run mode: events are recorded but not sent to Meta.")
                : InsightText("O pixel \(p.id) está em modo teste: os eventos aparecem só na aba Eventos de teste do Gerenciador de Eventos.",
                              en: "Pixel \(p.id) is in test mode: events show only in the Test Events tab of Events Manager.")))
            fixes.append(ProposedFix(.switchPixelToLive(pixel: p.id), InsightText("Ativar o pixel \(p.id) (modo real)", en: "Switch pixel \(p.id) to live")))
        }

        if e.accounts.isEmpty {
            findings.append(DiagnosisFinding(.problem, InsightText("Nenhum gateway de pagamento configurado: o Trackhub não recebe as vendas.",
                                                                   en: "No payment gateway configured: Trackhub receives no sales.")))
            fixes.append(ProposedFix(.configureGateway, InsightText("Configurar o gateway", en: "Configure the gateway")))
        }
        let silent = e.accounts.filter { $0.lastReceivedAt == nil }
        for a in silent {
            findings.append(DiagnosisFinding(silent.count == e.accounts.count ? .problem : .warning, InsightText(
                "Nenhum webhook da \(a.gateway) (conta \(a.account)) chegou nos últimos 7 dias.",
                en: "No webhook from \(a.gateway) (account \(a.account)) arrived in the last 7 days.")))
            fixes.append(ProposedFix(.checkGatewayWebhook(gateway: a.gateway, account: a.account), InsightText(
                "Conferir a URL do webhook e a chave na \(a.gateway)", en: "Check the webhook URL and secret in \(a.gateway)")))
        }
        for a in e.accounts where a.ignored > 0 {
            findings.append(DiagnosisFinding(.warning, InsightText(
                "\(n(a.ignored).pt) de \(n(a.received).pt) webhook(s) da \(a.gateway) (conta \(a.account)) nas últimas 24 horas foram ignorados.",
                en: "\(n(a.ignored).en) of \(n(a.received).en) webhook(s) from \(a.gateway) (account \(a.account)) in the last 24 hours were ignored."),
                evidence: a.lastIgnoredReason.map { [InsightText("Último motivo: \($0)", en: "Last reason: \($0)")] } ?? []))
        }

        let approved = e.sales.filter { $0.sale.status == "approved" }
        let reached = approved.filter { $0.event?.fate.reachedMeta == true }
        let dead = approved.filter { $0.event?.fate == .deadLettered }
        let waiting = approved.filter { if case .waiting = $0.event?.fate { true } else { false } }
        let parked = approved.filter { $0.event?.fate == .parked }
        let noEvent = approved.filter { $0.event == nil }
        if !dead.isEmpty {
            findings.append(DiagnosisFinding(.problem, InsightText("\(dead.count) venda(s) não foram enviadas e estão na fila de falhas.",
                                                                   en: "\(dead.count) sale(s) were not sent and are in the failure queue."),
                                             evidence: saleLines(dead)))
            for g in e.deadLetters where g.count > g.expired {
                fixes.append(ProposedFix(.replayDeadLetters(reason: g.reason), InsightText(
                    "Reenviar \(g.count - g.expired) item(ns) da fila de falhas (\(g.reason))",
                    en: "Replay \(g.count - g.expired) item(s) of the failure queue (\(g.reason))")))
            }
        }
        if !parked.isEmpty {
            findings.append(DiagnosisFinding(.problem, InsightText("\(parked.count) venda(s) aguardam um novo token para serem enviadas.",
                                                                   en: "\(parked.count) sale(s) wait for a new token to be sent."),
                                             evidence: saleLines(parked)))
        }
        if !waiting.isEmpty {
            findings.append(DiagnosisFinding(.warning, InsightText(
                "\(waiting.count) venda(s) ainda não foram enviadas: aguardam o clique ou uma nova tentativa, sem ação necessária.",
                en: "\(waiting.count) sale(s) are not sent yet: they wait for the click or a retry, no action needed."),
                evidence: saleLines(waiting)))
        }
        if !noEvent.isEmpty {
            findings.append(DiagnosisFinding(.warning, InsightText(
                "\(noEvent.count) venda(s) aprovada(s) não geraram evento (entrega de teste do gateway, ou nenhum pixel para a conta).",
                en: "\(noEvent.count) approved sale(s) produced no event (a gateway test delivery, or no pixel for the account)."),
                evidence: saleLines(noEvent)))
        }
        if let last = reached.first {
            let trace = last.event.flatMap { if case .sent(let t) = $0.fate { t } else { nil } }
            findings.append(DiagnosisFinding(.ok, InsightText(
                "\(n(reached.count).pt) de \(n(approved.count).pt) venda(s) aprovada(s) recentes chegaram ao Meta.",
                en: "\(n(reached.count).en) of \(n(approved.count).en) recent approved sale(s) reached Meta."),
                evidence: [saleLine(last.sale, suffix: trace.map { (", fbtrace_id \($0)", ", fbtrace_id \($0)") } ?? ("", ""))]))
        } else if approved.isEmpty && !e.accounts.isEmpty && silent.count < e.accounts.count {
            findings.append(DiagnosisFinding(.ok, InsightText("Nenhuma venda aprovada nos últimos 7 dias.", en: "No approved sale in the last 7 days.")))
        }

        let level = findings.map(\.level).max() ?? .ok
        let summary: InsightText
        switch level {
        case .ok:
            summary = InsightText("Pelo que o Trackhub vê, as vendas estão chegando ao Meta. No Gerenciador de Eventos elas podem levar até 20 minutos para aparecer.",
                                  en: "As far as Trackhub sees, sales are reaching Meta. In Events Manager they can take up to 20 minutes to show.")
        case .warning:
            summary = InsightText("As vendas chegam ao Meta, mas há pontos de atenção.", en: "Sales reach Meta, but some things need attention.")
        case .problem:
            summary = InsightText("Encontrei o que impede vendas de chegarem ao Meta.", en: "I found what keeps sales from reaching Meta.")
        }
        return Diagnosis(topic: .salesNotReachingMeta, summary: summary, findings: findings, fixes: fixes,
                         needsHuman: level == .ok || fixes.isEmpty)
    }

    // MARK: "a venda não casou com o clique"

    static func matching(_ e: TroubleshootingEvidence) -> Diagnosis {
        var findings: [DiagnosisFinding] = []
        var fixes: [ProposedFix] = []
        let approved = e.sales.filter { $0.sale.status == "approved" }
        let unmatched = approved.filter { !$0.sale.isMatched }
        if e.clicksLastDay == 0 {
            let last = e.lastClickAt.map { InsightFormat.dateTimeText($0) }
            findings.append(DiagnosisFinding(.problem, InsightText(
                "Nenhum clique registrado nas últimas 24 horas\(last.map { " (o último foi em \($0.pt))" } ?? ""): os anúncios não estão usando o link do Trackhub.",
                en: "No click recorded in the last 24 hours\(last.map { " (the last one was on \($0.en))" } ?? ""): the ads are not using the Trackhub link.")))
            fixes.append(ProposedFix(.checkTrackingLink, InsightText("Conferir o link nos anúncios", en: "Check the link in the ads")))
        }
        if approved.isEmpty {
            findings.append(DiagnosisFinding(.ok, InsightText("Nenhuma venda aprovada nos últimos 7 dias para analisar.",
                                                              en: "No approved sale in the last 7 days to look at.")))
        } else if unmatched.isEmpty {
            findings.append(DiagnosisFinding(.ok, InsightText(
                "Todas as \(n(approved.count).pt) venda(s) aprovada(s) recentes casaram com um clique (\(methods(approved))).",
                en: "All \(n(approved.count).en) recent approved sale(s) were matched to a click (\(methods(approved))).")))
        } else {
            var lost: [InsightText] = []
            var foreign: [InsightText] = []
            var bare: [InsightText] = []
            for s in unmatched.prefix(maxEvidenceSales) {
                let sent = s.event?.fate.reachedMeta == true
                let tail = sent ? ("; foi enviada ao Meta mesmo assim, com os dados do comprador", "; it was sent to Meta anyway, with the buyer's data") : ("", "")
                if let click = s.sale.carriedClickIDs.first {
                    foreign.append(saleLine(s.sale, suffix: (": trouxe o clique \(click), que não está registrado neste Trackhub\(tail.0)",
                                                             ": carried click \(click), which this Trackhub has not recorded\(tail.1)")))
                } else if let value = s.sale.carriedValues.first {
                    let shown = String(value.prefix(40))
                    lost.append(saleLine(s.sale, suffix: (": trouxe “\(shown)”, que não é um clique do Trackhub\(tail.0)",
                                                          ": carried “\(shown)”, which is not a Trackhub click\(tail.1)")))
                } else {
                    bare.append(saleLine(s.sale, suffix: (": não trouxe nenhum parâmetro de rastreamento\(tail.0)",
                                                          ": carried no tracking parameter\(tail.1)")))
                }
            }
            let level: InsightLevel = unmatched.count == approved.count ? .problem : .warning
            findings.append(DiagnosisFinding(level, InsightText(
                "\(n(unmatched.count).pt) de \(n(approved.count).pt) venda(s) aprovada(s) recentes não casaram com um clique.",
                en: "\(n(unmatched.count).en) of \(n(approved.count).en) recent approved sale(s) were not matched to a click.")))
            let checkLink = ProposedFix(.checkTrackingLink, InsightText("Conferir o link nos anúncios", en: "Check the link in the ads"))
            let checkPage = ProposedFix(.checkLandingPage, InsightText("Verificar a página de vendas", en: "Check the landing page"))
            let causes: [(evidence: [InsightText], cause: InsightText, fixes: [ProposedFix])] = [
                (foreign, InsightText(
                    "O checkout devolveu um identificador de clique que este Trackhub não registrou: o anúncio usa um link de outra conta, ou o clique foi feito em outro endereço.",
                    en: "The checkout returned a click id this Trackhub did not record: the ad uses another account's link, or the click went to another address."),
                 [checkLink]),
                (lost, InsightText(
                    "O parâmetro de rastreamento chegou ao checkout, mas sem o identificador do clique: ele se perde na página de vendas ou num redirecionamento.",
                    en: "The tracking parameter reached the checkout without the click id: it is lost on the sales page or in a redirect."),
                 [checkPage]),
                (bare, InsightText(
                    "A venda chegou sem nenhum parâmetro: o comprador não passou pelo link do Trackhub, ou a página não repassa o parâmetro ao checkout.",
                    en: "The sale arrived without any parameter: the buyer did not come through the Trackhub link, or the page does not pass the parameter on to the checkout."),
                 [checkPage, checkLink]),
            ]
            for c in causes where !c.evidence.isEmpty {
                findings.append(DiagnosisFinding(level, c.cause, evidence: c.evidence))
                fixes += c.fixes
            }
        }
        var seen: [ProposedFix.Action] = []
        fixes = fixes.filter { fix in
            guard !seen.contains(fix.action) else { return false }
            seen.append(fix.action)
            return true
        }
        let level = findings.map(\.level).max() ?? .ok
        let summary = level == .ok
            ? InsightText("As vendas estão casando com os cliques.", en: "Sales are being matched to clicks.")
            : InsightText("Encontrei vendas que não casaram com o clique, e o motivo provável.", en: "I found sales not matched to their click, and the likely reason.")
        return Diagnosis(topic: .saleNotMatched, summary: summary, findings: findings, fixes: fixes, needsHuman: level == .ok && !approved.isEmpty)
    }

    // MARK: Shared

    static func noPixel(_ topic: TroubleshootingTopic) -> Diagnosis {
        Diagnosis(topic: topic, summary: InsightText("Nenhum pixel configurado.", en: "No pixel configured."),
                  findings: [DiagnosisFinding(.problem, InsightText("Não há pixel configurado: nada é enviado ao Meta.",
                                                                    en: "There is no pixel configured: nothing is sent to Meta."))],
                  fixes: [ProposedFix(.configurePixel, InsightText("Configurar o pixel", en: "Configure the pixel"))], needsHuman: false)
    }

    /// "Pedido HP1 (hotmart, R$ 197,90, 05/12/2026 14h32)" + a suffix per language.
    static func saleLine(_ s: LedgerSale, suffix: (String, String) = ("", "")) -> InsightText {
        let when = InsightFormat.dateTimeText(s.occurredAt)
        return InsightText(
            "Pedido \(s.transactionID) (\(s.gateway), \(InsightFormat.money(s.value, currency: s.currency)), \(when.pt))\(suffix.0)",
            en: "Order \(s.transactionID) (\(s.gateway), \(InsightFormat.money(s.value, currency: s.currency, english: true)), \(when.en))\(suffix.1)")
    }

    static func saleLines(_ sales: [TroubleshootingEvidence.Sale]) -> [InsightText] {
        var lines = sales.prefix(maxEvidenceSales).map { s in
            saleLine(s.sale, suffix: s.event.map { (": " + $0.fate.label.ptBR.lowercased(), ": " + $0.fate.label.en.lowercased()) } ?? ("", ""))
        }
        if sales.count > maxEvidenceSales {
            lines.append(InsightText("… e mais \(sales.count - maxEvidenceSales)", en: "… and \(sales.count - maxEvidenceSales) more"))
        }
        return lines
    }

    /// A count in both languages ("1.234" / "1,234").
    static func n(_ value: Int) -> (pt: String, en: String) {
        (InsightFormat.integer(value), InsightFormat.integer(value, english: true))
    }

    /// "click_id: 3, email: 1"
    static func methods(_ sales: [TroubleshootingEvidence.Sale]) -> String {
        let counts = Dictionary(grouping: sales.compactMap(\.sale.matchMethod), by: { $0 }).mapValues(\.count)
        return counts.keys.sorted().map { "\($0): \(counts[$0]!)" }.joined(separator: ", ")
    }
}
