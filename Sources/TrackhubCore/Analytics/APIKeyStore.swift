public import Foundation

/// The read API's per-tenant keys (`api_keys`, migration 12): created from the console or with
/// `dispatchd apikey create`, shown once, stored only as the SHA-256 hex of the key, revocable.
/// Blocking; runs on a ``PostgresPool`` thread.
public struct APIKeyStore: Sendable {
    public init() {}

    /// Every key starts with this, so a leaked one is recognisable (secret scanners, logs).
    public static let keyPrefix = "thk_"

    /// A key listed (never the key itself).
    public struct Listed: Sendable, Equatable {
        public var id: Int
        public var tenant: String
        public var name: String
        public var prefix: String
        public var createdAt: Date
        public var lastUsedAt: Date?
        public var revokedAt: Date?
    }

    /// A new random key: the prefix and 32 random bytes as hex.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return keyPrefix + Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The stored form of a key.
    public static func hash(_ key: String) -> String { MetaHash.sha256Hex(key) }

    /// Creates a key for `tenant`; returns its id and the key (the only time it is seen).
    public func create(tenant: String, name: String, createdBy: Int? = nil, connection: PostgresConnection) throws -> (id: Int, key: String) {
        let key = Self.generate()
        let rows = try connection.query("""
            INSERT INTO api_keys (tenant_id, name, key_hash, key_prefix, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id
            """, [.string(tenant), .string(name), .string(Self.hash(key)), .string(String(key.prefix(Self.keyPrefix.count + 8))),
                  createdBy.map(PostgresValue.int)])
        return (try rows.int(0, "id") ?? 0, key)
    }

    /// The tenant of a valid (not revoked) key, or nil; records its use at most once a minute.
    public func tenant(forKey key: String, connection: PostgresConnection) throws -> String? {
        guard key.hasPrefix(Self.keyPrefix), key.utf8.count <= 128 else { return nil }
        let rows = try connection.query("""
            UPDATE api_keys SET last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < now() - interval '1 minute'
                                                    THEN now() ELSE last_used_at END
            WHERE key_hash = $1 AND revoked_at IS NULL RETURNING tenant_id
            """, [.string(Self.hash(key))])
        return rows.count == 0 ? nil : try rows.string(0, "tenant_id")
    }

    /// The keys of some tenants (nil: all), newest first.
    public func list(tenants: [String]?, connection: PostgresConnection) throws -> [Listed] {
        let rows = try connection.query("""
            SELECT id, tenant_id, name, key_prefix, created_at, last_used_at, revoked_at FROM api_keys
            WHERE $1::text[] IS NULL OR tenant_id = ANY($1::text[]) ORDER BY id DESC
            """, [tenants.map(PostgresValue.textArray)])
        return try rows.indices.map { i in
            Listed(id: try rows.int(i, "id") ?? 0, tenant: try rows.string(i, "tenant_id") ?? "", name: try rows.string(i, "name") ?? "",
                   prefix: try rows.string(i, "key_prefix") ?? "", createdAt: try rows.date(i, "created_at") ?? .distantPast,
                   lastUsedAt: try rows.date(i, "last_used_at"), revokedAt: try rows.date(i, "revoked_at"))
        }
    }

    /// Revokes a key of `tenant`; false when there is no such live key.
    public func revoke(id: Int, tenant: String, connection: PostgresConnection) throws -> Bool {
        try connection.query("UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND tenant_id = $2 AND revoked_at IS NULL",
                             [.int(id), .string(tenant)]).affectedRows == 1
    }
}
