/// One client's token bucket, as a value: `rate` tokens a second up to `burst`, one per request.
///
/// Pure (time is an argument, in seconds of a monotonic clock) so the rule is unit-tested
/// without waiting; ``ClientRateLimiter`` keeps one per client address.
public struct TokenBucket: Sendable, Equatable {
    public var tokens: Double
    /// When ``tokens`` was last brought up to date.
    public var updated: Double

    /// A full bucket at `now`.
    public static func full(burst: Double, now: Double) -> TokenBucket { TokenBucket(tokens: burst, updated: now) }

    /// Takes one token at `now`: the bucket afterwards, and nil when the request is admitted,
    /// or the seconds until a token is available (for `Retry-After`) when it is not.
    public func take(now: Double, rate: Double, burst: Double) -> (bucket: TokenBucket, retryAfter: Double?) {
        let elapsed = max(0, now - updated)
        let available = min(burst, tokens + elapsed * rate)
        if available >= 1 { return (TokenBucket(tokens: available - 1, updated: now), nil) }
        return (TokenBucket(tokens: available, updated: now), (1 - available) / rate)
    }

    /// Whether the bucket would be full again at `now` (a client that stopped: its entry can go).
    public func isFull(now: Double, rate: Double, burst: Double) -> Bool {
        tokens + max(0, now - updated) * rate >= burst
    }
}
