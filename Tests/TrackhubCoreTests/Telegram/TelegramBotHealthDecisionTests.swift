import Foundation
import Testing
@testable import TrackhubCore

@Suite("pool bot health: 401/404 dead at once, other failures after N in a row, one answer brings it back")
struct TelegramBotHealthDecisionTests {
    let t0 = Date(timeIntervalSince1970: 1_796_234_400)
    let decision = TelegramBotHealthDecision(deadAfter: 3)
    let me = TelegramBotUser(id: 7_300_000_001, isBot: true, firstName: "Vendas", username: "acme_bot")

    func failure(_ kind: TelegramError.Kind, _ code: Int? = nil) -> TelegramBotCheck {
        .failed(TelegramError(kind: kind, method: "getMe", errorCode: code, message: "x"))
    }

    func run(_ checks: [TelegramBotCheck], from previous: TelegramBotHealth? = nil) -> [TelegramBotHealth] {
        var out: [TelegramBotHealth] = []
        var h = previous
        for (i, check) in checks.enumerated() {
            let next = decision.next(bot: "acme_bot", tenant: "acme", previous: h, check: check, now: t0.addingTimeInterval(Double(i) * 15))
            out.append(next)
            h = next
        }
        return out
    }

    @Test("getMe answers: live, since the first check, no failures")
    func live() {
        let h = run([.answered(me), .answered(me)])
        #expect(h.map(\.status) == [.live, .live])
        #expect(h[1].since == t0 && h[1].consecutiveFailures == 0 && h[1].reason == nil && h[1].tenant == "acme")
    }

    @Test("401 (token revoked) and 404 (bot deleted) make a live bot dead on the first failure")
    func goneAtOnce() {
        for kind in [TelegramError.Kind.unauthorized, .notFound] {
            let h = run([.answered(me), failure(kind)])
            #expect(h[1].status == .dead && h[1].since == t0.addingTimeInterval(15) && h[1].reason == kind.description, "\(kind)")
        }
    }

    @Test("network errors, 5xx and 429: the bot keeps its status until the third in a row, then dead since that check")
    func transientOnlyAfterN() {
        let h = run([.answered(me), failure(.transport), failure(.server, 502), failure(.tooManyRequests, 429)])
        #expect(h.map(\.status) == [.live, .live, .live, .dead])
        #expect(h.map(\.consecutiveFailures) == [0, 1, 2, 3])
        #expect(h[2].since == t0, "still live since the first check")
        #expect(h[3].since == t0.addingTimeInterval(45) && h[3].reason == "too_many_requests")
    }

    @Test("a success between failures resets the count")
    func successResets() {
        let h = run([failure(.transport), failure(.transport), .answered(me), failure(.transport), failure(.transport)])
        #expect(h.map(\.status) == [.unknown, .unknown, .live, .live, .live])
        #expect(h.last?.consecutiveFailures == 2)
    }

    @Test("a dead bot that answers again is live, since that answer; staying dead keeps its since")
    func recovers() {
        let h = run([failure(.unauthorized), failure(.unauthorized), .answered(me)])
        #expect(h.map(\.status) == [.dead, .dead, .live])
        #expect(h[1].since == t0 && h[1].consecutiveFailures == 2)
        #expect(h[2].since == t0.addingTimeInterval(30) && h[2].consecutiveFailures == 0 && h[2].reason == nil)
    }

    @Test("no token, or a token of another bot: unknown (stays in rotation), with the reason")
    func unknown() {
        #expect(run([.noToken]).first.map { ($0.status, $0.reason) } ?? (.live, nil) == (.unknown, "no_token"))
        let other = TelegramBotUser(id: 1, isBot: true, firstName: "x", username: "other_bot")
        #expect(run([.answered(other)]).first.map { ($0.status, $0.reason) } ?? (.live, nil) == (.unknown, "token_of_another_bot"))
        #expect(run([.answered(TelegramBotUser(id: 1, isBot: true, firstName: "x", username: "ACME_bot"))]).first?.status == .live,
                "usernames compare without case")
    }

    @Test("deadAfter 1: any failure is fatal; deadAfter below 1 is taken as 1")
    func thresholdOne() {
        #expect(TelegramBotHealthDecision(deadAfter: 0).deadAfter == 1)
        let h = TelegramBotHealthDecision(deadAfter: 1).next(bot: "acme_bot", tenant: nil, previous: nil, check: failure(.transport), now: t0)
        #expect(h.status == .dead)
    }

    @Test("a webhook problem rides along with a live bot and never takes it out of rotation")
    func webhookProblem() {
        let h = run([.answered(me, webhookProblem: "webhook points elsewhere")])
        #expect(h[0].status == .live && h[0].webhookProblem == "webhook points elsewhere")
    }
}

@Suite("webhook info: what tells something about a bot whose updates come to Trackhub")
struct TelegramWebhookCheckTests {
    let now = Date(timeIntervalSince1970: 1_796_234_400)
    let url = "https://track.example.com/webhooks/telegram/acme_bot"

    @Test func problems() {
        #expect(TelegramWebhookCheck.problem(.init(url: url, pendingUpdateCount: 0), expectedURL: url, now: now) == nil)
        #expect(TelegramWebhookCheck.problem(.init(url: "", pendingUpdateCount: 0), expectedURL: url, now: now) == "no webhook set")
        #expect(TelegramWebhookCheck.problem(.init(url: "https://bot.example/x", pendingUpdateCount: 0), expectedURL: url, now: now)
            == "webhook points elsewhere")
        let recent = TelegramWebhookInfo(url: url, pendingUpdateCount: 12, lastErrorDate: Int(now.timeIntervalSince1970) - 60,
                                         lastErrorMessage: "Connection refused")
        #expect(TelegramWebhookCheck.problem(recent, expectedURL: url, now: now) == "recent delivery errors (12 pending)")
        let old = TelegramWebhookInfo(url: url, pendingUpdateCount: 0, lastErrorDate: Int(now.timeIntervalSince1970) - 3600)
        #expect(TelegramWebhookCheck.problem(old, expectedURL: url, now: now) == nil)
    }
}
