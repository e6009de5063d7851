public import Logging
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed set of Postgres connections served by as many dedicated threads.
///
/// libpq blocks the calling thread for every round trip. Run on Swift's cooperative pool
/// (one thread per core: two on the production VPS), a single slow statement would stall
/// every task in the process. So each ``withConnection(_:)`` body runs on a thread of a
/// private `NIOThreadPool`, and the awaiting task is suspended, not blocked.
///
/// The pool has exactly `size` threads and `size` connection slots. At most `size` bodies run
/// at once — one per thread — and each holds one slot for its whole run, so a thread that
/// starts a body always finds a free slot: there is no second queue and no waiting for a
/// connection, only for a thread. A slot is touched by one thread at a time, which is what
/// libpq requires of a `PGconn`. Further callers queue (FIFO) for a thread.
///
/// Connections are opened lazily, on first use of their slot, so a pool can be created while
/// Postgres is still starting. Before handing a connection out, the pool checks it
/// (``PostgresConnection/isHealthy``) and reconnects a broken one with bounded, jittered
/// exponential backoff; if Postgres stays down, the call throws
/// ``PostgresError/Kind/connectionFailed`` instead of hanging. A body that fails because the
/// connection broke mid-statement is *not* retried (the statement may have run); its
/// connection is repaired on its next use.
///
/// Call ``shutdown()`` before the pool is released.
public final class PostgresPool: Sendable {
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

    /// Holds one (possibly not yet opened) connection. Touched only by the thread that took
    /// the slot out of `idle`; the mutex hand-off orders those accesses.
    private final class Slot: @unchecked Sendable {
        var connection: PostgresConnection?
    }

    public let size: Int
    private let conninfo: String
    private let applicationName: String
    private let connectTimeoutSeconds: Int
    private let reconnect: ReconnectPolicy
    private let logger: Logger
    private let threads: NIOThreadPool
    private let state: Mutex<State>

    private struct State {
        var idle: [Slot]
        var isShutDown = false
    }

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
        self.state = Mutex(State(idle: (0..<max(1, size)).map { _ in Slot() }))
        self.threads = NIOThreadPool(numberOfThreads: max(1, size))
        self.threads.start()
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
    ///   ``PostgresError/Kind/poolShutDown`` after ``shutdown()``.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        if isShutDown { throw Self.shutDownError }
        do {
            return try await threads.runIfActive { [self] in
                let slot = takeSlot()
                defer { giveBack(slot) }
                let connection = try healthyConnection(in: slot)
                defer { if connection.isInTransaction { connection.rollbackQuietly() } }
                return try body(connection)
            }
        } catch is CancellationError where isShutDown {
            // NIOThreadPool reports work refused by a stopped pool as a cancellation.
            throw Self.shutDownError
        }
    }

    private var isShutDown: Bool { state.withLock { $0.isShutDown } }

    private static var shutDownError: PostgresError {
        PostgresError(.poolShutDown, "the Postgres pool has been shut down")
    }

    /// Waits for queued work to finish, stops the threads and closes every connection.
    /// Calling it again does nothing.
    public func shutdown() async throws {
        let alreadyShutDown = state.withLock { state in
            defer { state.isShutDown = true }
            return state.isShutDown
        }
        if alreadyShutDown { return }
        try await threads.shutdownGracefully()
        // No thread is left to hold a slot, so every slot is idle.
        let slots = state.withLock { $0.idle }
        for slot in slots {
            slot.connection?.close()
            slot.connection = nil
        }
    }

    // MARK: - Slots

    private func takeSlot() -> Slot {
        let slot = state.withLock { $0.idle.popLast() }
        // Invariant: `size` threads, `size` slots, a body holds one slot at a time.
        guard let slot else { preconditionFailure("PostgresPool: a pool thread found no idle connection slot") }
        return slot
    }

    private func giveBack(_ slot: Slot) {
        state.withLock { $0.idle.append(slot) }
    }

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
