public import Logging
public import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed set of Postgres connections, each owned by a dedicated thread of a ``HandlePool``;
/// a `Service` that runs in the service group ahead of its users.
///
/// libpq blocks the calling thread for every round trip. Run on Swift's cooperative pool
/// (one thread per core: two on the production VPS), a single slow statement would stall
/// every task in the process. So each ``withConnection(_:)`` body runs on a pool thread with
/// that thread's own connection slot, and the awaiting task is suspended, not blocked. At most
/// `size` bodies run at once; further callers queue (FIFO) for a thread. A slot is touched by
/// its thread only, which is what libpq requires of a `PGconn`.
///
/// Connections are opened lazily, on first use of their slot, so a pool can start while
/// Postgres is still starting. Before handing a connection out, the pool checks it
/// (``PostgresConnection/isHealthy``) and reconnects a broken one with bounded, jittered
/// exponential backoff; if Postgres stays down, the call throws
/// ``PostgresError/Kind/connectionFailed`` instead of hanging. A body that fails because the
/// connection broke mid-statement is *not* retried (the statement may have run); its
/// connection is repaired on its next use.
///
/// ``run()`` is the pool's life (see ``HandlePool``): nothing starts in `init`; on graceful
/// shutdown queued calls finish, later ones throw ``PostgresError/Kind/poolShutDown``, and
/// each thread closes its connection.
public final class PostgresPool: Service, Sendable {
    /// How hard to try to (re)connect before giving up on a call.
    public struct ReconnectPolicy: Sendable {
        /// Connection attempts per call, including the first (at least 1).
        public var maxAttempts: Int
        /// Sleep before the second attempt; doubles after each failure…
        public var initialBackoff: Duration
        /// …up to this cap. Each sleep is drawn uniformly from [backoff/2, backoff].
        public var maxBackoff: Duration

        public init(maxAttempts: Int = 5, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(2)) {
            self.maxAttempts = max(1, maxAttempts)
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
        }

        public static let `default` = ReconnectPolicy()
    }

    /// Holds one (possibly not yet opened) connection. Touched only by the pool thread that
    /// owns it (``HandlePool`` hands each handle to exactly one thread).
    final class Slot: @unchecked Sendable {
        var connection: PostgresConnection?
    }

    public let size: Int
    private let conninfo: String
    private let applicationName: String
    private let connectTimeoutSeconds: Int
    private let reconnect: ReconnectPolicy
    private let logger: Logger
    private let threads: HandlePool<Slot>

    /// - Parameters:
    ///   - conninfo: the connection URL or string (see ``PostgresConnection/init(_:applicationName:connectTimeoutSeconds:)``).
    ///   - size: connections = threads (at least 1). Size it to the statements you want in
    ///     flight at once, not to the number of callers.
    public init(
        conninfo: String,
        size: Int,
        applicationName: String = "trackhub",
        connectTimeoutSeconds: Int = 5,
        reconnect: ReconnectPolicy = .default,
        logger: Logger = Logger(label: "trackhub.postgres")
    ) {
        self.size = max(1, size)
        self.conninfo = conninfo
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.reconnect = reconnect
        self.logger = logger
        self.threads = HandlePool(name: "th-pg", handles: (0..<max(1, size)).map { _ in Slot() }) { slot in
            slot.connection?.close()
            slot.connection = nil
        }
    }

    /// Starts the threads; returns after graceful shutdown once every connection is closed.
    public func run() async throws {
        try await threads.run()
    }

    /// Runs `body` with a healthy connection on one of the pool's threads.
    ///
    /// `body` must not keep the connection or use it after returning. Transactions are fine
    /// inside (``PostgresConnection/transaction(_:)``); one left open by a throwing body is
    /// rolled back before the connection is reused.
    ///
    /// If the calling task is cancelled while waiting for a thread, `body` does not run and
    /// `CancellationError` is thrown. Once started, `body` runs to completion: a blocking
    /// libpq call cannot be interrupted from here (bound it with `statement_timeout`).
    /// - Throws: whatever `body` throws; ``PostgresError/Kind/connectionFailed`` when no
    ///   connection could be made within the ``ReconnectPolicy``;
    ///   ``PostgresError/Kind/poolShutDown`` once the pool has shut down.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        do {
            return try await threads.withHandle { [self] slot in
                let connection = try healthyConnection(in: slot)
                defer { if connection.isInTransaction { connection.rollbackQuietly() } }
                return try body(connection)
            }
        } catch let error as HandlePoolError where error.code == .shutDown {
            throw PostgresError(.poolShutDown, "the Postgres pool has been shut down")
        }
    }

    // MARK: - Connections

    /// The slot's connection, opened or repaired as needed, within the reconnect policy.
    private func healthyConnection(in slot: Slot) throws -> PostgresConnection {
        if let connection = slot.connection, connection.isHealthy { return connection }
        // A body that closed its connection left nothing to reset: open a fresh one.
        if let connection = slot.connection, !connection.isOpen { slot.connection = nil }
        var backoff = reconnect.initialBackoff
        var attempt = 1
        while true {
            do {
                if let connection = slot.connection {
                    try connection.reset()
                    logger.info("postgres connection re-established", metadata: [LogKey.attempt: "\(attempt)"])
                    return connection
                }
                let connection = try PostgresConnection(
                    conninfo,
                    applicationName: applicationName,
                    connectTimeoutSeconds: connectTimeoutSeconds
                )
                slot.connection = connection
                return connection
            } catch let error as PostgresError where error.kind == .connectionFailed && attempt < reconnect.maxAttempts {
                // `error` prints without secrets (see PostgresError).
                logger.warning(
                    "postgres connect failed; retrying",
                    metadata: [LogKey.attempt: "\(attempt)", LogKey.error: "\(error)"]
                )
                Self.sleep(jittered: backoff)
                backoff = min(backoff * 2, reconnect.maxBackoff)
                attempt += 1
            }
        }
    }

    /// Blocks this pool thread — which exists to block — for a random time in [d/2, d], so
    /// pools in several processes do not reconnect in lock-step.
    private static func sleep(jittered d: Duration) {
        let (seconds, attoseconds) = d.components
        let nanos = max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let chosen = nanos <= 1 ? nanos : Int64.random(in: nanos / 2...nanos)
        var request = timespec(tv_sec: Int(chosen / 1_000_000_000), tv_nsec: Int(chosen % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
