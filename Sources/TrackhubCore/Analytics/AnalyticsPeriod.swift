public import Foundation

/// Periods of analytics queries and commands: instants in UTC, days as [00:00, 24:00) UTC.
public enum AnalyticsPeriod {
    /// Bounds that stand for "everything" (Postgres holds both as ordinary timestamps).
    public static let earliest = Date(timeIntervalSince1970: 0)
    public static let latest = Date(timeIntervalSince1970: 7_258_118_400)  // 2200-01-01

    /// What a period option could not be read as.
    public struct InvalidInstant: Error, CustomStringConvertible {
        public let option: String
        public let value: String
        public var description: String { "\(option): \"\(value)\" is neither YYYY-MM-DD nor an ISO 8601 time" }
    }

    /// `YYYY-MM-DD` (that day's 00:00 UTC) or an ISO 8601 time with its offset.
    public static func parseInstant(_ text: String, option: String) throws -> Date {
        if let day = day(text) { return day }
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: text) { return date }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = iso.date(from: text) { return date }
        throw InvalidInstant(option: option, value: text)
    }

    /// 00:00 UTC of a `YYYY-MM-DD` day, or nil.
    public static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: y, month: m, day: d)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
        return date
    }
}
