/// The health of an ``EnvelopeSink``, as `/readyz` reports it.
public struct EnvelopeSinkStatus: Sendable, Equatable {
    /// Redis takes appends right now.
    public var redisConnected: Bool
    /// Envelopes in the local spool, waiting for Redis.
    public var spoolPending: Int
    /// The spool can take appends (false after a failed spool write).
    public var spoolUsable: Bool
    /// Size of the spool file in bytes (drained records count until the file is compacted).
    public var spoolBytes: Int
    /// The spool is at or above 90% of its cap (``SpoolCap``).
    public var spoolFull: Bool
    /// Redis' memory is above the watermark (``RedisMemoryWatermark``): new events are refused.
    public var redisMemoryHigh: Bool

    public init(redisConnected: Bool, spoolPending: Int, spoolUsable: Bool,
                spoolBytes: Int = 0, spoolFull: Bool = false, redisMemoryHigh: Bool = false) {
        self.redisConnected = redisConnected
        self.spoolPending = spoolPending
        self.spoolUsable = spoolUsable
        self.spoolBytes = spoolBytes
        self.spoolFull = spoolFull
        self.redisMemoryHigh = redisMemoryHigh
    }

    /// Whether an append can be taken right now: Redis (below its memory watermark) or a spool
    /// with room. `/readyz` and systemd's readiness use this rule.
    public var canAccept: Bool {
        if redisMemoryHigh { return false }
        return redisConnected || (spoolUsable && !spoolFull)
    }
}
