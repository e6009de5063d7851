/// When ingestd sheds load because Redis is nearly full (`TRACKHUB_REDIS_MEMORY_WATERMARK_PERCENT`).
///
/// With `maxmemory-policy noeviction` (what `scripts/run` and DEPLOY.md set) a full Redis
/// refuses writes instead of dropping acknowledged entries — but it would then also refuse
/// dispatchd's own writes (retry keys, dedupe marks) that drain the backlog. Refusing new events
/// a little before the limit keeps that headroom; clients get 503 + `Retry-After` and retry.
public struct RedisMemoryWatermark: Sendable, Equatable {
    /// Percent of `maxmemory`; 0 turns shedding off.
    public let percent: Int

    public init(percent: Int) {
        self.percent = percent
    }

    /// True when Redis uses at least `percent`% of its `maxmemory`; never when there is no
    /// reading, no `maxmemory` or the watermark is off.
    public func isAbove(_ usage: RedisMemoryUsage?) -> Bool {
        guard percent > 0, let usage, usage.max > 0 else { return false }
        return usage.used * 100 >= usage.max * percent
    }
}
