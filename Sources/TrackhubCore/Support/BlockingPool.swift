import NIOPosix

/// A small pool of dedicated threads for blocking C calls (hiredis, libpq, libcurl).
///
/// Swift's cooperative pool has one thread per core; a blocking `recv` there stalls every task.
/// Anything that blocks goes through here instead.
public final class BlockingPool: Sendable {
    private let pool: NIOThreadPool

    public init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    /// Runs `body` on one of the pool's threads and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }

    /// Stops the threads once queued work has finished.
    public func shutdown() async throws {
        try await pool.shutdownGracefully()
    }
}
