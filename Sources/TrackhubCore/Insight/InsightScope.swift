/// Which tenants a reader may show: a console user sees only the tenants they belong to, the
/// operator (and the CLI) everything.
///
/// History outlives configuration (the ledger has no foreign keys), so scoping goes through
/// what each row carries: a pixel (ledger, dead letters), a tenant (touchpoints, sales,
/// webhooks).
public enum InsightScope: Sendable, Equatable {
    /// Every tenant (the operator).
    case all
    /// Only these tenant ids (empty: nothing).
    case tenants([String])

    /// The tenant ids, or nil for ``all``: the value bound to a `$n::text[]` parameter in SQL
    /// written as `($n::text[] IS NULL OR tenant_id = ANY($n::text[]))`.
    public var tenantIDs: [String]? {
        switch self {
        case .all: nil
        case .tenants(let ids): ids
        }
    }

    /// True when `tenant` is visible in this scope.
    public func contains(tenant: String?) -> Bool {
        switch self {
        case .all: true
        case .tenants(let ids): tenant.map(ids.contains) ?? false
        }
    }
}
