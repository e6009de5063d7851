import Foundation

/// ASCII fast paths for the text primitives dispatchd runs on every event.
///
/// Foundation's `trimmingCharacters(in:)` and canonical (de)composition bridge through
/// `NSString` and UTF-16 on Linux: they were a quarter of dispatchd's CPU time per event. Almost
/// every value (ids, cookies, URLs, IPs, user agents, most emails) is plain ASCII, and for ASCII
/// the answer is known without Foundation. Each helper returns exactly what the Foundation call
/// it replaces returns — ASCII is decided byte by byte, anything else goes the old way — and a
/// unit test compares both over ASCII and non-ASCII inputs.
extension MetaText {
    /// `value.trimmingCharacters(in: .whitespacesAndNewlines)`.
    static func trimmed(_ value: String) -> String {
        let utf8 = value.utf8
        guard let first = utf8.first, let last = utf8.last else { return value }
        // A string that starts and ends with a printable ASCII byte has nothing to trim: the
        // whitespace set's ASCII members are 0x09-0x0D and 0x20, and a non-ASCII scalar never
        // starts or ends with an ASCII byte.
        if isPrintableASCII(first), isPrintableASCII(last) { return value }
        return value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `value.contains(where: \.isWhitespace)`.
    static func containsWhitespace(_ value: String) -> Bool {
        var ascii = true
        for byte in value.utf8 {
            if byte >= 0x80 { ascii = false; break }
            if byte == 0x20 || (0x09...0x0D).contains(byte) { return true }
        }
        return ascii ? false : value.contains(where: \.isWhitespace)
    }

    /// `value.precomposedStringWithCanonicalMapping` (NFC); ASCII is already in NFC.
    static func precomposed(_ value: String) -> String {
        isASCII(value) ? value : value.precomposedStringWithCanonicalMapping
    }

    static func isASCII(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 < 0x80 }
    }

    private static func isPrintableASCII(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x80
    }
}
