public import Foundation

/// Meta's own estimate of when a throttled caller may call again, from the response headers:
/// `Retry-After` (seconds or an HTTP date, RFC 9110 §10.2.3) and `X-Business-Use-Case-Usage`
/// (per business object, `estimated_time_to_regain_access` in minutes). A pure parse; the
/// longest wait given wins, and nothing usable gives nil.
public enum ThrottleHint {
    /// The response headers the transport captures for this parse (lower case).
    public static let headerNames = ["retry-after", "x-business-use-case-usage"]

    public static func wait(retryAfter: String?, businessUseCaseUsage: String?, now: Date) -> Duration? {
        let waits = [retryAfter.flatMap { Self.retryAfter($0, now: now) }, businessUseCaseUsage.flatMap(Self.regainAccess)]
            .compactMap { $0 }
            .filter { $0 > .zero }
        return waits.max()
    }

    /// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`.
    static func retryAfter(_ raw: String, now: Date) -> Duration? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return Int(text).map { .seconds($0) }
        }
        guard let date = httpDate(text) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return seconds > 0 ? .milliseconds(Int64(seconds * 1000)) : nil
    }

    /// `{"<business id>":[{"type":"ads_management","call_count":100,…,"estimated_time_to_regain_access":5}]}`:
    /// the largest estimate (minutes) over every object and type.
    static func regainAccess(_ raw: String) -> Duration? {
        guard let objects = JSONValue.parse(raw)?.objectMembers else { return nil }
        var minutes = 0
        for (_, usages) in objects {
            for usage in usages.arrayElements ?? [] {
                if case .number(let n)? = usage["estimated_time_to_regain_access"], let value = Double(n), value.isFinite {
                    minutes = max(minutes, Int(value.rounded(.up)))
                }
            }
        }
        return minutes > 0 ? .seconds(minutes * 60) : nil
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// IMF-fixdate (`Wed, 21 Oct 2026 07:28:00 GMT`), the only form senders must use.
    static func httpDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let month = months.firstIndex(of: String(parts[2])),
              let year = Int(parts[3]) else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar.date(from: DateComponents(year: year, month: month + 1, day: day, hour: clock[0], minute: clock[1], second: clock[2]))
    }
}
