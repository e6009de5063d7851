import Foundation
import Testing
import TrackhubCore

/// The real daemons under a stand-in for systemd: a datagram socket in `$NOTIFY_SOCKET` and a
/// 1 s `$WATCHDOG_USEC` (so a ping every 0.5 s), as a `Type=notify` unit with `WatchdogSec=1`
/// would give them. READY=1 must wait for real readiness, WATCHDOG=1 must keep coming, and
/// STOPPING=1 must follow SIGTERM.
@Suite("systemd notification (sd_notify)", .serialized, .timeLimit(.minutes(2)),
       .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis, Postgres and the built binaries)"))
struct SystemdNotifyTests {
    static let watchdogUsec = "1000000"

    @Test("ingestd: READY=1 only once /readyz answers 200 (snapshot loaded), WATCHDOG=1 every 0.5 s, STOPPING=1 on SIGTERM")
    func ingestd() async throws {
        let fixture = try IngestFixture(name: "sdnotify")
        let socket = try NotifySocket(.path(fixture.dir + "/notify.sock"))
        // No snapshot published yet: ingestd listens but is not ready.
        try await fixture.launch(extraEnv: ["NOTIFY_SOCKET": socket.environmentValue, "WATCHDOG_USEC": Self.watchdogUsec])
        do {
            try await Task.sleep(for: .seconds(1.5))
            #expect(try await RawHTTP.get(port: fixture.port, "/readyz").status == 503)
            #expect(socket.poll().isEmpty, "nothing may be sent before ready: \(socket.poll().map(\.text))")

            let conn = try RedisConnection(endpoint: fixture.redisEndpoint)
            try SnapshotStore.publish(try IngestFixture.snapshot(keys: fixture.keys), layout: fixture.layout, connection: conn)
            let ready = try await socket.waitFor("READY=1")
            #expect(try await RawHTTP.get(port: fixture.port, "/readyz").status == 200)
            #expect(ready.has("STATUS=accepting events (snapshot version 1)"))

            try await expectWatchdogPings(socket)
            try await expectStopping(socket, daemon: fixture.daemon)
        } catch {
            Issue.record("ingestd log:\n\(fixture.daemon.log.suffix(3000))")
            await fixture.stop()
            throw error
        }
    }

    @Test("dispatchd run: READY=1 only after it joined its consumer group, WATCHDOG=1 every 0.5 s, STOPPING=1 on SIGTERM")
    func dispatchd() async throws {
        try await withDispatchFixture("sdnotify", options: .init(workers: 0)) { f in
            // Its own Redis, down at first: the worker cannot join the group, so it is not ready.
            let redis = try PrivateRedis(name: "sdnotify")
            redis.stop()
            let socket = try NotifySocket(.abstract("trackhub-test-" + UUID().uuidString.prefix(8).lowercased()))
            var env = f.workerEnv
            env["TRACKHUB_REDIS_URL"] = redis.url
            env["NOTIFY_SOCKET"] = socket.environmentValue
            env["WATCHDOG_USEC"] = Self.watchdogUsec
            let worker = try DaemonProcess(binary: "dispatchd", arguments: ["run", "--consumer", "sd1"], environment: env,
                                           logPath: f.dir + "/dispatchd-sd1.log")
            do {
                _ = try await worker.waitForLog("cannot join the consumer group yet")
                try await Task.sleep(for: .seconds(1))
                #expect(socket.poll().isEmpty, "nothing may be sent before the group is joined: \(socket.poll().map(\.text))")

                try redis.start()
                let ready = try await socket.waitFor("READY=1")
                #expect(worker.log.contains("msg=\"joined consumer group\""), "READY=1 came before the join was logged")
                #expect(ready.has("STATUS=consumer sd1 in group dispatchd"))

                try await expectWatchdogPings(socket)
                try await expectStopping(socket, daemon: worker)
            } catch {
                Issue.record("dispatchd log:\n\(worker.log.suffix(3000))")
                await worker.terminate()
                throw error
            }
        }
    }

    /// At least two pings within 2 s after READY=1 (one every 0.5 s is expected), none before.
    private func expectWatchdogPings(_ socket: NotifySocket) async throws {
        try await Task.sleep(for: .seconds(2))
        let all = socket.poll()
        let readyIndex = try #require(all.firstIndex { $0.has("READY=1") })
        #expect(!all[..<readyIndex].contains { $0.has("WATCHDOG=1") })
        let pings = all[readyIndex...].filter { $0.has("WATCHDOG=1") }.count
        #expect(pings >= 2, "\(pings) WATCHDOG=1 in 2 s: \(all.map(\.text))")
    }

    /// SIGTERM: a clean exit, with STOPPING=1 as the last datagram and exactly one READY=1.
    private func expectStopping(_ socket: NotifySocket, daemon: DaemonProcess) async throws {
        let status = await daemon.terminate()
        #expect(status == 0)
        let all = socket.poll()
        #expect(all.last?.has("STOPPING=1") == true, "last datagrams: \(all.suffix(3).map(\.text))")
        #expect(all.filter { $0.has("READY=1") }.count == 1)
    }
}
