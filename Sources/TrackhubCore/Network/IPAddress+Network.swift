/// "Same network" for sale matching, and reading addresses that others wrote (Postgres'
/// `host(inet)`, gateways' buyer IPs), on the one address type.
extension IPAddress {
    /// Parses an address written by someone else: surrounding spaces and tabs and an IPv6 zone
    /// (`fe80::1%eth0`) are ignored; anything that is not one address is nil.
    public init?(lenient text: some StringProtocol) {
        var t = text.trimmingASCIIBlanks
        if let zone = t.firstIndex(of: "%") { t = t[..<zone] }
        self.init(t)
    }

    /// The prefix length that counts as "the same network": an IPv4 /24 or an IPv6 /64 (one
    /// household, or one mobile carrier's NAT pool, usually).
    public var networkPrefixLength: Int { isIPv4 ? 24 : 64 }

    /// Whether both addresses are of one family and share the ``networkPrefixLength`` prefix.
    public func isInSameNetwork(as other: IPAddress) -> Bool {
        guard isIPv4 == other.isIPv4 else { return false }
        let bitsInSpace = isIPv4 ? 96 + 24 : 64
        let mask: UInt128 = ~0 << UInt128(128 - bitsInSpace)
        return bits & mask == other.bits & mask
    }
}
