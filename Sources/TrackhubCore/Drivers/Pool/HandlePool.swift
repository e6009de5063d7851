import Foundation
import Synchronization
public import ServiceLifecycle

/// A fixed set of handles, each owned by a dedicated thread, behind an `async` API; a
/// swift-service-lifecycle `Service` whose `run()` is the threads' life.
///
/// Why: hiredis, libpq and libcurl block the calling thread for a whole round trip. On Swift's
/// cooperative pool (one thread per core: two on the production VPS) one slow call would stall
/// every task in the process. Here each handle lives on a thread of its own, so awaiting a call
/// only suspends the caller, and a handle is only ever touched by its own thread — what the C
/// libraries require of a connection.
///
/// Calls wait in one FIFO shared by all threads: a slow call ties up only its own thread, and
/// the next call goes to whichever thread is free first. The queue is unbounded; callers bound
/// their own concurrency.
///
/// Lifecycle (the swift-service-lifecycle model):
/// - `init` only stores the handles; no thread starts. Calls made before ``run()`` wait in the
///   queue, so a pool can be listed in a `ServiceGroup` ahead of its users without a start-up race.
/// - ``run()`` starts one thread per handle and returns once they have all exited.
/// - On graceful shutdown the queue closes: calls already queued still run, later ones are
///   refused (``HandlePoolError/Code/shutDown``), then every thread closes its handle and exits.
///   Put the pool before its users in the group, so it is shut down after them.
/// - On cancellation (the group's shutdown bound ran out) calls not yet started are refused at
///   once; the ones running finish (a blocking C call cannot be interrupted; each is bounded by
///   its own timeout).
public final class HandlePool<Handle: Sendable>: Service, Sendable {
    /// Number of threads and handles.
    public let size: Int
    /// Names the threads (`name-0`, `name-1`, …) and the pool in errors.
    public let name: String
    private let queue = HandlePoolQueue<Handle>()
    private let unstarted: Mutex<[Handle]?>
    private let closeHandle: @Sendable (Handle) -> Void

    /// - Parameters:
    ///   - name: the threads' name prefix (visible in `top -H`, gdb, crash reports). Linux keeps
    ///     15 bytes of a thread name, so keep it short (`th-pg` → `th-pg-0`, `th-pg-1`, …).
    ///   - handles: one per thread (at least one). They are handed to their threads by
    ///     ``run()``; from then on only that thread touches its handle.
    ///   - close: called on the handle's own thread once the queue is drained at shutdown.
    public init(name: String, handles: [Handle], close: @escaping @Sendable (Handle) -> Void = { _ in }) {
        precondition(!handles.isEmpty, "HandlePool needs at least one handle")
        self.name = name
        self.size = handles.count
        self.unstarted = Mutex(handles)
        self.closeHandle = close
    }

    /// Starts one thread per handle and lives until graceful shutdown or cancellation, then
    /// drains (or, when cancelled, refuses) the queue and returns once every thread has exited.
    /// - Throws: ``HandlePoolError/Code/alreadyRun`` when called a second time.
    public func run() async throws {
        guard let handles = unstarted.withLock({ handles in defer { handles = nil }; return handles }) else {
            throw HandlePoolError(.alreadyRun, pool: name)
        }
        for (index, handle) in handles.enumerated() { startThread(index: index, handle: handle) }
        await withTaskCancellationHandler {
            try? await gracefulShutdown()
            queue.close()
            await queue.waitUntilWorkersExited()
        } onCancel: { [queue] in
            for job in queue.closeAndTakeQueued() { job(nil) }
        }
    }

    /// Runs `body` with a handle on one of the pool's threads and returns its result.
    ///
    /// `body` must not keep the handle. Once started, `body` runs to completion.
    /// - Parameter skipIfCancelled: when true (the default) and the calling task is cancelled
    ///   before a thread picks the call up, `body` does not run and `CancellationError` is thrown.
    ///   Pass false for work that must happen once queued.
    /// - Throws: whatever `body` throws; ``HandlePoolError/Code/shutDown`` once the pool has
    ///   shut down (or was cancelled before the call started).
    public func withHandle<T: Sendable>(
        skipIfCancelled: Bool = true,
        _ body: @escaping @Sendable (Handle) throws -> T
    ) async throws -> T {
        if skipIfCancelled { try Task.checkCancellation() }
        let cancelled = Latch()
        let refused = HandlePoolError(.shutDown, pool: name)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let accepted = queue.enqueue { handle in
                    guard let handle else { return continuation.resume(throwing: refused) }
                    if skipIfCancelled, cancelled.isSet { return continuation.resume(throwing: CancellationError()) }
                    continuation.resume(with: Result { try body(handle) })
                }
                if !accepted { continuation.resume(throwing: refused) }
            }
        } onCancel: {
            cancelled.set()
        }
    }

    /// Calls accepted but not yet picked up by a thread (a gauge for back-pressure alarms).
    public var queuedCalls: Int { queue.pendingCount }

    private func startThread(index: Int, handle: Handle) {
        queue.workerStarted()
        let threadName = "\(name)-\(index)"
        let thread = Thread { [queue, closeHandle] in
            Thread.nameCurrentOSThread(threadName)
            while let job = queue.next() { job(handle) }
            closeHandle(handle)
            queue.workerExited()
        }
        thread.start()
    }
}
