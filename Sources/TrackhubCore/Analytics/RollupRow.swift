public import Foundation

/// One row of `analytics_hourly`: a key, a metric and a currency, with a count and an exact
/// amount (sale values; zero for other metrics).
public struct RollupRow: Sendable, Hashable {
    public var key: RollupKey
    public var metric: RollupMetric
    /// ISO 4217 code for `sale:*` rows; empty otherwise.
    public var currency: String
    public var count: Int
    public var amount: Decimal

    public init(key: RollupKey, metric: RollupMetric, currency: String = "", count: Int, amount: Decimal = 0) {
        self.key = key; self.metric = metric; self.currency = currency; self.count = count; self.amount = amount
    }

    /// A row that adds nothing (left behind when a sale moved to another attribution).
    public var isZero: Bool { count == 0 && amount == 0 }
}
