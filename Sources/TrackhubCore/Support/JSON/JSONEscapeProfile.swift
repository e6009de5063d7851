/// How ``JSONWriter`` writes the bytes of a string: the one place the wire formats differ.
///
/// Every profile escapes `"` and `\` and never writes a raw control byte (RFC 8259); they differ
/// in what else they do, each for a reason:
/// - ``envelope``: lossless transit. Every scalar is kept — a NUL in a query string reaches
///   dispatchd as it arrived, and the raw input can be replayed — and the text is free of raw
///   control bytes *and* DEL, so an entry is safe to print from `redis-cli` or a spool dump.
/// - ``stored``: what Postgres and Meta receive. `JSONEncoder`'s exact bytes (sorted-key blobs
///   compared against it byte for byte), except U+0000, which becomes U+FFFD: Postgres can store
///   no NUL in `text` nor `\u0000` in `jsonb` (SQLSTATE 22P05), and a row it refuses fails the
///   whole batch — one NUL in a `utm_source` or a Hotmart `sck` would dead-letter a click or a
///   real sale. Meta events use it too because each is stored in the ledger exactly as sent.
package struct JSONEscapeProfile: Sendable, Equatable {
    /// DEL (0x7F) as `\u007f` rather than as itself.
    package var escapesDelete: Bool
    /// Backspace and form feed as `\b`/`\f` rather than `\u0008`/`\u000c`.
    package var shortBackspaceAndFormFeed: Bool
    /// U+0000 written as U+FFFD (the replacement character) rather than `\u0000`.
    package var replacesNUL: Bool

    package static let envelope = JSONEscapeProfile(escapesDelete: true, shortBackspaceAndFormFeed: false, replacesNUL: false)
    package static let stored = JSONEscapeProfile(escapesDelete: false, shortBackspaceAndFormFeed: true, replacesNUL: true)

    @inline(__always)
    func needsEscape(_ b: UInt8) -> Bool {
        b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || (b == 0x7F && escapesDelete)
    }

    /// Appends the escaped form of `b`, one of the bytes ``needsEscape(_:)`` selects.
    func escape(_ b: UInt8, to out: inout [UInt8]) {
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
        case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
        case 0x08 where shortBackspaceAndFormFeed: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "b"))
        case 0x0C where shortBackspaceAndFormFeed: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
        case 0x00 where replacesNUL: out.append(contentsOf: [0xEF, 0xBF, 0xBD]) // U+FFFD
        default:
            out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                    Self.hex[Int(b >> 4)], Self.hex[Int(b & 0x0F)]])
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
