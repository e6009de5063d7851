/// RFC 3986 percent-encoding for the URLs ingestd puts in a `Location` header.
///
/// Two rules, each chosen for safety rather than brevity:
/// - a query *component* we add (click id, passed-through `utm_*` value) keeps only the
///   unreserved characters `A–Z a–z 0–9 - . _ ~` and encodes every other byte, so `&`, `=`,
///   `#`, `+`, `%`, `/`, CR/LF and non-ASCII can never change the URL's structure or the
///   header (a space becomes `%20`, never `+`);
/// - text copied from an operator-configured URL keeps every character RFC 3986 allows there
///   and every valid `%XX`, and encodes only what RFC 3986 does not allow there (spaces,
///   controls, non-ASCII, quotes, angle brackets, backslash, caret, backtick, braces, pipe,
///   square brackets, a stray `%`), so the configured URL reaches the browser byte-for-byte
///   whenever it was already valid.
///
/// Either rule turns one input byte into at most three output bytes, which is what callers
/// size their buffers by.
enum PercentEncoding {
    /// The most bytes one input byte can become.
    static let maxExpansion = 3

    /// Writes `text` encoded as a query name or value.
    static func writeComponent(_ text: some StringProtocol, to out: inout ByteWriter) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes { writeComponentByte(byte, to: &out) }
        }
        if done == nil {
            for byte in text.utf8 { writeComponentByte(byte, to: &out) }
        }
    }

    /// `text` encoded as a query name or value.
    static func encodeComponent(_ text: some StringProtocol) -> String {
        String(unsafeUninitializedCapacity: text.utf8.count * maxExpansion) { buffer in
            var out = ByteWriter(buffer)
            writeComponent(text, to: &out)
            return out.count
        }
    }

    /// Writes bytes of a configured URL's path, query or fragment, keeping what is already
    /// valid there and encoding the rest.
    static func writePreservingValid(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, to out: inout ByteWriter) {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let byte = bytes[i]
            if isAllowedInQuery(byte) {
                out.write(byte)
            } else if byte == UInt8(ascii: "%"), i + 2 < end, Hex.value(of: bytes[i + 1]) != nil, Hex.value(of: bytes[i + 2]) != nil {
                out.write(byte) // a valid escape: its two hex digits follow as allowed bytes
            } else {
                writeEscape(byte, to: &out)
            }
            i += 1
        }
    }

    @inline(__always)
    private static func writeComponentByte(_ byte: UInt8, to out: inout ByteWriter) {
        if isUnreserved(byte) {
            out.write(byte)
        } else {
            writeEscape(byte, to: &out)
        }
    }

    /// RFC 3986 `unreserved`.
    @inline(__always)
    static func isUnreserved(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// RFC 3986 `pchar / "/" / "?"` without `pct-encoded`: what may appear raw in a path, a
    /// query or a fragment (`?` cannot occur in a path we copy, it ends the path).
    @inline(__always)
    static func isAllowedInQuery(_ c: UInt8) -> Bool {
        if isUnreserved(c) { return true }
        switch c {
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
             UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="),
             UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "/"), UInt8(ascii: "?"):
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func writeEscape(_ byte: UInt8, to out: inout ByteWriter) {
        out.write(UInt8(ascii: "%"))
        out.write(upperHex(byte >> 4))
        out.write(upperHex(byte & 0x0F))
    }

    /// RFC 3986 §2.1: producers should use uppercase hex in escapes.
    @inline(__always)
    private static func upperHex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "A") &+ nibble &- 10
    }
}
