public import Logging

/// How strict and how observable the fake Meta is; the defaults follow Meta's documentation
/// (shared/reference §1.2–1.3).
public struct FakeMetaOptions: Sendable {
    /// Older `event_time`s reject the whole request with code 100 subcode 2804003. Meta's
    /// window exactly, with no safety margin (production keeps one; the fake must not).
    public var maxEventAge: Duration = .seconds(7 * 86_400)
    /// Stricter than documented Meta behaviour (future limit UNVERIFIED): an `event_time`
    /// further ahead is rejected, which catches milliseconds sent as seconds.
    public var maxFutureSkew: Duration = .seconds(3_600)
    /// Larger bodies get 413.
    public var maxBodyBytes = 16 << 20
    /// Keep every request and accepted event in memory for the query API (tests). A long-lived
    /// fake (`trackhub-fake`) turns this off and writes a records file instead.
    public var keepRecords = true
    /// Hummingbird's own log level (its per-request lines are noise in test output).
    public var logLevel: Logger.Level = .error

    public init() {}
}
