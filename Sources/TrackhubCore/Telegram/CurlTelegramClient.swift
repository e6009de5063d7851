/// ``TelegramBotAPI`` over libcurl (``CurlClientPool`` threads, never the cooperative pool).
///
/// Every method is a `POST` of a JSON body to `<baseURL>/bot<token>/<method>` (the Bot API
/// accepts JSON for all methods). The token is in the URL path: `CurlHTTPClient` never puts the
/// URL in its failure messages, and every text that reaches a ``TelegramError`` is passed through
/// ``TelegramBotToken/redacting(_:)`` as well.
public struct CurlTelegramClient: TelegramBotAPI {
    /// Telegram's production API.
    public static let defaultBaseURL = "https://api.telegram.org"

    let http: CurlClientPool
    let baseURL: String
    let timeout: Duration

    /// - Parameter baseURL: `https://api.telegram.org`, or the fake's `http://127.0.0.1:PORT`.
    public init(http: CurlClientPool, baseURL: String = CurlTelegramClient.defaultBaseURL, timeout: Duration = .seconds(10)) {
        self.http = http
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.timeout = timeout
    }

    public func getMe(token: TelegramBotToken) async throws(TelegramError) -> TelegramBotUser {
        let result = try await call("getMe", token: token, body: Array("{}".utf8))
        guard let user = TelegramBotUser(result) else { throw Self.shape("getMe") }
        return user
    }

    public func setWebhook(token: TelegramBotToken, _ settings: TelegramWebhookSettings) async throws(TelegramError) {
        _ = try await call("setWebhook", token: token, body: settings.body())
    }

    public func getWebhookInfo(token: TelegramBotToken) async throws(TelegramError) -> TelegramWebhookInfo {
        let result = try await call("getWebhookInfo", token: token, body: Array("{}".utf8))
        guard let info = TelegramWebhookInfo(result) else { throw Self.shape("getWebhookInfo") }
        return info
    }

    public func deleteWebhook(token: TelegramBotToken, dropPendingUpdates: Bool) async throws(TelegramError) {
        _ = try await call("deleteWebhook", token: token, body: Array(#"{"drop_pending_updates":\#(dropPendingUpdates)}"#.utf8))
    }

    @discardableResult
    public func sendMessage(token: TelegramBotToken, _ message: TelegramOutgoingMessage) async throws(TelegramError) -> Int64 {
        let result = try await call("sendMessage", token: token, body: message.body())
        guard let id = result["message_id"].flatMap(TelegramReply.int64) else { throw Self.shape("sendMessage") }
        return id
    }

    private func call(_ method: String, token: TelegramBotToken, body: [UInt8]) async throws(TelegramError) -> JSONValue {
        let outcome = await http.post(url: "\(baseURL)/bot\(token.secret)/\(method)", body: body, timeout: timeout)
        return try TelegramReply.result(method: method, outcome: outcome, token: token).get()
    }

    private static func shape(_ method: String) -> TelegramError {
        TelegramError(kind: .invalidResponse, method: method, message: "result has an unexpected shape")
    }
}
