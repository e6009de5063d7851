public import Foundation

/// Meta's limits on what the Conversions API accepts, and the safety margins Trackhub keeps
/// from them — the one place the validator, the retry policy, the sender and the DLQ admin read
/// them from, so the "7-day window" cannot drift between them again.
public struct MetaLimits: Sendable, Equatable {
    /// How old an `event_time` Meta accepts (7 days).
    public var eventMaxAge: Duration
    /// The window for `physical_store` events (62 days).
    public var physicalStoreEventMaxAge: Duration
    /// Events this close to the window's end already count as expired when built, sent or
    /// replayed: the request takes time in flight, and an event that crosses the limit on the
    /// way makes Meta reject the whole batch it travels in.
    public var expiryMargin: Duration
    /// A retry must be due at least this long before the window closes: it still waits in the
    /// schedule (claim interval, a backlog, a paused pixel) before it is sent.
    public var retryMargin: Duration
    /// Events in one request's `data` array.
    public var maxEventsPerRequest: Int

    public init(eventMaxAge: Duration = .seconds(7 * 86_400), physicalStoreEventMaxAge: Duration = .seconds(62 * 86_400),
                expiryMargin: Duration = .seconds(300), retryMargin: Duration = .seconds(3_600), maxEventsPerRequest: Int = 1000) {
        self.eventMaxAge = eventMaxAge
        self.physicalStoreEventMaxAge = physicalStoreEventMaxAge
        self.expiryMargin = expiryMargin
        self.retryMargin = retryMargin
        self.maxEventsPerRequest = maxEventsPerRequest
    }

    /// Meta's documented limits with Trackhub's margins.
    public static let meta = MetaLimits()

    /// The oldest `event_time` (Unix seconds) that may still go into a batch at `now`.
    public func oldestSendable(now: Date) -> Int64 {
        Int64(now.timeIntervalSince1970.rounded(.down)) - (eventMaxAge - expiryMargin).components.seconds
    }

    /// True when an event of `eventTime` (Unix seconds) must not be sent (or replayed) at `now`.
    public func isExpired(eventTime: Int64, now: Date) -> Bool {
        eventTime < oldestSendable(now: now)
    }

    /// The last moment a retry of an event of `eventTime` may be due.
    public func retryDeadline(eventTime: Date) -> Date {
        eventTime.addingTimeInterval(Self.seconds(eventMaxAge) - Self.seconds(retryMargin))
    }

    static func seconds(_ d: Duration) -> TimeInterval {
        let (s, a) = d.components
        return TimeInterval(s) + TimeInterval(a) / 1e18
    }
}
