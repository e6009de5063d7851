import Foundation
public import TrackhubCore

/// Every configuration change the console makes goes here: the tenant's document is applied
/// exactly as `dispatchd apply` applies a file (``ConfigDeployment``: Postgres, then the ingest
/// snapshot published to Redis, then parked events of a pixel with a new token released), and
/// only then recorded as a new version with its audit row. Rollback applies an earlier version's
/// document as a new version, so history only grows.
public struct ConsoleConfigWriter: Sendable {
    let pool: PostgresPool
    let redis: RedisEndpoint
    let layout: StreamLayout
    let keys: KeyRing

    public init(pool: PostgresPool, redis: RedisEndpoint, layout: StreamLayout, keys: KeyRing) {
        self.pool = pool
        self.redis = redis
        self.layout = layout
        self.keys = keys
    }

    /// One version as the history lists it.
    public struct Version: Sendable, Equatable {
        public var id: Int
        public var createdAt: Double
        public var login: String
        public var note: String
        public var rollbackOf: Int?
    }

    /// The tenant's latest document; nil before the console wrote any.
    public func latest(tenant: String) async throws -> TenantConfigDocument? {
        try await pool.withConnection { conn in
            let rows = try conn.query("SELECT document::text AS d FROM config_versions WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1",
                                      [.string(tenant)])
            return try rows.isEmpty ? nil : try rows.string(0, "d").map(TenantConfigDocument.parse(json:))
        }
    }

    /// One version's document, only within `tenant` (a version id never crosses tenants).
    public func document(version: Int, tenant: String) async throws -> TenantConfigDocument? {
        try await pool.withConnection { conn in
            let rows = try conn.query("SELECT document::text AS d FROM config_versions WHERE id = $1 AND tenant_id = $2",
                                      [.int(version), .string(tenant)])
            return try rows.isEmpty ? nil : try rows.string(0, "d").map(TenantConfigDocument.parse(json:))
        }
    }

    /// The version before `version` of the same tenant (its id and document): the diff's left
    /// side, and what an undo goes back to.
    public func previous(version: Int, tenant: String) async throws -> (id: Int, document: TenantConfigDocument)? {
        try await pool.withConnection { conn in
            let rows = try conn.query(
                "SELECT id, document::text AS d FROM config_versions WHERE tenant_id = $1 AND id < $2 ORDER BY id DESC LIMIT 1",
                [.string(tenant), .int(version)])
            guard !rows.isEmpty, let id = try rows.int(0, "id"), let text = try rows.string(0, "d") else { return nil }
            return (id, try TenantConfigDocument.parse(json: text))
        }
    }

    /// The tenant's versions, newest first.
    public func versions(tenant: String) async throws -> [Version] {
        try await pool.withConnection { conn in
            let rows = try conn.query(
                """
                SELECT v.id, extract(epoch FROM v.created_at)::float8 AS at, coalesce(u.login, 'dispatchd') AS login, v.note, v.rollback_of
                FROM config_versions v LEFT JOIN console_users u ON u.id = v.created_by
                WHERE v.tenant_id = $1 ORDER BY v.id DESC LIMIT 100
                """, [.string(tenant)])
            return try rows.indices.map { i in
                Version(id: try rows.int(i, "id") ?? 0, createdAt: try rows.double(i, "at") ?? 0, login: try rows.string(i, "login") ?? "",
                        note: try rows.string(i, "note") ?? "", rollbackOf: try rows.int(i, "rollback_of"))
            }
        }
    }

    /// Applies `document` (throws ``ConfigError`` — changing nothing — when it is invalid), then
    /// records it as the tenant's new version with an audit row; returns the version id.
    @discardableResult
    public func write(_ document: TenantConfigDocument, note: String, user: ConsoleUser, rollbackOf: Int? = nil) async throws -> Int {
        let (keys, layout, redis) = (keys, layout, redis)
        let environment = try document.environment(keys: keys)
        let json = try document.jsonText()
        return try await pool.withConnection { conn in
            let redisConnection = try RedisConnection(endpoint: redis)
            defer { redisConnection.close() }
            // ConfigApplier runs its own transaction; the version is recorded after it committed.
            _ = try ConfigDeployment(layout: layout).run(document.file(), keys: keys, environment: environment,
                                                          postgres: conn, redis: redisConnection)
            let rows = try conn.query(
                "INSERT INTO config_versions (tenant_id, document, created_by, note, rollback_of) VALUES ($1, $2::jsonb, $3, $4, $5) RETURNING id",
                [.string(document.tenant.id), .string(json), .int(user.id), .string(note), rollbackOf.map { .int($0) }])
            let id = try rows.int(0, "id") ?? 0
            try ConsoleStore.audit(conn, actorID: user.id, login: user.login, tenant: document.tenant.id,
                                   action: rollbackOf == nil ? "config.apply" : "config.rollback", summary: note, versionID: id)
            return id
        }
    }
}
