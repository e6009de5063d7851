public import Foundation

/// One partition of the ledger (`dispatch_attempts`, partitioned by month on `created_at`,
/// ``Migrations/retention``): as read from Postgres, or as ``RetentionPlan`` wants it created.
public struct LedgerPartition: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    /// Inclusive lower bound; nil for `MINVALUE` (the table from before partitioning) and for
    /// the default partition.
    public var from: Date?
    /// Exclusive upper bound; nil only for the default partition.
    public var to: Date?
    /// The partition that takes rows no month covers (never dropped by expiry).
    public var isDefault: Bool

    public init(name: String, from: Date?, to: Date?, isDefault: Bool = false) {
        self.name = name
        self.from = from
        self.to = to
        self.isDefault = isDefault
    }

    /// The partitioned table.
    public static let parent = "dispatch_attempts"

    /// UTC, where every partition bound lies (the first instant of a month).
    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// The first instant (UTC) of the month `date` is in.
    public static func monthStart(_ date: Date) -> Date {
        calendar.date(from: calendar.dateComponents([.year, .month], from: date))!
    }

    /// The month partition starting at `month` (a ``monthStart(_:)``): `dispatch_attempts_pYYYY_MM`,
    /// the name the migration gives the months it creates.
    public static func month(_ month: Date) -> LedgerPartition {
        let c = calendar.dateComponents([.year, .month], from: month)
        let name = String(format: "%@_p%04d_%02d", parent, c.year!, c.month!)
        return LedgerPartition(name: name, from: month, to: calendar.date(byAdding: .month, value: 1, to: month)!)
    }

    /// Whether it holds any instant of [from, to).
    func overlaps(from: Date, to: Date) -> Bool {
        guard !isDefault else { return false }
        return (self.from.map { $0 < to } ?? true) && (self.to.map { from < $0 } ?? true)
    }

    public var description: String {
        if isDefault { return "\(name) (default)" }
        let f = ISO8601DateFormatter()
        return "\(name) [\(from.map(f.string(from:)) ?? "MINVALUE"), \(to.map(f.string(from:)) ?? "MAXVALUE"))"
    }
}
