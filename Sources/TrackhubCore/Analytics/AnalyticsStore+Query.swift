public import Foundation

extension AnalyticsStore {
    /// A tenant's rollups for hours in [from, to), added up in Postgres per metric and currency
    /// — and per time bucket and/or dimension value when asked — then folded into totals.
    /// The statement reads the primary key's leading (tenant, hour) range only, so a 90-day
    /// question costs the rows of those 90 days, never the raw tables.
    ///
    /// Buckets are cut in `timeZone` (an IANA name, e.g. `America/Sao_Paulo`; days start at its
    /// midnight — every whole-hour offset works on hourly rollups).
    public func groups(tenant: String, from: Date, to: Date, bucket: AnalyticsBucket? = nil, by dimension: RollupDimension? = nil,
                       timeZone: String = "UTC", connection: PostgresConnection) throws -> [AnalyticsGroup] {
        var select = ["metric", "currency"]
        if let bucket { select.append("date_trunc('\(bucket.rawValue)', hour, $4) AS bucket") }
        if let dimension { select.append("\(dimension.rawValue) AS value") }
        let groupBy = (1...select.count).map(String.init).joined(separator: ", ")
        let rows = try connection.query("""
            SELECT \(select.joined(separator: ", ")), sum(n) AS n, sum(amount) AS amount FROM analytics_hourly
            WHERE tenant_id = $1 AND hour >= $2 AND hour < $3
            GROUP BY \(groupBy)
            """, [.string(tenant), .timestamp(from), .timestamp(to)] + (bucket == nil ? [] : [.string(timeZone)]))
        var out: [(bucket: Date?, value: String?, row: RollupRow)] = []
        for i in rows.indices {
            guard let metric = RollupMetric(stored: try rows.string(i, "metric") ?? "") else { continue }
            guard let amount = SalesMoney.parseJSONNumber(try rows.string(i, "amount") ?? "0") else {
                throw PostgresError(.unexpectedResult, "analytics amount is not a number")
            }
            let row = RollupRow(key: RollupKey(tenant: tenant, hour: from), metric: metric, currency: try rows.string(i, "currency") ?? "",
                                count: try rows.int(i, "n") ?? 0, amount: amount)
            out.append((bucket == nil ? nil : try rows.date(i, "bucket"), dimension == nil ? nil : try rows.string(i, "value") ?? "", row))
        }
        return AnalyticsGroup.fold(out)
    }
}
