/// How long `dispatchd run` may take to stop, tied to systemd's stop timeout.
///
/// systemd sends SIGTERM, waits `TimeoutStopSec=` (30 s in systemd/dispatchd@.service), then
/// SIGKILLs. Graceful shutdown — the consumer finishing its batch (sends bounded by the 1.5 s
/// request timeout, retries parked, outcomes recorded, XACK), then the pools draining — gets
/// ``gracefulShutdownBound``; then the group cancels what is left (queued pool calls are
/// refused, running ones finish within their own timeouts) in the remaining margin. Anything
/// not acknowledged is re-read under the same consumer name after the restart.
/// A test checks the bound against the unit file.
enum DispatchLifecycle {
    /// The service group's `maximumGracefulShutdownDuration`.
    static let gracefulShutdownBound = Duration.seconds(25)
    /// What is left of systemd's window after the bound, for cancellation to finish.
    static let cancellationMargin = Duration.seconds(5)
}
