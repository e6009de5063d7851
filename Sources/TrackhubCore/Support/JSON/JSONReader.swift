/// The one JSON reader: RFC 8259 grammar over UTF-8 bytes, shared by everything that reads
/// JSON — ``JSONValue/parse(_:strings:)`` builds a document from it, and
/// ``scanObject(_:capturing:)`` validates a webhook body in one pass without building one.
///
/// Why one: the grammar (strings and their escapes, numbers, literals, nesting, the BOM) was
/// written twice and had started to drift; every reader now refuses and accepts the same
/// documents. It works on an unsafe buffer and allocates only for the strings and numbers a
/// caller keeps, because ingestd validates every request body and dispatchd decodes every
/// stream entry with it.
///
/// Strictness: RFC 8259, nesting at most ``maxDepth``, no raw control characters in strings,
/// a leading UTF-8 byte-order mark skipped (RFC 8259 §8.1 lets parsers ignore it: refusing a
/// real sale over a BOM would be worse than accepting one). Invalid UTF-8 inside strings is
/// refused or replaced by U+FFFD, as the caller's ``StringBytes`` policy says. Duplicate object
/// keys: the *first* occurrence wins everywhere, so the value that authenticated a body is the
/// value a parser later reads.
package struct JSONReader {
    /// Deeper nesting than this is refused: no real payload comes close, and recursion stays
    /// bounded.
    static let maxDepth = 64

    /// What to do with bytes inside a string that are not well-formed UTF-8.
    package enum StringBytes: Sendable {
        /// Refuse the document: for input read at the edge (webhook bodies, `/track`), which
        /// must be valid JSON text before it is accepted.
        case validated
        /// Replace each ill-formed sequence by U+FFFD: for input already accepted once (stream
        /// entries, stored webhook bodies, Meta's responses), where refusing would lose data.
        /// An escaped U+0000 (`\u0000`) becomes U+FFFD too: what is read this way is about to be
        /// stored, and Postgres stores no NUL (``StorableText``) — so an envelope written before
        /// ingestd replaced NULs, or a gateway's body, cannot fail a batch with one.
        case repaired
    }

    /// A string token: the bytes between its quotes, and whether they hold escapes.
    struct Token {
        var range: Range<Int>
        var hasEscapes: Bool
    }

    let b: UnsafeBufferPointer<UInt8>
    private(set) var i = 0
    let strings: StringBytes

    init(_ buffer: UnsafeBufferPointer<UInt8>, strings: StringBytes) {
        b = buffer
        self.strings = strings
    }

    /// At the start of a document: skips a UTF-8 BOM and whitespace.
    mutating func skipPreamble() {
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        skipWhitespace()
    }

    /// Whether only whitespace is left.
    mutating func atEnd() -> Bool {
        skipWhitespace()
        return i == b.count
    }

    /// The next byte, without consuming it (nil at the end).
    var peek: UInt8? { i < b.count ? b[i] : nil }

    @inline(__always)
    mutating func skipWhitespace() {
        while i < b.count {
            switch b[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    // MARK: - Containers

    /// At `{`: calls `member` for each member with the reader at the value, which `member` must
    /// consume (returning false stops with a refusal). `depth` is the object's own depth.
    @inline(__always)
    mutating func readObject(depth: Int, _ member: (inout JSONReader, Token) -> Bool) -> Bool {
        guard depth <= Self.maxDepth else { return false }
        i += 1 // {
        skipWhitespace()
        if peek == UInt8(ascii: "}") { i += 1; return true }
        while true {
            guard peek == UInt8(ascii: "\""), let key = readString() else { return false }
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { return false }
            i += 1
            skipWhitespace()
            guard member(&self, key) else { return false }
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): i += 1; skipWhitespace()
            case UInt8(ascii: "}"): i += 1; return true
            default: return false
            }
        }
    }

    /// At `[`: calls `element` with the reader at each element, which it must consume.
    @inline(__always)
    mutating func readArray(depth: Int, _ element: (inout JSONReader) -> Bool) -> Bool {
        guard depth <= Self.maxDepth else { return false }
        i += 1 // [
        skipWhitespace()
        if peek == UInt8(ascii: "]") { i += 1; return true }
        while true {
            guard element(&self) else { return false }
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): i += 1; skipWhitespace()
            case UInt8(ascii: "]"): i += 1; return true
            default: return false
            }
        }
    }

    /// Consumes any value, building nothing; containers are one level deeper than `depth`.
    mutating func skipValue(depth: Int) -> Bool {
        switch peek {
        case UInt8(ascii: "{"): return readObject(depth: depth + 1) { r, _ in r.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): return readArray(depth: depth + 1) { r in r.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): return readString() != nil
        case UInt8(ascii: "t"): return readLiteral("true")
        case UInt8(ascii: "f"): return readLiteral("false")
        case UInt8(ascii: "n"): return readLiteral("null")
        case nil: return false
        default: return readNumber() != nil
        }
    }

    // MARK: - Scalars

    mutating func readLiteral(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard b.count - i >= n else { return false }
        let p = literal.utf8Start
        for k in 0..<n where b[i + k] != p[k] { return false }
        i += n
        return true
    }

    /// RFC 8259 §6, `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`: the literal's range.
    mutating func readNumber() -> Range<Int>? {
        let start = i
        if peek == UInt8(ascii: "-") { i += 1 }
        guard let first = peek, isDigit(first) else { return nil }
        if first == UInt8(ascii: "0") { i += 1 } else { skipDigits() }
        if peek == UInt8(ascii: ".") {
            i += 1
            guard skipDigits() > 0 else { return nil }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            i += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
            guard skipDigits() > 0 else { return nil }
        }
        return start..<i
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = i
        while i < b.count, isDigit(b[i]) { i += 1 }
        return i - start
    }

    @inline(__always)
    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// At `"`: moves past the closing quote. Nil for an invalid string (a bad escape, a raw
    /// control character, an unterminated string, or ill-formed UTF-8 when ``strings`` is
    /// `.validated`).
    mutating func readString() -> Token? {
        i += 1
        let start = i
        var hasEscapes = false
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return Token(range: start..<(i - 1), hasEscapes: hasEscapes)
            }
            if c == UInt8(ascii: "\\") {
                hasEscapes = true
                guard i + 1 < b.count else { return nil }
                switch b[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard b.count - i >= 6, (2...5).allSatisfy({ Hex.value(of: b[i + $0]) != nil }) else { return nil }
                    i += 6
                default:
                    return nil
                }
            } else if c < 0x20 {
                return nil
            } else if c < 0x80 || strings == .repaired {
                i += 1
            } else {
                guard let length = UTF8Validation.sequenceLength(b, at: i) else { return nil }
                i += length
            }
        }
        return nil
    }

    /// The contents of a string token with its escapes decoded. A lone surrogate escape becomes
    /// U+FFFD; so do ill-formed UTF-8 and an escaped U+0000 (both only with `.repaired`).
    func decode(_ token: Token) -> String {
        let raw = UnsafeBufferPointer(rebasing: b[token.range])
        if !token.hasEscapes { return String(decoding: raw, as: UTF8.self) }
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
                var scalar = Self.hex4(raw, k)
                k += 4
                // A high surrogate followed by an escaped low surrogate is one scalar.
                if (0xD800..<0xDC00).contains(scalar), raw.count - k >= 6, raw[k] == UInt8(ascii: "\\"),
                   raw[k + 1] == UInt8(ascii: "u") {
                    let low = Self.hex4(raw, k + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        k += 6
                    }
                }
                let unicode = scalar == 0 && strings == .repaired ? StorableText.replacement : Unicode.Scalar(scalar) ?? "\u{FFFD}"
                UTF8.encode(unicode) { out.append($0) }
            default: out.append(e) // " \ /
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a string token's contents equal `target` (decoding only when it has escapes).
    func token(_ token: Token, equals target: [UInt8]) -> Bool {
        if !token.hasEscapes { return b[token.range].elementsEqual(target) }
        return decode(token).utf8.elementsEqual(target)
    }

    /// The text of a number's range.
    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self)
    }

    private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in at..<at + 4 { v = v << 4 | UInt32(Hex.value(of: raw[k]) ?? 0) }
        return v
    }
}
