import Foundation
import Testing
import TrackhubCore

/// `redis://user:password@host:port/db` authenticates as that Redis 6 ACL user (`AUTH user
/// password`), in both daemons. Before, the user was dropped and `AUTH password` was sent for
/// the `default` user — which on a server whose `default` user has no password succeeds, so
/// the daemons silently ran with the default user's rights. Each test creates its own user on
/// the test Redis and checks, with `CLIENT LIST`, that the daemon's connections carry it.
@Suite("Redis ACL user in the URL", .serialized, .timeLimit(.minutes(2)),
       .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis, Postgres and the built binaries)"))
struct RedisACLUserTests {
    /// A fresh ACL user with every right on the test Redis; deleted by ``drop()``.
    struct ACLUser {
        let name = "th_acl_" + UUID().uuidString.prefix(8).lowercased()
        let password = "pw-" + UUID().uuidString.prefix(12).lowercased()

        init() throws {
            let admin = try RedisConnection(endpoint: TestEnvironment.redisEndpoint)
            let reply = try admin.command(["ACL", "SETUSER", name, "on", ">" + password, "~*", "&*", "+@all"])
            guard reply.errorMessage == nil else { throw HarnessError("ACL SETUSER failed: \(reply)") }
        }

        /// The test Redis URL with this user and password in it.
        var url: String {
            let base = TestEnvironment.redisEndpoint
            guard case .tcp(let host, let port) = base.address else { return "" }
            return "redis://\(name):\(password)@\(host):\(port)/\(base.database)"
        }

        /// How many connections to the test Redis are authenticated as this user.
        func connections() throws -> Int {
            let admin = try RedisConnection(endpoint: TestEnvironment.redisEndpoint)
            let list = try admin.command(["CLIENT", "LIST"]).text ?? ""
            return list.split(separator: "\n").filter { $0.split(separator: " ").contains("user=\(name)"[...]) }.count
        }

        func drop() {
            _ = try? RedisConnection(endpoint: TestEnvironment.redisEndpoint).command(["ACL", "DELUSER", name])
        }
    }

    @Test("a connection made from the URL is that user (ACL WHOAMI); a wrong password is refused")
    func connection() throws {
        let user = try ACLUser()
        defer { user.drop() }
        let endpoint = try #require(RedisEndpoint(url: user.url))
        let conn = try RedisConnection(endpoint: endpoint)
        #expect(try conn.command(["ACL", "WHOAMI"]).text == user.name)
        var wrong = endpoint
        wrong.password = "not-the-password"
        #expect(throws: RedisError.self) { try RedisConnection(endpoint: wrong) }
    }

    @Test("ingestd reads the snapshot and appends events as the URL's user")
    func ingestd() async throws {
        let user = try ACLUser()
        defer { user.drop() }
        let f = try IngestFixture(name: "acl", redisURL: user.url)
        try await f.start()
        do {
            let r = try await RawHTTP.post(port: f.port, "/track/lead", json: #"{"tenant":"acme","session_id":"s-acl"}"#,
                                           headers: [("Origin", IngestFixture.origin)])
            #expect(r.status == 202)
            #expect(try f.streamLength(.normal) == 1)
            let readyz = try await RawHTTP.get(port: f.port, "/readyz")
            #expect(readyz.json?["redis_connected"] as? Bool == true)
            #expect(try user.connections() >= 1, "no connection authenticated as \(user.name)")
        } catch {
            Issue.record("ingestd log:\n\(f.daemon.log.suffix(2000))")
            await f.stop()
            throw error
        }
        await f.stop()
    }

    @Test("dispatchd joins its consumer group as the URL's user")
    func dispatchd() async throws {
        let user = try ACLUser()
        defer { user.drop() }
        let before = try user.connections()
        #expect(before == 0)
        var options = DispatchFixture.Options(workers: 1)
        options.workerEnv["TRACKHUB_REDIS_URL"] = user.url
        try await withDispatchFixture("acl", options: options) { f in
            // The fixture's ingestd and CLI use the default user: every connection of this user
            // is the worker's.
            #expect(try user.connections() >= 1, "no connection authenticated as \(user.name)")
            let worker = try #require(f.worker("w1"))
            #expect(worker.log.contains("msg=\"joined consumer group\""))
            #expect(!worker.log.contains(user.password), "the password was logged")
        }
    }
}
