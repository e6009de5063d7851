import Foundation

/// N `CurlHTTPClient`s, each owned by its own dedicated thread, behind an `async` API.
///
/// Why: `CurlHTTPClient` blocks its thread for a whole request (up to the timeout), and
/// blocking a thread of Swift's cooperative pool (one per core) would stall every other task
/// in the process. Here each client lives on a thread of its own, so awaiting a request only
/// suspends the caller. Each thread keeps its client, and so its keep-alive connection, for
/// the pool's whole life: at most `size` connections to the upstream, reused across requests.
///
/// Requests wait in one FIFO queue shared by all threads, so a slow request ties up only its
/// own thread: the next request goes to whichever thread is free first. The queue is
/// unbounded; callers bound concurrency themselves (the dispatcher never has more requests in
/// flight than it has workers). A request that was queued always runs, even if the awaiting
/// task is cancelled; its duration is bounded by its own timeout.
public final class CurlClientPool: Sendable {
    /// Number of threads, clients and (at most) upstream connections.
    public let size: Int
    private let queue: CurlJobQueue

    /// Creates `size` clients (at least one) and starts one thread per client.
    ///
    /// Throws only if libcurl cannot initialise or allocate a handle; then no thread was
    /// started. `maxResponseBytes`, `userAgent` and `proxy` are passed to every client.
    public init(
        size: Int,
        maxResponseBytes: Int = CurlHTTPClient.defaultMaxResponseBytes,
        userAgent: String = "trackhub",
        proxy: String? = nil,
        threadName: String = "trackhub-curl"
    ) throws(CurlInitError) {
        var clients: [CurlHTTPClient] = []
        for _ in 0..<max(1, size) {
            clients.append(try CurlHTTPClient(maxResponseBytes: maxResponseBytes, userAgent: userAgent, proxy: proxy))
        }
        self.size = clients.count
        let queue = CurlJobQueue(workers: clients.count)
        self.queue = queue
        for (index, client) in clients.enumerated() {
            let handOff = CurlClientHandOff(client)
            let thread = Thread {
                do {
                    // From here on only this thread touches the client; it is released (and
                    // its handle cleaned up) when this scope ends, before the exit is reported.
                    let client = handOff.take()
                    while let job = queue.next() { job(client) }
                }
                queue.workerExited()
            }
            thread.name = "\(threadName)-\(index)"
            thread.start()
        }
    }

    deinit {
        // Without an explicit shutdown the threads still drain the queue and exit.
        queue.close()
    }

    /// POSTs on the first free pool thread; see `CurlHTTPClient.post` for the semantics.
    /// After `shutdown` it returns `.failure(.other)` without sending anything.
    public func post(
        url: String,
        body: [UInt8],
        headers: [String] = [],
        timeout: Duration,
        connectTimeout: Duration = .seconds(5)
    ) async -> HTTPOutcome {
        await submit { client in
            client.post(url: url, body: body, headers: headers, timeout: timeout, connectTimeout: connectTimeout)
        }
    }

    /// GETs on the first free pool thread; see `CurlHTTPClient.get` for the semantics.
    /// After `shutdown` it returns `.failure(.other)` without sending anything.
    public func get(
        url: String,
        headers: [String] = [],
        timeout: Duration,
        connectTimeout: Duration = .seconds(5)
    ) async -> HTTPOutcome {
        await submit { client in
            client.get(url: url, headers: headers, timeout: timeout, connectTimeout: connectTimeout)
        }
    }

    /// Requests accepted but not yet picked up by a thread (a gauge for back-pressure alarms).
    public var queuedRequests: Int { queue.pendingCount }

    /// Stops accepting requests, lets the threads finish everything already queued, and
    /// returns once every thread has exited and every connection is closed. Idempotent.
    public func shutdown() async {
        queue.close()
        await queue.waitUntilWorkersExited()
    }

    private func submit(_ work: @escaping @Sendable (CurlHTTPClient) -> HTTPOutcome) async -> HTTPOutcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<HTTPOutcome, Never>) in
            let accepted = queue.enqueue { client in continuation.resume(returning: work(client)) }
            if !accepted {
                continuation.resume(returning: .failure(
                    kind: .other,
                    message: "HTTP client pool is shut down; request not sent",
                    latency: .zero
                ))
            }
        }
    }
}

/// Moves a client from the creating thread to its worker thread exactly once.
private final class CurlClientHandOff: @unchecked Sendable {
    // @unchecked: written in init, read once by the worker thread after `Thread.start()`
    // (which is a happens-before edge), never touched again.
    private var client: CurlHTTPClient?

    init(_ client: CurlHTTPClient) { self.client = client }

    func take() -> CurlHTTPClient {
        defer { client = nil }
        return client!
    }
}

/// The FIFO shared by the pool's threads, plus the bookkeeping for shutdown.
final class CurlJobQueue: @unchecked Sendable {
    // @unchecked: every stored property is read and written only while `condition` is locked.
    typealias Job = @Sendable (CurlHTTPClient) -> Void

    private let condition = NSCondition()
    private var incoming: [Job] = []
    private var outgoing: [Job] = []  // reversed; popLast() is the oldest job
    private var closed = false
    private var liveWorkers: Int
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []

    init(workers: Int) {
        liveWorkers = workers
    }

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
            if outgoing.isEmpty, !incoming.isEmpty {
                outgoing = incoming.reversed()
                incoming.removeAll(keepingCapacity: true)
            }
            if let job = outgoing.popLast() { return job }
            if closed { return nil }
            condition.wait()
        }
    }

    var pendingCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return incoming.count + outgoing.count
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    func workerExited() {
        condition.lock()
        liveWorkers -= 1
        let waiters = liveWorkers == 0 ? exitWaiters : []
        if liveWorkers == 0 { exitWaiters.removeAll() }
        condition.unlock()
        for waiter in waiters { waiter.resume() }
    }

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
}
