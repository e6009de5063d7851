import Foundation

/// A JSON document tree for gateway webhook bodies that keeps every number as the exact text
/// it was sent as.
///
/// Why not `JSONSerialization`/`Codable`: money must never pass through `Double` (Eduzz sends
/// `301.5`, Mercado Pago `150.75`; as binary floating point those are not the amounts paid),
/// and gateways are sloppy with types — a price arrives as `1500`, `"1500"` or `"1500.00"`,
/// an id as `123` or `"123"`. Keeping the literal lets each accessor decide how tolerant to be
/// (see ``string``, ``decimal``, ``int``, ``bool``) without a decoder per gateway.
///
/// Grammar: RFC 8259 (the same strictness as `JSONScanner`, which ingestd already applied to
/// the body before it was accepted): nesting at most ``maxDepth``, a leading UTF-8 BOM
/// skipped, invalid UTF-8 in strings replaced by U+FFFD. Duplicate object keys keep the
/// *first* value, like `JSONScanner` does when it reads `hottok`/`chave_unica`, so the value
/// that authenticated a body is the value the parser sees.
enum SalesJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number exactly as written (`-12.50e1` stays `"-12.50e1"`).
    case number(String)
    case string(String)
    case array([SalesJSON])
    case object([String: SalesJSON])

    static let maxDepth = 64

    /// Parses a whole document; nil unless `bytes` is exactly one JSON value (plus whitespace).
    static func parse(_ bytes: [UInt8]) -> SalesJSON? {
        bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(b: buffer)
            return parser.document()
        }
    }

    static func parse(_ text: String) -> SalesJSON? {
        parse(Array(text.utf8))
    }

    // MARK: - Navigation

    /// The member `key` of an object; nil for anything else or a missing key.
    subscript(key: String) -> SalesJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// Follows a path of object keys.
    subscript(path: String...) -> SalesJSON? {
        value(at: path)
    }

    func value(at path: [String]) -> SalesJSON? {
        var current: SalesJSON? = self
        for key in path {
            current = current?[key]
        }
        return current
    }

    var objectMembers: [String: SalesJSON]? {
        if case .object(let members) = self { return members }
        return nil
    }

    var arrayElements: [SalesJSON]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    // MARK: - Tolerant scalar reads

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

    // MARK: - Parser

    private struct Parser {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0

        mutating func document() -> SalesJSON? {
            if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
            skipWhitespace()
            guard let value = value(depth: 0) else { return nil }
            skipWhitespace()
            return i == b.count ? value : nil
        }

        mutating func skipWhitespace() {
            while i < b.count {
                switch b[i] {
                case 0x20, 0x09, 0x0A, 0x0D: i += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) -> SalesJSON? {
            guard i < b.count else { return nil }
            switch b[i] {
            case UInt8(ascii: "{"): return object(depth: depth + 1)
            case UInt8(ascii: "["): return array(depth: depth + 1)
            case UInt8(ascii: "\""): return string().map(SalesJSON.string)
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default: return number()
            }
        }

        mutating func literal(_ word: StaticString, _ value: SalesJSON) -> SalesJSON? {
            let count = word.utf8CodeUnitCount
            guard b.count - i >= count else { return nil }
            let start = word.utf8Start
            for k in 0..<count where b[i + k] != start[k] { return nil }
            i += count
            return value
        }

        mutating func object(depth: Int) -> SalesJSON? {
            guard depth <= SalesJSON.maxDepth else { return nil }
            i += 1 // {
            var members: [String: SalesJSON] = [:]
            skipWhitespace()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard i < b.count, b[i] == UInt8(ascii: "\""), let key = string() else { return nil }
                skipWhitespace()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                skipWhitespace()
                guard let v = value(depth: depth) else { return nil }
                if members[key] == nil { members[key] = v } // first occurrence wins
                skipWhitespace()
                guard i < b.count else { return nil }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                return nil
            }
        }

        mutating func array(depth: Int) -> SalesJSON? {
            guard depth <= SalesJSON.maxDepth else { return nil }
            i += 1 // [
            var elements: [SalesJSON] = []
            skipWhitespace()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
            while true {
                skipWhitespace()
                guard let v = value(depth: depth) else { return nil }
                elements.append(v)
                skipWhitespace()
                guard i < b.count else { return nil }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
                return nil
            }
        }

        /// At `"`. Decodes escapes; raw bytes below 0x20 are refused (RFC 8259 §7).
        mutating func string() -> String? {
            i += 1
            // Fast path: no escape before the closing quote (most strings) — one copy.
            let start = i
            while i < b.count, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\"), b[i] >= 0x20 { i += 1 }
            if i < b.count, b[i] == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: UnsafeBufferPointer(rebasing: b[start..<(i - 1)]), as: UTF8.self)
            }
            var out: [UInt8] = Array(b[start..<i])
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if c < 0x20 { return nil }
                if c != UInt8(ascii: "\\") {
                    out.append(c)
                    i += 1
                    continue
                }
                i += 1
                guard i < b.count else { return nil }
                let e = b[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800...0xDBFF).contains(scalar) {
                        // A high surrogate needs its low half; a lone one becomes U+FFFD.
                        if b.count - i >= 6, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                            let save = i
                            i += 2
                            if let low = hex4(), (0xDC00...0xDFFF).contains(low) {
                                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                i = save
                                scalar = 0xFFFD
                            }
                        } else {
                            scalar = 0xFFFD
                        }
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        scalar = 0xFFFD
                    }
                    let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(s)).utf8))
                default:
                    return nil
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard b.count - i >= 4 else { return nil }
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard let h = Hex.value(of: b[i]) else { return nil }
                v = v << 4 | UInt32(h)
                i += 1
            }
            return v
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        mutating func number() -> SalesJSON? {
            let start = i
            if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, isDigit(b[i]) else { return nil }
            if b[i] == UInt8(ascii: "0") {
                i += 1
            } else {
                while i < b.count, isDigit(b[i]) { i += 1 }
            }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                guard i < b.count, isDigit(b[i]) else { return nil }
                while i < b.count, isDigit(b[i]) { i += 1 }
            }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                guard i < b.count, isDigit(b[i]) else { return nil }
                while i < b.count, isDigit(b[i]) { i += 1 }
            }
            return .number(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
        }

        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    }
}

extension Optional where Wrapped == SalesJSON {
    /// Optional chaining through keys and reads without `?` at every step:
    /// `json["data"]["buyer"]["email"].string`.
    subscript(key: String) -> SalesJSON? {
        self.flatMap { $0[key] }
    }

    var string: String? { self?.string }
    var decimal: Decimal? { self?.decimal }
    var int64: Int64? { self?.int64 }
    var int: Int? { self?.int }
    var bool: Bool? { self?.bool }
    var objectMembers: [String: SalesJSON]? { self?.objectMembers }
    var arrayElements: [SalesJSON]? { self?.arrayElements }
    var stringMap: [String: String] { self?.stringMap ?? [:] }
    /// True for a missing value as well as an explicit `null`.
    var isNullOrMissing: Bool { self?.isNull ?? true }
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
