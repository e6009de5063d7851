import Foundation
import TrackhubCore

/// A Redis server owned by one test (its own port and data directory, AOF with
/// `appendfsync always`), so the test can stop, kill and restart it without disturbing others.
final class PrivateRedis: @unchecked Sendable {
    // @unchecked: immutable after init; the server process is managed through its pid file.
    let port: Int
    let dir: String

    init(name: String) throws {
        dir = try TestEnvironment.scratchDirectory("redis-" + name)
        port = TestEnvironment.freePort()
        let conf = """
        bind 127.0.0.1
        port \(port)
        dir \(dir)
        daemonize yes
        pidfile \(dir)/redis.pid
        logfile \(dir)/redis.log
        appendonly yes
        appendfsync always
        save ""
        """
        try conf.write(toFile: dir + "/redis.conf", atomically: true, encoding: .utf8)
        try start()
    }

    var url: String { "redis://127.0.0.1:\(port)/0" }
    var endpoint: RedisEndpoint { RedisEndpoint(url: url)! }

    func start() throws {
        try Self.run("/usr/bin/redis-server", [dir + "/redis.conf"])
        for _ in 0..<100 {
            if (try? RedisConnection(endpoint: endpoint, timeout: .milliseconds(200)).command(["PING"])) != nil { return }
            usleep(50_000)
        }
        throw HarnessError("private redis on \(port) did not start")
    }

    /// Stops the server (its AOF is already fsynced on every write).
    func stop() {
        if let pid = pid { kill(pid, SIGTERM); waitGone(pid) }
    }

    /// Freezes the server (SIGSTOP): connections are still accepted by the kernel but nothing
    /// answers, as behind a network partition. ``thaw()`` resumes it.
    func freeze() {
        if let pid = pid { kill(pid, SIGSTOP) }
    }

    func thaw() {
        if let pid = pid { kill(pid, SIGCONT) }
    }

    /// Simulates a crash.
    func kill9() {
        if let pid = pid { kill(pid, SIGKILL); waitGone(pid) }
    }

    private var pid: Int32? {
        (try? String(contentsOfFile: dir + "/redis.pid", encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    private func waitGone(_ pid: Int32) {
        for _ in 0..<200 where kill(pid, 0) == 0 { usleep(20_000) }
    }

    deinit { thaw(); stop() }

    /// posix_spawn + waitpid: Foundation's `Process.waitUntilExit` can miss a daemonizing
    /// child's exit inside an async test on Linux.
    private static func run(_ path: String, _ args: [String]) throws {
        var pid: pid_t = 0
        let argv = ([path] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The test process may block signals (service-lifecycle does); the child must not inherit that.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let rc = posix_spawn(&pid, path, nil, &attr, argv, environ)
        guard rc == 0 else { throw HarnessError("spawn \(path) failed: \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}
