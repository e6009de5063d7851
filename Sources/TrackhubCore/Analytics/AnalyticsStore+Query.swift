public import Foundation

extension AnalyticsStore {
    /// A tenant's rollups for hours in [from, to), added up in Postgres per metric and currency
    /// — and per time bucket and/or dimension value when asked — then folded into totals.
    /// Whole UTC days are read from the daily rollups and the rest from the hourly ones
    /// (``RollupSpan``) — their per-hour totals when no dimension is asked — each by its
    /// primary key's leading (tenant, time) range, so a 90-day question costs about 90 rows per
    /// key, never the raw tables. Rows that add up to nothing
    /// (a sale moved to a later click leaves a zero behind) are skipped.
    ///
    /// Buckets are cut in `timeZone` (an IANA name, e.g. `America/Sao_Paulo`; days start at its
    /// midnight — every whole-hour offset works on hourly rollups).
    public func groups(tenant: String, from: Date, to: Date, bucket: AnalyticsBucket? = nil, by dimension: RollupDimension? = nil,
                       timeZone: String = "UTC", connection: PostgresConnection) throws -> [AnalyticsGroup] {
        let span = RollupSpan(from: from, to: to, bucket: bucket, timeZone: timeZone)
        var params: [PostgresValue] = [.string(tenant)]
        func param(_ value: PostgresValue) -> String {
            params.append(value)
            return "$\(params.count)"
        }
        let columns = ["metric", "currency"] + (dimension.map { [$0.rawValue] } ?? [])
        var parts: [String] = []
        if let days = span.days {
            parts.append("""
                SELECT day::timestamp AT TIME ZONE 'UTC' AS at, \(columns.joined(separator: ", ")), n, amount FROM analytics_daily
                WHERE tenant_id = $1 AND day >= (\(param(.timestamp(days.lowerBound)))::timestamptz AT TIME ZONE 'UTC')::date
                  AND day < (\(param(.timestamp(days.upperBound)))::timestamptz AT TIME ZONE 'UTC')::date AND NOT (n = 0 AND amount = 0)
                """)
        }
        // Without a dimension the hours come from their totals (migration 20): one row per metric and hour.
        let hourly = dimension == nil ? "analytics_hourly_totals" : "analytics_hourly"
        for hours in span.hours {
            parts.append("""
                SELECT hour AS at, \(columns.joined(separator: ", ")), n, amount FROM \(hourly)
                WHERE tenant_id = $1 AND hour >= \(param(.timestamp(hours.lowerBound))) AND hour < \(param(.timestamp(hours.upperBound)))
                  AND NOT (n = 0 AND amount = 0)
                """)
        }
        guard !parts.isEmpty else { return [] }
        var select = ["metric", "currency"]
        if let bucket { select.append("date_trunc('\(bucket.rawValue)', at, \(param(.string(timeZone)))) AS bucket") }
        if let dimension { select.append("\(dimension.rawValue) AS value") }
        let groupBy = (1...select.count).map(String.init).joined(separator: ", ")
        let rows = try connection.query("""
            SELECT \(select.joined(separator: ", ")), sum(n) AS n, sum(amount) AS amount
            FROM (\(parts.joined(separator: "\nUNION ALL\n"))) AS r
            GROUP BY \(groupBy)
            """, params)
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
