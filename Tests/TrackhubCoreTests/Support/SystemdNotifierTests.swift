import Testing
@testable import TrackhubCore

@Suite("sd_notify messages and environment")
struct SystemdNotifierTests {
    @Test("datagrams are newline-separated KEY=value lines")
    func datagrams() {
        #expect(SystemdNotification.ready.datagram == "READY=1")
        #expect(SystemdNotification.watchdog.datagram == "WATCHDOG=1")
        #expect(SystemdNotification.stopping.datagram == "STOPPING=1")
        #expect(SystemdNotification.ready.with(status: "listening on 8080").datagram == "READY=1\nSTATUS=listening on 8080")
        #expect(SystemdNotification.status("x").datagram == "STATUS=x")
    }

    @Test("a status cannot forge another assignment")
    func statusIsOneLine() {
        let n = SystemdNotification.status("fine\nREADY=1\r\nWATCHDOG=trigger")
        #expect(n.datagram == "STATUS=fine READY=1 WATCHDOG=trigger")
        #expect(!n.datagram.contains("\n"))
        #expect(SystemdNotification.ready.with(status: "a\nb").assignments.count == 2)
    }

    @Test("no NOTIFY_SOCKET, or an empty one: no notifier")
    func unset() throws {
        #expect(try SystemdNotifier.fromEnvironment([:]) == nil)
        #expect(try SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": ""]) == nil)
        #expect(try SystemdNotifier.fromEnvironment(["WATCHDOG_USEC": "1000000"]) == nil)
    }

    @Test("a path and an @abstract name are accepted; anything else is refused")
    func addresses() throws {
        #expect(try SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": "/run/systemd/notify"])?.address == .path("/run/systemd/notify"))
        #expect(try SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": "@sd-notify/42"])?.address == .abstract("sd-notify/42"))
        #expect(throws: SystemdNotifyError.self) { try SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": "relative/path"]) }
        #expect(throws: SystemdNotifyError.self) { try SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": "@"]) }
        #expect(throws: SystemdNotifyError.self) { try SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": "vsock:2:1234"]) }
        let long = "/" + String(repeating: "a", count: SystemdNotifier.maxAddressBytes)
        #expect(throws: SystemdNotifyError.self) { try SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": long]) }
        let longest = "/" + String(repeating: "a", count: SystemdNotifier.maxAddressBytes - 1)
        #expect(try SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": longest])?.address == .path(longest))
    }

    @Test("the watchdog applies with a positive WATCHDOG_USEC and a matching or absent WATCHDOG_PID; pings at half")
    func watchdog() throws {
        let base = ["NOTIFY_SOCKET": "/run/n"]
        func notifier(_ extra: [String: String], pid: Int32 = 4242) throws -> SystemdNotifier? {
            try SystemdNotifier.fromEnvironment(base.merging(extra) { _, new in new }, pid: pid)
        }
        let on = try notifier(["WATCHDOG_USEC": "30000000"])
        #expect(on?.watchdogTimeout == .seconds(30))
        #expect(on?.watchdogInterval == .seconds(15))
        #expect(try notifier(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "4242"])?.watchdogInterval == .seconds(1))
        #expect(try notifier(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"])?.watchdogTimeout == nil)
        #expect(try notifier(["WATCHDOG_USEC": "0"])?.watchdogTimeout == nil)
        #expect(try notifier(["WATCHDOG_USEC": "-5"])?.watchdogTimeout == nil)
        #expect(try notifier(["WATCHDOG_USEC": "soon"])?.watchdogTimeout == nil)
        #expect(try notifier([:])?.watchdogTimeout == nil)
        #expect(try notifier([:])?.watchdogInterval == nil)
    }

    @Test("a heartbeat is fresh only after a beat, and a latch stays set")
    func heartbeatAndLatch() {
        let h = Heartbeat()
        #expect(h.sinceLastBeat == nil)
        #expect(!h.isFresh(within: .seconds(60)))
        h.beat()
        #expect(h.isFresh(within: .seconds(60)))
        #expect(!h.isFresh(within: .zero))
        let latch = Latch()
        #expect(!latch.isSet)
        latch.set()
        latch.set()
        #expect(latch.isSet)
    }
}
