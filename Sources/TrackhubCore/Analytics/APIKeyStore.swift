public import Foundation

/// Per-tenant keys (`api_keys`, migrations 12 and 14): created from the console or with
/// `dispatchd apikey create`, shown once, stored only as the SHA-256 hex of the key, revocable.
/// Two kinds (``Scope``): the read API's keys and the server-to-server ingest keys.
/// Blocking; runs on a ``PostgresPool`` thread.
public struct APIKeyStore: Sendable {
    public init() {}

    /// What a key may do; one kind per key, never both (docs/API.md says why).
    public enum Scope: String, Sendable, CaseIterable {
        /// The read API (`/api/v1/…` on the console process).
        case read
        /// Server-to-server events (`POST /s2s/{event}` on ingestd), checked by ingestd from
        /// the config snapshot (``IngestKeyCheck``).
        case ingest

        /// Every key of this kind starts with it, so a leaked one is recognisable (secret
        /// scanners, logs) and a key pasted in the wrong place is refused before any lookup.
        public var prefix: String {
            switch self {
            case .read: APIKeyStore.keyPrefix
            case .ingest: APIKeyStore.ingestKeyPrefix
            }
        }
    }

    /// The read API's key prefix.
    public static let keyPrefix = "thk_"
    /// The ingest keys' prefix ("trackhub server").
    public static let ingestKeyPrefix = "ths_"

    /// A key listed (never the key itself).
    public struct Listed: Sendable, Equatable {
        public var id: Int
        public var tenant: String
        public var name: String
        public var prefix: String
        public var createdAt: Date
        public var lastUsedAt: Date?
        public var revokedAt: Date?
        public var scope: Scope = .read
    }

    /// A new random key: the scope's prefix and 32 random bytes as hex.
    public static func generate(_ scope: Scope = .read) -> String {
        var generator = SystemRandomNumberGenerator()
        return scope.prefix + Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The stored form of a key.
    public static func hash(_ key: String) -> String { MetaHash.sha256Hex(key) }

    /// Creates a key for `tenant`; returns its id and the key (the only time it is seen).
    public func create(tenant: String, name: String, scope: Scope = .read, createdBy: Int? = nil,
                       connection: PostgresConnection) throws -> (id: Int, key: String) {
        let key = Self.generate(scope)
        let rows = try connection.query("""
            INSERT INTO api_keys (tenant_id, name, key_hash, key_prefix, created_by, scope) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
            """, [.string(tenant), .string(name), .string(Self.hash(key)), .string(String(key.prefix(scope.prefix.count + 8))),
                  createdBy.map(PostgresValue.int), .string(scope.rawValue)])
        return (try rows.int(0, "id") ?? 0, key)
    }

    /// The tenant of a valid (not revoked) key, or nil; records its use at most once a minute.
    public func tenant(forKey key: String, connection: PostgresConnection) throws -> String? {
        guard key.hasPrefix(Self.keyPrefix), key.utf8.count <= 128 else { return nil }
        let rows = try connection.query("""
            UPDATE api_keys SET last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < now() - interval '1 minute'
                                                    THEN now() ELSE last_used_at END
            WHERE key_hash = $1 AND revoked_at IS NULL AND scope = 'read' RETURNING tenant_id
            """, [.string(Self.hash(key))])
        return rows.count == 0 ? nil : try rows.string(0, "tenant_id")
    }

    /// The keys of some tenants (nil: all), newest first.
    public func list(tenants: [String]?, connection: PostgresConnection) throws -> [Listed] {
        let rows = try connection.query("""
            SELECT id, tenant_id, name, key_prefix, created_at, last_used_at, revoked_at, scope FROM api_keys
            WHERE $1::text[] IS NULL OR tenant_id = ANY($1::text[]) ORDER BY id DESC
            """, [tenants.map(PostgresValue.textArray)])
        return try rows.indices.map { i in
            Listed(id: try rows.int(i, "id") ?? 0, tenant: try rows.string(i, "tenant_id") ?? "", name: try rows.string(i, "name") ?? "",
                   prefix: try rows.string(i, "key_prefix") ?? "", createdAt: try rows.date(i, "created_at") ?? .distantPast,
                   lastUsedAt: try rows.date(i, "last_used_at"), revokedAt: try rows.date(i, "revoked_at"),
                   scope: Scope(rawValue: try rows.string(i, "scope") ?? "") ?? .read)
        }
    }

    /// The stored hashes of every live ingest key, by tenant: what the config snapshot carries
    /// to ingestd (``SnapshotCompiler``).
    public func liveIngestKeyHashes(connection: PostgresConnection) throws -> [String: [String]] {
        let rows = try connection.query("""
            SELECT tenant_id, key_hash FROM api_keys WHERE scope = 'ingest' AND revoked_at IS NULL ORDER BY tenant_id, key_hash
            """)
        var out: [String: [String]] = [:]
        for i in rows.indices {
            guard let tenant = try rows.string(i, "tenant_id"), let hash = try rows.string(i, "key_hash") else { continue }
            out[tenant, default: []].append(hash)
        }
        return out
    }

    /// The scope of key `id` of `tenant` (nil: no such key), so a caller knows whether a
    /// revocation must republish the snapshot.
    public func scope(id: Int, tenant: String, connection: PostgresConnection) throws -> Scope? {
        let rows = try connection.query("SELECT scope FROM api_keys WHERE id = $1 AND tenant_id = $2", [.int(id), .string(tenant)])
        return rows.count == 0 ? nil : try rows.string(0, "scope").flatMap(Scope.init(rawValue:))
    }

    /// Revokes a key of `tenant`; false when there is no such live key.
    public func revoke(id: Int, tenant: String, connection: PostgresConnection) throws -> Bool {
        try connection.query("UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND tenant_id = $2 AND revoked_at IS NULL",
                             [.int(id), .string(tenant)]).affectedRows == 1
    }
}
