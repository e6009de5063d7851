public import Foundation

/// Where a Redis server is: `redis://[:password@]host:port[/db]` or `unix:///path/to/sock[?db=N]`.
public struct RedisEndpoint: Sendable, Equatable, CustomStringConvertible {
    public enum Address: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    public var address: Address
    public var password: String?
    public var database: Int

    public init(address: Address, password: String? = nil, database: Int = 0) {
        self.address = address
        self.password = password
        self.database = database
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
        self.password = components.password.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A printable form without the password.
    public var description: String {
        switch address {
        case .tcp(let host, let port): return "redis://\(host):\(port)/\(database)"
        case .unix(let path): return "unix://\(path)?db=\(database)"
        }
    }
}
