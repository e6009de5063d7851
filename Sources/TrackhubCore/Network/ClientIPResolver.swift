/// Decides the client's IP address for a request, believing X-Forwarded-For only as far as it
/// was written by our own proxies.
///
/// X-Forwarded-For is `client, proxy1, proxy2`: each proxy appends the address it received the
/// request from, and anything to the left of the first proxy we run is whatever the client
/// chose to send. So the header is read from the right, skipping entries that are trusted
/// proxies, and the first untrusted entry is the client — and only when the TCP peer itself
/// is a trusted proxy; otherwise the peer is the client and the header is ignored, since anyone
/// can send one. The result goes to Meta as `client_ip_address`, where a spoofed value would
/// corrupt matching.
public struct ClientIPResolver: Sendable {
    /// The blocks whose X-Forwarded-For entries are believed.
    public let trustedProxies: [CIDRBlock]

    /// More forwarded hops than this cannot come from a real proxy chain; the request is then
    /// treated as having no determinable client address.
    public static let maxForwardedHops = 32

    /// A resolver trusting `blocks`.
    public init(trusting blocks: [CIDRBlock]) {
        trustedProxies = blocks
    }

    /// A resolver from configuration text: each entry an IP or CIDR (`10.0.0.0/8`, `::1/128`,
    /// `192.0.2.10`); blank entries are ignored. `nil` if any entry is not valid, so a typo
    /// fails at startup instead of silently trusting nothing (or too much).
    public init?(trustedProxies entries: [String]) {
        var blocks: [CIDRBlock] = []
        for entry in entries where !entry.trimmingASCIIBlanks.isEmpty {
            guard let block = CIDRBlock(entry) else { return nil }
            blocks.append(block)
        }
        trustedProxies = blocks
    }

    /// Whether `address` is one of our proxies.
    public func isTrusted(_ address: IPAddress) -> Bool {
        for block in trustedProxies where block.contains(address) { return true }
        return false
    }

    /// The client's address in canonical text form; `nil` when the peer is missing or garbage,
    /// or when a forwarded entry we would have to believe is garbage (a client IP we cannot
    /// vouch for is worse than none).
    ///
    /// - Parameters:
    ///   - peer: the TCP peer address (`1.2.3.4`, `::1`, `::ffff:1.2.3.4`, optionally with a port).
    ///   - forwardedFor: every X-Forwarded-For header value, in the order received.
    public func resolve(peer: String?, forwardedFor: [String]) -> String? {
        resolveAddress(peer: peer, forwardedFor: forwardedFor)?.description
    }

    /// ``resolve(peer:forwardedFor:)`` as an ``IPAddress``.
    public func resolveAddress(peer: String?, forwardedFor: [String]) -> IPAddress? {
        guard let peer, let peerAddress = IPAddress(hostPort: peer) else { return nil }
        guard !trustedProxies.isEmpty, isTrusted(peerAddress) else { return peerAddress }
        var current = peerAddress
        var hops = 0
        for var value in forwardedFor.reversed() {
            let outcome: Walk = value.withUTF8 { walk($0, current: &current, hops: &hops) }
            switch outcome {
            case .found(let address): return address
            case .garbage: return nil
            case .continue: continue
            }
        }
        // Every hop was a trusted proxy: the furthest one is as close to the client as we know.
        return current
    }

    private enum Walk {
        case found(IPAddress)
        case garbage
        case `continue`
    }

    /// Walks one header value's comma-separated entries from the right, without splitting it.
    private func walk(_ value: UnsafeBufferPointer<UInt8>, current: inout IPAddress, hops: inout Int) -> Walk {
        var end = value.count
        while end > 0 {
            var start = end
            while start > 0, value[start - 1] != UInt8(ascii: ",") { start -= 1 }
            let entry = value[start..<end]
            end = start - 1
            if entry.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            hops += 1
            guard hops <= Self.maxForwardedHops, let bits = IPAddress.parseHostPort(entry) else { return .garbage }
            let address = IPAddress(ipv6: bits)
            if !isTrusted(address) { return .found(address) }
            current = address
        }
        return .continue
    }
}
