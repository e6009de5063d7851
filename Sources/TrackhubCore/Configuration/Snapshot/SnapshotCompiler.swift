public import Foundation

/// Derives the ingest snapshot (``IngestSnapshot``) from the configuration model
/// (``DispatchConfig``) and publishes it to Redis, where every ingestd picks it up by its version.
///
/// Versions come from the Postgres sequence `config_version_seq`, so they only grow.
public struct SnapshotCompiler: Sendable {
    /// Transaction-scoped advisory lock serialising publishes: ASCII "thsnapsh". Taken before
    /// the version is drawn and held until Redis has the snapshot, so a later version is always
    /// compiled from later data and published after the earlier one.
    public static let advisoryLockKey = 0x7468_736E_6170_7368

    public init() {}

    /// The one derivation of ingestd's wire snapshot from the configuration model: every tenant
    /// (id, allowed origins, `/t.js` settings and the hashes of its live ingest keys, `ingestKeys` by tenant), the active links (with their pixel: the link's own or its
    /// tenant's default) and every gateway account with its secrets still sealed, each list in
    /// key order so equal configurations give equal snapshots. Pure.
    public func compile(_ config: DispatchConfig, ingestKeys: [String: [String]] = [:], version: Int64,
                        now: Date = Date()) throws -> IngestSnapshot {
        let tenants = config.tenants.values.sorted { $0.id < $1.id }
            .map { IngestSnapshot.Tenant(id: $0.id, allowedOrigins: $0.allowedOrigins, ingestKeyHashes: (ingestKeys[$0.id] ?? []).sorted(),
                                         checkoutHosts: $0.checkoutHosts, attributionWindowDays: $0.attributionWindowDays) }
        var links: [IngestSnapshot.Link] = []
        for link in config.links.values.sorted(by: { $0.slug < $1.slug }) where link.active {
            guard let destination = link.destination else {
                throw ConfigError.storedDataUnreadable("link \(link.slug): destination is not a destination this version knows")
            }
            links.append(IngestSnapshot.Link(slug: link.slug, tenant: link.tenant, pixel: link.pixel, destination: destination))
        }
        var accounts: [IngestSnapshot.GatewayAccount] = []
        for account in config.gatewayAccounts.values.sorted(by: { ($0.gateway.rawValue, $0.account) < ($1.gateway.rawValue, $1.account) }) {
            guard let secrets = account.webhookSecrets else {
                throw ConfigError.storedDataUnreadable("gateway account \(account.key): secrets are not a list of sealed values")
            }
            accounts.append(IngestSnapshot.GatewayAccount(
                gateway: account.gateway.rawValue, account: account.account, tenant: account.tenant, secrets: secrets))
        }
        return IngestSnapshot(
            version: version, generatedAt: Self.timestamp(now), tenants: tenants, links: links, gatewayAccounts: accounts)
    }

    /// Draws the next version, reads the configuration as it is now (``ConfigRepository``; `keys`
    /// opens its tokens), compiles and publishes to Redis; returns what was published.
    ///
    /// If Redis already holds a version at least as high (a database restored from a backup,
    /// or a fresh one against an old Redis), the sequence jumps past it first: ingestd only
    /// ever moves forward.
    @discardableResult
    public func publish(
        connection: PostgresConnection, redis: RedisConnection, layout: StreamLayout, keys: KeyRing, now: Date = Date()
    ) throws -> IngestSnapshot {
        try connection.transaction { conn in
            try conn.query("SELECT pg_advisory_xact_lock($1)", [.int(Self.advisoryLockKey)])
            var version = try Self.nextVersion(conn)
            if let published = try SnapshotStore.publishedVersion(layout: layout, connection: redis), published >= version {
                version = published + 1
                try conn.query("SELECT setval('config_version_seq', $1)", [.int(Int(version))])
            }
            let snapshot = try compile(try ConfigRepository.loadDispatchConfig(connection: conn, keys: keys),
                                       ingestKeys: try APIKeyStore().liveIngestKeyHashes(connection: conn), version: version, now: now)
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
