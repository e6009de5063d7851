import Foundation
import Logging

/// What a retention run reads before deciding: each tenant's policy and pixels, the ledger's
/// partitions, and how far earlier runs got.
struct RetentionState: Sendable {
    var policies: [String: RetentionPolicy] = [:]
    var pixelsByTenant: [String: [String]] = [:]
    var partitions: [LedgerPartition] = []
    var progress: [String: Date] = [:]

    static func load(connection pg: PostgresConnection, logger: Logger) throws -> RetentionState {
        var state = RetentionState()
        let tenants = try pg.query("SELECT id, retention::text AS retention FROM tenants ORDER BY id")
        for i in tenants.indices {
            guard let id = try tenants.string(i, "id") else { continue }
            let stored = try tenants.string(i, "retention") ?? "{}"
            if let policy = RetentionPolicy.fromStored(stored) {
                state.policies[id] = policy
            } else {
                // `dispatchd apply` validates what it stores; a hand edit is the only way here.
                logger.warning("retention settings unreadable, defaults used", metadata: [LogKey.tenant: "\(id)"])
                state.policies[id] = .default
            }
        }
        let pixels = try pg.query("SELECT id, tenant_id FROM pixels ORDER BY id")
        for i in pixels.indices {
            guard let id = try pixels.string(i, "id"), let tenant = try pixels.string(i, "tenant_id") else { continue }
            state.pixelsByTenant[tenant, default: []].append(id)
        }
        let parts = try pg.query("""
            SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT' AS is_default,
                   substring(pg_get_expr(c.relpartbound, c.oid) FROM 'FROM \\(''([^'']+)''\\)')::timestamptz AS lower,
                   substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \\(''([^'']+)''\\)')::timestamptz AS upper
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = $1::regclass ORDER BY c.relname
            """, [.string(LedgerPartition.parent)])
        for i in parts.indices {
            state.partitions.append(LedgerPartition(name: try parts.string(i, "name") ?? "", from: try parts.date(i, "lower"),
                                                    to: try parts.date(i, "upper"), isDefault: try parts.bool(i, "is_default") ?? false))
        }
        let progress = try pg.query("SELECT scope, item, done_before FROM retention_progress")
        for i in progress.indices {
            guard let scope = try progress.string(i, "scope"), let item = try progress.string(i, "item"),
                  let at = try progress.date(i, "done_before") else { continue }
            state.progress["\(scope)|\(item)"] = at
        }
        return state
    }

    /// Which rows belong to `scope`.
    func filter(for scope: RetentionScope) -> RetentionScopeFilter {
        switch scope {
        case .tenant(let id):
            RetentionScopeFilter(tenant: id, tenants: [id], pixels: pixelsByTenant[id] ?? [])
        case .others:
            RetentionScopeFilter(tenant: nil, tenants: policies.keys.sorted(), pixels: pixelsByTenant.values.flatMap { $0 }.sorted())
        }
    }
}

/// A scope as SQL: tables with a `tenant_id` are filtered by it, the ledger, dead letters and
/// dedupe keys (which carry only a pixel) by the tenant's pixels. "Everyone else" is every row
/// of no configured tenant or pixel (NULL included).
struct RetentionScopeFilter: Sendable {
    /// nil: everyone else.
    var tenant: String?
    var tenants: [String]
    var pixels: [String]

    /// The condition on `table`'s rows, with its one parameter as `$<n>`.
    func condition(table: String, parameter n: Int) -> (sql: String, value: PostgresValue) {
        let byTenant = table == "touchpoints" || table == "webhook_inbox"
        if let tenant, byTenant { return ("tenant_id = $\(n)", .string(tenant)) }
        if byTenant { return ("(tenant_id IS NULL OR NOT tenant_id = ANY($\(n)::text[]))", .textArray(tenants)) }
        if tenant != nil { return ("pixel_id = ANY($\(n)::text[])", .textArray(pixels)) }
        return ("(pixel_id IS NULL OR NOT pixel_id = ANY($\(n)::text[]))", .textArray(pixels))
    }
}
