public import Foundation

/// Numbers and dates as the seller reads them: pt-BR by default (1.234; R$ 1.234,56;
/// 05/12/2026; 14h32), English with the switch. Pure functions, unit-tested.
public enum ConsoleFormat {
    /// An integer with thousands grouped: `1.234` (pt-BR), `1,234` (en).
    public static func integer(_ value: Int, _ language: ConsoleLanguage) -> String {
        let separator: Character = language == .portuguese ? "." : ","
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(separator) }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// Money in reais from a decimal text (`1234.5` → `R$ 1.234,50`; en: `R$ 1,234.50`).
    public static func money(_ amount: Double, _ language: ConsoleLanguage) -> String {
        let cents = Int((amount * 100).rounded())
        let whole = integer(cents / 100, language)
        let fraction = String(format: "%02d", abs(cents % 100))
        return "R$ " + whole + (language == .portuguese ? "," : ".") + fraction
    }

    /// `05/12/2026 14h32` (pt-BR) or `2026-12-05 14:32` (en), in the seller's time zone.
    public static func dateTime(_ date: Date, _ language: ConsoleLanguage, timeZone: TimeZone = saoPaulo) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let (y, m, d, h, mi) = (c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
        if language == .portuguese {
            return String(format: "%02d/%02d/%04d %02dh%02d", d, m, y, h, mi)
        }
        return String(format: "%04d-%02d-%02d %02d:%02d", y, m, d, h, mi)
    }

    /// `06/12/2026` (pt-BR) or `2026-12-06` (en): a day in the seller's time zone.
    public static func date(_ date: Date, _ language: ConsoleLanguage, timeZone: TimeZone = saoPaulo) -> String {
        String(dateTime(date, language, timeZone: timeZone).prefix(10))
    }

    /// Brazil's sellers think in Brasília time: "today" starts at midnight there.
    public static let saoPaulo = TimeZone(identifier: "America/Sao_Paulo") ?? TimeZone(secondsFromGMT: -3 * 3600)!
}
