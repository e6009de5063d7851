import Foundation
import Synchronization
public import TrackhubCore

/// A stand-in for the Telegram Bot API (`/bot<token>/<method>`), as strict as its documentation
/// (reference §4): an unknown or revoked token is 401 `Unauthorized`, an unknown method 404, a
/// chat the bot never saw 400 `chat not found`, text over 4096 characters 400, a bad
/// `secret_token` or non-HTTPS webhook 400. Every call is recorded.
///
/// Trackhub talks to it through its real client (``CurlTelegramClient``) over real HTTP. The
/// fake also plays Telegram's side of a webhook: ``push(bot:update:secret:)`` POSTs an update to
/// the URL the bot registered, with the `X-Telegram-Bot-Api-Secret-Token` header, like Telegram.
///
/// One deliberate leniency: webhook URLs on `http://127.0.0.1`/`localhost` are accepted (the
/// real API wants HTTPS on 443/80/88/8443) so tests can point it at a local ingestd.
public final class FakeTelegram: Sendable {
    struct Bot {
        var id: Int64
        var username: String
        var token: String
        var revoked = false
        var getMeFailure: FakeTelegramFailure?
        var nextFailures: [String: [FakeTelegramFailure]] = [:]
        var webhook: FakeTelegramWebhook?
        var chats: Set<String> = []
        var nextUpdateID = 100_000
    }

    struct State {
        var bots: [String: Bot] = [:]  // by username
        var calls: [FakeTelegramCall] = []
        var messages: [FakeTelegramMessage] = []
        var nextMessageID = 1
    }

    let state = Mutex(State())
    /// Posts updates to webhooks (nil: ``push(bot:update:secret:)`` is unavailable).
    let pusher: CurlClientPool?

    public init(pusher: CurlClientPool? = nil) {
        self.pusher = pusher
    }

    // MARK: Programming

    /// Registers a bot; its id is the token's digits before `:`.
    public func addBot(token: String, username: String) {
        let id = TelegramBotToken(token).botID.flatMap { Int64($0) } ?? Int64(abs(username.hashValue % 1_000_000_000))
        state.withLock { $0.bots[username] = Bot(id: id, username: username, token: token) }
    }

    /// A well-formed token for `username` (`<digits>:<35 characters>`), stable per username.
    public static func token(for username: String, id: Int = 7_000_000_001) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        var seed = UInt64(truncatingIfNeeded: username.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) })
        let secret = (0..<35).map { _ -> Character in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return letters[Int(seed >> 33) % letters.count]
        }
        return "\(id):\(String(secret))"
    }

    /// From now on `getMe` of `bot` fails this way (nil: answers again).
    public func setGetMeFailure(_ failure: FakeTelegramFailure?, bot: String) {
        state.withLock { $0.bots[bot]?.getMeFailure = failure }
    }

    /// The token stops working (every method 401), or works again.
    public func setRevoked(_ revoked: Bool, bot: String) {
        state.withLock { $0.bots[bot]?.revoked = revoked }
    }

    /// The next `count` calls of `method` by `bot` fail with `failure`.
    public func failNext(_ count: Int, method: String, bot: String, with failure: FakeTelegramFailure) {
        state.withLock { $0.bots[bot]?.nextFailures[method, default: []].append(contentsOf: Array(repeating: failure, count: count)) }
    }

    /// `bot` may now message `chatID` (as after that user or group wrote to it).
    public func addChat(_ chatID: String, bot: String) {
        state.withLock { _ = $0.bots[bot]?.chats.insert(chatID) }
    }

    /// Forgets calls and messages (bots, chats and webhooks stay).
    public func clearRecords() {
        state.withLock { s in
            s.calls.removeAll()
            s.messages.removeAll()
        }
    }

    // MARK: Queries

    public func calls(bot: String? = nil, method: String? = nil) -> [FakeTelegramCall] {
        state.withLock { s in s.calls.filter { (bot == nil || $0.bot == bot) && (method == nil || $0.method == method) } }
    }

    public func messages(bot: String? = nil, chatID: String? = nil) -> [FakeTelegramMessage] {
        state.withLock { s in s.messages.filter { (bot == nil || $0.bot == bot) && (chatID == nil || $0.chatID == chatID) } }
    }

    public func webhook(bot: String) -> FakeTelegramWebhook? {
        state.withLock { $0.bots[bot]?.webhook }
    }

    /// The username of the bot `token` belongs to.
    public func username(token: String) -> String? {
        state.withLock { s in s.bots.values.first { $0.token == token }?.username }
    }

    // MARK: Updates

    /// A private-chat `/start <payload>` update from user `userID` (reference §4.4); the next
    /// `update_id` of `bot` unless one is given.
    public func startUpdate(bot: String, userID: Int64, payload: String?, updateID: Int? = nil, firstName: String = "Ana") -> FakeJSON {
        let id = updateID ?? state.withLock { s -> Int in
            let id = s.bots[bot]?.nextUpdateID ?? 1
            s.bots[bot]?.nextUpdateID = id + 1
            return id
        }
        let text = payload.map { "/start \($0)" } ?? "/start"
        return [
            "update_id": .int(id),
            "message": [
                "message_id": .int(id % 10_000 + 1),
                "from": ["id": .int(Int(userID)), "is_bot": false, "first_name": .string(firstName), "language_code": "pt-br"],
                "chat": ["id": .int(Int(userID)), "type": "private", "first_name": .string(firstName)],
                "date": .int(Int(Date().timeIntervalSince1970)),
                "text": .string(text),
                "entities": [["type": "bot_command", "offset": 0, "length": 6]],
            ],
        ]
    }

    /// POSTs `update` to `bot`'s webhook like Telegram does, with its secret header (or
    /// `secret` instead, to forge one); returns the HTTP status (nil: no answer). The chat of
    /// the update becomes one the bot may message. A non-2xx is kept as the webhook's last
    /// error (what `getWebhookInfo` reports).
    public func push(bot: String, update: FakeJSON, secret: String? = nil) async throws -> Int? {
        guard let pusher else { throw FakeServerError("this FakeTelegram has no pusher") }
        guard let webhook = webhook(bot: bot), !webhook.url.isEmpty else { throw FakeServerError("bot \(bot) has no webhook") }
        if let chat = update["message"]?["chat"]?["id"]?.intValue { addChat(String(chat), bot: bot) }
        var headers: [String] = []
        if let token = secret ?? webhook.secretToken { headers.append("X-Telegram-Bot-Api-Secret-Token: " + token) }
        let outcome = await pusher.post(url: webhook.url, body: Array(update.jsonText.utf8), headers: headers, timeout: .seconds(10))
        let ok = outcome.status.map { (200...299).contains($0) } ?? false
        state.withLock { s in
            guard var hook = s.bots[bot]?.webhook else { return }
            if ok {
                hook.pendingUpdateCount = 0
            } else {
                hook.pendingUpdateCount += 1
                hook.lastErrorDate = Int(Date().timeIntervalSince1970)
                hook.lastErrorMessage = outcome.status.map { "Wrong response from the webhook: \($0)" } ?? "Connection refused"
            }
            s.bots[bot]?.webhook = hook
        }
        return outcome.status
    }
}
