import Foundation
import Testing
import TrackhubCore

/// Where the Postgres integration tests find their server.
///
/// `TRACKHUB_TEST_DATABASE_URL` (e.g. `postgres://postgres@127.0.0.1:5432/trackhub_test`) names
/// a database the tests may create temporary tables in; the role must also be allowed to
/// `CREATE DATABASE`, because migration tests each get a fresh database (dropped afterwards).
/// Without the variable the suites that need a server are skipped, with this reason.
enum PostgresTestEnvironment {
    static let url: String? = {
        guard let value = ProcessInfo.processInfo.environment["TRACKHUB_TEST_DATABASE_URL"], !value.isEmpty else {
            return nil
        }
        return value
    }()

    static var isConfigured: Bool { url != nil }

    static let skipReason: Comment =
        "TRACKHUB_TEST_DATABASE_URL is not set: export it (e.g. postgres://postgres@127.0.0.1:5432/trackhub_test) to run the Postgres integration tests"

    /// A new connection to the test database.
    static func connect() throws -> PostgresConnection {
        try PostgresConnection(try #require(url), applicationName: "trackhub-tests")
    }

    /// Creates an empty database, runs `body` with its connection URL, and drops it (also when
    /// `body` throws), so schema-changing tests never see each other's tables.
    static func withScratchDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        let base = try #require(url)
        let name = "trackhub_t_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let admin = try PostgresConnection(base, applicationName: "trackhub-tests")
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(name)")
        do {
            let result = try await body(try url(base, database: name))
            try admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            return result
        } catch {
            try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
    }

    /// `base` pointing at another database: the URL's path replaced, or — for a
    /// `key=value` string — a later `dbname` added (libpq keeps the last one).
    static func url(_ base: String, database: String) throws -> String {
        if base.contains("://") {
            var components = try #require(URLComponents(string: base))
            components.path = "/" + database
            return try #require(components.string)
        }
        return base + " dbname=" + database
    }

    /// Terminates the backend serving `pid` and waits (up to 5 s) until it is gone, so the
    /// victim's socket already holds the server's goodbye when the test looks at it.
    static func terminateBackend(_ pid: Int, using admin: PostgresConnection) throws {
        let terminated = try admin.query("SELECT pg_terminate_backend($1::int) AS ok", [.int(pid)])
        #expect(try terminated.bool(0, "ok") == true)
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            let alive = try admin.query("SELECT count(*) AS n FROM pg_stat_activity WHERE pid = $1", [.int(pid)])
            if try alive.int(0, "n") == 0 { return }
            usleep(10_000)
        }
        Issue.record("backend \(pid) did not exit within 5 s")
    }

    /// A TCP port on 127.0.0.1 that nothing listens on: bound, read and released.
    static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : 1
    }
}

/// Runs `body` and returns the ``PostgresError`` it throws; records an issue if it throws
/// something else or nothing.
@discardableResult
func expectPostgresError(
    _ body: () throws -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
) -> PostgresError? {
    do {
        try body()
        Issue.record("expected a PostgresError, but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as PostgresError {
        return error
    } catch {
        Issue.record("expected a PostgresError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
