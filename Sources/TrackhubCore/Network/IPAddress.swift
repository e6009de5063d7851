/// An IPv4 or IPv6 address, parsed strictly and printed canonically.
///
/// Client IPs go to Meta as `client_ip_address` and decide which X-Forwarded-For entries are
/// believed, so the parser accepts only real addresses (no hostnames, zone ids, octal or
/// short IPv4 forms such as `010.1` or `1.2.3`) and the printed form is canonical (RFC 5952
/// for IPv6, dotted quad for IPv4): one client is one string, whatever its proxy wrote.
///
/// IPv4 is held as the IPv4-mapped IPv6 address `::ffff:a.b.c.d`, so one 128-bit comparison
/// serves both families and a dual-stack socket's `::ffff:10.0.0.1` peer is the same address
/// as `10.0.0.1`.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address as 128 bits, IPv4 mapped into `::ffff:0:0/96`.
    public let bits: UInt128

    static let v4MappedPrefix: UInt128 = 0xFFFF << 32

    /// Whether this is an IPv4 address (including one written as `::ffff:a.b.c.d`).
    public var isIPv4: Bool { bits >> 32 == 0xFFFF }

    /// Whether this is a loopback address (`127.0.0.0/8` or `::1`): traffic to it never leaves
    /// the host, which is why an outbound URL may use plain http only towards it.
    public var isLoopback: Bool {
        isIPv4 ? UInt8(truncatingIfNeeded: bits >> 24) == 127 : bits == 1
    }

    /// An IPv4 address from its 32 bits.
    public init(ipv4 bits: UInt32) {
        self.bits = Self.v4MappedPrefix | UInt128(bits)
    }

    /// An IPv6 address from its 128 bits.
    public init(ipv6 bits: UInt128) {
        self.bits = bits
    }

    /// Parses a bare IPv4 (`203.0.113.7`) or IPv6 (`2001:db8::1`, `::ffff:1.2.3.4`) address;
    /// `nil` for anything else, including brackets and ports (see ``init(hostPort:)``).
    public init?(_ text: some StringProtocol) {
        var copy = String(text)
        guard let bits = copy.withUTF8({ Self.parse($0[...]) }) else { return nil }
        self.bits = bits
    }

    /// Parses an address as proxies write it in X-Forwarded-For or as a socket peer: a bare
    /// address, `1.2.3.4:port`, `[v6]` or `[v6]:port`, surrounded by optional spaces.
    public init?(hostPort text: some StringProtocol) {
        var copy = String(text)
        guard let bits = copy.withUTF8({ Self.parseHostPort($0[...]) }) else { return nil }
        self.bits = bits
    }

    public var description: String {
        if isIPv4 {
            // Formatted by hand: this runs for every request, and interpolation costs more.
            let v = UInt32(truncatingIfNeeded: bits)
            return String(unsafeUninitializedCapacity: 15) { out in
                var n = 0
                for shift in [24, 16, 8, 0] as [UInt32] {
                    if shift != 24 { out[n] = UInt8(ascii: "."); n += 1 }
                    let octet = UInt8(truncatingIfNeeded: v >> shift)
                    if octet >= 100 { out[n] = UInt8(ascii: "0") + octet / 100; n += 1 }
                    if octet >= 10 { out[n] = UInt8(ascii: "0") + octet / 10 % 10; n += 1 }
                    out[n] = UInt8(ascii: "0") + octet % 10
                    n += 1
                }
                return n
            }
        }
        var groups = [UInt16](repeating: 0, count: 8)
        for i in 0..<8 { groups[i] = UInt16(truncatingIfNeeded: bits >> UInt128(112 - 16 * i)) }
        // RFC 5952 §4.2: "::" replaces the longest run (first if tied) of two or more zero groups.
        var bestStart = -1, bestLength = 1
        var i = 0
        while i < 8 {
            guard groups[i] == 0 else { i += 1; continue }
            var j = i
            while j < 8, groups[j] == 0 { j += 1 }
            if j - i > bestLength { bestStart = i; bestLength = j - i }
            i = j
        }
        var out = ""
        var k = 0
        while k < 8 {
            if k == bestStart {
                out += "::"
                k += bestLength
                continue
            }
            if !out.isEmpty, !out.hasSuffix(":") { out += ":" }
            out += String(groups[k], radix: 16)
            k += 1
        }
        return out
    }

    // MARK: - Parsing over UTF-8 bytes

    static func parseHostPort(_ input: Slice<UnsafeBufferPointer<UInt8>>) -> UInt128? {
        var s = trimmed(input)
        guard let first = s.first else { return nil }
        if first == UInt8(ascii: "[") {
            guard let close = s.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            let rest = s[(close + 1)...]
            if !rest.isEmpty, !isPort(rest) { return nil }
            s = s[(s.startIndex + 1)..<close]
            guard s.contains(UInt8(ascii: ":")) else { return nil } // brackets are for IPv6 only
            return parseIPv6(s)
        }
        // One colon: IPv4 with a port. More: a bare IPv6 address.
        var colon: Int?
        var colons = 0
        for i in s.indices where s[i] == UInt8(ascii: ":") {
            colons += 1
            colon = i
        }
        if colons == 1, let colon {
            guard isPort(s[colon...]) else { return nil }
            return parseIPv4(s[..<colon]).map { v4MappedPrefix | UInt128($0) }
        }
        return parse(s)
    }

    static func parse(_ s: Slice<UnsafeBufferPointer<UInt8>>) -> UInt128? {
        if s.contains(UInt8(ascii: ":")) { return parseIPv6(s) }
        return parseIPv4(s).map { v4MappedPrefix | UInt128($0) }
    }

    /// Strict dotted quad: four decimal octets 0–255, no leading zeros (which some stacks
    /// read as octal), nothing else.
    static func parseIPv4(_ s: Slice<UnsafeBufferPointer<UInt8>>) -> UInt32? {
        var result: UInt32 = 0
        var octets = 0
        var value: UInt32 = 0
        var digits = 0
        var leadingZero = false
        for c in s {
            if c == UInt8(ascii: ".") {
                guard digits > 0, octets < 3 else { return nil }
                result = result << 8 | value
                octets += 1
                value = 0
                digits = 0
                continue
            }
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            if digits == 0 { leadingZero = c == UInt8(ascii: "0") } else if leadingZero { return nil }
            value = value * 10 + UInt32(c - UInt8(ascii: "0"))
            digits += 1
            guard digits <= 3, value <= 255 else { return nil }
        }
        guard digits > 0, octets == 3 else { return nil }
        return result << 8 | value
    }

    /// RFC 4291 §2.2 text forms: eight 1–4 digit hex groups, at most one `::`, optionally
    /// ending in a dotted quad.
    static func parseIPv6(_ s: Slice<UnsafeBufferPointer<UInt8>>) -> UInt128? {
        var head: UInt128 = 0, headCount = 0
        var tail: UInt128 = 0, tailCount = 0
        var compressed = false
        var i = s.startIndex
        let end = s.endIndex
        if s.count >= 2, s[i] == UInt8(ascii: ":") {
            guard s[i + 1] == UInt8(ascii: ":") else { return nil }
            compressed = true
            i += 2
        }
        while i < end {
            // One group (or the final dotted quad).
            let groupStart = i
            var value: UInt128 = 0
            while i < end, i - groupStart < 5, let nibble = Hex.value(of: s[i]) {
                value = value << 4 | UInt128(nibble)
                i += 1
            }
            if i < end, s[i] == UInt8(ascii: ".") {
                guard let v4 = parseIPv4(s[groupStart..<end]) else { return nil }
                if compressed { tail = tail << 32 | UInt128(v4); tailCount += 2 } else { head = head << 32 | UInt128(v4); headCount += 2 }
                i = end
                break
            }
            let length = i - groupStart
            guard length >= 1, length <= 4 else { return nil }
            if compressed { tail = tail << 16 | value; tailCount += 1 } else { head = head << 16 | value; headCount += 1 }
            guard headCount + tailCount <= 8 else { return nil }
            if i == end { break }
            guard s[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            if i < end, s[i] == UInt8(ascii: ":") {
                guard !compressed else { return nil }
                compressed = true
                i += 1
                if i == end { break }
            } else if i == end {
                return nil // trailing single colon
            }
        }
        let total = headCount + tailCount
        if compressed {
            guard total <= 7 else { return nil }
        } else {
            guard total == 8 else { return nil }
        }
        let shift = 16 * (8 - headCount)
        return (shift >= 128 ? 0 : head << UInt128(shift)) | tail
    }

    private static func isPort(_ s: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard s.count >= 2, s.first == UInt8(ascii: ":") else { return false }
        let digits = s.dropFirst()
        guard digits.count <= 5, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return false }
        return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } <= 65535
    }

    private static func trimmed(_ s: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var lower = s.startIndex, upper = s.endIndex
        while lower < upper, s[lower] == UInt8(ascii: " ") || s[lower] == UInt8(ascii: "\t") { lower += 1 }
        while upper > lower, s[upper - 1] == UInt8(ascii: " ") || s[upper - 1] == UInt8(ascii: "\t") { upper -= 1 }
        return s[lower..<upper]
    }
}
