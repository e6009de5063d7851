import Foundation
import Testing
@testable import TrackhubCore
import TrackhubTesting

@Suite("Alert webhook channel: body and answers")
struct WebhookAlertChannelTests {
    @Test("the JSON names the alert, its state and numbers, with both languages; quotes and newlines are escaped")
    func body() throws {
        let now = AlertRuleFixtures.now
        let condition = AlertCondition(AlertKey(.deadLetters, tenant: nil, subject: "invalid \"x\"\n"), values: ["reason": "invalid \"x\"\n", "count": "3"])
        let n = AlertNotification(kind: .repeated, condition: condition, firstSeenAt: now.addingTimeInterval(-3600), at: now, sequence: 2)
        let json = try #require(JSONValue.parse(WebhookAlertChannel.body(n)))
        #expect(json["rule"] == .string("dead_letters") && json["state"] == .string("repeated") && json["sequence"] == .number("2"))
        #expect(json["tenant"] == nil && json["subject"] == .string("invalid \"x\"\n"))
        #expect(json["values"]["count"] == .string("3"))
        #expect(json["first_seen_at"] == .string("2026-12-02T17:00:00Z") && json["at"] == .string("2026-12-02T18:00:00Z"))
        guard case .string(let text) = json["text_pt_br"] else { Issue.record("no text"); return }
        #expect(text.contains("3 evento(s) na fila de falhas") && text.contains("Ativo há 60 min."))
    }

    @Test("2xx sent; 429, 5xx and transport failures retried; other answers refused")
    func answers() {
        #expect(WebhookAlertChannel.result(.response(status: 204, body: [], latency: .zero)) == .sent)
        #expect(WebhookAlertChannel.result(.response(status: 429, body: [], latency: .zero)) == .retry(reason: "http 429", after: nil))
        #expect(WebhookAlertChannel.result(.response(status: 502, body: [], latency: .zero)) == .retry(reason: "http 502", after: nil))
        #expect(WebhookAlertChannel.result(.response(status: 404, body: [], latency: .zero)) == .refused(reason: "http 404"))
        if case .retry = WebhookAlertChannel.result(.failure(kind: .timeout, message: "t", latency: .zero)) {} else { Issue.record("timeout not retried") }
    }
}
