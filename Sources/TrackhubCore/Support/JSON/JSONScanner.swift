/// A validating JSON scanner for webhook bodies that builds no document: it allocates only
/// for the one member it is asked to capture.
///
/// ingestd does not interpret webhook payloads (dispatchd does, and the raw body travels on
/// sealed); it only needs to know that a body *is* a JSON object and, for Hotmart and
/// Monetizze, to read one top-level string member (`hottok`, `chave_unica`). A strict RFC 8259
/// scan does both in one pass without building a document tree, which a full decoder
/// (JSONSerialization, Codable) would do for every webhook.
///
/// Strictness: RFC 8259 grammar, valid UTF-8, no control characters in strings, nesting at
/// most ``maxDepth``. A UTF-8 byte-order mark is skipped (RFC 8259 §8.1 lets parsers ignore
/// it), because refusing a real sale over a BOM would be worse than accepting one.
struct JSONScanner {
    /// Deeper nesting than this is refused; no gateway payload comes close, and recursion
    /// stays bounded.
    static let maxDepth = 64

    /// The outcome of scanning a body that should be a JSON object.
    struct ObjectScan {
        /// The body is one JSON object (surrounded by optional whitespace).
        var isObject: Bool
        /// The first top-level member named as requested, when its value is a string.
        var member: String?
    }

    /// Scans `bytes` as a JSON object, capturing the top-level string member `name` if given.
    static func scanObject(_ bytes: [UInt8], capturing name: String? = nil) -> ObjectScan {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer: buffer)
            return scanner.scanDocument(capturing: name.map { Array($0.utf8) })
        }
    }

    // MARK: - Scanner state

    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0

    private init(buffer: UnsafeBufferPointer<UInt8>) {
        b = buffer
    }

    private mutating func scanDocument(capturing target: [UInt8]?) -> ObjectScan {
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        skipWhitespace()
        guard i < b.count, b[i] == UInt8(ascii: "{") else { return ObjectScan(isObject: false) }
        var member: String?
        guard scanObject(depth: 1, target: target, captured: &member) else { return ObjectScan(isObject: false) }
        skipWhitespace()
        guard i == b.count else { return ObjectScan(isObject: false) }
        return ObjectScan(isObject: true, member: member)
    }

    /// At `{`. With `target`, captures the first top-level member of that name with a string value.
    private mutating func scanObject(depth: Int, target: [UInt8]?, captured: inout String?) -> Bool {
        guard depth <= Self.maxDepth else { return false }
        i += 1 // {
        skipWhitespace()
        if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return true }
        while true {
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { return false }
            let keyStart = i
            guard let keyHasEscapes = scanString() else { return false }
            var wanted = false
            if let target, captured == nil {
                wanted = keyEquals(keyStart + 1..<i - 1, hasEscapes: keyHasEscapes, target)
            }
            skipWhitespace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { return false }
            i += 1
            skipWhitespace()
            if wanted, i < b.count, b[i] == UInt8(ascii: "\"") {
                let valueStart = i
                guard let valueHasEscapes = scanString() else { return false }
                captured = stringValue(valueStart + 1..<i - 1, hasEscapes: valueHasEscapes)
            } else {
                var ignored: String?
                guard scanValue(depth: depth, captured: &ignored) else { return false }
            }
            skipWhitespace()
            guard i < b.count else { return false }
            if b[i] == UInt8(ascii: ",") { i += 1; skipWhitespace(); continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return true }
            return false
        }
    }

    private mutating func scanArray(depth: Int) -> Bool {
        guard depth <= Self.maxDepth else { return false }
        i += 1 // [
        skipWhitespace()
        if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return true }
        while true {
            var ignored: String?
            guard scanValue(depth: depth, captured: &ignored) else { return false }
            skipWhitespace()
            guard i < b.count else { return false }
            if b[i] == UInt8(ascii: ",") { i += 1; skipWhitespace(); continue }
            if b[i] == UInt8(ascii: "]") { i += 1; return true }
            return false
        }
    }

    /// Any value; nested containers are one level deeper than `depth`.
    private mutating func scanValue(depth: Int, captured: inout String?) -> Bool {
        guard i < b.count else { return false }
        switch b[i] {
        case UInt8(ascii: "{"): return scanObject(depth: depth + 1, target: nil, captured: &captured)
        case UInt8(ascii: "["): return scanArray(depth: depth + 1)
        case UInt8(ascii: "\""): return scanString() != nil
        case UInt8(ascii: "t"): return scanLiteral("true")
        case UInt8(ascii: "f"): return scanLiteral("false")
        case UInt8(ascii: "n"): return scanLiteral("null")
        default: return scanNumber()
        }
    }

    /// At `"`; moves past the closing quote. Returns whether the string had escapes, or `nil`
    /// if it is not a valid JSON string.
    private mutating func scanString() -> Bool? {
        i += 1
        var hasEscapes = false
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "\""):
                i += 1
                return hasEscapes
            case UInt8(ascii: "\\"):
                hasEscapes = true
                guard i + 1 < b.count else { return nil }
                switch b[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 5 < b.count, (2...5).allSatisfy({ Hex.value(of: b[i + $0]) != nil }) else { return nil }
                    i += 6
                default:
                    return nil
                }
            case 0..<0x20:
                return nil
            case 0x20..<0x80:
                i += 1
            default:
                guard let length = UTF8Validation.sequenceLength(b, at: i) else { return nil }
                i += length
            }
        }
        return nil
    }

    private mutating func scanLiteral(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i + n <= b.count else { return false }
        let p = literal.utf8Start
        for k in 0..<n where b[i + k] != p[k] { return false }
        i += n
        return true
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func scanNumber() -> Bool {
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            guard skipDigits() > 0 else { return false }
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard skipDigits() > 0 else { return false }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard skipDigits() > 0 else { return false }
        }
        return true
    }

    private mutating func skipDigits() -> Int {
        let start = i
        while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") { i += 1 }
        return i - start
    }

    private mutating func skipWhitespace() {
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): i += 1
            default: return
            }
        }
    }

    // MARK: - String contents (only for the one member we capture)

    private func keyEquals(_ range: Range<Int>, hasEscapes: Bool, _ target: [UInt8]) -> Bool {
        if !hasEscapes { return b[range].elementsEqual(target) }
        return stringValue(range, hasEscapes: true).utf8.elementsEqual(target)
    }

    /// The unescaped contents of an already validated string.
    private func stringValue(_ range: Range<Int>, hasEscapes: Bool) -> String {
        let raw = UnsafeBufferPointer(rebasing: b[range])
        if !hasEscapes { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var k = 0
        while k < raw.count {
            let c = raw[k]
            guard c == UInt8(ascii: "\\") else { out.append(c); k += 1; continue }
            let e = raw[k + 1]
            k += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(raw, k)
                k += 4
                // A high surrogate followed by an escaped low surrogate is one scalar; a lone
                // surrogate becomes U+FFFD.
                if (0xD800..<0xDC00).contains(scalar), k + 5 < raw.count, raw[k] == UInt8(ascii: "\\"),
                   raw[k + 1] == UInt8(ascii: "u") {
                    let low = hex4(raw, k + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        k += 6
                    }
                }
                let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: UTF8.encode(unicode)!)
            default: out.append(e) // " \ /
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func hex4(_ raw: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in at..<at + 4 { v = v << 4 | UInt32(Hex.value(of: raw[k]) ?? 0) }
        return v
    }
}

/// UTF-8 well-formedness (Unicode Table 3-7), for bytes the JSON grammar passes through.
enum UTF8Validation {
    /// The length of the well-formed multi-byte sequence starting at `i`, or `nil`.
    static func sequenceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let c0 = b[i]
        @inline(__always) func cont(_ k: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            i + k < b.count && range.contains(b[i + k])
        }
        switch c0 {
        case 0xC2...0xDF: return cont(1) ? 2 : nil
        case 0xE0: return cont(1, 0xA0...0xBF) && cont(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : nil
        case 0xED: return cont(1, 0x80...0x9F) && cont(2) ? 3 : nil
        case 0xF0: return cont(1, 0x90...0xBF) && cont(2) && cont(3) ? 4 : nil
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : nil
        case 0xF4: return cont(1, 0x80...0x8F) && cont(2) && cont(3) ? 4 : nil
        default: return nil
        }
    }
}
