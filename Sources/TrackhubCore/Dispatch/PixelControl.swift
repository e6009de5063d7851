/// Per-pixel flow control shared by every dispatchd instance through Redis: a token bucket
/// (the pixel's configured events/second) and pauses (after throttling, with a TTL; after an
/// invalid token, until a new token is applied).
public struct PixelControl: Sendable {
    public let layout: StreamLayout

    public init(layout: StreamLayout) { self.layout = layout }

    private static let bucketScript = RedisScript("""
    local rate = tonumber(ARGV[1])
    local burst = tonumber(ARGV[2])
    local req = tonumber(ARGV[3])
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
    local tokens = tonumber(b[1]) or burst
    local ts = tonumber(b[2]) or now
    if now > ts then tokens = math.min(burst, tokens + (now - ts) * rate / 1000) end
    local granted = math.min(req, math.floor(tokens))
    tokens = tokens - granted
    redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(math.max(now, ts)))
    redis.call('PEXPIRE', KEYS[1], 3600000)
    local wait = 0
    if granted < req then wait = math.ceil((math.min(req - granted, burst) - tokens) * 1000 / rate) end
    return {granted, wait}
    """)

    /// Takes up to `requested` tokens; returns how many were granted and, if fewer, how long
    /// until the rest would be available (ms).
    public func acquire(pixel: String, requested: Int, ratePerSecond: Int, burst: Int,
                        connection: RedisConnection) throws -> (granted: Int, waitMs: Int) {
        let reply = try Self.bucketScript.run(connection, keys: [layout.tokenBucket(pixel: pixel)],
                                              args: [String(max(1, ratePerSecond)), String(max(1, burst)), String(requested)])
        let parts = reply.elements
        return (parts.first?.int ?? 0, parts.count > 1 ? (parts[1].int ?? 0) : 0)
    }

    /// Why and until when a pixel is paused.
    public struct Pause: Sendable, Equatable {
        public let reason: String
        /// Remaining ms; nil = until cleared (invalid token).
        public let remainingMs: Int?
    }

    /// Pauses a pixel for everyone. `duration` nil = until ``resume(pixel:connection:)``.
    public func pause(pixel: String, reason: String, duration: Duration?, connection: RedisConnection) throws {
        var args = ["SET", layout.pixelPause(pixel: pixel), reason]
        if let duration { args += ["PX", String(max(1, duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000))] }
        try connection.checked(args)
    }

    public func resume(pixel: String, connection: RedisConnection) throws {
        try connection.checked(["DEL", layout.pixelPause(pixel: pixel)])
    }

    public func pauseState(pixel: String, connection: RedisConnection) throws -> Pause? {
        let key = layout.pixelPause(pixel: pixel)
        let r = try connection.pipeline([["GET", key], ["PTTL", key]].map { $0.map { Array($0.utf8) } })
        guard let reason = r[0].text else { return nil }
        let ttl = r[1].int ?? -1
        return Pause(reason: reason, remainingMs: ttl >= 0 ? ttl : nil)
    }
}
