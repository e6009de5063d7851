public import Foundation
public import Logging

/// `dispatchd retention run`: executes a ``RetentionPlan`` against Postgres (the imperative
/// shell around it). Blocking; run it on a pool thread.
///
/// Safe with several instances at once: a session advisory lock lets one run at a time, and a
/// second one returns at once saying so. Idempotent: what a run removed is gone, so a rerun at
/// the same time finds nothing more. Every batch is its own short transaction (a few thousand
/// rows), so a run never holds a lock ingest would wait on for long and can be stopped at any
/// point; the next run continues. Each run is recorded in `retention_runs` (what it removed,
/// per item), which the ledger's redactions name as their audit.
public struct RetentionRunner: Sendable {
    /// The advisory-lock key: the ASCII bytes of "trackret" as a bigint (the migrator's is
    /// "trackhub"); fixed forever, so every version of the binary serialises on it.
    public static let advisoryLockKey = 0x7472_6163_6B72_6574

    public var batchSize: Int
    /// How long a partition change may wait for its lock before giving up (retried next run).
    public var lockTimeout: Duration
    private let logger: Logger

    public init(batchSize: Int = 5_000, lockTimeout: Duration = .seconds(5), logger: Logger = Logger(label: "trackhub.retention")) {
        precondition(batchSize > 0)
        self.batchSize = batchSize
        self.lockTimeout = lockTimeout
        self.logger = logger
    }

    /// What a run did (or, dry, would do).
    public struct Report: Sendable, CustomStringConvertible {
        public var runID: Int?
        public var dryRun: Bool
        public var asOf: Date
        /// Another run held the lock: this one did nothing.
        public var skippedLocked = false
        public var createdPartitions: [String] = []
        public var droppedPartitions: [String] = []
        /// Every item, zero when nothing went.
        public var removed = Dictionary(uniqueKeysWithValues: RetentionItem.allCases.map { ($0, 0) })
        /// What could not be done this time (a lock not granted in time, a partition that could
        /// not be created); the next run retries.
        public var warnings: [String] = []

        public var description: String {
            if skippedLocked { return "retention: another run holds the lock; nothing done" }
            var lines = ["retention \(dryRun ? "dry run (nothing changed)" : "run #\(runID ?? 0)") as of \(ISO8601DateFormatter().string(from: asOf))"]
            let verb = dryRun ? "would " : ""
            lines.append("  partitions: \(verb)create \(createdPartitions.isEmpty ? "none" : createdPartitions.joined(separator: ", ")); "
                + "\(verb)drop \(droppedPartitions.isEmpty ? "none" : droppedPartitions.joined(separator: ", "))")
            for item in RetentionItem.allCases {
                lines.append("  \(item.rawValue): \(removed[item] ?? 0)")
            }
            for w in warnings { lines.append("  warning: \(w)") }
            return lines.joined(separator: "\n")
        }
    }

    /// Runs retention as of `now`; with `dryRun`, counts what would go and changes nothing
    /// (the run is still recorded, as a dry one).
    public func run(now: Date, dryRun: Bool, connection pg: PostgresConnection) throws -> Report {
        var report = Report(dryRun: dryRun, asOf: now)
        guard try pg.query("SELECT pg_try_advisory_lock($1) AS got", [.int(Self.advisoryLockKey)]).bool(0, "got") == true else {
            report.skippedLocked = true
            return report
        }
        defer { _ = try? pg.query("SELECT pg_advisory_unlock($1)", [.int(Self.advisoryLockKey)]) }

        let state = try RetentionState.load(connection: pg, logger: logger)
        let plan = RetentionPlan.make(now: now, policies: state.policies, partitions: state.partitions, progress: state.progress)
        let runID = try pg.query("INSERT INTO retention_runs (as_of, dry_run) VALUES ($1, $2) RETURNING id",
                                 [.timestamp(now), .bool(dryRun)]).int(0, "id") ?? 0
        report.runID = runID
        do {
            try execute(plan, state: state, runID: runID, report: &report, connection: pg)
        } catch {
            _ = try? pg.query("UPDATE retention_runs SET finished_at = now(), removed = $2, error = $3 WHERE id = $1",
                              [.int(runID), .json(Self.removedJSON(report.removed)), .string("\(error)")])
            throw error
        }
        try pg.query("UPDATE retention_runs SET finished_at = now(), removed = $2 WHERE id = $1",
                     [.int(runID), .json(Self.removedJSON(report.removed))])
        logger.info("retention run finished", metadata: [
            LogKey.runID: "\(runID)", LogKey.dryRun: "\(dryRun)", LogKey.removed: "\(report.removed.values.reduce(0, +))",
            LogKey.warnings: "\(report.warnings.count)",
        ])
        return report
    }

    private func execute(_ plan: RetentionPlan, state: RetentionState, runID: Int, report: inout Report,
                         connection pg: PostgresConnection) throws {
        for partition in plan.createPartitions {
            if dryRun(report) { report.createdPartitions.append(partition.name); continue }
            do {
                try createPartition(partition, connection: pg)
                report.createdPartitions.append(partition.name)
            } catch {
                report.warnings.append("partition \(partition.name) not created: \(error)")
                logger.warning("retention partition not created", metadata: [LogKey.name: "\(partition.name)", LogKey.error: "\(error)"])
            }
        }
        for partition in plan.dropPartitions {
            let rows = try pg.query("SELECT count(*) AS n FROM \(Self.quoted(partition.name))").int(0, "n") ?? 0
            if dryRun(report) {
                report.droppedPartitions.append(partition.name)
                report.removed[.ledgerRows, default: 0] += rows
                continue
            }
            do {
                try pg.transaction { tx in
                    try tx.execute("SET LOCAL lock_timeout = '\(lockTimeout.components.seconds)s'")
                    try tx.execute("ALTER TABLE \(LedgerPartition.parent) DETACH PARTITION \(Self.quoted(partition.name))")
                    try tx.execute("DROP TABLE \(Self.quoted(partition.name))")
                }
                report.droppedPartitions.append(partition.name)
                report.removed[.ledgerRows, default: 0] += rows
                logger.info("retention partition dropped", metadata: [LogKey.name: "\(partition.name)", LogKey.rows: "\(rows)"])
            } catch {
                report.warnings.append("partition \(partition.name) not dropped: \(error)")
                logger.warning("retention partition not dropped", metadata: [LogKey.name: "\(partition.name)", LogKey.error: "\(error)"])
            }
        }
        for expiry in plan.rowExpiries {
            let counts = try RetentionBatches(expiry: expiry, scope: state.filter(for: expiry.scope), batchSize: batchSize,
                                              runID: runID, dryRun: report.dryRun).run(connection: pg)
            for (item, n) in counts { report.removed[item, default: 0] += n }
            if !report.dryRun {
                try pg.query("""
                    INSERT INTO retention_progress (scope, item, done_before) VALUES ($1, $2, $3)
                    ON CONFLICT (scope, item) DO UPDATE SET done_before = EXCLUDED.done_before
                    """, [.string(expiry.scope.key), .string(expiry.item.rawValue), .timestamp(expiry.before)])
            }
            if counts.values.contains(where: { $0 > 0 }) {
                logger.info("retention expired rows", metadata: [
                    LogKey.item: "\(expiry.item.rawValue)", LogKey.scope: "\(expiry.scope.key)", LogKey.table: "\(expiry.table)",
                    LogKey.count: "\(counts.values.reduce(0, +))",
                ])
            }
        }
    }

    private func dryRun(_ report: Report) -> Bool { report.dryRun }

    /// A month partition created without locking out writers: built as a plain table, proven
    /// to hold only its month by a CHECK constraint (instant on an empty table), then attached —
    /// ATTACH takes SHARE UPDATE EXCLUSIVE on the ledger, which inserts do not wait on
    /// (`CREATE TABLE … PARTITION OF` would take an exclusive lock on it). Postgres then scans
    /// the default partition for rows of that month (normally it is empty).
    private func createPartition(_ p: LedgerPartition, connection pg: PostgresConnection) throws {
        let name = Self.quoted(p.name), from = Self.literal(p.from!), to = Self.literal(p.to!)
        try pg.transaction { tx in
            try tx.execute("SET LOCAL lock_timeout = '\(lockTimeout.components.seconds)s'")
            try tx.execute("CREATE TABLE \(name) (LIKE \(LedgerPartition.parent) INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
            try tx.execute("ALTER TABLE \(name) ADD PRIMARY KEY (id)")
            try tx.execute("ALTER TABLE \(name) ADD CONSTRAINT retention_bound CHECK (created_at >= \(from) AND created_at < \(to))")
            try tx.execute("ALTER TABLE \(LedgerPartition.parent) ATTACH PARTITION \(name) FOR VALUES FROM (\(from)) TO (\(to))")
            try tx.execute("ALTER TABLE \(name) DROP CONSTRAINT retention_bound")
        }
        logger.info("retention partition created", metadata: [LogKey.name: "\(p.name)"])
    }

    /// A partition name in SQL: names come from ``LedgerPartition`` or the catalog, so they are
    /// plain identifiers, but quoting costs nothing.
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func literal(_ date: Date) -> String {
        "'" + ISO8601DateFormatter().string(from: date) + "'::timestamptz"
    }

    static func removedJSON(_ removed: [RetentionItem: Int]) -> String {
        var w = JSONWriter(profile: .stored)
        w.beginObject()
        for item in RetentionItem.allCases { w.key(item.rawValue); w.int(removed[item] ?? 0) }
        w.endObject()
        return w.text
    }
}
