/// Why a Bot API call did not succeed: Telegram's own answer (`ok:false`, `error_code`,
/// `description`, `parameters.retry_after`) or why no answer was usable.
///
/// The kind is an opaque struct (new kinds don't break callers), the description never
/// contains the token (it travels in the URL path; see ``TelegramBotToken``).
public struct TelegramError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        let raw: String
        /// 401: the token is wrong, revoked or the bot was deleted.
        public static let unauthorized = Kind(raw: "unauthorized")
        /// 400: the request was refused (chat not found, text too long, bad parameter).
        public static let badRequest = Kind(raw: "bad_request")
        /// 403: the user blocked the bot, the bot was kicked, or it can't initiate a chat.
        public static let forbidden = Kind(raw: "forbidden")
        /// 404: unknown method (or a malformed token in the path).
        public static let notFound = Kind(raw: "not_found")
        /// 409: conflicting use (getUpdates while a webhook is set).
        public static let conflict = Kind(raw: "conflict")
        /// 429: flood control; wait ``TelegramError/retryAfter`` seconds.
        public static let tooManyRequests = Kind(raw: "too_many_requests")
        /// 5xx: Telegram's side.
        public static let server = Kind(raw: "server")
        /// No HTTP answer (connect, timeout, TLS).
        public static let transport = Kind(raw: "transport")
        /// An answer that is not the Bot API's JSON shape.
        public static let invalidResponse = Kind(raw: "invalid_response")
        /// Another `error_code`.
        public static let other = Kind(raw: "other")

        public var description: String { raw }

        static func from(errorCode: Int) -> Kind {
            switch errorCode {
            case 400: .badRequest
            case 401: .unauthorized
            case 403: .forbidden
            case 404: .notFound
            case 409: .conflict
            case 429: .tooManyRequests
            case 500...599: .server
            default: .other
            }
        }
    }

    public let kind: Kind
    /// The method called (`getMe`, `sendMessage`, …).
    public let method: String
    /// Telegram's `error_code` (an HTTP status), when it answered.
    public let errorCode: Int?
    /// Telegram's `description` (e.g. "Bad Request: chat not found"), or ours for a transport
    /// or shape failure.
    public let message: String
    /// `parameters.retry_after`: seconds to wait before the next call (429).
    public let retryAfter: Int?
    /// `parameters.migrate_to_chat_id`: the group became this supergroup.
    public let migrateToChatID: Int64?

    public init(kind: Kind, method: String, errorCode: Int? = nil, message: String, retryAfter: Int? = nil,
                migrateToChatID: Int64? = nil) {
        self.kind = kind
        self.method = method
        self.errorCode = errorCode
        self.message = message
        self.retryAfter = retryAfter
        self.migrateToChatID = migrateToChatID
    }

    /// Worth retrying later: flood control, Telegram's 5xx, no answer.
    public var isTransient: Bool {
        kind == .tooManyRequests || kind == .server || kind == .transport
    }

    public var description: String {
        var text = "telegram \(method) failed: \(kind)"
        if let errorCode { text += " \(errorCode)" }
        text += " \(message)"
        if let retryAfter { text += " (retry after \(retryAfter) s)" }
        return text
    }
}
