public import Foundation

/// Meta's `fbc` (click) and `fbp` (browser) identifiers, which CAPI takes unhashed and which
/// raise match quality when present (reference §1.5).
///
/// `fbc` is `fb.{subdomainIndex}.{creationTime ms}.{fbclid}`, optionally followed by a
/// Parameter-Builder appendix; `fbp` has the same shape with a random number as its value.
public enum FBC {
    /// Longest fbclid accepted, in bytes. Real ones are a few hundred at most; anything longer is
    /// abuse of the ad URL, not a click id.
    public static let maxFbclidBytes = 500

    /// The `fbc` for a click that arrived with `fbclid` at `clickTime`, or `nil` if `fbclid` is
    /// not something Meta could have issued.
    ///
    /// The subdomain index is `1`, which Meta prescribes for values generated on a server
    /// without an `_fbc` cookie; the creation time is when we first saw the fbclid, in
    /// milliseconds. The fbclid is copied byte-for-byte (Meta: "case sensitive - do not apply
    /// any modifications"). An fbclid that is empty, longer than ``maxFbclidBytes`` or contains
    /// anything but `A–Z a–z 0–9 - _ ~` is refused: those are the only characters Meta's ids
    /// use, and a `.` or `%` would change how the value is split or decoded downstream.
    public static func make(fbclid: String, clickTime: Date) -> String? {
        let utf8 = fbclid.utf8
        guard !utf8.isEmpty, utf8.count <= maxFbclidBytes, utf8.allSatisfy(isValueCharacter) else { return nil }
        let ms = max(0, Int64((clickTime.timeIntervalSince1970 * 1000).rounded(.down)))
        return "fb.1.\(ms).\(fbclid)"
    }

    /// Whether `value` is a well-formed `_fbc` or `_fbp` cookie value, as sent by the browser
    /// or a landing page, before it is stored and forwarded to Meta.
    ///
    /// Accepted, following Meta's Parameter Builder (reference §1.5): 4 or 5 dot-separated
    /// segments — `fb`; a subdomain index of 1–2 digits; a 13-digit millisecond creation time
    /// (any time from 2001 to 2286); a value of 1–``maxFbclidBytes`` characters from
    /// `A–Z a–z 0–9 - _ ~` (an fbclid for `fbc`, a random number for `fbp`); and optionally an
    /// appendix that is either one of the 2-character codes `AQ Ag Aw BA BQ Bg` or exactly 8
    /// base64url characters. Everything else — seconds instead of milliseconds, spaces, empty
    /// segments, 3 or 6 segments — is rejected, because Meta would discard or flag it anyway.
    public static func isValidCookie(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { b in
            var segment = 0
            var start = 0
            for index in 0...b.count where index == b.count || b[index] == UInt8(ascii: ".") {
                guard segment < 5, isValidSegment(segment, UnsafeBufferPointer(rebasing: b[start..<index])) else { return false }
                segment += 1
                start = index + 1
            }
            return segment == 4 || segment == 5
        }
    }

    private static func isValidSegment(_ position: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch position {
        case 0:
            return bytes.count == 2 && bytes[0] == UInt8(ascii: "f") && bytes[1] == UInt8(ascii: "b")
        case 1:
            return (1...2).contains(bytes.count) && bytes.allSatisfy(isDigit)
        case 2:
            return bytes.count == 13 && bytes.allSatisfy(isDigit)
        case 3:
            return (1...maxFbclidBytes).contains(bytes.count) && bytes.allSatisfy(isValueCharacter)
        default:
            if bytes.count == 8 { return bytes.allSatisfy(isBase64URL) }
            guard bytes.count == 2 else { return false }
            // Parameter Builder's short appendix codes: AQ Ag Aw BA BQ Bg.
            switch (bytes[0], bytes[1]) {
            case (UInt8(ascii: "A"), UInt8(ascii: "Q")), (UInt8(ascii: "A"), UInt8(ascii: "g")), (UInt8(ascii: "A"), UInt8(ascii: "w")),
                 (UInt8(ascii: "B"), UInt8(ascii: "A")), (UInt8(ascii: "B"), UInt8(ascii: "Q")), (UInt8(ascii: "B"), UInt8(ascii: "g")):
                return true
            default:
                return false
            }
        }
    }

    @inline(__always)
    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    @inline(__always)
    private static func isBase64URL(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    @inline(__always)
    private static func isValueCharacter(_ c: UInt8) -> Bool { isBase64URL(c) || c == UInt8(ascii: "~") }
}
