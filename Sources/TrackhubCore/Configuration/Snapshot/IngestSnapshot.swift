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
        public init(id: String, allowedOrigins: [String]) {
            self.id = id
            self.allowedOrigins = allowedOrigins
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

    public static let secretSealContext = "gateway.secret"

    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return try e.encode(self)
    }

    public static func decode(_ data: Data) throws -> IngestSnapshot {
        try JSONDecoder().decode(IngestSnapshot.self, from: data)
    }
}

/// An ``IngestSnapshot`` indexed for the request path, with secrets opened. Immutable; swapped
/// whole when a new version arrives.
public final class CompiledSnapshot: Sendable {
    public struct Account: Sendable {
        public let gateway: Gateway
        public let account: String
        public let tenant: String
        public let secrets: [String]
    }

    public let version: Int64
    public let links: [String: IngestSnapshot.Link]
    public let tenants: [String: IngestSnapshot.Tenant]
    public let accounts: [String: Account]
    /// Union of every tenant's allowed origins, for CORS preflights (which carry no tenant).
    public let allOrigins: Set<String>

    public struct CompileError: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { "snapshot rejected: \(reason)" }
    }

    public init(_ snapshot: IngestSnapshot, keys: KeyRing) throws {
        version = snapshot.version
        var links: [String: IngestSnapshot.Link] = [:]
        for link in snapshot.links { links[link.slug] = link }
        self.links = links
        var tenants: [String: IngestSnapshot.Tenant] = [:]
        for t in snapshot.tenants { tenants[t.id] = t }
        self.tenants = tenants
        var accounts: [String: Account] = [:]
        for a in snapshot.gatewayAccounts {
            guard let gateway = Gateway(rawValue: a.gateway) else {
                throw CompileError(reason: "unknown gateway \(a.gateway) for account \(a.account)")
            }
            let secrets: [String]
            do {
                secrets = try a.secrets.map { try keys.openString($0, context: IngestSnapshot.secretSealContext) }
            } catch {
                throw CompileError(reason: "secret of \(a.gateway)/\(a.account) cannot be opened: \(error)")
            }
            accounts[Self.accountKey(a.gateway, a.account)] = Account(gateway: gateway, account: a.account, tenant: a.tenant, secrets: secrets)
        }
        self.accounts = accounts
        allOrigins = Set(snapshot.tenants.flatMap(\.allowedOrigins))
    }

    public static func accountKey(_ gateway: String, _ account: String) -> String { gateway + "/" + account }

    public func account(gateway: String, account: String) -> Account? {
        accounts[Self.accountKey(gateway, account)]
    }
}
