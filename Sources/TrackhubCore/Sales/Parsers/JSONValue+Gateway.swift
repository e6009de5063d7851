import Foundation

/// Tolerant reads for gateway payloads: gateways are sloppy with types — a price arrives as
/// `1500`, `"1500"` or `"1500.00"`, an id as `123` or `"123"`, a flag as `1` or `"sim"` — so each
/// read accepts the spellings seen in the wild, and money never passes through `Double`.
extension JSONValue {
    /// A string, or a number's literal text (ids sent as numbers). Trimmed; nil when empty,
    /// null, a boolean, an array or an object.
    var string: String? {
        switch self {
        case .string(let s):
            let t = s.trimmedSales
            return t.isEmpty ? nil : t
        case .number(let n):
            return n
        default:
            return nil
        }
    }

    /// An exact decimal from a number, or from a string holding an amount ("97", "97.00",
    /// "1.234,56"; see `SalesMoney.parseAmount`). Never through `Double`.
    var decimal: Decimal? {
        switch self {
        case .number(let n): return SalesMoney.parseJSONNumber(n)
        case .string(let s): return SalesMoney.parseAmount(s)
        default: return nil
        }
    }

    /// An integer from an integral number or a string of digits ("5073", 5073, 5073.0).
    var int64: Int64? {
        switch self {
        case .number(let n):
            if let i = Int64(n) { return i }
            guard let d = SalesMoney.parseJSONNumber(n) else { return nil }
            return SalesMoney.exactInt64(d)
        case .string(let s):
            let t = s.trimmedSales
            if let i = Int64(t) { return i }
            guard let d = SalesMoney.parseAmount(t) else { return nil }
            return SalesMoney.exactInt64(d)
        default:
            return nil
        }
    }

    var int: Int? { int64.flatMap { Int(exactly: $0) } }

    /// true/false, 1/0, "true"/"false", "1"/"0", "yes"/"no" (any case).
    var bool: Bool? {
        switch self {
        case .bool(let b): return b
        case .number(let n):
            if n == "1" { return true }
            if n == "0" { return false }
            return nil
        case .string(let s):
            switch s.trimmedSales.lowercased() {
            case "true", "1", "yes", "sim": return true
            case "false", "0", "no", "nao", "não": return false
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Scalars of an object as strings (metadata maps): strings as-is, numbers as their text,
    /// booleans as "true"/"false"; nulls, arrays and nested objects are skipped.
    var stringMap: [String: String] {
        guard let members = objectMembers else { return [:] }
        var out: [String: String] = [:]
        for (key, value) in members {
            switch value {
            case .string(let s): out[key] = s
            case .number(let n): out[key] = n
            case .bool(let b): out[key] = b ? "true" : "false"
            default: break
            }
        }
        return out
    }

}

extension Optional where Wrapped == JSONValue {
    /// The tolerant reads through a missing value: `json["data"]["buyer"]["email"].string`.
    var string: String? { self?.string }
    var decimal: Decimal? { self?.decimal }
    var int64: Int64? { self?.int64 }
    var int: Int? { self?.int }
    var bool: Bool? { self?.bool }
    var stringMap: [String: String] { self?.stringMap ?? [:] }
}

extension StringProtocol {
    /// Trimmed of Unicode whitespace and newlines (no Foundation needed).
    var trimmedSales: String {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        guard start != endIndex else { return "" }
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? endIndex
        return String(self[start..<end])
    }
}
