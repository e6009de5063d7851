/// Runs a piece of work while renewing the claims it holds, so work slower than the claim's
/// idle limit is not taken over by another worker while still in flight (and sent twice).
///
/// Used for stream entries (`XCLAIM … JUSTID` resets their idle time, see
/// ``StreamConsumer/keepClaimed(_:connection:)``) and for the retry schedule's leases
/// (``RetrySchedule/renew(_:lease:connection:)``).
enum ClaimKeeper {
    /// How often to renew a claim that another worker may take after `limit`: three times per
    /// limit, so one late renewal (a loaded machine) still lands in time.
    static func renewalInterval(limit: Duration) -> Duration { max(limit / 3, .milliseconds(50)) }

    /// Runs `body`; every `interval` until it returns, calls `renew`. A renewal that fails is
    /// reported to `failed` and tried again at the next interval (the work itself goes on: at
    /// worst the claim lapses and another worker repeats it, which is what happened before).
    static func holding<T: Sendable>(every interval: Duration, renew: @escaping @Sendable () async throws -> Void,
                                     failed: @escaping @Sendable (any Error) -> Void,
                                     _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while true {
                    do { try await Task.sleep(for: interval) } catch { return }
                    do { try await renew() } catch { failed(error) }
                }
            }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}
