public import Foundation

/// The last finished, non-dry `dispatchd retention run` (from `retention_runs`): what `status`
/// shows and the metrics sampler publishes, so an operator sees that retention runs and an
/// alert can fire when it stops.
public struct RetentionRunSummary: Sendable, Equatable {
    public var id: Int
    public var finishedAt: Date
    public var asOf: Date
    public var removed: [RetentionItem: Int]
    public var error: String?

    /// The newest finished real run; nil when none ever ran (or before the migration).
    public static func latest(connection pg: PostgresConnection) throws -> RetentionRunSummary? {
        let rows = try pg.query("""
            SELECT id, finished_at, as_of, removed::text AS removed, error FROM retention_runs
            WHERE NOT dry_run AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1
            """)
        guard !rows.isEmpty, let id = try rows.int(0, "id"), let finished = try rows.date(0, "finished_at"),
              let asOf = try rows.date(0, "as_of") else { return nil }
        var removed: [RetentionItem: Int] = [:]
        for (key, value) in JSONValue.parse(try rows.string(0, "removed") ?? "{}")?.objectMembers ?? [:] {
            if let item = RetentionItem(rawValue: key), case .number(let n) = value, let count = Int(n) { removed[item] = count }
        }
        return RetentionRunSummary(id: id, finishedAt: finished, asOf: asOf, removed: removed, error: try rows.string(0, "error"))
    }

    /// One line for `dispatchd status`.
    public var line: String {
        let f = ISO8601DateFormatter()
        let counts = RetentionItem.allCases.map { "\($0.rawValue)=\(removed[$0] ?? 0)" }.joined(separator: " ")
        return "run #\(id) finished \(f.string(from: finishedAt))\(error.map { " FAILED: \($0)" } ?? ""): \(counts)"
    }
}
