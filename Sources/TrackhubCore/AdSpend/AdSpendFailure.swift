public import Foundation

/// Why one account's import stopped, reduced to what decides the next attempt, with the words
/// recorded in `ad_accounts.last_error` (plain, no token: a refused token is named only by
/// ``PixelControl/tokenMarker(_:)``, a short fingerprint).
///
/// Meta's answers are classified by the CAPI sender's own ``MetaResponseClassifier``:
/// throttling (4, 17, 32, 613, 80000–80014) backs off — code 4 is the whole app's limit, so the
/// round stops for every account; a refused token (190, 102) stops the account until its token
/// changes; a missing permission (ads_read, the account not assigned to the token's user)
/// waits for the next round.
public struct AdSpendFailure: Sendable, Equatable, Error, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// No usable token (none stored, no default pixel token, or it cannot be opened).
        case noToken = "no_token"
        /// 190/102: tried again only with another token.
        case token
        /// ads_read missing or no access to the account.
        case permission
        /// Rate limited: back off.
        case throttled
        /// Network, 5xx, or Meta's transient codes: try again soon.
        case transient
        /// Meta refused the request as invalid, or answered something we cannot read.
        case invalid
    }

    public var kind: Kind
    /// The words for `last_error` and the logs.
    public var message: String
    /// Meta's error code, when it sent one.
    public var code: Int?
    /// Meta's own estimate of when calls may resume (throttling headers).
    public var retryAfter: Duration?
    /// Code 4: the application's limit, shared by every account.
    public var appWide: Bool

    public init(kind: Kind, message: String, code: Int? = nil, retryAfter: Duration? = nil, appWide: Bool = false) {
        self.kind = kind; self.message = message; self.code = code; self.retryAfter = retryAfter; self.appWide = appWide
    }

    public var description: String { message }

    /// The failure for Meta's answer to one page request of `token`.
    public static func of(_ failure: MetaFailure, token: String, retryAfter: Duration? = nil) -> AdSpendFailure {
        let code = failure.code.map { " (code \($0)\(failure.subcode.map { "/\($0)" } ?? ""))" } ?? failure.httpStatus.map { " (HTTP \($0))" } ?? ""
        switch failure.class {
        case .token:
            return AdSpendFailure(
                kind: .token,
                message: "Meta refused the access token\(code): it expired or was revoked. Imports of this account stop until its token changes: store a new one with dispatchd adspend add (or renew the default pixel's token). \(PixelControl.tokenMarker(token))",
                code: failure.code)
        case .permission:
            return AdSpendFailure(
                kind: .permission,
                message: "The token cannot read this ad account's insights\(code): it needs the ads_read permission and access to the account (Business settings → System users → Assign assets → View performance).",
                code: failure.code)
        case .throttled:
            return AdSpendFailure(
                kind: .throttled, message: "Meta is limiting insights calls\(code); the import backs off and tries again.",
                code: failure.code, retryAfter: retryAfter, appWide: failure.code == 4)
        case .transient:
            return AdSpendFailure(kind: .transient, message: "Meta did not answer\(code): \(failure.message.prefix(160)). The import tries again soon.",
                                  code: failure.code)
        case .invalid, .expired:
            return AdSpendFailure(kind: .invalid, message: "Meta refused the insights request\(code): \(failure.message.prefix(200))",
                                  code: failure.code)
        }
    }

    /// The failure for an account without a usable token.
    public static func noToken(_ source: AdAccount.TokenSource) -> AdSpendFailure {
        let message = source == .none
            ? "No token to read insights: store one with dispatchd adspend add, or give the tenant a default pixel with a token."
            : "The stored token cannot be opened (its key is no longer in the key file): store it again with dispatchd adspend add."
        return AdSpendFailure(kind: .noToken, message: message)
    }

    /// The failure for an answer that is not the insights we asked for.
    public static func unreadable(_ error: AdInsightsPage.ParseError) -> AdSpendFailure {
        AdSpendFailure(kind: .invalid, message: "Meta's answer could not be used: \(error.reason)")
    }

    /// True when `lastError` records that `token` itself was refused: the account is skipped
    /// (no request) until its token changes.
    public static func refused(token: String, lastError: String?) -> Bool {
        guard let lastError, !token.isEmpty else { return false }
        return lastError.contains(PixelControl.tokenMarker(token))
    }
}
