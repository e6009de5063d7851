public import Foundation

/// The Postgres side of analytics: reading rollup rows and rebuilding them from the raw tables
/// (`dispatchd analytics backfill`). Blocking; runs on a ``PostgresPool`` thread.
///
/// The rollups themselves are written by the database, by the triggers of migration 12, in the
/// transaction that records each fact — this type never writes them on the hot path.
public struct AnalyticsStore: Sendable {
    public init() {}

    /// The key columns after the tenant and the time (the same in both rollup tables).
    static let valueKeyColumns = "metric, link, utm_source, utm_medium, utm_campaign, utm_content, gateway, product, currency"
    static let keyColumns = "tenant_id, hour, " + valueKeyColumns
    static let dailyKeyColumns = "tenant_id, day, " + valueKeyColumns

    /// The non-zero rollup rows of a tenant for hours in [from, to).
    public func rows(tenant: String, from: Date, to: Date, connection: PostgresConnection) throws -> [RollupRow] {
        try Self.decode(connection.query("""
            SELECT \(Self.keyColumns), n, amount FROM analytics_hourly
            WHERE tenant_id = $1 AND hour >= $2 AND hour < $3 AND NOT (n = 0 AND amount = 0)
            """, [.string(tenant), .timestamp(from), .timestamp(to)]))
    }

    /// What the raw tables say the rollup rows of a tenant for hours in [from, to) are
    /// (`analytics_facts`, the same facts the triggers add), without writing anything.
    public func factsFromRawTables(tenant: String, from: Date, to: Date, connection: PostgresConnection) throws -> [RollupRow] {
        try Self.decode(connection.query("""
            SELECT \(Self.keyColumns), sum(n) AS n, sum(amount) AS amount FROM analytics_facts($1, $2, $3)
            GROUP BY \(Self.keyColumns) HAVING NOT (sum(n) = 0 AND sum(amount) = 0)
            """, [.string(tenant), .timestamp(from), .timestamp(to)]))
    }

    /// Replaces a tenant's rollups for hours in [from, to) with what the raw tables say; returns
    /// how many hourly rows it wrote. The daily rollups of every UTC day the period touches, and
    /// the period's hourly totals, are then rebuilt from the hourly rows (a day, and an hour's
    /// total, is always the sum of its hourly rows).
    ///
    /// One transaction that first locks both rollup tables against other writers (SHARE ROW
    /// EXCLUSIVE, in the order `analytics_apply` writes them): a dispatchd recording meanwhile
    /// waits for the rebuild to commit and then adds its own facts, which the rebuild's snapshot
    /// did not see — nothing is counted twice or lost. Recording pauses for the rebuild's duration.
    @discardableResult
    public func backfill(tenant: String, from: Date, to: Date, connection: PostgresConnection) throws -> Int {
        try connection.transaction { c in
            try c.execute("LOCK TABLE analytics_hourly, analytics_daily, analytics_hourly_totals IN SHARE ROW EXCLUSIVE MODE")
            try c.query("DELETE FROM analytics_hourly WHERE tenant_id = $1 AND hour >= $2 AND hour < $3",
                        [.string(tenant), .timestamp(from), .timestamp(to)])
            let inserted = try c.query("""
                INSERT INTO analytics_hourly (\(Self.keyColumns), n, amount)
                SELECT \(Self.keyColumns), sum(n), sum(amount) FROM analytics_facts($1, $2, $3)
                GROUP BY \(Self.keyColumns) HAVING NOT (sum(n) = 0 AND sum(amount) = 0)
                """, [.string(tenant), .timestamp(from), .timestamp(to)])
            let days: [PostgresValue] = [.string(tenant), .timestamp(RollupSpan.dayStart(from)),
                                         .timestamp(RollupSpan.dayStart(to.addingTimeInterval(-0.001)).addingTimeInterval(86_400))]
            try c.query("""
                DELETE FROM analytics_daily WHERE tenant_id = $1
                  AND day >= ($2::timestamptz AT TIME ZONE 'UTC')::date AND day < ($3::timestamptz AT TIME ZONE 'UTC')::date
                """, days)
            try c.query("""
                INSERT INTO analytics_daily (\(Self.dailyKeyColumns), n, amount)
                SELECT tenant_id, (hour AT TIME ZONE 'UTC')::date, \(Self.valueKeyColumns), sum(n), sum(amount) FROM analytics_hourly
                WHERE tenant_id = $1 AND hour >= $2 AND hour < $3
                GROUP BY 1, 2, \(Self.valueKeyColumns)
                """, days)
            try c.query("DELETE FROM analytics_hourly_totals WHERE tenant_id = $1 AND hour >= $2 AND hour < $3",
                        [.string(tenant), .timestamp(from), .timestamp(to)])
            try c.query("""
                INSERT INTO analytics_hourly_totals (tenant_id, hour, metric, currency, n, amount)
                SELECT tenant_id, hour, metric, currency, sum(n), sum(amount) FROM analytics_hourly
                WHERE tenant_id = $1 AND hour >= $2 AND hour < $3
                GROUP BY 1, 2, 3, 4
                """, [.string(tenant), .timestamp(from), .timestamp(to)])
            return inserted.affectedRows
        }
    }

    static func decode(_ rows: PostgresRows) throws -> [RollupRow] {
        try rows.indices.compactMap { i in
            guard let metric = RollupMetric(stored: try rows.string(i, "metric") ?? "") else { return nil }
            let key = RollupKey(
                tenant: try rows.string(i, "tenant_id") ?? "", hour: try rows.date(i, "hour") ?? .distantPast,
                link: try rows.string(i, "link") ?? "", utmSource: try rows.string(i, "utm_source") ?? "",
                utmMedium: try rows.string(i, "utm_medium") ?? "", utmCampaign: try rows.string(i, "utm_campaign") ?? "",
                utmContent: try rows.string(i, "utm_content") ?? "", gateway: try rows.string(i, "gateway") ?? "",
                product: try rows.string(i, "product") ?? "")
            let amountText = try rows.string(i, "amount") ?? "0"
            guard let amount = SalesMoney.parseJSONNumber(amountText) else {
                throw PostgresError(.unexpectedResult, "analytics amount is not a number")
            }
            return RollupRow(key: key, metric: metric, currency: try rows.string(i, "currency") ?? "",
                             count: try rows.int(i, "n") ?? 0, amount: amount)
        }
    }
}
