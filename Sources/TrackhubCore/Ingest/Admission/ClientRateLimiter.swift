import Synchronization

/// Admission control per client address for ingestd (issue 14: one address sent 18,306 `/go`
/// requests in 5 s, all stored): a ``TokenBucket`` per address, `rate` requests a second with
/// bursts of twice that, shared by every event loop of the process (one table behind a lock).
///
/// Memory is bounded: past ``maxClients`` addresses the table drops the buckets that are full
/// again (clients that stopped); if that is not enough it starts over empty (admitting, rather
/// than refusing everyone).
public final class ClientRateLimiter: Sendable {
    public let rate: Double
    public let burst: Double
    public let maxClients: Int
    private let buckets = Mutex<[String: TokenBucket]>([:])

    /// `rate` requests a second per address; burst twice that (at least 1).
    public init(rate: Double, maxClients: Int = 100_000) {
        self.rate = rate
        self.burst = max(1, rate * 2)
        self.maxClients = maxClients
    }

    /// Admits a request from `client` at `now` (seconds, monotonic): nil, or the whole seconds
    /// to wait (at least 1) for `Retry-After`.
    public func admit(_ client: String, now: Double) -> Int? {
        buckets.withLock { table in
            if table.count >= maxClients, table[client] == nil {
                table = table.filter { !$0.value.isFull(now: now, rate: rate, burst: burst) }
                if table.count >= maxClients { table.removeAll(keepingCapacity: true) }
            }
            let bucket = table[client] ?? .full(burst: burst, now: now)
            let (next, wait) = bucket.take(now: now, rate: rate, burst: burst)
            table[client] = next
            return wait.map { max(1, Int($0.rounded(.up))) }
        }
    }

    /// Addresses currently tracked.
    public var clientCount: Int { buckets.withLock { $0.count } }
}
