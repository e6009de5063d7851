/// The forward queue's Redis structures and scripts, over one blocking connection (the
/// ``RedisClient`` thread runs them; `dlq replay` calls ``requeue(_:connection:)`` directly).
///
/// Keys (all under the layout's prefix):
/// - `tgfwd:due` sorted set: job key → due time (ms); `tgfwd:inflight`: job key → lease end;
/// - `tgfwd:jobs` hash: job key → job JSON; `tgfwd:order` hash: job key → order key;
/// - `tgfwd:chat:<order key>` sorted set: the chat's waiting job keys by `update_id` — only its
///   first member may be claimed, which keeps a chat's updates in order across retries;
/// - `tgfwd:done:<job key>`, expiring after a day (Telegram keeps an undelivered update 24 h):
///   a redelivered update, or a batch processed again after a crash, is not relayed twice.
public struct TelegramForwardSchedule: Sendable {
    public let layout: StreamLayout
    /// How long a finished job's key is remembered.
    public static let doneTTLSeconds = 86_400

    public init(layout: StreamLayout) { self.layout = layout }

    var due: String { layout.prefix + ":tgfwd:due" }
    var inflight: String { layout.prefix + ":tgfwd:inflight" }
    var jobs: String { layout.prefix + ":tgfwd:jobs" }
    var order: String { layout.prefix + ":tgfwd:order" }
    var chatPrefix: String { layout.prefix + ":tgfwd:chat:" }
    var donePrefix: String { layout.prefix + ":tgfwd:done:" }

    private static let enqueueScript = RedisScript("""
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    local n = 0
    for i = 1, #ARGV, 5 do
      local key, order, update, body, force = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
      if force == '1' then redis.call('DEL', KEYS[5] .. key) end
      if redis.call('EXISTS', KEYS[5] .. key) == 0 and redis.call('HEXISTS', KEYS[3], key) == 0 then
        redis.call('HSET', KEYS[3], key, body)
        redis.call('HSET', KEYS[4], key, order)
        redis.call('ZADD', KEYS[6] .. order, tonumber(update), key)
        redis.call('ZADD', KEYS[1], now, key)
        n = n + 1
      end
    end
    return n
    """)

    /// Queues jobs not queued or finished before (all of them with `force`); returns how many.
    @discardableResult
    public func enqueue(_ jobs: [TelegramForward], force: Bool = false, connection: RedisConnection) throws -> Int {
        guard !jobs.isEmpty else { return 0 }
        var args: [String] = []
        for job in jobs {
            args += [job.key, job.orderKey, String(job.updateID), try job.json(), force ? "1" : "0"]
        }
        return try Self.enqueueScript.run(connection, keys: keys, args: args).int ?? 0
    }

    private static let claimScript = RedisScript("""
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
    for _, id in ipairs(expired) do
      redis.call('ZREM', KEYS[2], id)
      redis.call('ZADD', KEYS[1], now, id)
    end
    local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
    local out = {}
    for _, id in ipairs(ids) do
      local body = redis.call('HGET', KEYS[3], id)
      local order = redis.call('HGET', KEYS[4], id)
      local head = id
      if order then
        head = redis.call('ZRANGE', KEYS[6] .. order, 0, 0)[1] or id
        if head ~= id and redis.call('HEXISTS', KEYS[3], head) == 0 then
          redis.call('ZREM', KEYS[6] .. order, head)
          head = id
        end
      end
      if not body then
        redis.call('ZREM', KEYS[1], id)
      elseif head ~= id then
        -- An older update of the same chat is still waiting: go after it (finishing it makes
        -- this one due at once).
        local after = tonumber(redis.call('ZSCORE', KEYS[1], head) or redis.call('ZSCORE', KEYS[2], head) or now)
        redis.call('ZADD', KEYS[1], math.max(after, now) + 250, id)
      else
        redis.call('ZREM', KEYS[1], id)
        redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), id)
        table.insert(out, body)
      end
    end
    return out
    """)

    /// Claims up to `limit` due jobs, each the oldest waiting update of its chat, for `lease`.
    public func claim(limit: Int, lease: Duration, connection: RedisConnection) throws -> [TelegramForward] {
        let reply = try Self.claimScript.run(connection, keys: keys, args: [String(limit), String(max(1, lease.wholeMilliseconds))])
        return reply.elements.compactMap { r in
            guard case .string(let bytes) = r else { return nil }
            return TelegramForward.decode(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Stores the job (its attempt count) and makes it due at `atMs`.
    public func retry(_ job: TelegramForward, atMs: Int64, connection: RedisConnection) throws {
        let replies = try connection.pipeline([
            ["HSET", jobs, job.key, try job.json()], ["ZREM", inflight, job.key], ["ZADD", due, String(atMs), job.key],
        ].map { $0.map { Array($0.utf8) } })
        if let m = replies.compactMap(\.errorMessage).first { throw RedisError(.server, m) }
    }

    private static let finishScript = RedisScript("""
    redis.call('ZREM', KEYS[2], ARGV[1])
    redis.call('ZREM', KEYS[1], ARGV[1])
    redis.call('HDEL', KEYS[3], ARGV[1])
    redis.call('HDEL', KEYS[4], ARGV[1])
    redis.call('ZREM', KEYS[5], ARGV[1])
    if ARGV[2] == '1' then redis.call('SET', KEYS[6], '1', 'EX', tonumber(ARGV[3])) end
    -- The chat's next update waited behind this one: it is due now.
    local nxt = redis.call('ZRANGE', KEYS[5], 0, 0)[1]
    if nxt then
      local t = redis.call('TIME')
      redis.call('ZADD', KEYS[1], 'XX', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), nxt)
    end
    return 1
    """)

    /// Removes a finished job and makes its chat's next update due now; `remember` keeps its
    /// key a day so it is not queued again.
    public func finish(_ job: TelegramForward, remember: Bool, connection: RedisConnection) throws {
        _ = try Self.finishScript.run(connection, keys: [due, inflight, jobs, order, chatPrefix + job.orderKey, donePrefix + job.key],
                                      args: [job.key, remember ? "1" : "0", String(Self.doneTTLSeconds)])
    }

    /// Waiting (due or in retry) and claimed jobs.
    public func depth(connection: RedisConnection) throws -> (waiting: Int, inFlight: Int) {
        let r = try connection.pipeline([["ZCARD", due], ["ZCARD", inflight]].map { $0.map { Array($0.utf8) } })
        return (r[0].int ?? 0, r[1].int ?? 0)
    }

    private var keys: [String] { [due, inflight, jobs, order, donePrefix, chatPrefix] }
}
