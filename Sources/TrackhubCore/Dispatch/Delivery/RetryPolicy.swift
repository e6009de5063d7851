public import Foundation

/// When to try a failed request again: exponential backoff with FULL jitter,
/// `delay = random(0 ... min(cap, base * 2^(attempt-1)))`, bounded by an attempt budget and by
/// Meta's 7-day event window.
///
/// Full jitter (rather than "exponential + a little noise") spreads the retries of many events
/// that failed together (a Meta outage, a rate limit) over the whole window, so they do not
/// come back as a synchronized wave and trip the limit again.
public struct RetryPolicy: Sendable, Equatable {
    /// Ceiling of the first retry's delay.
    public var base: Duration
    /// Largest delay ever returned.
    public var cap: Duration
    /// Total attempts, the first one included: after `maxAttempts` failures there is no retry.
    public var maxAttempts: Int
    /// Meta's window for `event_time` (7 days; 62 for physical-store events; defaults from ``MetaLimits``).
    public var eventMaxAge: Duration
    /// A retry must happen at least this long before the window closes (delays in the queue,
    /// clock skew and the request itself eat into it).
    public var safetyMargin: Duration

    public init(
        base: Duration = .seconds(1), cap: Duration = .seconds(15 * 60), maxAttempts: Int = 12,
        eventMaxAge: Duration = MetaLimits.meta.eventMaxAge, safetyMargin: Duration = MetaLimits.meta.retryMargin
    ) {
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
        self.eventMaxAge = eventMaxAge
        self.safetyMargin = safetyMargin
    }

    /// The wait before the next attempt, or nil when the attempt budget is spent.
    ///
    /// - Parameter attempt: how many attempts have been made (and failed) so far, starting at 1.
    ///   Values below 1 are treated as 1.
    public func nextDelay(attempt: Int, random: inout some RandomNumberGenerator) -> Duration? {
        let attempt = max(1, attempt)
        guard attempt < maxAttempts else { return nil }
        let ceiling = ceilingNanoseconds(attempt: attempt)
        guard ceiling > 0 else { return .zero }
        return .nanoseconds(Int64(UInt64.random(in: 0...UInt64(ceiling), using: &random)))
    }

    /// When to make the next attempt, or nil when there must be none: the budget is spent or
    /// the attempt would land after `eventTime + eventMaxAge - safetyMargin`, when Meta would
    /// refuse the event anyway (dead-letter it now rather than retry into a certain failure).
    public func nextAttemptTime(
        attempt: Int, now: Date, eventTime: Date, random: inout some RandomNumberGenerator
    ) -> Date? {
        if case .at(let at) = nextAttempt(attempt: attempt, now: now, eventTime: eventTime, random: &random) { return at }
        return nil
    }

    /// The next attempt, or why there is none (the reason a dead letter records).
    public enum NextAttempt: Sendable, Equatable {
        case at(Date)
        /// The attempt budget is spent (`retries_exhausted`).
        case exhausted
        /// The attempt would land after the event's window, minus the margin (`expired`).
        case pastWindow
    }

    /// ``nextAttemptTime(attempt:now:eventTime:random:)`` saying why there is no next attempt.
    public func nextAttempt(attempt: Int, now: Date, eventTime: Date, random: inout some RandomNumberGenerator) -> NextAttempt {
        guard let delay = nextDelay(attempt: attempt, random: &random) else { return .exhausted }
        let at = now.addingTimeInterval(Self.timeInterval(delay))
        return fitsWindow(at, eventTime: eventTime) ? .at(at) : .pastWindow
    }

    /// Whether an attempt at `at` still lands inside the event's window, minus the margin (the
    /// only bound on a throttled event's next attempt, which spends no budget).
    public func fitsWindow(_ at: Date, eventTime: Date) -> Bool {
        at <= eventTime.addingTimeInterval(Self.timeInterval(eventMaxAge) - Self.timeInterval(safetyMargin))
    }

    /// `nextDelay(attempt:random:)` with the system's random number generator.
    public func nextDelay(attempt: Int) -> Duration? {
        var random = SystemRandomNumberGenerator()
        return nextDelay(attempt: attempt, random: &random)
    }

    /// `nextAttemptTime(attempt:now:eventTime:random:)` with the system's random number generator.
    public func nextAttemptTime(attempt: Int, now: Date, eventTime: Date) -> Date? {
        var random = SystemRandomNumberGenerator()
        return nextAttemptTime(attempt: attempt, now: now, eventTime: eventTime, random: &random)
    }

    /// `min(cap, base * 2^(attempt-1))` in nanoseconds, without overflowing for large attempts.
    func ceilingNanoseconds(attempt: Int) -> Int64 {
        let capNanos = Self.nanoseconds(cap)
        var ceiling = min(Self.nanoseconds(base), capNanos)
        var doublings = attempt - 1
        while doublings > 0, ceiling > 0, ceiling < capNanos {
            ceiling = ceiling > capNanos / 2 ? capNanos : ceiling * 2
            doublings -= 1
        }
        return max(0, ceiling)
    }

    /// A duration in nanoseconds, saturating at `Int64.max`; negative durations count as 0.
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let (wholeNanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        let (total, overflow2) = wholeNanos.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? .max : total
    }

    static func timeInterval(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
