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
    /// suffix or "unknown" is not one. Checked with the C library's `inet_pton`.
    public static func isValidIPAddress(_ value: String) -> Bool {
        guard !value.isEmpty, value.utf8.count <= 45, !MetaText.containsWhitespace(value) else { return false }
        var v4 = in_addr()
        var v6 = in6_addr()
        return value.withCString { cString in
            inet_pton(AF_INET, cString, &v4) == 1 || inet_pton(AF_INET6, cString, &v6) == 1
        }
    }

    /// True for `fb.{subdomainIndex}.{creationTimeMs}.{fbclid}` with an optional fifth
    /// "appendix" segment (Meta's parameter builder adds one).
    ///
    /// Only the structure is checked; the click id is case sensitive and opaque.
    public static func isValidFBC(_ value: String) -> Bool {
        guard let segments = cookieSegments(value) else { return false }
        return !segments[3].isEmpty
    }

    /// True for `fb.{subdomainIndex}.{creationTimeMs}.{random digits}` with an optional fifth
    /// "appendix" segment.
    public static func isValidFBP(_ value: String) -> Bool {
        guard let segments = cookieSegments(value) else { return false }
        return MetaText.isAllASCIIDigits(segments[3])
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
