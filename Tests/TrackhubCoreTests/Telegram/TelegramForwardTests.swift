import Foundation
import Testing
@testable import TrackhubCore

/// The pure decisions of relaying bot updates to the seller's backend (`forward_url`): which
/// updates are queued and in which chat's order, what an attempt's answer means, and how a
/// dead-lettered forward is replayed.
@Suite("telegram forward: planning, verdicts, replay")
struct TelegramForwardTests {
    static let keys = KeyRing(keys: [("k1", Array(repeating: 7, count: 32))])

    static func config(forwardURL: String?) -> DispatchConfig {
        var settings: [String: ConfigValue] = ["event": .string("ViewContent")]
        if let forwardURL { settings["forward_url"] = .string(forwardURL) }
        let bot = DispatchConfig.GatewayAccount(gateway: .telegram, account: "acme_bot", tenant: "t1", pixel: nil, settings: settings)
        let hotmart = DispatchConfig.GatewayAccount(gateway: .hotmart, account: "main", tenant: "t1", pixel: nil,
                                                    settings: ["forward_url": .string("https://x.example/h")])
        return DispatchConfig(pixels: [:], tenants: ["t1": DispatchConfig.Tenant(id: "t1", defaultPixel: nil)],
                              gatewayAccounts: [bot.key: bot, hotmart.key: hotmart])
    }

    static func envelope(_ body: String, gateway: String = "telegram", account: String = "acme_bot", id: String = "env-1") throws -> TelegramForwardPlanner.Update {
        let sealed = try keys.seal(Array(body.utf8), for: .webhookBody(tenant: "t1", envelope: id))
        let e = Envelope(id: id, kind: .webhook, receivedAt: 1_790_000_000_000, tenant: "t1",
                         webhook: .init(gateway: gateway, account: account, contentType: "application/json", query: [], headers: [:], body: sealed))
        return TelegramForwardPlanner.Update(envelope: e, body: Array(body.utf8))
    }

    @Test("the chat of any update type: message, callback, inline query, member change; none for a bare poll")
    func routes() {
        func read(_ s: String) -> TelegramUpdateRoute? { TelegramUpdateRoute.read(Array(s.utf8)) }
        #expect(read(#"{"update_id":10,"message":{"message_id":1,"from":{"id":5},"chat":{"id":-100123,"type":"supergroup"},"text":"oi"}}"#)
            == TelegramUpdateRoute(updateID: 10, chat: -100123))
        #expect(read(#"{"update_id":11,"callback_query":{"id":"q","from":{"id":77},"message":{"message_id":2,"chat":{"id":88}}}}"#)
            == TelegramUpdateRoute(updateID: 11, chat: 88))
        #expect(read(#"{"update_id":12,"inline_query":{"id":"q","from":{"id":99},"query":"x"}}"#) == TelegramUpdateRoute(updateID: 12, chat: 99))
        #expect(read(#"{"update_id":13,"poll_answer":{"poll_id":"p","user":{"id":42}}}"#) == TelegramUpdateRoute(updateID: 13, chat: 42))
        #expect(read(#"{"update_id":14,"my_chat_member":{"chat":{"id":55},"from":{"id":1}}}"#) == TelegramUpdateRoute(updateID: 14, chat: 55))
        #expect(read(#"{"update_id":15,"poll":{"id":"p","question":"?"}}"#) == TelegramUpdateRoute(updateID: 15, chat: nil))
        #expect(read(#"{"message":{"chat":{"id":1}}}"#) == nil)
        #expect(read("not json") == nil)
    }

    @Test("the sender of any update type (from, else user); none for a channel post, a bare poll or a non-update")
    func sender() {
        func sender(_ s: String) -> Int64? { TelegramUpdateRoute.sender(Array(s.utf8)) }
        #expect(sender(#"{"update_id":10,"message":{"message_id":1,"from":{"id":5},"chat":{"id":-100123,"type":"supergroup"},"text":"oi"}}"#) == 5)
        #expect(sender(#"{"update_id":11,"callback_query":{"id":"q","from":{"id":77},"message":{"message_id":2,"chat":{"id":88}}}}"#) == 77)
        #expect(sender(#"{"update_id":13,"poll_answer":{"poll_id":"p","user":{"id":42}}}"#) == 42)
        #expect(sender(#"{"update_id":16,"channel_post":{"message_id":1,"chat":{"id":-1001}}}"#) == nil)
        #expect(sender(#"{"update_id":15,"poll":{"id":"p","question":"?"}}"#) == nil)
        #expect(sender(#"{"message":{"from":{"id":1}}}"#) == nil)
    }

    @Test("only updates of a bot with forward_url are queued, keyed bot:update_id, the sealed body as it came")
    func planning() throws {
        let update = try Self.envelope(#"{"update_id":900001,"message":{"message_id":7,"from":{"id":555},"chat":{"id":555,"type":"private"},"text":"/start abc"}}"#)
        let jobs = TelegramForwardPlanner.jobs([update], config: Self.config(forwardURL: "https://bot.example.com/tg"), nowMs: 42)
        #expect(jobs == [TelegramForward(tenant: "t1", bot: "acme_bot", updateID: 900001, chat: 555, envelopeID: "env-1",
                                         body: update.envelope.webhook!.body, queuedAtMs: 42)])
        #expect(jobs.first?.key == "acme_bot:900001" && jobs.first?.orderKey == "acme_bot:c555")
        #expect(TelegramForwardPlanner.jobs([update], config: Self.config(forwardURL: nil), nowMs: 42).isEmpty)
        // A payment gateway's webhook is never relayed, whatever its settings say.
        let sale = try Self.envelope(#"{"update_id":1}"#, gateway: "hotmart", account: "main")
        #expect(TelegramForwardPlanner.jobs([sale], config: Self.config(forwardURL: "https://bot.example.com/tg"), nowMs: 1).isEmpty)
        // Not an update (no update_id): left to the funnel, which dead-letters it.
        let junk = try Self.envelope(#"{"hello":1}"#)
        #expect(TelegramForwardPlanner.jobs([junk], config: Self.config(forwardURL: "https://bot.example.com/tg"), nowMs: 1).isEmpty)
    }

    @Test("2xx delivered; 4xx, 5xx and no answer retried with backoff within the budget; then dead-lettered")
    func verdicts() {
        let decision = TelegramForwardDecision(policy: RetryPolicy(base: .seconds(1), cap: .seconds(8), maxAttempts: 4))
        var random = SystemRandomNumberGenerator()
        #expect(decision.decide(.response(status: 204, body: [], latency: .zero), attempt: 1, nowMs: 1000, random: &random) == .delivered)
        for outcome: HTTPOutcome in [.response(status: 503, body: [], latency: .zero), .response(status: 400, body: [], latency: .zero),
                                     .failure(kind: .connect, message: "refused", latency: .zero)] {
            guard case .retry(let at, let reason) = decision.decide(outcome, attempt: 3, nowMs: 1000, random: &random) else {
                Issue.record("not retried: \(outcome)"); continue
            }
            #expect((1000...5000).contains(at), "third attempt's delay is at most 4 s: \(at)")
            #expect(reason == "HTTP 503" || reason == "HTTP 400" || reason == "no answer (connect)")
        }
        #expect(decision.decide(.response(status: 502, body: [], latency: .zero), attempt: 4, nowMs: 1000, random: &random)
            == .deadLetter(reason: "HTTP 502 after 4 attempts"))
        #expect(TelegramForwardDecision.defaultPolicy.maxAttempts == 15 && TelegramForwardDecision.defaultPolicy.cap == .seconds(600))
    }

    @Test("forward_url must be https; http only to a loopback host when allowed")
    func urlRule() {
        #expect(TelegramForwardDecision.urlProblem("https://bot.example.com/tg", allowLoopbackHTTP: false) == nil)
        #expect(TelegramForwardDecision.urlProblem(nil, allowLoopbackHTTP: true) == "the bot has no forward_url")
        #expect(TelegramForwardDecision.urlProblem("http://bot.example.com/tg", allowLoopbackHTTP: true)
            == "forward_url must be https (http is allowed only for a loopback host)")
        #expect(TelegramForwardDecision.urlProblem("http://127.0.0.1:7901/tg", allowLoopbackHTTP: false)?.contains("TRACKHUB_ALLOW_LOOPBACK_HTTP") == true)
        #expect(TelegramForwardDecision.urlProblem("http://127.0.0.1:7901/tg", allowLoopbackHTTP: true) == nil)
        #expect(TelegramForwardDecision.urlProblem("ftp://bot.example.com", allowLoopbackHTTP: true) == "forward_url must be an absolute https URL")
    }

    @Test("a dead-lettered forward round-trips through its payload and is replayed into the forward queue")
    func replay() throws {
        let job = TelegramForward(tenant: "t1", bot: "acme_bot", updateID: 7, chat: -5, envelopeID: "e", body: Sealed(text: "v1.k1.abc"),
                                  attempts: 15, queuedAtMs: 9)
        let text = try job.json()
        #expect(TelegramForward.decode(text) == job)
        #expect(text.contains(#""kind":"telegram_forward""#))
        #expect(TelegramForward.decode(#"{"kind":"other","tenant":"t1"}"#) == nil)
        let admin = DeadLetterAdmin(layout: StreamLayout(prefix: "t"))
        let row = DeadLetterAdmin.Row(id: 1, reason: "telegram_forward", detail: "x", eventID: nil, pixel: nil, envelopeID: "e",
                                      streamEntry: nil, payload: text, createdAt: Date(timeIntervalSince1970: 0))
        guard case .telegramForward(let replayed) = admin.plan(row, force: false) else { Issue.record("not replayable as a forward"); return }
        #expect(replayed == job)
        #expect(DeadLetterEntry(row, admin: admin, now: Date()).replay == .replayable)
        #expect(DeadLetterExplanation.of(reason: "telegram_forward").en.contains("forward_url"))
    }
}
