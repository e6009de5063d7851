/// Whose rows an expiry covers: one tenant's, or everyone else's — rows of a tenant no longer
/// configured, or with no tenant (a webhook from an unknown account), which follow the default
/// policy.
public enum RetentionScope: Sendable, Hashable, CustomStringConvertible {
    case tenant(String)
    case others

    /// The key of `retention_progress.scope`.
    public var key: String {
        switch self {
        case .tenant(let id): id
        case .others: "*"
        }
    }

    public var description: String {
        switch self {
        case .tenant(let id): "tenant \(id)"
        case .others: "rows of no configured tenant"
        }
    }
}
