public import Foundation

/// Which rollup rows answer a question about [from, to): the whole UTC days inside it from
/// `analytics_daily` (migration 19: one row per key and day instead of 24), the ragged ends
/// from `analytics_hourly`. Hourly buckets, and daily buckets cut in another time zone than
/// UTC (whose days do not fall on UTC days), read hours only. Pure: the plan of a read.
public struct RollupSpan: Sendable, Equatable {
    /// Whole UTC days, [first day's 00:00, the day after the last's 00:00), or nil.
    public var days: Range<Date>?
    /// Periods read from the hourly rows, in order.
    public var hours: [Range<Date>]

    public init(days: Range<Date>?, hours: [Range<Date>]) {
        self.days = days
        self.hours = hours
    }

    /// Time zones whose days are UTC days.
    static let utcNames: Set<String> = ["UTC", "Etc/UTC", "GMT", "Etc/GMT"]

    public init(from: Date, to: Date, bucket: AnalyticsBucket?, timeZone: String) {
        let wholeDaysUsable = bucket == nil || (bucket == .day && Self.utcNames.contains(timeZone))
        let first = Self.dayStart(from) == from ? from : Self.dayStart(from).addingTimeInterval(86_400)
        let end = Self.dayStart(to)
        guard wholeDaysUsable, from < to, first < end else {
            self.init(days: nil, hours: from < to ? [from..<to] : [])
            return
        }
        var hours: [Range<Date>] = []
        if from < first { hours.append(from..<first) }
        if end < to { hours.append(end..<to) }
        self.init(days: first..<end, hours: hours)
    }

    /// 00:00 UTC of the day holding `date` (Unix time has no leap seconds: days are 86,400 s).
    public static func dayStart(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }
}
