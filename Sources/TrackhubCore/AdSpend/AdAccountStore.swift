public import Foundation

/// `ad_accounts` (migration 12): which ad accounts a tenant imports spend from, with their
/// sealed token and the last import's result. Blocking; runs on a ``PostgresPool`` thread.
public enum AdAccountStore {
    /// `save` for a tenant `dispatchd apply` never created.
    public struct UnknownTenant: Error, CustomStringConvertible, Equatable {
        public let tenant: String
        public var description: String { "tenant \(tenant) does not exist (dispatchd apply creates tenants)" }
    }

    /// Adds `account` to `tenant` (or updates it): `token` sealed when given, else the tenant's
    /// default pixel's token is used. Storing clears `last_error`, so an account stopped on a
    /// refused token is tried again at once. Throws when the tenant does not exist.
    public static func save(tenant: String, account: String, token: String?, enabled: Bool = true,
                            keys: KeyRing, connection: PostgresConnection) throws {
        let sealed = try token.map { try keys.seal(string: $0, for: .adAccountToken(tenant: tenant, account: account)) }
        let tenants = try connection.query("SELECT 1 FROM tenants WHERE id = $1", [.string(tenant)])
        guard !tenants.isEmpty else { throw UnknownTenant(tenant: tenant) }
        try connection.query("""
            INSERT INTO ad_accounts (tenant_id, id, token_ciphertext, token_key_id, enabled) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (tenant_id, id) DO UPDATE SET token_ciphertext = EXCLUDED.token_ciphertext,
                token_key_id = EXCLUDED.token_key_id, enabled = EXCLUDED.enabled, last_error = NULL
            """, [.string(tenant), .string(account), sealed.map { PostgresValue.string($0.text) },
                  sealed.flatMap { $0.keyID.map { PostgresValue.string($0) } },
                  .bool(enabled)])
    }

    /// Removes an account and its imported spend; true when it existed.
    @discardableResult
    public static func remove(tenant: String, account: String, connection: PostgresConnection) throws -> Bool {
        try connection.transaction { c in
            try c.query("DELETE FROM ad_spend WHERE tenant_id = $1 AND ad_account = $2", [.string(tenant), .string(account)])
            return try !c.query("DELETE FROM ad_accounts WHERE tenant_id = $1 AND id = $2 RETURNING id",
                                [.string(tenant), .string(account)]).isEmpty
        }
    }

    /// Every account (of `tenant`, when given), tokens opened. A token that cannot be opened (its
    /// key left the ring) leaves ``AdAccount/token`` nil; the import records why.
    public static func load(tenant: String? = nil, keys: KeyRing, connection: PostgresConnection) throws -> [AdAccount] {
        let rows = try connection.query("""
            SELECT a.tenant_id, a.id, a.enabled, a.token_ciphertext, a.last_synced_at, a.last_error,
                   p.id AS pixel_id, p.access_token_ciphertext AS pixel_token
            FROM ad_accounts a
            LEFT JOIN LATERAL (SELECT id, access_token_ciphertext FROM pixels WHERE tenant_id = a.tenant_id AND is_default
                               ORDER BY id LIMIT 1) p ON true
            WHERE $1 = '' OR a.tenant_id = $1 ORDER BY a.tenant_id, a.id
            """, [.string(tenant ?? "")])
        var out: [AdAccount] = []
        for i in rows.indices {
            var token: String?
            var source = AdAccount.TokenSource.none
            let tenantID = try rows.string(i, "tenant_id") ?? "", accountID = try rows.string(i, "id") ?? ""
            if let own = try rows.string(i, "token_ciphertext") {
                source = .own
                token = try? keys.openString(Sealed(text: own), for: .adAccountToken(tenant: tenantID, account: accountID))
            } else if let pixel = try rows.string(i, "pixel_token") {
                source = .defaultPixel
                token = try? keys.openString(Sealed(text: pixel), for: .pixelToken(tenant: tenantID, pixel: try rows.string(i, "pixel_id") ?? ""))
            }
            out.append(AdAccount(
                tenant: tenantID, id: accountID,
                enabled: try rows.bool(i, "enabled") ?? false, token: token, tokenSource: source,
                lastSyncedAt: try rows.date(i, "last_synced_at"), lastError: try rows.string(i, "last_error")))
        }
        return out
    }

    /// Replaces the fetched days of every level of one account and records the success, in
    /// one transaction: a reader sees the old import or the new one, never a mix. Returns the
    /// rows written.
    @discardableResult
    public static func recordImport(tenant: String, account: String, replacements: [AdSpendReplacement], connection: PostgresConnection) throws -> Int {
        try connection.transaction { c in
            var written = 0
            for r in replacements {
                try c.query("DELETE FROM ad_spend WHERE tenant_id = $1 AND ad_account = $2 AND level = $3 AND day = ANY($4::date[])",
                            [.string(tenant), .string(account), .string(r.level.rawValue), .textArray(r.days)])
                written += try c.insertBatch(
                    table: "ad_spend",
                    columns: ["tenant_id", "ad_account", "day", "level", "object_id", "campaign_id", "campaign_name", "adset_id",
                              "adset_name", "ad_id", "ad_name", "currency", "spend", "impressions", "clicks"],
                    rows: r.rows.map { row in [
                        .string(tenant), .string(account), .string(row.day), .string(row.level.rawValue), .string(row.objectID),
                        .string(row.campaignID), .string(row.campaignName), .string(row.adsetID), .string(row.adsetName),
                        .string(row.adID), .string(row.adName), .string(row.currency), .numeric("\(row.spend)"),
                        .int(Int(row.impressions)), .int(Int(row.clicks)),
                    ] })
            }
            try c.query("UPDATE ad_accounts SET last_synced_at = now(), last_error = NULL WHERE tenant_id = $1 AND id = $2",
                        [.string(tenant), .string(account)])
            return written
        }
    }

    /// Records why an import failed; the spend already imported stays.
    public static func recordFailure(tenant: String, account: String, error: String, connection: PostgresConnection) throws {
        try connection.query("UPDATE ad_accounts SET last_error = $3 WHERE tenant_id = $1 AND id = $2",
                             [.string(tenant), .string(account), .string(error)])
    }
}
