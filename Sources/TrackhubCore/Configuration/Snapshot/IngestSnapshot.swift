public import Foundation

/// The configuration ingestd serves from: links, tenants, gateway accounts. dispatchd compiles
/// it from Postgres and publishes it to Redis (`dispatchd apply`); ingestd holds it in memory,
/// reloads it when `version` changes, and keeps the last good copy on disk so a restart while
/// Redis is down still serves redirects. ingestd never reads Postgres.
///
/// Secrets stay sealed (AES-GCM) here and on disk; ingestd opens them in memory only.
public struct IngestSnapshot: Codable, Sendable, Equatable {
    public var version: Int64
    public var generatedAt: String
    public var tenants: [Tenant]
    public var links: [Link]
    public var gatewayAccounts: [GatewayAccount]

    public init(version: Int64, generatedAt: String, tenants: [Tenant], links: [Link], gatewayAccounts: [GatewayAccount]) {
        self.version = version
        self.generatedAt = generatedAt
        self.tenants = tenants
        self.links = links
        self.gatewayAccounts = gatewayAccounts
    }

    public struct Tenant: Codable, Sendable, Equatable {
        public var id: String
        /// Landing-page origins allowed to call `/track` from a browser (CORS).
        public var allowedOrigins: [String]
        /// SHA-256 hex of each live server-to-server ingest key (``APIKeyStore/Scope/ingest``):
        /// what ingestd checks `POST /s2s` against. Only hashes: the keys themselves exist
        /// nowhere but with the seller. Absent in snapshots written before it (none then).
        public var ingestKeyHashes: [String]
        /// The tenant's own checkout hosts (`host=parameter`) that `/t.js?t=<tenant>` decorates.
        public var checkoutHosts: [String]
        /// Days `/t.js?t=<tenant>` keeps a click id (nil: the script's default, 30).
        public var attributionWindowDays: Int?

        public init(id: String, allowedOrigins: [String], ingestKeyHashes: [String] = [], checkoutHosts: [String] = [],
                    attributionWindowDays: Int? = nil) {
            self.id = id
            self.allowedOrigins = allowedOrigins
            self.ingestKeyHashes = ingestKeyHashes
            self.checkoutHosts = checkoutHosts
            self.attributionWindowDays = attributionWindowDays
        }

        private enum CodingKeys: String, CodingKey { case id, allowedOrigins, ingestKeyHashes, checkoutHosts, attributionWindowDays }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            allowedOrigins = try c.decode([String].self, forKey: .allowedOrigins)
            ingestKeyHashes = try c.decodeIfPresent([String].self, forKey: .ingestKeyHashes) ?? []
            checkoutHosts = try c.decodeIfPresent([String].self, forKey: .checkoutHosts) ?? []
            attributionWindowDays = try c.decodeIfPresent(Int.self, forKey: .attributionWindowDays)
        }
    }

    public struct Link: Codable, Sendable, Equatable {
        public var slug: String
        public var tenant: String
        public var pixel: String?
        public var destination: LinkDestination
        public init(slug: String, tenant: String, pixel: String?, destination: LinkDestination) {
            self.slug = slug
            self.tenant = tenant
            self.pixel = pixel
            self.destination = destination
        }
    }

    public struct GatewayAccount: Codable, Sendable, Equatable {
        public var gateway: String
        public var account: String
        public var tenant: String
        /// Every valid secret (more than one during rotation), sealed with context `gateway.secret`.
        public var secrets: [Sealed]
        public init(gateway: String, account: String, tenant: String, secrets: [Sealed]) {
            self.gateway = gateway
            self.account = account
            self.tenant = tenant
            self.secrets = secrets
        }
    }

    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return try e.encode(self)
    }

    public static func decode(_ data: Data) throws -> IngestSnapshot {
        try JSONDecoder().decode(IngestSnapshot.self, from: data)
    }
}
