import Foundation
import TrackhubCore

/// What `scripts/test` provides to integration tests: the real Redis and Postgres it started,
/// the built binaries, a scratch directory, and the helper scripts.
enum TestEnvironment {
    static let env = ProcessInfo.processInfo.environment

    static var redisURL: String? { env["TRACKHUB_TEST_REDIS_URL"] }
    static var databaseURL: String? { env["TRACKHUB_TEST_DATABASE_URL"] }
    static var binDir: String? { env["TRACKHUB_BIN_DIR"] }
    static var runDir: String { env["TRACKHUB_TEST_RUN_DIR"] ?? NSTemporaryDirectory() }
    static var scriptsDir: String? { env["TRACKHUB_TEST_SCRIPTS"] }

    /// True when the suite runs under scripts/test (real servers available).
    static var available: Bool { redisURL != nil && binDir != nil && databaseURL != nil }

    static var redisEndpoint: RedisEndpoint { RedisEndpoint(url: redisURL!)! }

    /// A unique key prefix so tests sharing the Redis never see each other's streams.
    static func uniquePrefix(_ name: String) -> String {
        "t\(name)\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A fresh scratch directory for one test.
    static func scratchDirectory(_ name: String) throws -> String {
        let path = runDir + "/" + name + "-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes a one-key master key ring and returns its path.
    static func masterKeyFile(in dir: String) throws -> (path: String, keys: KeyRing) {
        let path = dir + "/master.key"
        // 0600: the daemons refuse a key file group or others can read.
        guard FileManager.default.createFile(atPath: path, contents: Data((KeyRing.generateKeyLine(id: "k1") + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else { throw HarnessError("cannot write \(path)") }
        return (path, try KeyRing.load(path: path))
    }

    /// Finds a free TCP port on loopback (bind to 0, read it back, close).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
