import Foundation

/// The FIFO shared by a ``HandlePool``'s threads, plus the bookkeeping for shutdown.
///
/// Threads block in ``next()`` on a condition variable (they exist to block); async callers
/// never do: they enqueue and are resumed by the job itself, and ``waitUntilWorkersExited()``
/// suspends on a continuation until the last thread reports its exit — no polling.
final class HandlePoolQueue<Handle>: @unchecked Sendable {
    // @unchecked: every stored property is read and written only while `condition` is locked.

    /// Runs on a pool thread with that thread's handle, or with nil when the pool refuses it
    /// (shut down before the job could start); a job must resume its caller either way.
    typealias Job = @Sendable (Handle?) -> Void

    private let condition = NSCondition()
    private var incoming: [Job] = []
    private var outgoing: [Job] = []  // reversed; popLast() is the oldest job
    private var closed = false
    private var liveWorkers = 0
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []

    /// Appends `job`; false (and the job is dropped) once the queue is closed.
    func enqueue(_ job: @escaping Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        incoming.append(job)
        condition.signal()
        return true
    }

    /// Blocks until a job is available; nil once the queue is closed and drained.
    func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let job = popOldest() { return job }
            if closed { return nil }
            condition.wait()
        }
    }

    /// Jobs accepted but not yet picked up by a thread.
    var pendingCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return incoming.count + outgoing.count
    }

    /// Refuses new jobs; the threads finish what is queued, then exit.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Refuses new jobs and hands back the ones no thread has started, oldest first, for the
    /// caller to refuse (used when the pool is cancelled rather than shut down gracefully).
    func closeAndTakeQueued() -> [Job] {
        condition.lock()
        closed = true
        var taken: [Job] = []
        while let job = popOldest() { taken.append(job) }
        condition.broadcast()
        condition.unlock()
        return taken
    }

    /// Counts a thread in; called before the thread starts.
    func workerStarted() {
        condition.lock()
        liveWorkers += 1
        condition.unlock()
    }

    /// Counts a thread out; the last one wakes the ``waitUntilWorkersExited()`` callers.
    func workerExited() {
        condition.lock()
        liveWorkers -= 1
        let waiters = liveWorkers == 0 ? exitWaiters : []
        if liveWorkers == 0 { exitWaiters.removeAll() }
        condition.unlock()
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once no thread is left (at once if none ever started).
    func waitUntilWorkersExited() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if liveWorkers == 0 {
                condition.unlock()
                continuation.resume()
            } else {
                exitWaiters.append(continuation)
                condition.unlock()
            }
        }
    }

    /// Must be called with `condition` locked.
    private func popOldest() -> Job? {
        if outgoing.isEmpty, !incoming.isEmpty {
            outgoing = incoming.reversed()
            incoming.removeAll(keepingCapacity: true)
        }
        return outgoing.popLast()
    }
}
