/// One answer of the fake Bot API: HTTP status and JSON body.
struct FakeTelegramReply: Sendable {
    var status: Int
    var body: FakeJSON

    /// `{"ok":true,"result":…}` (plus Telegram's `description` for a few methods).
    static func ok(_ result: FakeJSON, description: String? = nil) -> FakeTelegramReply {
        var body: [String: FakeJSON] = ["ok": true, "result": result]
        if let description { body["description"] = .string(description) }
        return FakeTelegramReply(status: 200, body: .object(body))
    }

    /// `{"ok":false,"error_code":N,"description":…}` with `parameters.retry_after` for 429.
    static func error(_ code: Int, _ description: String, retryAfter: Int? = nil) -> FakeTelegramReply {
        var body: [String: FakeJSON] = ["ok": false, "error_code": .int(code), "description": .string(description)]
        if let retryAfter { body["parameters"] = ["retry_after": .int(retryAfter)] }
        return FakeTelegramReply(status: code, body: .object(body))
    }

    static let unauthorized = error(401, "Unauthorized")
    static let notFound = error(404, "Not Found")
}
