public import Foundation

/// Where a Redis server is, and who to be there: `redis://[[user]:password@]host:port[/db]` or
/// `unix://[[user]:password@]/path/to/sock[?db=N]`. A user name selects a Redis 6 ACL user
/// (`AUTH user password`), so a deployment can give Trackhub a user limited to its own keys;
/// without one the password is the `default` user's (`requirepass`).
public struct RedisEndpoint: Sendable, Equatable, CustomStringConvertible {
    public enum Address: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    public var address: Address
    /// The ACL user to authenticate as; nil for the `default` user.
    public var user: String?
    public var password: String?
    public var database: Int

    public init(address: Address, user: String? = nil, password: String? = nil, database: Int = 0) {
        self.address = address
        self.user = user
        self.password = password
        self.database = database
    }

    /// The `AUTH` command a new connection sends first, or nil when there is nothing to send.
    /// With a user name it is the two-argument ACL form even without a password (a `nopass`
    /// user accepts any password, and only `AUTH` switches a connection away from `default`).
    public var authCommand: [String]? {
        if let user { return ["AUTH", user, password ?? ""] }
        if let password { return ["AUTH", password] }
        return nil
    }

    /// Parses a Redis URL; returns nil when it is not one.
    public init?(url string: String) {
        guard let components = URLComponents(string: string), let scheme = components.scheme else { return nil }
        let db = components.queryItems?.first(where: { $0.name == "db" })?.value.flatMap { Int($0) }
        switch scheme {
        case "redis":
            guard let host = components.host, !host.isEmpty else { return nil }
            self.address = .tcp(host: host, port: components.port ?? 6379)
            let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            if !path.isEmpty {
                guard let n = Int(path) else { return nil }
                self.database = n
            } else {
                self.database = db ?? 0
            }
        case "unix":
            guard !components.path.isEmpty else { return nil }
            self.address = .unix(path: components.path)
            self.database = db ?? 0
        default:
            return nil
        }
        self.user = components.user.flatMap { $0.isEmpty ? nil : $0 }
        self.password = components.password.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A printable form without the password (the user name is kept: it says which ACL applies).
    public var description: String {
        let user = self.user.map { "\($0)@" } ?? ""
        switch address {
        case .tcp(let host, let port): return "redis://\(user)\(host):\(port)/\(database)"
        case .unix(let path): return "unix://\(user)\(path)?db=\(database)"
        }
    }
}
