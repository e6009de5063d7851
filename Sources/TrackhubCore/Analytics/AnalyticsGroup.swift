public import Foundation

/// The totals of one group of rollup rows: one point of a time series (``bucket``), one line of
/// a breakdown (``value``), or the whole period (neither).
public struct AnalyticsGroup: Sendable, Equatable {
    public var bucket: Date?
    public var value: String?
    public var totals: AnalyticsTotals

    public init(bucket: Date? = nil, value: String? = nil, totals: AnalyticsTotals) {
        self.bucket = bucket; self.value = value; self.totals = totals
    }

    /// Rows folded per (bucket, value), in bucket then value order.
    public static func fold(_ rows: [(bucket: Date?, value: String?, row: RollupRow)]) -> [AnalyticsGroup] {
        struct Key: Hashable { let bucket: Date?; let value: String? }
        var groups: [Key: AnalyticsTotals] = [:]
        for r in rows { groups[Key(bucket: r.bucket, value: r.value), default: AnalyticsTotals()].add(r.row) }
        return groups.map { AnalyticsGroup(bucket: $0.key.bucket, value: $0.key.value, totals: $0.value) }
            .sorted { ($0.bucket ?? .distantPast, $0.value ?? "") < ($1.bucket ?? .distantPast, $1.value ?? "") }
    }
}
