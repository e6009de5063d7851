public import ServiceLifecycle

/// An async front for one blocking ``RedisConnection`` on a dedicated thread (a one-handle
/// ``HandlePool``; never the cooperative pool): calls run one at a time, in order, and a
/// broken connection is reopened on the next call.
///
/// A `Service`: ``run()`` is the thread's life. List it in the service group ahead of its
/// users; on graceful shutdown queued calls finish, later ones throw a connection error, and
/// the connection is closed on its own thread.
public final class RedisClient: Service, Sendable {
    private let thread: HandlePool<Box>
    public let endpoint: RedisEndpoint

    public init(endpoint: RedisEndpoint) {
        self.endpoint = endpoint
        self.thread = HandlePool(name: "th-redis", handles: [Box()]) { box in
            box.connection?.close()
            box.connection = nil
        }
    }

    /// Starts the thread; returns after graceful shutdown once the connection is closed.
    public func run() async throws {
        try await thread.run()
    }

    /// Runs `body` with a live connection. A connection error closes it (and is rethrown);
    /// the next call reconnects. If the calling task is cancelled before the call starts,
    /// `body` does not run and `CancellationError` is thrown.
    /// - Throws: whatever `body` throws; `RedisError(.connection)` once the client has shut down.
    public func run<T: Sendable>(_ body: @escaping @Sendable (RedisConnection) throws -> T) async throws -> T {
        do {
            return try await thread.withHandle { [endpoint] box in
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
        } catch let error as HandlePoolError where error.code == .shutDown {
            throw RedisError(.connection, "redis client shut down")
        }
    }

    /// The connection slot. Touched only by the client's own thread (``HandlePool`` hands
    /// each handle to exactly one thread), hence `@unchecked`.
    final class Box: @unchecked Sendable {
        var connection: RedisConnection?
    }
}
