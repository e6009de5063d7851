import Foundation

/// Events waiting for another attempt, in a Redis sorted set scored by due time (ms), shared by
/// every dispatchd instance. Claiming moves items to an in-flight set with a lease, so an
/// instance that dies mid-send doesn't lose them: expired leases return to the schedule.
///
/// Events of a pixel whose token is invalid are *parked* (not burned) in a per-pixel set until
/// `dispatchd apply` brings a new token and unparks them.
public struct RetrySchedule: Sendable {
    public let layout: StreamLayout

    public init(layout: StreamLayout) { self.layout = layout }

    var inflight: String { layout.retrySchedule + ":inflight" }
    func parked(_ pixel: String) -> String { layout.prefix + ":parked:" + pixel }

    private static let encoder = JSONEncoder()
    private static let decoder = JSONDecoder()

    /// Schedules (or re-schedules) events at `dueMs`.
    public func schedule(_ events: [(OutboundEvent, Int64)], connection: RedisConnection) throws {
        guard !events.isEmpty else { return }
        var commands: [[[UInt8]]] = []
        for (event, due) in events {
            let body = try Self.encoder.encode(event)
            commands.append(["HSET", layout.retryPayloads, event.key].map { Array($0.utf8) } + [Array(body)])
            commands.append(["ZADD", layout.retrySchedule, String(due), event.key].map { Array($0.utf8) })
            commands.append(["ZREM", inflight, event.key].map { Array($0.utf8) })
        }
        let replies = try connection.pipeline(commands)
        if let m = replies.compactMap(\.errorMessage).first { throw RedisError(.server, m) }
    }

    private static let claimScript = RedisScript("""
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    -- Return expired leases to the schedule first.
    local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
    for _, id in ipairs(expired) do
      redis.call('ZREM', KEYS[2], id)
      redis.call('ZADD', KEYS[1], now, id)
    end
    local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
    local out = {}
    for _, id in ipairs(ids) do
      redis.call('ZREM', KEYS[1], id)
      redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), id)
      local body = redis.call('HGET', KEYS[3], id)
      if body then table.insert(out, body) end
    end
    return out
    """)

    /// Claims up to `limit` due events for `lease`; finish each with ``complete(_:connection:)``
    /// or ``schedule(_:connection:)``.
    public func claimDue(limit: Int, lease: Duration, connection: RedisConnection) throws -> [OutboundEvent] {
        let reply = try Self.claimScript.run(connection, keys: [layout.retrySchedule, inflight, layout.retryPayloads],
                                             args: [String(limit), String(max(1, lease.wholeMilliseconds))])
        return reply.elements.compactMap { r in
            guard case .string(let bytes) = r else { return nil }
            return try? Self.decoder.decode(OutboundEvent.self, from: Data(bytes))
        }
    }

    private static let renewScript = RedisScript("""
    local t = redis.call('TIME')
    local due = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
    local n = 0
    for i = 2, #ARGV do
      if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
        redis.call('ZADD', KEYS[1], 'XX', due, ARGV[i])
        n = n + 1
      end
    end
    return n
    """)

    /// Extends the lease of claimed events still in flight (those already finished or
    /// rescheduled are left alone); returns how many were extended.
    @discardableResult
    public func renew(_ events: [OutboundEvent], lease: Duration, connection: RedisConnection) throws -> Int {
        guard !events.isEmpty else { return 0 }
        return try Self.renewScript.run(connection, keys: [inflight],
                                        args: [String(max(1, lease.wholeMilliseconds))] + events.map(\.key)).int ?? 0
    }

    /// Removes finished events (sent or dead-lettered) from the schedule.
    public func complete(_ events: [OutboundEvent], connection: RedisConnection) throws {
        guard !events.isEmpty else { return }
        var commands: [[[UInt8]]] = []
        for e in events {
            commands.append(["ZREM", inflight, e.key].map { Array($0.utf8) })
            commands.append(["ZREM", layout.retrySchedule, e.key].map { Array($0.utf8) })
            commands.append(["HDEL", layout.retryPayloads, e.key].map { Array($0.utf8) })
        }
        _ = try connection.pipeline(commands)
    }

    /// Parks events of a pixel whose token is invalid: kept, not retried, not burned.
    public func park(_ events: [OutboundEvent], connection: RedisConnection) throws {
        guard !events.isEmpty else { return }
        var commands: [[[UInt8]]] = []
        let nowMs = String(Int64(Date().timeIntervalSince1970 * 1000))
        for e in events {
            let body = try Self.encoder.encode(e)
            commands.append(["HSET", layout.retryPayloads, e.key].map { Array($0.utf8) } + [Array(body)])
            commands.append(["ZADD", parked(e.pixel), nowMs, e.key].map { Array($0.utf8) })
            commands.append(["ZREM", inflight, e.key].map { Array($0.utf8) })
            commands.append(["ZREM", layout.retrySchedule, e.key].map { Array($0.utf8) })
        }
        _ = try connection.pipeline(commands)
    }

    private static let unparkScript = RedisScript("""
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000
    local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
    for _, id in ipairs(ids) do redis.call('ZADD', KEYS[2], now, id) end
    redis.call('DEL', KEYS[1])
    return #ids
    """)

    /// Moves a pixel's parked events back into the schedule, due now. Returns how many.
    @discardableResult
    public func unpark(pixel: String, connection: RedisConnection) throws -> Int {
        try Self.unparkScript.run(connection, keys: [parked(pixel), layout.retrySchedule], args: []).int ?? 0
    }

    /// Depth of the schedule, in flight, and parked for a pixel (for `dispatchd status`).
    public func depth(connection: RedisConnection) throws -> (scheduled: Int, inflight: Int) {
        let r = try connection.pipeline([["ZCARD", layout.retrySchedule], ["ZCARD", inflight]].map { $0.map { Array($0.utf8) } })
        return (r[0].int ?? 0, r[1].int ?? 0)
    }

    public func parkedCount(pixel: String, connection: RedisConnection) throws -> Int {
        try connection.command(["ZCARD", parked(pixel)]).int ?? 0
    }
}
