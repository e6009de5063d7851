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

    /// The Meta object id a UTM value names: the value itself (`utm_campaign={{campaign.id}}`),
    /// or, in the Brazilian "name|id" convention (`{{campaign.name}}|{{campaign.id}}`, the
    /// "padrão UTMify"), the digits after the last `|`.
    public static func objectID(fromUTM value: String) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard let bar = trimmed.lastIndex(of: "|") else { return trimmed }
        let id = trimmed[trimmed.index(after: bar)...].trimmingCharacters(in: .whitespaces)
        return !id.isEmpty && id.allSatisfy({ $0.isASCII && $0.isNumber }) ? id : trimmed
    }

    /// The spend of the object a UTM value names, from ``spend(tenant:level:from:to:connection:)``'s map.
    public static func spend(forUTM value: String?, in spend: [String: [String: Decimal]]) -> [String: Decimal] {
        guard let value, !value.isEmpty else { return [:] }
        return spend[objectID(fromUTM: value)] ?? [:]
    }

    /// The name Meta gave the object a UTM value names (``names(tenant:level:from:to:connection:)``'s
    /// map), or nil when the insights import has none (no spend read for it in the period).
    public static func name(forUTM value: String?, in names: [String: String]) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return names[objectID(fromUTM: value)]
    }

    /// The level whose spend a breakdown by `dimension` joins (the UTM convention:
    /// `utm_campaign` → campaign, `utm_medium` → ad set, `utm_content` → ad); nil for the others.
    public static func level(of dimension: RollupDimension) -> Level? {
        switch dimension {
        case .utmCampaign: .campaign
        case .utmMedium: .adset
        case .utmContent: .ad
        default: nil
        }
    }

    /// `ad_spend` rows of tenant $1 and level $2 on the account days ($5's zone) that overlap
    /// [$3, $4): a period ending mid-day includes that day.
    static let rowsInPeriod = """
        tenant_id = $1 AND level = $2
          AND day >= ($3::timestamptz AT TIME ZONE $5)::date
          AND day <= (($4::timestamptz - interval '1 microsecond') AT TIME ZONE $5)::date
        """

    /// The time zone of the ad accounts' days (Meta reports days in the account's own zone;
    /// Brazilian sellers' accounts are on Brasília time, which the importer assumes too).
    public static let accountTimeZone = "America/Sao_Paulo"

    /// Spend per object id and currency for the days that overlap [from, to) (days of the ad
    /// account, in ``accountTimeZone``): a period ending mid-day (the API's default, up to the
    /// current hour) includes that day's spend so far, as it includes that day's revenue.
    public func spend(tenant: String, level: Level, from: Date, to: Date, connection: PostgresConnection) throws -> [String: [String: Decimal]] {
        let rows = try connection.query("""
            SELECT object_id, currency, sum(spend) AS spend FROM ad_spend WHERE \(Self.rowsInPeriod)
            GROUP BY object_id, currency
            """, [.string(tenant), .string(level.rawValue), .timestamp(from), .timestamp(to), .string(Self.accountTimeZone)])
        var out: [String: [String: Decimal]] = [:]
        for i in rows.indices {
            guard let id = try rows.string(i, "object_id"), let currency = try rows.string(i, "currency"),
                  let amount = SalesMoney.parseJSONNumber(try rows.string(i, "spend") ?? "0") else { continue }
            out[id, default: [:]][currency] = amount
        }
        return out
    }

    /// Meta's name of each object of `level` with spend in the days that overlap [from, to), as
    /// of the latest day imported (a campaign renamed mid-period shows its current name): a
    /// seller following `utm_campaign={{campaign.id}}` reads "Black Friday", not 120210….
    public func names(tenant: String, level: Level, from: Date, to: Date, connection: PostgresConnection) throws -> [String: String] {
        let column = switch level { case .campaign: "campaign_name"; case .adset: "adset_name"; case .ad: "ad_name" }
        let rows = try connection.query("""
            SELECT DISTINCT ON (object_id) object_id, \(column) AS name FROM ad_spend
            WHERE \(Self.rowsInPeriod) AND \(column) <> ''
            ORDER BY object_id, day DESC
            """, [.string(tenant), .string(level.rawValue), .timestamp(from), .timestamp(to), .string(Self.accountTimeZone)])
        var out: [String: String] = [:]
        for i in rows.indices {
            guard let id = try rows.string(i, "object_id"), let name = try rows.string(i, "name") else { continue }
            out[id] = name
        }
        return out
    }
}
