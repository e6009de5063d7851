/// A failure programmed for a bot's next calls of one method (or every call of `getMe` until
/// cleared): flood control, Telegram's 5xx, a revoked token.
public struct FakeTelegramFailure: Sendable, Equatable {
    /// Telegram's `error_code` (the HTTP status too): 401, 429, 500, 502…
    public var errorCode: Int
    public var description: String
    /// `parameters.retry_after` (429).
    public var retryAfter: Int?

    public init(errorCode: Int, description: String? = nil, retryAfter: Int? = nil) {
        self.errorCode = errorCode
        self.retryAfter = retryAfter
        self.description = description ?? Self.defaultDescription(errorCode, retryAfter: retryAfter)
    }

    /// The token was revoked or the bot deleted.
    public static let unauthorized = FakeTelegramFailure(errorCode: 401)
    /// Telegram's side is failing.
    public static let serverError = FakeTelegramFailure(errorCode: 502)

    static func defaultDescription(_ code: Int, retryAfter: Int?) -> String {
        switch code {
        case 401: "Unauthorized"
        case 429: "Too Many Requests: retry after \(retryAfter ?? 1)"
        case 500...599: "Internal Server Error"
        default: "Bad Request"
        }
    }
}
