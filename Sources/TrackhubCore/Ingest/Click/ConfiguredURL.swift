/// The parts of an operator-configured destination URL, located without Foundation.
///
/// The same parse serves configuration-time validation and the per-click build, so a URL the
/// validator accepts is exactly a URL the builder can use. Only absolute `http`/`https` URLs
/// with a plain host are accepted: no user info (`https://bank.example@evil.example` reads as
/// the first host to a person but goes to the second), no backslashes (browsers treat `\` as
/// `/` in the authority), no whitespace or control characters (header injection).
struct ConfiguredURL {
    /// Longest configured URL accepted; browsers and proxies start failing on much longer
    /// `Location` headers once parameters are added.
    static let maxLength = 2048

    /// `scheme://authority`, copied verbatim.
    var origin: Range<Int>
    /// The path, possibly empty.
    var path: Range<Int>
    /// The query after `?`, if there is a `?`.
    var query: Range<Int>?
    /// The fragment after `#`, if there is a `#`.
    var fragment: Range<Int>?

    enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case tooLong
        case whitespaceOrControl
        case notHTTP
        case missingHost
        case userInfo
        case invalidHost
        case invalidPort

        var description: String {
            switch self {
            case .empty: return "is empty"
            case .tooLong: return "is longer than \(ConfiguredURL.maxLength) bytes"
            case .whitespaceOrControl: return "contains whitespace or control characters (percent-encode them)"
            case .notHTTP: return "must be an absolute http:// or https:// URL"
            case .missingHost: return "has no host"
            case .userInfo: return "must not contain user info (user@host)"
            case .invalidHost: return "has an invalid host (use letters, digits, '-', '.', punycode for IDNs, or [IPv6])"
            case .invalidPort: return "has an invalid port"
            }
        }
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Result<ConfiguredURL, Problem> {
        guard !b.isEmpty else { return .failure(.empty) }
        guard b.count <= maxLength else { return .failure(.tooLong) }
        guard !b.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else { return .failure(.whitespaceOrControl) }

        let authorityStart: Int
        if hasPrefixIgnoringCase(b, "https://") {
            authorityStart = 8
        } else if hasPrefixIgnoringCase(b, "http://") {
            authorityStart = 7
        } else {
            return .failure(.notHTTP)
        }
        var authorityEnd = authorityStart
        while authorityEnd < b.count, b[authorityEnd] != UInt8(ascii: "/"), b[authorityEnd] != UInt8(ascii: "?"),
              b[authorityEnd] != UInt8(ascii: "#") {
            authorityEnd += 1
        }
        guard authorityEnd > authorityStart else { return .failure(.missingHost) }
        let authority = b[authorityStart..<authorityEnd]
        if authority.contains(UInt8(ascii: "@")) { return .failure(.userInfo) }
        if let problem = checkAuthority(authority) { return .failure(problem) }

        var pathEnd = authorityEnd
        while pathEnd < b.count, b[pathEnd] != UInt8(ascii: "?"), b[pathEnd] != UInt8(ascii: "#") { pathEnd += 1 }
        var query: Range<Int>?
        var fragment: Range<Int>?
        var cursor = pathEnd
        if cursor < b.count, b[cursor] == UInt8(ascii: "?") {
            var queryEnd = cursor + 1
            while queryEnd < b.count, b[queryEnd] != UInt8(ascii: "#") { queryEnd += 1 }
            query = (cursor + 1)..<queryEnd
            cursor = queryEnd
        }
        if cursor < b.count, b[cursor] == UInt8(ascii: "#") {
            fragment = (cursor + 1)..<b.count
        }
        return .success(ConfiguredURL(origin: 0..<authorityEnd, path: authorityEnd..<pathEnd, query: query, fragment: fragment))
    }

    /// `host[:port]` where host is a DNS name (LDH labels, `_` tolerated) or an `[IPv6]` literal;
    /// dotted IPv4 is a DNS-shaped name and passes the same check.
    private static func checkAuthority(_ a: Slice<UnsafeBufferPointer<UInt8>>) -> Problem? {
        var host = a
        var port: Slice<UnsafeBufferPointer<UInt8>>?
        if a.first == UInt8(ascii: "[") {
            guard let close = a.firstIndex(of: UInt8(ascii: "]")) else { return .invalidHost }
            guard IPAddress.parseIPv6(a[(a.startIndex + 1)..<close]) != nil else { return .invalidHost }
            let rest = a[(close + 1)...]
            if !rest.isEmpty {
                guard rest.first == UInt8(ascii: ":") else { return .invalidHost }
                port = rest.dropFirst()
            }
            host = a[a.startIndex..<(close + 1)]
        } else {
            if let colon = a.firstIndex(of: UInt8(ascii: ":")) {
                host = a[..<colon]
                port = a[(colon + 1)...]
            }
            guard !host.isEmpty, host.count <= 253 else { return host.isEmpty ? .missingHost : .invalidHost }
            var labelLength = 0
            for c in host {
                if c == UInt8(ascii: ".") {
                    guard labelLength > 0 else { return .invalidHost }
                    labelLength = 0
                    continue
                }
                let ok = (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                    || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
                guard ok else { return .invalidHost }
                labelLength += 1
                guard labelLength <= 63 else { return .invalidHost }
            }
        }
        if let port {
            // An empty port (`host:`) is allowed by RFC 3986 and means the default.
            guard port.count <= 5, port.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                return .invalidPort
            }
            if !port.isEmpty, port.reduce(0, { $0 * 10 + Int($1 - UInt8(ascii: "0")) }) > 65535 { return .invalidPort }
        }
        return nil
    }

    private static func hasPrefixIgnoringCase(_ b: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard b.count >= n else { return false }
        let p = prefix.utf8Start
        for k in 0..<n {
            var c = b[k]
            if c >= UInt8(ascii: "A"), c <= UInt8(ascii: "Z") { c += 32 }
            if c != p[k] { return false }
        }
        return true
    }
}
