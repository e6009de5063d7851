/// Where ``TelegramPoolHealth`` lives in Redis: one key, `<prefix>:telegram:pool_health`,
/// written by the checker's lease holder with a time to live, so that if every checker stops
/// the marks expire and ingestd goes back to rotating every configured bot (a stale "dead"
/// must not hold a recovered bot out forever).
///
/// Blocking calls on a ``RedisConnection``: call them inside ``RedisClient/run(_:)``.
public struct TelegramPoolHealthStore: Sendable {
    public let key: String

    public init(layout: StreamLayout) {
        key = "\(layout.prefix):telegram:pool_health"
    }

    public func publish(_ health: TelegramPoolHealth, ttl: Duration, connection: RedisConnection) throws {
        let reply = try connection.command([Array("SET".utf8), Array(key.utf8), health.json(), Array("PX".utf8),
                                            Array(String(max(1, ttl.wholeMilliseconds)).utf8)])
        if let error = reply.errorMessage { throw RedisError(.server, error) }
    }

    /// The published health, or nil when there is none (never checked, or expired).
    public func load(connection: RedisConnection) throws -> TelegramPoolHealth? {
        guard case .string(let bytes) = try connection.command(["GET", key]) else { return nil }
        return TelegramPoolHealth(json: bytes)
    }
}
