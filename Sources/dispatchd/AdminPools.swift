import Logging
import ServiceLifecycle
import TrackhubCore

/// The Postgres pool an admin subcommand (`migrate`, `apply`, `dlq`, `status`) uses for its
/// short life: the same pool as `dispatchd run`, started before the command's body and shut
/// down after it (``ServiceGroup/withRunning(_:logger:_:)``), so libpq and hiredis calls run on
/// the pool's thread, never on the cooperative pool.
struct AdminPools: Sendable {
    let postgres: PostgresPool
    let redis: RedisEndpoint

    /// Runs `body` with the pools running; a command fails fast (one connection attempt) when
    /// Postgres is unreachable, as an operator at a terminal expects.
    static func with<T: Sendable>(
        _ settings: BaseSettings, application: String, _ body: (AdminPools) async throws -> T
    ) async throws -> T {
        let logger = Logger(label: "dispatchd.\(application)")
        let pools = AdminPools(
            postgres: PostgresPool(conninfo: settings.databaseURL, size: 1, applicationName: "dispatchd-\(application)",
                                   reconnect: .init(maxAttempts: 1), logger: logger),
            redis: settings.redis)
        return try await ServiceGroup.withRunning([pools.postgres], logger: logger) { try await body(pools) }
    }

    /// Runs `body` on the Postgres pool's thread with a Redis connection opened there for it.
    /// The operator commands whose steps interleave Postgres and Redis in one synchronous
    /// sequence (`apply`, `dlq replay`, `status`) need both on one thread.
    func withPostgresAndRedis<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection, RedisConnection) throws -> T) async throws -> T {
        try await postgres.withConnection { [redis] connection in
            let redisConnection = try RedisConnection(endpoint: redis)
            defer { redisConnection.close() }
            return try body(connection, redisConnection)
        }
    }
}
