import NIOCore

/// A `TaskExecutor` that runs jobs on one NIO event loop.
///
/// Why: Hummingbird runs each connection's request loop as a task on Swift's global pool, so
/// every request crosses threads twice (the event loop reads it, a pool thread handles it, the
/// event loop writes the answer), and a click crosses a third time when the ingest writer
/// resumes it. Preferring the connection's own event loop (see ``EventLoopPinnedHTTP1Channel``)
/// keeps those steps on one thread: reads, the handler and the write follow each other in the
/// same loop tick, and the writer's resumes become one wake-up per loop instead of pool-thread
/// wake-ups. Only code that never blocks may run here — ingestd's handlers don't: the blocking
/// hiredis connection lives on the writer's own thread.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            // Run "on" this task executor, so the runtime sees the task already where it
            // prefers to be and does not enqueue it again at its next suspension point.
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
