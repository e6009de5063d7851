import Synchronization

/// When a daemon's main loop last made progress. The loop calls ``beat()`` on every turn; the
/// systemd watchdog pings only while the last beat is recent, so a loop that hangs (a stuck
/// call, a deadlock) gets the process restarted instead of silently doing nothing.
public final class Heartbeat: Sendable {
    private let origin = ContinuousClock.now
    /// Nanoseconds after `origin` of the last beat; `Int64.min` before the first.
    private let last = Atomic<Int64>(.min)

    public init() {}

    /// Records progress now.
    public func beat() {
        let elapsed = ContinuousClock.now - origin
        last.store(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000,
                   ordering: .relaxed)
    }

    /// Time since the last beat, or nil before the first one.
    public var sinceLastBeat: Duration? {
        let nanos = last.load(ordering: .relaxed)
        guard nanos != .min else { return nil }
        return (ContinuousClock.now - origin) - .nanoseconds(nanos)
    }

    /// True when the last beat is younger than `bound`.
    public func isFresh(within bound: Duration) -> Bool {
        sinceLastBeat.map { $0 < bound } ?? false
    }
}

/// A one-way switch a start-up step sets when it is done (e.g. "the HTTP server is
/// listening"), read by readiness checks on other tasks.
public final class Latch: Sendable {
    private let value = Atomic<Bool>(false)

    public init() {}

    public func set() { value.store(true, ordering: .releasing) }

    public var isSet: Bool { value.load(ordering: .acquiring) }
}
