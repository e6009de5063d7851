import Foundation
public import TrackhubCore

/// What the landing-page check (setup step 5) may fetch. The seller types the URL, so the
/// console would otherwise be a request forger inside the operator's network: anything that
/// resolves to loopback, a private or carrier-grade NAT network, link-local (where cloud
/// metadata services answer, `169.254.169.254`, `fd00:ec2::254`), multicast or a reserved block
/// is refused. The decision is made on every hop, after DNS resolution, on *every* address the
/// name resolves to, and the request then connects to the address that was checked (no second
/// lookup an attacker's DNS could answer differently). Redirects, body size and time are capped.
///
/// Pure: ``check(url:)`` and ``check(addresses:)`` decide, the fetcher only obeys.
/// Loopback is allowed only when the console is told so (`TRACKHUB_CONSOLE_ALLOW_LOOPBACK=1`,
/// which the tests set for their local fixture pages) — never by default.
public struct PageFetchPolicy: Sendable, Equatable {
    /// Allow `127.0.0.0/8` and `::1` (tests and local development only).
    public var allowLoopback: Bool
    /// Redirects followed before giving up (browsers allow about 20; real funnels use 1–3).
    public var maxRedirects: Int
    /// A page larger than this is not read to the end (landing pages are rarely above 1 MB).
    public var maxBodyBytes: Int
    /// Budget for one request (connect, TLS, response).
    public var hopTimeout: Duration
    /// Budget for the whole check, every hop included.
    public var totalTimeout: Duration

    public init(allowLoopback: Bool = false, maxRedirects: Int = 8, maxBodyBytes: Int = 2 << 20,
                hopTimeout: Duration = .seconds(8), totalTimeout: Duration = .seconds(20)) {
        self.allowLoopback = allowLoopback
        self.maxRedirects = maxRedirects
        self.maxBodyBytes = maxBodyBytes
        self.hopTimeout = hopTimeout
        self.totalTimeout = totalTimeout
    }

    /// Where a request may go once its URL passed: the host as DNS takes it (no brackets) and the port.
    public struct Target: Sendable, Equatable {
        public var scheme: String
        public var host: String
        public var port: Int

        public init(scheme: String, host: String, port: Int) {
            self.scheme = scheme
            self.host = host
            self.port = port
        }
    }

    /// Why a URL or an address is refused; the page says it in the seller's words.
    public enum Refusal: String, Error, Sendable, Equatable, Codable {
        /// Not an absolute `http(s)://host/…` URL.
        case notWebAddress = "not_web_address"
        /// `user:password@` in the URL (never sent anywhere).
        case credentials
        /// Loopback while ``allowLoopback`` is off.
        case loopback
        /// A private, carrier-grade NAT, unique-local or NAT64 network.
        case privateNetwork = "private_network"
        /// Link-local, cloud metadata included.
        case linkLocal = "link_local"
        /// Unspecified, multicast, documentation, benchmarking or otherwise reserved.
        case reserved
        /// The name did not resolve.
        case unresolved
    }

    /// The kind of network an address belongs to (pure; tested block by block).
    public enum AddressClass: String, Sendable, Equatable {
        case publicInternet = "public"
        case loopback
        case privateNetwork = "private_network"
        case linkLocal = "link_local"
        case reserved
    }

    /// Checks the URL itself (before any lookup).
    public func check(url: String) -> Result<Target, Refusal> {
        guard url.utf8.count <= 4096, let components = URLComponents(string: url),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              var host = components.percentEncodedHost, !host.isEmpty else {
            return .failure(.notWebAddress)
        }
        if components.user != nil || components.password != nil { return .failure(.credentials) }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        // A zone id (`fe80::1%eth0`) or any other escape is not a host a public page has.
        guard !host.contains("%"), !host.contains("/") else { return .failure(.notWebAddress) }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else { return .failure(.notWebAddress) }
        if let literal = IPAddress(host), case .failure(let refusal) = check(addresses: [literal]) {
            return .failure(refusal)
        }
        return .success(Target(scheme: scheme, host: host.lowercased(), port: port))
    }

    /// Checks what the host resolved to: refused if *any* address is not allowed (a name that
    /// answers with one public and one private address must not get a second chance), else the
    /// address to connect to (IPv4 first: the most reachable from a VPS).
    public func check(addresses: [IPAddress]) -> Result<IPAddress, Refusal> {
        guard !addresses.isEmpty else { return .failure(.unresolved) }
        for address in addresses {
            switch Self.classify(address) {
            case .publicInternet: continue
            case .loopback: if !allowLoopback { return .failure(.loopback) }
            case .privateNetwork: return .failure(.privateNetwork)
            case .linkLocal: return .failure(.linkLocal)
            case .reserved: return .failure(.reserved)
            }
        }
        return .success(addresses.first(where: \.isIPv4) ?? addresses[0])
    }

    /// The network `address` belongs to (IANA special-purpose registries, RFC 6890 and successors).
    public static func classify(_ address: IPAddress) -> AddressClass {
        if address.isLoopback { return .loopback }
        for (block, kind) in blocks where block.contains(address) { return kind }
        return .publicInternet
    }

    static let blocks: [(CIDRBlock, AddressClass)] = table.map { (CIDRBlock($0.0)!, $0.1) }

    static let table: [(String, AddressClass)] = [
        ("0.0.0.0/8", .reserved), ("10.0.0.0/8", .privateNetwork), ("100.64.0.0/10", .privateNetwork),
        ("169.254.0.0/16", .linkLocal), ("172.16.0.0/12", .privateNetwork), ("192.0.0.0/24", .reserved),
        ("192.0.2.0/24", .reserved), ("192.88.99.0/24", .reserved), ("192.168.0.0/16", .privateNetwork),
        ("198.18.0.0/15", .reserved), ("198.51.100.0/24", .reserved), ("203.0.113.0/24", .reserved),
        ("224.0.0.0/4", .reserved), ("240.0.0.0/4", .reserved),
        ("::/128", .reserved), ("64:ff9b::/96", .privateNetwork), ("64:ff9b:1::/48", .privateNetwork),
        ("100::/64", .reserved), ("2001:db8::/32", .reserved), ("2002::/16", .reserved), ("2001::/32", .reserved),
        ("fc00::/7", .privateNetwork), ("fe80::/10", .linkLocal), ("fec0::/10", .reserved), ("ff00::/8", .reserved),
        // IPv4-compatible (deprecated) and the rest of ::/96 would reach IPv4 hosts unchecked.
        ("::/96", .reserved),
    ]
}
