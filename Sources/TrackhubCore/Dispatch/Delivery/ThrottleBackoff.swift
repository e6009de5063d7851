/// How long a throttled pixel pauses, for every instance — a pure decision.
///
/// Meta throttles an app or ad account (codes 4, 17, 32, 613, 80000–80014, HTTP 429) until its
/// usage falls back; calling again at a fixed interval while still limited only prolongs the
/// block. So each throttle of the same pixel in a row doubles the pause (`base`, `2·base`, …
/// up to `cap`), and when Meta says how long to wait (`Retry-After`, or
/// `X-Business-Use-Case-Usage`'s `estimated_time_to_regain_access`) that wait is honoured
/// instead, up to `hintCeiling`. Throttled attempts do not spend the retry budget
/// (``OutcomeDecider``): being told to wait says nothing about the event.
public struct ThrottleBackoff: Sendable, Equatable {
    /// The first pause.
    public var base: Duration
    /// The largest pause computed without a hint.
    public var cap: Duration
    /// The longest wait a hint from Meta is honoured for (a wrong header must not stop a pixel
    /// for days).
    public var hintCeiling: Duration

    public init(base: Duration = .seconds(60), cap: Duration = .seconds(15 * 60), hintCeiling: Duration = .seconds(3600)) {
        self.base = base
        self.cap = max(cap, base)
        self.hintCeiling = hintCeiling
    }

    /// The pause after the `strike`-th throttle in a row (1 = the first); `hint` is Meta's own
    /// estimate when it sent one.
    public func pause(strike: Int, hint: Duration?) -> Duration {
        if let hint, hint > .zero {
            return min(max(hint, .seconds(1)), max(hintCeiling, cap))
        }
        var pause = base
        var doublings = max(1, strike) - 1
        while doublings > 0, pause < cap {
            pause = pause * 2
            doublings -= 1
        }
        return min(pause, cap)
    }

    /// How long a run of throttles is remembered after a pause ends: a throttle within this
    /// window of the last one continues the run (doubles); after it the run starts again.
    public func streakWindow(after pause: Duration) -> Duration { pause * 2 + base }
}
