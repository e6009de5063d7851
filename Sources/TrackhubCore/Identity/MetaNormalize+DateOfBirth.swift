public import Foundation

extension MetaNormalize {
    /// `db`: "YYYYMMDD", from "1997-02-16", "16/02/1997", "19970216", an ISO-8601 timestamp, …;
    /// nil when the date is not a real past date with a year from 1900.
    ///
    /// Meta's docs want `YYYYMMDD` (year 1900 to now); the SDK passes the input through, so
    /// "16/02/1997" would be hashed as typed and match nothing. Accepted shapes:
    /// - year first (`YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, timestamps starting with one);
    /// - year last (`DD/MM/YYYY`, `MM/DD/YYYY`, any separator): day first unless `country` is
    ///   "us" (Meta's own vector "2/16/1997" is American); when that reading is impossible and the
    ///   other one is valid (a part above 12), the other one is used;
    /// - 8 digits: `YYYYMMDD`, else `DDMMYYYY` (`MMDDYYYY` for the US) when that is the only valid reading.
    /// Two-digit years are rejected: "16/02/97" cannot be placed in a century with certainty.
    public static func dateOfBirth(_ raw: String?, country: String?, now: Date = Date()) -> String? {
        guard let raw else { return nil }
        let groups = raw.split { !("0"..."9").contains($0) }.map(String.init)
        let today = MetaBirthDate.today(now)
        let monthFirst = country == "us"
        var candidates: [MetaBirthDate?] = []
        if groups.count == 1, groups[0].count == 8 {
            let g = Array(groups[0])
            func part(_ r: Range<Int>) -> String { String(g[r]) }
            candidates.append(MetaBirthDate(year: part(0..<4), month: part(4..<6), day: part(6..<8)))
            let (first, second, year) = (part(0..<2), part(2..<4), part(4..<8))
            candidates.append(monthFirst ? MetaBirthDate(year: year, month: first, day: second)
                                         : MetaBirthDate(year: year, month: second, day: first))
        } else if groups.count >= 3 {
            let (a, b, c) = (groups[0], groups[1], groups[2])
            if a.count == 4, b.count <= 2, c.count <= 2 {
                candidates.append(MetaBirthDate(year: a, month: b, day: c))
            } else if c.count == 4, a.count <= 2, b.count <= 2 {
                let dayFirst = MetaBirthDate(year: c, month: b, day: a)
                let monthFirstDate = MetaBirthDate(year: c, month: a, day: b)
                candidates += monthFirst ? [monthFirstDate, dayFirst] : [dayFirst, monthFirstDate]
            }
        }
        for case let date? in candidates where date.isValid(notAfter: today) {
            return date.metaFormat
        }
        return nil
    }
}

/// A calendar date as three integers; only what `dateOfBirth` needs.
struct MetaBirthDate: Comparable {
    var year: Int
    var month: Int
    var day: Int

    init?(year: String, month: String, day: String) {
        guard let y = Int(year), let m = Int(month), let d = Int(day) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    init(year: Int, month: Int, day: Int) {
        self.year = year; self.month = month; self.day = day
    }

    /// Today's date in UTC.
    static func today(_ now: Date) -> MetaBirthDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return MetaBirthDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
    }

    /// A real Gregorian date from 1900-01-01 up to `today`.
    func isValid(notAfter today: MetaBirthDate) -> Bool {
        guard year >= 1900, (1...12).contains(month), day >= 1, day <= daysInMonth else { return false }
        return self <= today
    }

    private var daysInMonth: Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    var metaFormat: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return pad(year, 4) + pad(month, 2) + pad(day, 2)
    }

    static func < (l: MetaBirthDate, r: MetaBirthDate) -> Bool {
        (l.year, l.month, l.day) < (r.year, r.month, r.day)
    }
}
