public import Foundation

extension ConsoleFormat {
    /// Exact money in any currency, from a `Decimal` (never a `Double`): `R$ 1.234,56` for BRL,
    /// `USD 1,234.56` otherwise; rounded half-even to 2 places only for display.
    public static func money(_ amount: Decimal, currency: String, _ language: ConsoleLanguage) -> String {
        var value = amount, rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .bankers)
        let negative = rounded < 0
        let text = "\((negative ? -rounded : rounded))"   // Decimal's description: plain digits, "." separator
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = Int(parts[0]) ?? 0
        let cents = parts.count > 1 ? String(parts[1]).padding(toLength: 2, withPad: "0", startingAt: 0) : "00"
        let symbol = currency == "BRL" ? "R$" : currency
        return (negative ? "-" : "") + symbol + " " + integer(whole, language) + (language == .portuguese ? "," : ".") + cents
    }

    /// A share 0…1 as a percentage with one decimal: `82,5%` (pt-BR), `82.5%` (en).
    public static func percent(_ share: Double, _ language: ConsoleLanguage) -> String {
        let text = String(format: "%.1f%%", share * 100)
        return language == .portuguese ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// A ratio such as ROAS with two decimals: `3,20` (pt-BR), `3.20` (en).
    public static func ratio(_ value: Double, _ language: ConsoleLanguage) -> String {
        let text = String(format: "%.2f", value)
        return language == .portuguese ? text.replacingOccurrences(of: ".", with: ",") : text
    }
}
