import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import TrackhubCore
import TrackhubTesting

/// Proves the fake Telegram Bot API over real HTTP through the real client
/// (``CurlTelegramClient``), so tests that rely on it can trust what it answers, refuses,
/// records and pushes. Needs no Redis/Postgres.
@Suite("FakeTelegramServer")
struct FakeTelegramServerSelfTests {
    static let bot = "demo_bot"
    static let tokenText = FakeTelegram.token(for: "demo_bot", id: 7_100_000_001)
    static var token: TelegramBotToken { TelegramBotToken(tokenText) }

    /// Starts the fake (with `demo_bot` known) and a client pool, runs `body`, stops both.
    static func withFake(_ body: (FakeTelegramServer, CurlTelegramClient) async throws -> Void) async throws {
        let pool = try CurlClientPool(size: 2)
        try await ServiceGroup.withRunning([pool], logger: Logger(label: "test")) {
            try await FakeTelegramServer.withServer { server in
                server.telegram.addBot(token: tokenText, username: bot)
                try await body(server, CurlTelegramClient(http: pool, baseURL: server.baseURL, timeout: .seconds(5)))
            }
        }
    }

    static func expectError(_ kind: TelegramError.Kind, _ call: () async throws(TelegramError) -> Void) async -> TelegramError? {
        do {
            try await call()
            Issue.record("expected \(kind)")
            return nil
        } catch {
            #expect(error.kind == kind, "\(error)")
            return error
        }
    }

    @Test func getMeAnswersTheBotAndUnknownTokenIs401() async throws {
        try await Self.withFake { server, client in
            let me = try await client.getMe(token: Self.token)
            #expect(me.id == 7_100_000_001)
            #expect(me.isBot)
            #expect(me.username == Self.bot)
            let unknown = await Self.expectError(.unauthorized) { () async throws(TelegramError) in
                _ = try await client.getMe(token: TelegramBotToken(FakeTelegram.token(for: "other", id: 42)))
            }
            #expect(unknown?.message == "Unauthorized")
            #expect(server.telegram.calls(method: "getMe").map(\.status) == [200, 401])
        }
    }

    @Test func getMeFailureAndRecovery() async throws {
        try await Self.withFake { server, client in
            server.telegram.setGetMeFailure(.unauthorized, bot: Self.bot)
            _ = await Self.expectError(.unauthorized) { () async throws(TelegramError) in _ = try await client.getMe(token: Self.token) }
            server.telegram.setGetMeFailure(.serverError, bot: Self.bot)
            let server5xx = await Self.expectError(.server) { () async throws(TelegramError) in _ = try await client.getMe(token: Self.token) }
            #expect(server5xx?.isTransient == true)
            server.telegram.setGetMeFailure(nil, bot: Self.bot)
            let again = try await client.getMe(token: Self.token)
            #expect(again.username == Self.bot)
        }
    }

    @Test func revokedTokenFailsEveryMethod() async throws {
        try await Self.withFake { server, client in
            server.telegram.setRevoked(true, bot: Self.bot)
            _ = await Self.expectError(.unauthorized) { () async throws(TelegramError) in _ = try await client.getWebhookInfo(token: Self.token) }
            server.telegram.setRevoked(false, bot: Self.bot)
            let info = try await client.getWebhookInfo(token: Self.token)
            #expect(info.url == "")
        }
    }

    @Test func sendMessageIsStrict() async throws {
        try await Self.withFake { server, client in
            let unknownChat = await Self.expectError(.badRequest) { () async throws(TelegramError) in
                try await client.sendMessage(token: Self.token, TelegramOutgoingMessage(chatID: "555", text: "oi"))
            }
            #expect(unknownChat?.message == "Bad Request: chat not found")
            server.telegram.addChat("555", bot: Self.bot)
            let long = await Self.expectError(.badRequest) { () async throws(TelegramError) in
                try await client.sendMessage(token: Self.token, TelegramOutgoingMessage(chatID: "555", text: String(repeating: "a", count: 4097)))
            }
            #expect(long?.message == "Bad Request: message is too long")
            let badHTML = await Self.expectError(.badRequest) { () async throws(TelegramError) in
                try await client.sendMessage(token: Self.token, TelegramOutgoingMessage(chatID: "555", text: "1 < 2", parseMode: "HTML"))
            }
            #expect(badHTML?.message.hasPrefix("Bad Request: can't parse entities") == true)
            let id = try await client.sendMessage(token: Self.token, TelegramOutgoingMessage(
                chatID: "555", text: "Venda <b>R$ 1.234,56</b> &amp; mais", parseMode: "HTML", disableNotification: true))
            let exact = try await client.sendMessage(token: Self.token, TelegramOutgoingMessage(chatID: "555", text: String(repeating: "b", count: 4096)))
            #expect(exact > id)
            let messages = server.telegram.messages(bot: Self.bot)
            #expect(messages.count == 2)
            #expect(messages.first?.text == "Venda <b>R$ 1.234,56</b> &amp; mais")
            #expect(messages.first?.parseMode == "HTML")
            #expect(messages.first?.disableNotification == true)
            #expect(server.telegram.calls(method: "sendMessage").map(\.status) == [400, 400, 400, 200, 200])
        }
    }

    @Test func floodControlIsProgrammable() async throws {
        try await Self.withFake { server, client in
            server.telegram.addChat("9", bot: Self.bot)
            server.telegram.failNext(1, method: "sendMessage", bot: Self.bot, with: FakeTelegramFailure(errorCode: 429, retryAfter: 3))
            let flood = await Self.expectError(.tooManyRequests) { () async throws(TelegramError) in
                try await client.sendMessage(token: Self.token, TelegramOutgoingMessage(chatID: "9", text: "x"))
            }
            #expect(flood?.retryAfter == 3)
            try await client.sendMessage(token: Self.token, TelegramOutgoingMessage(chatID: "9", text: "x"))
        }
    }

    @Test func webhookLifecycleAndValidation() async throws {
        try await Self.withFake { server, client in
            _ = await Self.expectError(.badRequest) { () async throws(TelegramError) in
                try await client.setWebhook(token: Self.token, TelegramWebhookSettings(url: "http://example.com/hook", secretToken: nil))
            }
            _ = await Self.expectError(.badRequest) { () async throws(TelegramError) in
                try await client.setWebhook(token: Self.token, TelegramWebhookSettings(url: "https://example.com/hook", secretToken: "bad secret!"))
            }
            try await client.setWebhook(token: Self.token, TelegramWebhookSettings(
                url: "https://example.com/webhooks/telegram/demo_bot", secretToken: "abc_123", allowedUpdates: ["message"], maxConnections: 10))
            let info = try await client.getWebhookInfo(token: Self.token)
            #expect(info.url == "https://example.com/webhooks/telegram/demo_bot")
            #expect(info.allowedUpdates == ["message"])
            #expect(info.maxConnections == 10)
            #expect(info.pendingUpdateCount == 0)
            #expect(server.telegram.webhook(bot: Self.bot)?.secretToken == "abc_123")
            try await client.deleteWebhook(token: Self.token, dropPendingUpdates: true)
            let deleted = try await client.getWebhookInfo(token: Self.token)
            #expect(deleted.url == "")
        }
    }

    /// Telegram's side of a webhook: the update arrives as JSON with the secret header; a
    /// forged secret can be sent; a refused push shows in getWebhookInfo.
    @Test func pushDeliversUpdatesWithTheSecretHeader() async throws {
        let inbox = Inbox()
        let receiver = try await FakeHTTPServer.start(routes: [Receiver(inbox: inbox)], name: "receiver")
        do {
            try await pushScenario(receiver: receiver, inbox: inbox)
        } catch {
            await receiver.stop()
            throw error
        }
        await receiver.stop()
    }

    func pushScenario(receiver: FakeHTTPServer, inbox: Inbox) async throws {
        try await Self.withFake { server, client in
            try await client.setWebhook(token: Self.token, TelegramWebhookSettings(
                url: receiver.baseURL + "/webhooks/telegram/demo_bot", secretToken: "the_secret"))
            let update = server.telegram.startUpdate(bot: Self.bot, userID: 31337, payload: "c_AbC-123")
            let first = try await server.telegram.push(bot: Self.bot, update: update)
            let forged = try await server.telegram.push(bot: Self.bot, update: update, secret: "forged")
            #expect(first == 200)
            #expect(forged == 200)
            inbox.status.withLock { $0 = 500 }
            let refused = try await server.telegram.push(bot: Self.bot, update: update)
            #expect(refused == 500)
            let got = inbox.received.withLock { $0 }
            #expect(got.map(\.secret) == ["the_secret", "forged", "the_secret"])
            #expect(got.first?.body?["message"]?["text"]?.stringValue == "/start c_AbC-123")
            #expect(got.first?.body?["message"]?["from"]?["id"]?.intValue == 31337)
            #expect(got.first?.body?["update_id"] == update["update_id"])
            let info = try await client.getWebhookInfo(token: Self.token)
            #expect(info.pendingUpdateCount == 1)
            #expect(info.lastErrorMessage == "Wrong response from the webhook: 500")
            // The user wrote to the bot, so the bot may now answer in that chat.
            try await client.sendMessage(token: Self.token, TelegramOutgoingMessage(chatID: "31337", text: "Bem-vinda!"))
        }
    }

    /// What the webhook receiver got, and the status it answers.
    final class Inbox: Sendable {
        let received = Mutex<[(secret: String?, body: FakeJSON?)]>([])
        let status = Mutex(200)
    }

    struct Receiver: FakeRoutes {
        let inbox: Inbox

        func register(on router: Router<BasicRequestContext>) {
            router.post("webhooks/telegram/:bot") { request, _ -> Response in
                var request = request
                let body = try await request.collectBody(upTo: 1 << 20)
                let secret = request.headers[.init("X-Telegram-Bot-Api-Secret-Token")!]
                inbox.received.withLock { $0.append((secret, FakeJSON.parse(Array(body.readableBytesView)))) }
                return Response(status: .init(code: inbox.status.withLock { $0 }))
            }
        }
    }
}
