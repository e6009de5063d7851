/// An async front for one blocking ``RedisConnection``: every call runs on the client's own
/// dedicated thread (never the cooperative pool), one at a time, and a broken connection is
/// reopened on the next call.
public final class RedisClient: Sendable {
    private let pool: BlockingPool
    private let box = Box()
    public let endpoint: RedisEndpoint

    public init(endpoint: RedisEndpoint) {
        self.endpoint = endpoint
        self.pool = BlockingPool(threads: 1)
    }

    /// Runs `body` with a live connection. A connection error closes it (and is rethrown);
    /// the next call reconnects.
    public func run<T: Sendable>(_ body: @escaping @Sendable (RedisConnection) throws -> T) async throws -> T {
        try await pool.run { [box, endpoint] in
            if box.connection == nil || box.connection?.isOpen == false {
                box.connection = try RedisConnection(endpoint: endpoint, timeout: .seconds(5))
            }
            let connection = box.connection!
            do {
                return try body(connection)
            } catch let error as RedisError where error.kind == .connection {
                connection.close()
                box.connection = nil
                throw error
            }
        }
    }

    public func shutdown() async {
        try? await pool.run { [box] in box.connection?.close() }
        try? await pool.shutdown()
    }

    /// Only touched from the client's single pool thread.
    private final class Box: @unchecked Sendable {
        var connection: RedisConnection?
    }
}
