import Foundation
import Testing
@testable import TrackhubCore
import TrackhubTesting

@Suite("Alert rules: thresholds, business hours, messages")
struct AlertConditionsTests {
    let now = AlertRuleFixtures.now

    @Test("business hours count only 08:00-22:00 at -03:00")
    func businessHours() {
        let h = BusinessHours(startHour: 8, endHour: 22, utcOffsetHours: -3)
        // now is 15:00 local: since 07:00 local today -> 7 business hours.
        #expect(h.seconds(from: now.addingTimeInterval(-8 * 3600), to: now) == 7 * 3600)
        // 21:00 yesterday to 09:00 today: 1 h yesterday + 1 h today.
        let nine = now.addingTimeInterval(-6 * 3600)
        #expect(h.seconds(from: nine.addingTimeInterval(-12 * 3600), to: nine) == 2 * 3600)
        #expect(h.seconds(from: now, to: now.addingTimeInterval(-1)) == 0)
        #expect(h.seconds(from: now.addingTimeInterval(-86_400), to: now) == 14 * 3600)
    }

    @Test("a gateway silent overnight is not silent in business hours; one that rarely sells never is")
    func gatewaySilentOvernight() {
        let t = AlertThresholds()
        // Last sale 21:30 yesterday, now 09:00: 30 min + 1 h of business hours.
        let nine = now.addingTimeInterval(-6 * 3600)
        let overnight = AlertFacts.GatewayActivity(tenant: "loja", gateway: "eduzz", account: "e", lastSaleAt: nine.addingTimeInterval(-11.5 * 3600),
                                                   salesLast7Days: 100)
        #expect(AlertConditions.gatewaySilent([overnight], t, now: nine).isEmpty)
        let rare = AlertFacts.GatewayActivity(tenant: "loja", gateway: "eduzz", account: "e", lastSaleAt: now.addingTimeInterval(-3 * 86_400),
                                              salesLast7Days: 20)
        #expect(AlertConditions.gatewaySilent([rare], t, now: now).isEmpty)
        let never = AlertFacts.GatewayActivity(tenant: "loja", gateway: "eduzz", account: "e", lastSaleAt: nil, salesLast7Days: 0)
        #expect(AlertConditions.gatewaySilent([never], t, now: now).isEmpty)
    }

    @Test("match rate: too few sales are not judged")
    func matchRateFewSales() {
        let few = AlertFacts.MatchRate(tenant: "loja", recentSales: 5, recentMatched: 0, baselineSales: 300, baselineMatched: 290)
        #expect(AlertConditions.matchRateDrop([few], AlertThresholds()).isEmpty)
        let c = AlertConditions.matchRateDrop([.init(tenant: "loja", recentSales: 40, recentMatched: 20, baselineSales: 300, baselineMatched: 270)],
                                              AlertThresholds())
        #expect(c.first?.values["recent_percent"] == "50" && c.first?.values["baseline_percent"] == "90")
    }

    @Test("ingestd: a stale report alerts even without spooled events; an empty stream never lags")
    func staleAndEmpty() {
        let t = AlertThresholds()
        let stale = AlertFacts.IngestInstance(instance: "i1", spoolPending: 0, redisConnected: true, reportedAt: now.addingTimeInterval(-61))
        #expect(AlertConditions.ingestSpooling([stale], t, now: now).first?.values["stale"] == "true")
        #expect(AlertConditions.consumerLag([.init(stream: "s", entries: 0, oldestAt: now.addingTimeInterval(-3600))], t, now: now).isEmpty)
    }

    @Test("every rule has a pt-BR and English message, and resolved says so")
    func messages() {
        for rule in AlertRule.allCases {
            let round = AlertEngine().evaluate(facts: AlertRuleFixtures.holding(rule), previous: AlertState(), now: now)
            let n = try! #require(round.notifications.first)
            let title = AlertText.title(n), body = AlertText.body(n)
            #expect(title.ptBR.hasPrefix("🔴 ") && !body.ptBR.contains("<") && !body.en.contains("<"))
            var resolved = n
            resolved.kind = .resolved
            resolved.at = now.addingTimeInterval(600)
            #expect(AlertText.title(resolved).ptBR.hasPrefix("✅ Resolvido: ") && AlertText.body(resolved).ptBR == "Durou 10 min.")
        }
        let paused = AlertConditions.pixelPaused([.init(tenant: nil, pixel: "111", reason: "token (190)", parked: 4)])
        let n = AlertNotification(kind: .fired, condition: paused[0], firstSeenAt: now, at: now, sequence: 1)
        #expect(AlertText.detail(n.condition).ptBR.contains("4 evento(s) aguardam"))
    }

    @Test("a dead pool bot alerts its tenant at once, with since in Brasília time and what to do; live or unknown bots never")
    func telegramBotDown() {
        let since = now.addingTimeInterval(-300) // 14:55 at -03:00
        let bots = [
            TelegramBotHealth(bot: "loja_vendas_bot", tenant: "loja", status: .dead, since: since, consecutiveFailures: 1, reason: "unauthorized", checkedAt: now),
            TelegramBotHealth(bot: "loja_lento_bot", tenant: "loja", status: .dead, since: since, consecutiveFailures: 3, reason: "transport", checkedAt: now),
            TelegramBotHealth(bot: "loja_ok_bot", tenant: "loja", status: .live, since: since, checkedAt: now),
            TelegramBotHealth(bot: "loja_sem_token_bot", tenant: "loja", status: .unknown, since: since, reason: "no_token", checkedAt: now),
        ]
        let conditions = AlertConditions.telegramBotDown(bots, AlertThresholds())
        #expect(conditions.map(\.key) == [AlertKey(.telegramBotDown, tenant: "loja", subject: "loja_vendas_bot"),
                                          AlertKey(.telegramBotDown, tenant: "loja", subject: "loja_lento_bot")])
        #expect(conditions[0].values["since"] == "02/12 14:55")
        let gone = AlertText.detail(conditions[0]), slow = AlertText.detail(conditions[1])
        #expect(AlertText.headline(conditions[0]).ptBR == "Bot @loja_vendas_bot fora do ar")
        #expect(gone.ptBR.hasPrefix("O Telegram diz que o token do bot não vale mais (token revogado ou bot apagado) desde 02/12 14:55."))
        #expect(gone.ptBR.contains("saiu do rodízio") && gone.ptBR.contains("@BotFather") && gone.en.contains("left the rotation"))
        #expect(slow.ptBR.hasPrefix("O bot não responde ao Telegram há 3 verificações seguidas (transport) desde 02/12 14:55."))
    }
}
