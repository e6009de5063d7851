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
    /// Every live server-to-server ingest key's hash with its tenant (``IngestKeyCheck``).
    public let ingestKeys: [IngestKeyCheck.LiveKey]

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
                let context = SealContext.gatewaySecret(tenant: a.tenant, gateway: a.gateway, account: a.account)
                secrets = try a.secrets.map { try keys.openString($0, for: context) }
            } catch {
                throw CompileError(reason: "secret of \(a.gateway)/\(a.account) cannot be opened: \(error)")
            }
            accounts[Self.accountKey(a.gateway, a.account)] = Account(gateway: gateway, account: a.account, tenant: a.tenant, secrets: secrets)
        }
        self.accounts = accounts
        allOrigins = Set(snapshot.tenants.flatMap(\.allowedOrigins))
        ingestKeys = snapshot.tenants.flatMap { t in t.ingestKeyHashes.map { IngestKeyCheck.LiveKey(hash: $0, tenant: t.id) } }
    }

    public static func accountKey(_ gateway: String, _ account: String) -> String { gateway + "/" + account }

    public func account(gateway: String, account: String) -> Account? {
        accounts[Self.accountKey(gateway, account)]
    }
}
