import Foundation
import Testing
@testable import TrackhubCore
import TrackhubTesting

@Suite("Telegram alert messages and the daily summary text")
struct TelegramAlertMessageTests {
    @Test("HTML: the title bold, every value escaped; the tenant and rule in the footer")
    func html() {
        let condition = AlertCondition(AlertKey(.gatewaySilent, tenant: "a&b", subject: "hotmart/<x>"),
                                       values: ["gateway": "hotmart", "account": "<x>", "business_hours": "5", "sales_7d": "70"])
        let n = AlertNotification(kind: .fired, condition: condition, firstSeenAt: AlertRuleFixtures.now, at: AlertRuleFixtures.now, sequence: 1)
        let text = TelegramAlertMessage.text(n)
        #expect(text.hasPrefix("<b>🔴 Sem vendas em hotmart/&lt;x&gt;</b>\n"))
        #expect(text.hasSuffix("\n<i>loja a&amp;b · gateway_silent</i>"))
        #expect(!text.contains("<x>"))
    }

    @Test("never over 4096 characters: the body is cut before escaping, so no entity is split")
    func limit() {
        let text = TelegramAlertMessage.compose(title: "t", body: String(repeating: "a<&", count: 3000), footer: "f")
        #expect(text.count <= TelegramOutgoingMessage.maxTextLength)
        #expect(text.contains("…") && text.hasSuffix("\n<i>f</i>"))
        let body = text.dropFirst("<b>t</b>\n".count).dropLast("\n<i>f</i>".count)
        #expect(!body.contains("&…") && !body.contains("&l…") && !body.contains("&amp…"))
        #expect(TelegramAlertMessage.compose(title: "ok", body: "short", footer: "") == "<b>ok</b>\nshort")
    }

    @Test("the summary line as the issue words it")
    func summary() {
        let s = DailySummary(tenant: "loja", day: "2026-12-02", approved: 42, sent: 41, notSent: ["ignored: teste do gateway": 1],
                             roas: Decimal(string: "3.24"))
        #expect(s.text == "ontem: 42 vendas aprovadas, 41 enviadas à Meta, 1 não enviada: teste do gateway; ROAS 3,2")
        let two = DailySummary(tenant: "loja", day: "d", approved: 5, sent: 2, notSent: ["parked": 2, "dead_lettered": 1])
        #expect(two.text == "ontem: 5 vendas aprovadas, 2 enviadas à Meta, 3 não enviadas: 2 pixel pausado (token), 1 na fila de falhas")
        #expect(DailySummary(tenant: "l", day: "d", approved: 1, sent: 1, notSent: [:]).text == "ontem: 1 venda aprovada, 1 enviada à Meta")
    }

    @Test("Telegram answers: 429 waits retry_after, 5xx retried, 400/403 refused")
    func answers() {
        #expect(TelegramAlertChannel.result(TelegramError(kind: .tooManyRequests, method: "sendMessage", errorCode: 429, message: "Too Many Requests", retryAfter: 7))
                == .retry(reason: TelegramError(kind: .tooManyRequests, method: "sendMessage", errorCode: 429, message: "Too Many Requests", retryAfter: 7).description,
                          after: .seconds(7)))
        if case .retry(_, nil) = TelegramAlertChannel.result(TelegramError(kind: .server, method: "sendMessage", errorCode: 502, message: "Bad Gateway")) {} else {
            Issue.record("5xx not retried")
        }
        if case .refused = TelegramAlertChannel.result(TelegramError(kind: .badRequest, method: "sendMessage", errorCode: 400, message: "chat not found")) {} else {
            Issue.record("400 not refused")
        }
    }
}
