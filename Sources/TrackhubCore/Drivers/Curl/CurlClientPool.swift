public import ServiceLifecycle

/// N `CurlHTTPClient`s, each owned by its own dedicated thread of a ``HandlePool``, behind an
/// `async` API; a `Service` that runs in the service group ahead of its users.
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
///
/// ``run()`` is the pool's life: nothing starts in `init`; on graceful shutdown queued
/// requests are still sent, later ones fail without being sent, and each client is released
/// (its handle cleaned up) on its own thread.
public final class CurlClientPool: Service, Sendable {
    /// Number of threads, clients and (at most) upstream connections.
    public let size: Int
    private let threads: HandlePool<CurlHTTPClient>

    /// Creates `size` clients (at least one); no thread starts until ``run()``.
    ///
    /// Throws only if libcurl cannot initialise or allocate a handle. `maxResponseBytes`,
    /// `userAgent` and `proxy` are passed to every client.
    public init(
        size: Int,
        maxResponseBytes: Int = CurlHTTPClient.defaultMaxResponseBytes,
        userAgent: String = "trackhub",
        proxy: String? = nil,
        threadName: String = "th-curl"
    ) throws(CurlInitError) {
        var clients: [CurlHTTPClient] = []
        for _ in 0..<max(1, size) {
            clients.append(try CurlHTTPClient(maxResponseBytes: maxResponseBytes, userAgent: userAgent, proxy: proxy))
        }
        self.size = clients.count
        // Each client is released with its thread's last reference, on that thread.
        self.threads = HandlePool(name: threadName, handles: clients)
    }

    /// Starts the threads; returns after graceful shutdown once every request queued before
    /// it was sent and every connection is closed.
    public func run() async throws {
        try await threads.run()
    }

    /// POSTs on the first free pool thread; see `CurlHTTPClient.post` for the semantics.
    /// Once the pool has shut down it returns `.failure(.other)` without sending anything.
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

    /// ``post(url:body:headers:timeout:connectTimeout:)`` returning the response headers named in
    /// `capturing` too (see `CurlHTTPClient.post(url:body:headers:capturing:timeout:connectTimeout:)`).
    public func post(
        url: String,
        body: [UInt8],
        headers: [String] = [],
        capturing: [String],
        timeout: Duration,
        connectTimeout: Duration = .seconds(5)
    ) async -> (outcome: HTTPOutcome, headers: [String: String]) {
        await withClient { client in
            client.post(url: url, body: body, headers: headers, capturing: capturing, timeout: timeout, connectTimeout: connectTimeout)
        } ?? (Self.shutDown, [:])
    }

    /// GETs on the first free pool thread; see `CurlHTTPClient.get` for the semantics.
    /// Once the pool has shut down it returns `.failure(.other)` without sending anything.
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

    /// Runs `work` with a client on the first free pool thread, for exchanges that block in more
    /// than libcurl (the console's page check resolves the host with `getaddrinfo` first, on the
    /// same thread). Nil once the pool has shut down (nothing ran).
    public func withClient<T: Sendable>(_ work: @escaping @Sendable (CurlHTTPClient) -> T) async -> T? {
        try? await threads.withHandle(skipIfCancelled: false, work)
    }

    /// ``get(url:headers:timeout:connectTimeout:)`` returning the response headers named in
    /// `capturing` too (see `CurlHTTPClient.get(url:headers:capturing:timeout:connectTimeout:)`).
    public func get(
        url: String,
        headers: [String] = [],
        capturing: [String],
        timeout: Duration,
        connectTimeout: Duration = .seconds(5)
    ) async -> (outcome: HTTPOutcome, headers: [String: String]) {
        await withClient { client in
            client.get(url: url, headers: headers, capturing: capturing, timeout: timeout, connectTimeout: connectTimeout)
        } ?? (Self.shutDown, [:])
    }

    /// What a call answers once the pool has shut down: nothing was sent.
    static let shutDown = HTTPOutcome.failure(kind: .other, message: "HTTP client pool is shut down; request not sent", latency: .zero)

    /// Requests accepted but not yet picked up by a thread (a gauge for back-pressure alarms).
    public var queuedRequests: Int { threads.queuedCalls }

    private func submit(_ work: @escaping @Sendable (CurlHTTPClient) -> HTTPOutcome) async -> HTTPOutcome {
        // Nil only on a refusal (`work` does not throw and cancellation is ignored).
        await withClient(work) ?? Self.shutDown
    }
}
