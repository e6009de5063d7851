/// `user_data` of a server event: the hashed customer keys plus the browser identifiers Meta
/// wants in clear.
///
/// `fbc`, `fbp`, `client_ip_address` and `client_user_agent` must NOT be hashed (Meta's docs);
/// they are sent trimmed, otherwise untouched (the click id inside `fbc` is case sensitive).
/// Empty values and empty hashed keys are omitted from the JSON.
public struct CAPIUserData: Sendable, Equatable, Hashable, Encodable {
    public var hashed: HashedUserData
    /// `_fbc` cookie / click id: `fb.{subdomainIndex}.{creationTimeMs}.{fbclid}[.{appendix}]`.
    public var fbc: String?
    /// `_fbp` cookie: `fb.{subdomainIndex}.{creationTimeMs}.{random}[.{appendix}]`.
    public var fbp: String?
    /// The buyer's IPv4 or IPv6 address (not a proxy's).
    public var clientIpAddress: String?
    /// The buyer's browser user agent; required for `website` events.
    public var clientUserAgent: String?

    public init(
        hashed: HashedUserData = HashedUserData(), fbc: String? = nil, fbp: String? = nil,
        clientIpAddress: String? = nil, clientUserAgent: String? = nil
    ) {
        self.hashed = hashed
        self.fbc = fbc
        self.fbp = fbp
        self.clientIpAddress = clientIpAddress
        self.clientUserAgent = clientUserAgent
    }

    /// True when nothing would be sent: Meta rejects events with an empty `user_data`.
    public var isEmpty: Bool {
        hashed.isEmpty && [fbc, fbp, clientIpAddress, clientUserAgent].allSatisfy { MetaJSON.nonEmpty($0) == nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        for key in HashedUserData.Key.allCases where !hashed[key].isEmpty {
            try c.encode(hashed[key], forKey: AnyCodingKey(key.rawValue))
        }
        let clear: [(String, String?)] = [
            ("fbc", fbc), ("fbp", fbp), ("client_ip_address", clientIpAddress), ("client_user_agent", clientUserAgent),
        ]
        for (key, value) in clear {
            if let value = MetaJSON.nonEmpty(value) { try c.encode(value, forKey: AnyCodingKey(key)) }
        }
    }
}
