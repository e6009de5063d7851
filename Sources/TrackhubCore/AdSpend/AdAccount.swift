public import Foundation

/// An ad account whose spend is imported (`ad_accounts`), with the token that reads it opened
/// in memory. ``description`` never shows the token.
public struct AdAccount: Sendable, Equatable, CustomStringConvertible {
    public var tenant: String
    /// `act_<digits>`.
    public var id: String
    public var enabled: Bool
    /// The token in use: the account's own (sealed for ``SealContext/adAccountToken(tenant:account:)``),
    /// else the tenant's default pixel's; nil when neither can be opened.
    public var token: String?
    /// Where ``token`` comes from.
    public var tokenSource: TokenSource
    public var lastSyncedAt: Date?
    public var lastError: String?

    public enum TokenSource: String, Sendable, Equatable {
        /// `dispatchd adspend add` stored a token for this account.
        case own
        /// The tenant's default pixel's Conversions API token (it needs `ads_read` too).
        case defaultPixel = "default_pixel"
        /// Neither: the import cannot run.
        case none
    }

    public init(tenant: String, id: String, enabled: Bool = true, token: String?, tokenSource: TokenSource,
                lastSyncedAt: Date? = nil, lastError: String? = nil) {
        self.tenant = tenant; self.id = id; self.enabled = enabled; self.token = token; self.tokenSource = tokenSource
        self.lastSyncedAt = lastSyncedAt; self.lastError = lastError
    }

    public var description: String {
        "AdAccount(\(tenant)/\(id), token: \(tokenSource.rawValue)\(token == nil ? " unreadable" : ""), enabled: \(enabled))"
    }
}
