#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Format checks for the unhashed `user_data` fields, used by `CAPIEventValidator` and
/// available to code that collects these values (so a bad cookie or a proxy's address list can
/// be dropped at the source instead of failing an event later).
public enum CAPIFieldFormat {
    /// True for a single IPv4 or IPv6 address ("203.0.113.7", "2001:db8::1", "::ffff:1.2.3.4").
    ///
    /// Meta requires a valid address; an `X-Forwarded-For` list ("1.2.3.4, 10.0.0.1"), a port
    /// suffix or "unknown" is not one. Parsed by ``IPAddress``.
    public static func isValidIPAddress(_ value: String) -> Bool {
        guard !value.isEmpty, value.utf8.count <= 45, !MetaText.containsWhitespace(value) else { return false }
        return IPAddress(value) != nil
    }

    /// True for `fb.{subdomainIndex}.{creationTimeMs}.{fbclid}` with an optional fifth
    /// "appendix" segment (Meta's parameter builder adds one).
    ///
    /// Only the structure is checked; the click id is case sensitive and opaque.
    public static func isValidFBC(_ value: String) -> Bool {
        cookieFrame(value) != nil
    }

    /// True for `fb.{subdomainIndex}.{creationTimeMs}.{random digits}` with an optional fifth
    /// "appendix" segment.
    public static func isValidFBP(_ value: String) -> Bool {
        cookieFrame(value)?.fourthIsDigits == true
    }

    /// What ``cookieSegments(_:)`` tells the two checks: the frame is right, and whether the
    /// fourth segment is all digits.
    private struct CookieFrame {
        var fourthIsDigits: Bool
    }

    /// ``cookieSegments(_:)`` without building substrings: every event carries an fbp or fbc,
    /// and splitting them was a tenth of dispatchd's CPU. ASCII values are checked byte by
    /// byte (where bytes and characters coincide); anything else takes the reference path.
    private static func cookieFrame(_ value: String) -> CookieFrame? {
        guard MetaText.isASCII(value) else {
            return cookieSegments(value).map { CookieFrame(fourthIsDigits: MetaText.isAllASCIIDigits($0[3])) }
        }
        var copy = value
        return copy.withUTF8 { bytes -> CookieFrame? in
            var segment = 0, start = 0, fourthIsDigits = false
            for i in 0...bytes.count {
                let byte: UInt8 = i < bytes.count ? bytes[i] : UInt8(ascii: ".")
                if byte == 0x20 || (0x09...0x0D).contains(byte) { return nil }
                guard byte == UInt8(ascii: ".") else { continue }
                let part = UnsafeBufferPointer(rebasing: bytes[start..<i])
                let digits = !part.isEmpty && part.allSatisfy { (0x30...0x39).contains($0) }
                switch segment {
                case 0: guard part.count == 2, part[0] == UInt8(ascii: "f"), part[1] == UInt8(ascii: "b") else { return nil }
                case 1: guard part.count <= 2, digits else { return nil }
                case 2: guard (10...13).contains(part.count), digits else { return nil }
                case 3: guard !part.isEmpty else { return nil }; fourthIsDigits = digits
                case 4: guard !part.isEmpty else { return nil }
                default: return nil
                }
                segment += 1
                start = i + 1
            }
            return segment >= 4 ? CookieFrame(fourthIsDigits: fourthIsDigits) : nil
        }
    }

    /// The dot-separated segments of an `_fbc`/`_fbp` value when its frame is right: 4 or 5
    /// non-empty segments, "fb", a small subdomain index, a millisecond timestamp, and no
    /// whitespace.
    private static func cookieSegments(_ value: String) -> [Substring]? {
        guard !MetaText.containsWhitespace(value) else { return nil }
        let segments = value.split(separator: ".", omittingEmptySubsequences: false)
        guard (4...5).contains(segments.count), segments[0] == "fb",
              segments[1].count <= 2, MetaText.isAllASCIIDigits(segments[1]),
              (10...13).contains(segments[2].count), MetaText.isAllASCIIDigits(segments[2]),
              segments.allSatisfy({ !$0.isEmpty })
        else { return nil }
        return segments
    }
}
