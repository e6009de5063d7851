import Crypto

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

        public init(reason: String, remainingMs: Int?) {
            self.reason = reason
            self.remainingMs = remainingMs
        }
    }

    /// Pauses a pixel for everyone. `duration` nil = until ``resume(pixel:connection:)``.
    public func pause(pixel: String, reason: String, duration: Duration?, connection: RedisConnection) throws {
        var args = ["SET", layout.pixelPause(pixel: pixel), reason]
        guard let duration else {
            try connection.checked(args)
            return
        }
        let ms = max(1, duration.wholeMilliseconds)
        args += ["PX", String(ms)]
        // A timed pause is a throttle: its streak outlives the pause by twice the pause.
        let replies = try connection.pipeline([args, ["PEXPIRE", throttleStreak(pixel), String(3 * ms)]].map { $0.map { Array($0.utf8) } })
        if let m = replies.compactMap(\.errorMessage).first { throw RedisError(.server, m) }
    }

    /// The count of throttles in a row (expires ``pause(pixel:reason:duration:)`` decides when).
    func throttleStreak(_ pixel: String) -> String { layout.pixelPause(pixel: pixel) + ":throttles" }

    /// One more throttle of `pixel` in a row; the count so far. The key lives a day at most
    /// until the pause that follows sets its real expiry.
    public func recordThrottle(pixel: String, connection: RedisConnection) throws -> Int {
        let key = throttleStreak(pixel)
        let replies = try connection.pipeline([["INCR", key], ["PEXPIRE", key, "86400000"]].map { $0.map { Array($0.utf8) } })
        if let m = replies.compactMap(\.errorMessage).first { throw RedisError(.server, m) }
        return max(1, replies[0].int ?? 1)
    }

    /// A token pause names the token Meta refused (by fingerprint, never the token), so that it
    /// only holds back that token. `dispatchd apply` lifts the pause and unparks the pixel's
    /// events the moment it stores a new token, but running workers load the new token up to
    /// one config refresh later: a worker still holding the old token can be refused again
    /// (190) after the release and re-pause the pixel. ``releaseIfTokenChanged`` undoes that
    /// once the worker has the new token.
    public static func tokenMarker(_ token: String) -> String {
        let digest = SHA256.hash(data: Array(token.utf8)).prefix(6).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        return "[token \(digest)]"
    }

    private static let releaseScript = RedisScript("""
    local v = redis.call('GET', KEYS[1])
    if v then
      if redis.call('PTTL', KEYS[1]) ~= -1 then return -1 end
      if not string.find(v, '[token ', 1, true) or string.find(v, ARGV[1], 1, true) then return -1 end
      redis.call('DEL', KEYS[1])
    elseif redis.call('ZCARD', KEYS[2]) == 0 then
      return -1
    end
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000
    local ids = redis.call('ZRANGE', KEYS[2], 0, -1)
    for _, id in ipairs(ids) do redis.call('ZADD', KEYS[3], now, id) end
    redis.call('DEL', KEYS[2])
    return #ids
    """)

    /// When `pixel` is paused until a new token and the token Meta refused is not `currentToken`,
    /// lifts the pause and reschedules the pixel's parked events (atomically); returns how many,
    /// or nil when nothing was released.
    ///
    /// Parked events of a pixel that is not paused at all are rescheduled too: a worker refused
    /// with the old token records (parks) its events *after* it paused the pixel, so a release
    /// by a worker holding the new token can fall between the two and leave them parked with no
    /// pause left to release — lost until the next apply (found by the fault suite, scenario 6d).
    /// Only pixels with a token reach this (a pixel without one parks without a pause).
    public func releaseIfTokenChanged(pixel: String, currentToken: String, connection: RedisConnection) throws -> Int? {
        guard !currentToken.isEmpty else { return nil }
        let schedule = RetrySchedule(layout: layout)
        let r = try Self.releaseScript.run(connection, keys: [layout.pixelPause(pixel: pixel), schedule.parked(pixel), layout.retrySchedule],
                                           args: [Self.tokenMarker(currentToken)])
        guard let n = r.int, n >= 0 else { return nil }
        return n
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
