/// How long ingestd may take to stop, tied to systemd's stop timeout.
///
/// systemd sends SIGTERM, waits `TimeoutStopSec=` (15 s in systemd/ingestd@.service), then
/// SIGKILLs. A SIGKILL mid-drain loses nothing (the spool is fsynced and drains on the next
/// start) but skips the orderly part, so the service group must be done first: graceful
/// shutdown gets ``gracefulShutdownBound``, then the group cancels what is left, and the rest
/// of the window is the margin for cancellation. A test checks the bound against the unit file.
enum IngestLifecycle {
    /// The service group's `maximumGracefulShutdownDuration`: the HTTP server finishing its
    /// requests, the spool drain and the pool threads' exit together.
    static let gracefulShutdownBound = Duration.seconds(12)
    /// The share of the bound the durable appender spends writing its queue and draining the spool.
    static let spoolDrainBudget = Duration.seconds(5)
    /// What is left of systemd's window after the bound, for cancellation to finish.
    static let cancellationMargin = Duration.seconds(3)
}
