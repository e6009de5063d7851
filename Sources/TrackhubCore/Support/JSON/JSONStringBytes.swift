/// The body of a JSON string written as UTF-8 bytes, with runs that need no escape copied in
/// one piece (most values need none). Shared by the two hand-written JSON writers — envelopes
/// (`JSONBytes`) and Meta events (`MetaJSONWriter`) — which differ only in which bytes they
/// escape and how (each keeps the exact bytes it always produced).
enum JSONStringBytes {
    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `"value"`: bytes for which `needsEscape` is true are written by `escape`.
    @inline(__always)
    static func append(_ value: String, to bytes: inout [UInt8], needsEscape: (UInt8) -> Bool,
                       escape: (UInt8, inout [UInt8]) -> Void) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for i in 0..<utf8.count where needsEscape(utf8[i]) {
                if i > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
                escape(utf8[i], &bytes)
                start = i + 1
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `\u00XX` for a control byte.
    static func appendUnicodeEscape(_ b: UInt8, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 0x0F)]])
    }
}
