#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves a host name to its addresses with the system resolver (`getaddrinfo`, so
/// `/etc/hosts` and `nsswitch.conf` apply as for every other program).
///
/// Blocking: call it only from a dedicated thread (a ``CurlClientPool`` thread through
/// ``CurlClientPool/withClient(_:)``), never from the cooperative pool.
public enum HostResolver {
    /// Every distinct address `host` resolves to (IPv4 and IPv6), in the resolver's order;
    /// empty when it does not resolve. An IP literal resolves to itself.
    public static func addresses(of host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var found: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let address = entry.pointee.ai_addr {
                var parsed: IPAddress?
                switch Int32(entry.pointee.ai_family) {
                case AF_INET:
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                        parsed = IPAddress(ipv4: UInt32(bigEndian: v4.pointee.sin_addr.s_addr))
                    }
                case AF_INET6:
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                        var bits: UInt128 = 0
                        withUnsafeBytes(of: v6.pointee.sin6_addr) { bytes in
                            for byte in bytes { bits = bits << 8 | UInt128(byte) }
                        }
                        parsed = IPAddress(ipv6: bits)
                    }
                default:
                    break
                }
                if let parsed, !found.contains(parsed) { found.append(parsed) }
            }
            cursor = entry.pointee.ai_next
        }
        return found
    }
}
