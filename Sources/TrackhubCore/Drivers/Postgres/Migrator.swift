public import Logging

/// One schema change: applied at most once per database, in its own transaction.
///
/// `sql` may hold several statements. It runs inside the migrator's transaction, so it must
/// not contain transaction control (`BEGIN`, `COMMIT`) nor statements that refuse a
/// transaction block (`CREATE INDEX CONCURRENTLY`, `VACUUM`). Once released, a migration is
/// never edited: a change is a new version.
///
/// `preparation`: steps that run before `sql`, each in its own short transaction, so that a
/// long step does not hold the locks the others take. The case it exists for: converting a
/// big table without a long lock — add a CHECK constraint `NOT VALID` (a brief exclusive
/// lock), then `VALIDATE` it (a scan under a lock that lets writes go on), and only then, in
/// `sql`, swap the table (brief again, no scan). A step must be idempotent: the migrator can
/// be stopped between steps and rerun, and it runs each step only while the version is
/// still pending (another migrator may have finished it meanwhile).
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let sql: String
    public let preparation: [String]

    public init(version: Int, name: String, preparation: [String] = [], sql: String) {
        self.version = version
        self.name = name
        self.preparation = preparation
        self.sql = sql
    }
}

/// Brings a database's schema up to date: `dispatchd migrate`, `scripts/run`, `scripts/test`.
///
/// Applied versions are recorded in `schema_migrations`. Each pending migration runs in its
/// own transaction together with its `schema_migrations` row, so a failure leaves the schema at
/// the last fully applied version and a rerun picks up there. Every transaction first takes a
/// transaction-scoped advisory lock (`pg_advisory_xact_lock`) and re-checks whether its
/// version is still pending, so any number of migrators started at once — several
/// `dispatchd@N` units coming up together — apply each migration exactly once, the others
/// waiting on the lock and then finding nothing to do. The lock is released by COMMIT or
/// ROLLBACK, so a crashed migrator can never leave it held.
public struct Migrator: Sendable {
    /// The advisory-lock key: the ASCII bytes of "trackhub" as a bigint. Fixed forever, so
    /// every version of the binary serialises on the same lock.
    public static let advisoryLockKey = 0x7472_6163_6B68_7562

    public let migrations: [Migration]
    private let logger: Logger

    /// - Precondition: versions are positive and strictly increasing (a programming error otherwise).
    public init(migrations: [Migration] = Migrations.all, logger: Logger = Logger(label: "trackhub.migrate")) {
        for (previous, next) in zip(migrations, migrations.dropFirst()) {
            precondition(previous.version < next.version, "migrations must have strictly increasing versions")
        }
        precondition(migrations.allSatisfy { $0.version > 0 }, "migration versions must be positive")
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies every pending migration in version order and returns those this call applied
    /// (empty when the schema was already current).
    @discardableResult
    public func migrate(_ connection: PostgresConnection) throws -> [Migration] {
        try createLedgerTable(connection)
        let alreadyApplied = Set(try appliedVersions(connection))

        let known = Set(migrations.map(\.version))
        let unknown = alreadyApplied.subtracting(known).sorted()
        if !unknown.isEmpty {
            // A newer binary migrated this database; an older one can still run against it
            // as long as the newer changes were additive, so warn rather than refuse.
            logger.warning(
                "database has migrations this binary does not know",
                metadata: [LogKey.versions: "\(unknown.map(String.init).joined(separator: ","))"]
            )
        }

        var applied: [Migration] = []
        for migration in migrations where !alreadyApplied.contains(migration.version) {
            for step in migration.preparation {
                let stillPending = try connection.transaction { conn -> Bool in
                    guard try Self.lockAndCheckPending(migration, conn) else { return false }
                    try conn.execute(step)
                    return true
                }
                if !stillPending { break }
            }
            let didApply = try connection.transaction { conn -> Bool in
                // Another migrator may have applied it while we waited for the lock.
                guard try Self.lockAndCheckPending(migration, conn) else { return false }
                try conn.execute(migration.sql)
                try conn.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())",
                    [.int(migration.version), .string(migration.name)]
                )
                return true
            }
            if didApply {
                logger.info(
                    "migration applied",
                    metadata: [LogKey.version: "\(migration.version)", LogKey.name: "\(migration.name)"]
                )
                applied.append(migration)
            }
        }
        return applied
    }

    /// Takes the migration lock for the current transaction and says whether `migration` is
    /// still pending (another migrator may have applied it while this one waited).
    private static func lockAndCheckPending(_ migration: Migration, _ conn: PostgresConnection) throws -> Bool {
        try conn.query("SELECT pg_advisory_xact_lock($1)", [.int(advisoryLockKey)])
        return try conn.query("SELECT 1 FROM schema_migrations WHERE version = $1", [.int(migration.version)]).isEmpty
    }

    /// ``migrate(_:)`` on one of the pool's connections.
    @discardableResult
    public func migrate(_ pool: PostgresPool) async throws -> [Migration] {
        try await pool.withConnection { [self] connection in try migrate(connection) }
    }

    /// Versions recorded in `schema_migrations`, ascending; empty when the table does not exist.
    public func appliedVersions(_ connection: PostgresConnection) throws -> [Int] {
        let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        guard try exists.bool(0, "present") == true else { return [] }
        let rows = try connection.query("SELECT version FROM schema_migrations ORDER BY version")
        return try rows.indices.compactMap { try rows.int($0, "version") }
    }

    /// Migrations not yet recorded in this database, in the order they would run.
    public func pending(_ connection: PostgresConnection) throws -> [Migration] {
        let applied = Set(try appliedVersions(connection))
        return migrations.filter { !applied.contains($0.version) }
    }

    /// Creates `schema_migrations` under the lock: two concurrent `CREATE TABLE IF NOT EXISTS`
    /// can still collide on the catalog's unique index, so even this is serialised.
    private func createLedgerTable(_ connection: PostgresConnection) throws {
        try connection.transaction { conn in
            try conn.query("SELECT pg_advisory_xact_lock($1)", [.int(Self.advisoryLockKey)])
            try conn.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """
            )
        }
    }
}
