import Foundation

/// IP address comparisons for matching, on the textual forms Postgres' `host(inet)` returns and
/// gateways send (IPv4 dotted quads, IPv6 in any valid notation).
enum IPNetwork {
    /// The address as 4 or 16 bytes, or nil when it is not an IP address.
    static func bytes(_ text: String) -> [UInt8]? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if let pct = t.firstIndex(of: "%") { t = String(t[..<pct]) }   // IPv6 zone
        var v4 = in_addr()
        if inet_pton(AF_INET, t, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, t, &v6) == 1 {
            let b = withUnsafeBytes(of: &v6) { Array($0) }
            // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is that IPv4 address.
            if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff { return Array(b[12...]) }
            return b
        }
        return nil
    }

    static func sameAddress(_ a: String, _ b: String) -> Bool {
        guard let x = bytes(a), let y = bytes(b) else { return false }
        return x == y
    }

    /// Same IPv4 /24 or IPv6 /64 (one household or one mobile carrier's NAT pool, usually).
    static func sameNetwork(_ a: String, _ b: String) -> Bool {
        guard let x = bytes(a), let y = bytes(b), x.count == y.count else { return false }
        let prefix = x.count == 4 ? 3 : 8
        return x.prefix(prefix) == y.prefix(prefix)
    }

    /// The prefix length ``sameNetwork(_:_:)`` compares for this address (24 or 64).
    static func networkPrefixLength(_ text: String) -> Int? {
        bytes(text).map { $0.count == 4 ? 24 : 64 }
    }
}
