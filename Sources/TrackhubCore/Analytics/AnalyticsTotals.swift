public import Foundation

/// The numbers of a set of rollup rows added up: what a summary, one point of a time series or
/// one line of a breakdown shows. A pure fold (``init(rows:)``), so every figure the read API
/// and the console print is computed in one place and unit-tested.
///
/// Revenue is exact (`Decimal`) and kept per currency, never converted: gross is the value of
/// approved sales, net is gross minus refunds and chargebacks.
public struct AnalyticsTotals: Sendable, Equatable {
    public var clicks = 0
    /// Page events by kind.
    public var pageEvents: [String: Int] = [:]
    /// Sales by status.
    public var sales: [String: Int] = [:]
    /// Sale value by status, then currency.
    public var salesValue: [String: [String: Decimal]] = [:]
    /// Matched sales by method.
    public var matches: [String: Int] = [:]
    /// Ledger rows by outcome.
    public var attempts: [String: Int] = [:]
    /// Events sent to Meta (counted once each), by event name.
    public var sent: [String: Int] = [:]

    public init() {}

    public init(rows: some Sequence<RollupRow>) {
        for row in rows { add(row) }
    }

    public mutating func add(_ row: RollupRow) {
        switch row.metric {
        case .clicks: clicks += row.count
        case .page(let kind): pageEvents[kind, default: 0] += row.count
        case .sale(let status):
            sales[status, default: 0] += row.count
            salesValue[status, default: [:]][row.currency, default: 0] += row.amount
        case .match(let method): matches[method, default: 0] += row.count
        case .attempt(let outcome): attempts[outcome, default: 0] += row.count
        case .sent(let event): sent[event, default: 0] += row.count
        }
    }

    /// All page events, every kind.
    public var pageEventTotal: Int { pageEvents.values.reduce(0, +) }
    public var leads: Int { pageEvents[RollupMetric.leadKind] ?? 0 }
    public var checkouts: Int { pageEvents[RollupMetric.checkoutKind] ?? 0 }
    public var approved: Int { sales[ConversionStatus.approved.rawValue] ?? 0 }
    public var pending: Int { sales[ConversionStatus.pending.rawValue] ?? 0 }
    public var refunded: Int { sales[ConversionStatus.refunded.rawValue] ?? 0 }
    public var chargebacks: Int { sales[ConversionStatus.chargeback.rawValue] ?? 0 }
    public var purchasesSent: Int { sent[CAPIEventName.purchase.rawValue] ?? 0 }
    /// Sales matched by any method.
    public var matched: Int { matches.values.reduce(0, +) }

    /// Value of approved sales, per currency.
    public var grossRevenue: [String: Decimal] { salesValue[ConversionStatus.approved.rawValue] ?? [:] }

    /// Gross minus refunded and charged-back value, per currency.
    public var netRevenue: [String: Decimal] {
        var net = grossRevenue
        for status in [ConversionStatus.refunded, .chargeback] {
            for (currency, value) in salesValue[status.rawValue] ?? [:] { net[currency, default: 0] -= value }
        }
        return net
    }

    /// Share of all sale records matched by `method` (nil: any method), 0…1; nil without sales.
    ///
    /// Every sale record is counted (each status row is its own record and its own match).
    public func matchRate(_ method: String? = nil) -> Double? {
        let total = sales.values.reduce(0, +)
        guard total > 0 else { return nil }
        let n = method.map { matches[$0] ?? 0 } ?? matched
        return Double(n) / Double(total)
    }
}
