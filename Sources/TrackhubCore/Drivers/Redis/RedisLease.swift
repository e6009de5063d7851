/// A lease on one Redis key, so exactly one instance does a job (the alert rules; any
/// once-per-cluster schedule): `SET key token NX PX ttl` takes it, a script renews or releases
/// it only while the key still holds this holder's token. A holder that dies stops renewing,
/// the key expires after `ttl`, and the next instance to try takes it over.
///
/// Blocking calls on a ``RedisConnection``: call it inside ``RedisClient/run(_:)``.
public struct RedisLease: Sendable {
    /// The key holding the holder's token.
    public let key: String
    /// This holder's token (unique per process: consumer name and a random part).
    public let token: String
    public let ttl: Duration

    public init(key: String, token: String, ttl: Duration) {
        self.key = key
        self.token = token
        self.ttl = ttl
    }

    /// Takes the lease if it is free, or extends it if this holder has it. True when this
    /// holder has it afterwards (for another `ttl`).
    public func acquireOrRenew(connection: RedisConnection) throws -> Bool {
        let reply = try Self.acquireOrRenew.run(connection, keys: [key], args: [token, String(ttl.wholeMilliseconds)])
        return reply.int == 1
    }

    /// Gives the lease up if this holder has it (graceful shutdown: the next instance need not
    /// wait for the expiry). True when it was held.
    @discardableResult
    public func release(connection: RedisConnection) throws -> Bool {
        try Self.release.run(connection, keys: [key], args: [token]).int == 1
    }

    /// The current holder's token, if any.
    public func holder(connection: RedisConnection) throws -> String? {
        try connection.command(["GET", key]).text
    }

    static let acquireOrRenew = RedisScript("""
        local cur = redis.call('GET', KEYS[1])
        if cur == false then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return 1
        elseif cur == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        return 0
        """)

    static let release = RedisScript("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """)
}
