/// A pool connection and a Redis connection together, for work that reads or writes both in one
/// blocking call (the console's status, replays and privacy requests; `dispatchd status`).
extension PostgresPool {
    /// Runs `body` on the pool's thread with a Redis connection opened for it (and closed after).
    public func withConnection<T: Sendable>(
        redis endpoint: RedisEndpoint, timeout: Duration = .seconds(2),
        _ body: @escaping @Sendable (PostgresConnection, RedisConnection) throws -> T
    ) async throws -> T {
        try await withConnection { pg in
            let connection = try RedisConnection(endpoint: endpoint, timeout: timeout)
            defer { connection.close() }
            return try body(pg, connection)
        }
    }
}
