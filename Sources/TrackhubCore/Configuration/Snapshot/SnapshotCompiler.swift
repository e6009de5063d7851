public import Foundation

/// Builds the ingest snapshot (``IngestSnapshot``) from Postgres and publishes it to Redis,
/// where every ingestd picks it up by its version.
///
/// The snapshot holds every tenant (id and allowed origins), the active links (with their pixel:
/// the link's own or its tenant's default) and every gateway account with its secrets still
/// sealed. Versions come from the Postgres sequence `config_version_seq`, so they only grow.
public struct SnapshotCompiler: Sendable {
    /// Transaction-scoped advisory lock serialising publishes: ASCII "thsnapsh". Taken before
    /// the version is drawn and held until Redis has the snapshot, so a later version is always
    /// compiled from later data and published after the earlier one.
    public static let advisoryLockKey = 0x7468_736E_6170_7368

    public init() {}

    /// Reads the configuration as it is now into a snapshot carrying `version`. No side effects.
    public func compile(connection: PostgresConnection, version: Int64, now: Date = Date()) throws -> IngestSnapshot {
        let tenantRows = try connection.query("SELECT id, allowed_origins FROM tenants ORDER BY id")
        var tenants: [IngestSnapshot.Tenant] = []
        for row in tenantRows.indices {
            guard let id = try tenantRows.string(row, "id") else { continue }
            let origins = try tenantRows.textArray(row, "allowed_origins")?.compactMap { $0 } ?? []
            tenants.append(IngestSnapshot.Tenant(id: id, allowedOrigins: origins))
        }

        let linkRows = try connection.query(
            """
            SELECT l.slug, l.tenant_id, coalesce(l.pixel_id, d.id) AS pixel_id, l.destination::text AS destination
            FROM links l LEFT JOIN pixels d ON d.tenant_id = l.tenant_id AND d.is_default
            WHERE l.active
            ORDER BY l.slug
            """
        )
        var links: [IngestSnapshot.Link] = []
        for row in linkRows.indices {
            guard let slug = try linkRows.string(row, "slug"), let tenant = try linkRows.string(row, "tenant_id"),
                  let json = try linkRows.string(row, "destination")
            else { continue }
            let destination: LinkDestination
            do {
                destination = try JSONDecoder().decode(LinkDestination.self, from: Data(json.utf8))
            } catch {
                throw ConfigError.storedDataUnreadable("link \(slug): destination is not a destination this version knows")
            }
            links.append(IngestSnapshot.Link(
                slug: slug, tenant: tenant, pixel: try linkRows.string(row, "pixel_id"), destination: destination))
        }

        let accountRows = try connection.query(
            "SELECT gateway, account, tenant_id, secrets::text AS secrets FROM gateway_accounts ORDER BY gateway, account"
        )
        var accounts: [IngestSnapshot.GatewayAccount] = []
        for row in accountRows.indices {
            guard let gateway = try accountRows.string(row, "gateway"), let account = try accountRows.string(row, "account"),
                  let tenant = try accountRows.string(row, "tenant_id")
            else { continue }
            let secrets: [String]
            do {
                secrets = try JSONDecoder().decode([String].self, from: Data((try accountRows.string(row, "secrets") ?? "[]").utf8))
            } catch {
                throw ConfigError.storedDataUnreadable("gateway account \(gateway)/\(account): secrets are not a list of sealed values")
            }
            accounts.append(IngestSnapshot.GatewayAccount(
                gateway: gateway, account: account, tenant: tenant, secrets: secrets.map { Sealed(text: $0) }))
        }

        return IngestSnapshot(
            version: version, generatedAt: Self.timestamp(now), tenants: tenants, links: links, gatewayAccounts: accounts)
    }

    /// Draws the next version, compiles and publishes to Redis; returns what was published.
    ///
    /// If Redis already holds a version at least as high (a database restored from a backup,
    /// or a fresh one against an old Redis), the sequence jumps past it first: ingestd only
    /// ever moves forward.
    @discardableResult
    public func publish(
        connection: PostgresConnection, redis: RedisConnection, layout: StreamLayout, now: Date = Date()
    ) throws -> IngestSnapshot {
        try connection.transaction { conn in
            try conn.query("SELECT pg_advisory_xact_lock($1)", [.int(Self.advisoryLockKey)])
            var version = try Self.nextVersion(conn)
            if let published = try SnapshotStore.publishedVersion(layout: layout, connection: redis), published >= version {
                version = published + 1
                try conn.query("SELECT setval('config_version_seq', $1)", [.int(Int(version))])
            }
            let snapshot = try compile(connection: conn, version: version, now: now)
            try SnapshotStore.publish(snapshot, layout: layout, connection: redis)
            return snapshot
        }
    }

    /// The next value of `config_version_seq` (consumed even if nothing is published).
    public static func nextVersion(_ connection: PostgresConnection) throws -> Int64 {
        let rows = try connection.query("SELECT nextval('config_version_seq') AS v")
        guard let value = try rows.int(0, "v") else {
            throw PostgresError(.unexpectedResult, "nextval returned no value")
        }
        return Int64(value)
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
