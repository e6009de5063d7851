public import Foundation

/// Dates and money as a Brazilian seller reads them (05/12/2026 14h32, R$ 1.234,56), and as
/// an English reader does; pure, for diagnoses and the support bundle.
public enum InsightFormat {
    /// Brasília time. Brazil has had no daylight saving time since 2019, so a fixed offset is
    /// exact and needs no time zone database.
    public static let brasilia = TimeZone(secondsFromGMT: -3 * 3600)!

    /// "05/12/2026 14h32" (pt-BR) or "2026-12-05 14:32" (English), Brasília time.
    public static func dateTime(_ date: Date, english: Bool = false) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = brasilia
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        if english { return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))" }
        return "\(two(c.day))/\(two(c.month))/\(c.year ?? 0) \(two(c.hour))h\(two(c.minute))"
    }

    /// The same instant in both languages.
    public static func dateTimeText(_ date: Date) -> (pt: String, en: String) {
        (dateTime(date), dateTime(date, english: true))
    }

    /// "1.234" (pt-BR) or "1,234" (English).
    public static func integer(_ value: Int, english: Bool = false) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(english ? "," : ".") }
            out.append(d)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// "R$ 1.234,56" / "BRL 1,234.56" from Postgres' exact numeric text ("1234.56").
    public static func money(_ value: String?, currency: String?, english: Bool = false) -> String {
        guard let value, !value.isEmpty else { return "-" }
        let negative = value.hasPrefix("-")
        let digits = negative ? String(value.dropFirst()) : value
        let parts = digits.split(separator: ".", maxSplits: 1)
        let whole = String(parts.first ?? "0")
        var cents = parts.count > 1 ? String(parts[1].prefix(2)) : "00"
        while cents.count < 2 { cents += "0" }
        let grouped = Int(whole).map { integer($0, english: english) } ?? whole
        let amount = grouped + (english ? "." : ",") + cents
        let code = (currency ?? "BRL").uppercased()
        let symbol = code == "BRL" && !english ? "R$" : code
        return (negative ? "-" : "") + symbol + " " + amount
    }
}
