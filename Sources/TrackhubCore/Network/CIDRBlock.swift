/// A block of addresses such as `10.0.0.0/8` or `fd00::/8`, used to say which peers are our own
/// proxies and load balancers.
public struct CIDRBlock: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block.
    public let network: IPAddress
    /// The prefix length in the block's own family: 0–32 for IPv4, 0–128 for IPv6.
    public let prefixLength: Int

    /// The mask in the 128-bit space where IPv4 lives at `::ffff:0:0/96`.
    private let mask: UInt128

    /// Parses `a.b.c.d/n`, `v6/n`, or a bare address (a single-address block).
    ///
    /// A block with bits set after the prefix (`10.0.0.1/8`) is refused rather than silently
    /// widened: in a list of proxies we trust, a typo must not trust a whole /8.
    public init?(_ text: some StringProtocol) {
        let trimmed = text.trimmingASCIIBlanks
        let address: Substring
        let length: Int?
        if let slash = trimmed.firstIndex(of: "/") {
            address = trimmed[..<slash]
            let digits = trimmed[trimmed.index(after: slash)...]
            guard !digits.isEmpty, digits.count <= 3, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            length = Int(digits)
        } else {
            address = trimmed
            length = nil
        }
        guard let ip = IPAddress(address) else { return nil }
        let family = ip.isIPv4 && !address.contains(":") ? 32 : 128
        let prefix = length ?? family
        guard prefix <= family else { return nil }
        let bitsInSpace = prefix + (128 - family)
        let mask: UInt128 = bitsInSpace == 0 ? 0 : ~0 << UInt128(128 - bitsInSpace)
        guard ip.bits & mask == ip.bits else { return nil }
        self.network = ip
        self.prefixLength = prefix
        self.mask = mask
    }

    /// Whether `address` is inside the block.
    @inline(__always)
    public func contains(_ address: IPAddress) -> Bool {
        address.bits & mask == network.bits
    }

    public var description: String { "\(network)/\(prefixLength)" }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (configuration lists are
    /// written by people).
    var trimmingASCIIBlanks: Substring {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return s
    }
}
