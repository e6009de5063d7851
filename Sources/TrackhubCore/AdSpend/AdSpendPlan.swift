public import Foundation

/// What one import of one ad account asks Meta for and what it replaces — pure decisions, so
/// the request shape and the replace rule are unit-tested without Meta or Postgres.
///
/// Meta revises recent days (late conversions, invalid clicks refunded), so every import reads
/// the last ``days`` days again, daily (`time_increment=1`), at every level, and then replaces
/// exactly those (day, level) cells of the account: a day Meta no longer reports spend for
/// ends up empty, and a re-import never doubles anything.
public struct AdSpendPlan: Sendable, Equatable {
    /// `act_<digits>`.
    public var account: String
    /// The days asked for, oldest first (`YYYY-MM-DD`, the ad account's days).
    public var days: [String]
    public var levels: [AdSpendStore.Level]

    /// The insights fields every request asks for (reference §2.1).
    public static let fields = "campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,spend,impressions,clicks,account_currency,date_start,date_stop"
    /// Rows per page (Graph's own default is 25: bigger pages mean fewer calls against the
    /// ads_insights rate limit).
    public static let pageSize = 500
    /// Most pages read for one level of one account before the import gives up (a `next` that
    /// never ends is a bug somewhere, not spend).
    public static let maxPages = 2000

    public init(account: String, days: [String], levels: [AdSpendStore.Level] = AdSpendStore.Level.allCases) {
        self.account = account
        self.days = days
        self.levels = levels
    }

    /// The plan for `account`: the `count` days up to and including `today`.
    public init(account: String, today: String, count: Int, levels: [AdSpendStore.Level] = AdSpendStore.Level.allCases) {
        self.init(account: account, days: Self.days(endingAt: today, count: count), levels: levels)
    }

    public var since: String { days.first ?? "" }
    public var until: String { days.last ?? "" }

    /// True for an ad account id as Graph writes it (`act_` and digits), the only shape put into a URL.
    public static func isAccountID(_ id: String) -> Bool {
        id.hasPrefix("act_") && id.count > 4 && id.count <= 40 && id.dropFirst(4).allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `act_123` from `act_123` or a bare `123` (what Ads Manager shows); nil for anything else.
    public static func normalizedAccountID(_ raw: String) -> String? {
        let t = raw.trimmingCharacters(in: .whitespaces)
        let id = t.hasPrefix("act_") ? t : "act_" + t
        return isAccountID(id) ? id : nil
    }

    /// The first page of one level: `GET {base}/{version}/{account}/insights?…` (the token goes in
    /// the `Authorization` header, never in the URL).
    public func firstPageURL(graphBaseURL: String, version: String, level: AdSpendStore.Level) -> String {
        let range = #"{"since":"\#(since)","until":"\#(until)"}"#
        let query = [
            ("level", level.rawValue), ("time_increment", "1"), ("time_range", range), ("fields", Self.fields),
            ("limit", String(Self.pageSize)),
        ].map { "\($0.0)=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
        return "\(graphBaseURL)/\(version)/\(account)/insights?\(query)"
    }

    /// Whether `paging.next` may be followed: only to the Graph host the first page came from,
    /// since the request carries the account's token.
    public static func mayFollow(_ next: String, graphBaseURL: String) -> Bool {
        next.hasPrefix(graphBaseURL + "/") && !next.contains(where: { $0 == "\r" || $0 == "\n" || $0 == " " })
    }

    /// What replacing one level of the account writes: its days are cleared, `rows` inserted.
    /// Throws when Meta answered outside the plan (a day not asked for, an object listed twice
    /// on one day): writing that would either keep stale rows or fail on the primary key.
    public func replacement(level: AdSpendStore.Level, rows: [AdInsightsRow]) throws(AdInsightsPage.ParseError) -> AdSpendReplacement {
        let asked = Set(days)
        var seen: Set<String> = []
        for row in rows {
            guard row.level == level else { throw .init("a \(row.level.rawValue) row in the \(level.rawValue) answer") }
            guard asked.contains(row.day) else { throw .init("a row for \(row.day), outside \(since)…\(until)") }
            guard seen.insert(row.day + "\u{0}" + row.objectID).inserted else {
                throw .init("\(level.rawValue) \(row.objectID) listed twice on \(row.day)")
            }
        }
        return AdSpendReplacement(account: account, level: level, days: days, rows: rows)
    }

    // MARK: Days

    static let utc = TimeZone(identifier: "UTC")!

    /// `YYYY-MM-DD` of `now` in `timeZone`.
    public static func day(of now: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        func padded(_ n: Int?, _ width: Int) -> String {
            let text = String(n ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(padded(c.year, 4))-\(padded(c.month, 2))-\(padded(c.day, 2))"
    }

    /// `count` consecutive days ending at `last`, oldest first; empty when `last` is not a day.
    static func days(endingAt last: String, count: Int) -> [String] {
        guard let date = date(of: last), count > 0 else { return [] }
        return (0..<count).reversed().map { day(of: date.addingTimeInterval(-Double($0) * 86_400), timeZone: utc) }
    }

    /// Midnight UTC of a `YYYY-MM-DD` day; nil for anything else (and for impossible dates).
    static func date(of day: String) -> Date? {
        let parts = day.split(separator: "-", omittingEmptySubsequences: false)
        guard isDay(day), let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        guard let date = calendar.date(from: DateComponents(year: y, month: m, day: d)),
              Self.day(of: date, timeZone: utc) == day else { return nil }
        return date
    }

    /// `YYYY-MM-DD` with digits only.
    public static func isDay(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return false }
        return u.enumerated().allSatisfy { i, c in i == 4 || i == 7 || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) }
    }

    /// RFC 3986 query-value encoding: unreserved characters stay, everything else is %XX.
    static func percentEncoded(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
