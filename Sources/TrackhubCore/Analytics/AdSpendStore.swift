public import Foundation

/// Ad spend imported from Meta's insights API (`ad_spend`, migration 12): written by the
/// importer, read next to the rollups for ROAS. Blocking; runs on a ``PostgresPool`` thread.
public struct AdSpendStore: Sendable {
    public init() {}

    /// The level whose object ids the UTM convention carries: `utm_campaign={{campaign.id}}`,
    /// `utm_content={{ad.id}}` (docs/ANALYTICS.md).
    public enum Level: String, Sendable, CaseIterable {
        case campaign
        case adset
        case ad
    }

    /// Spend per object id and currency for days in [from, to) (dates, the ad account's days).
    public func spend(tenant: String, level: Level, from: Date, to: Date, connection: PostgresConnection) throws -> [String: [String: Decimal]] {
        let rows = try connection.query("""
            SELECT object_id, currency, sum(spend) AS spend FROM ad_spend
            WHERE tenant_id = $1 AND level = $2 AND day >= $3::timestamptz::date AND day < $4::timestamptz::date
            GROUP BY object_id, currency
            """, [.string(tenant), .string(level.rawValue), .timestamp(from), .timestamp(to)])
        var out: [String: [String: Decimal]] = [:]
        for i in rows.indices {
            guard let id = try rows.string(i, "object_id"), let currency = try rows.string(i, "currency"),
                  let amount = SalesMoney.parseJSONNumber(try rows.string(i, "spend") ?? "0") else { continue }
            out[id, default: [:]][currency] = amount
        }
        return out
    }
}
