/// Reads a Bot API answer: `{"ok":true,"result":…}` or `{"ok":false,"error_code","description",
/// "parameters":{"retry_after","migrate_to_chat_id"}}` (reference §4.2).
///
/// A pure function over the HTTP outcome, so every answer shape is unit-tested without a server.
enum TelegramReply {
    /// The `result` of a successful call, or the typed error.
    static func result(method: String, outcome: HTTPOutcome, token: TelegramBotToken) -> Result<JSONValue, TelegramError> {
        switch outcome {
        case .failure(let kind, let message, _):
            return .failure(TelegramError(kind: .transport, method: method, message: token.redacting("\(kind.rawValue): \(message)")))
        case .response(let status, let body, _):
            return interpret(method: method, status: status, body: body, token: token)
        }
    }

    static func interpret(method: String, status: Int, body: [UInt8], token: TelegramBotToken) -> Result<JSONValue, TelegramError> {
        guard let json = JSONValue.parse(body), case .bool(let ok)? = json["ok"] else {
            let kind: TelegramError.Kind = (500...599).contains(status) ? .server : .invalidResponse
            return .failure(TelegramError(kind: kind, method: method, errorCode: status,
                                          message: "HTTP \(status) without a Bot API answer"))
        }
        if ok, (200...299).contains(status), let result = json["result"] {
            return .success(result)
        }
        let code = json["error_code"].flatMap(Self.int) ?? status
        let description: String
        if case .string(let text)? = json["description"] { description = token.redacting(String(text.prefix(500))) } else {
            description = "HTTP \(status)"
        }
        let retryAfter = json["parameters"]["retry_after"].flatMap(Self.int)
        let migrate = json["parameters"]["migrate_to_chat_id"].flatMap(Self.int64)
        return .failure(TelegramError(kind: .from(errorCode: code), method: method, errorCode: code, message: description,
                                      retryAfter: retryAfter, migrateToChatID: migrate))
    }

    static func int(_ value: JSONValue) -> Int? {
        int64(value).flatMap { Int(exactly: $0) }
    }

    static func int64(_ value: JSONValue) -> Int64? {
        if case .number(let text) = value { return Int64(text) }
        return nil
    }

    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    static func bool(_ value: JSONValue?) -> Bool? {
        if case .bool(let flag)? = value { return flag }
        return nil
    }
}
