/// The queue of bot updates waiting to be relayed to the bots' own backends, shared by every
/// dispatchd instance: ``RedisTelegramForwardQueue`` in production.
///
/// Contract: ``enqueue(_:)`` is idempotent per job key (a rerun batch or a Telegram redelivery
/// queues nothing new, for a day after the job finished); ``claim(limit:lease:)`` hands out due
/// jobs, at most the oldest waiting update of each chat, leased so a dead instance's claims come
/// back; every claimed job ends in ``complete(_:)``, ``retry(_:atMs:)`` or ``remove(_:)``.
public protocol TelegramForwardQueue: Sendable {
    /// Queues jobs not seen before; returns how many were new.
    @discardableResult
    func enqueue(_ jobs: [TelegramForward]) async throws -> Int
    func claim(limit: Int, lease: Duration) async throws -> [TelegramForward]
    /// The job was delivered: removed, and remembered so a redelivery is not relayed again.
    func complete(_ job: TelegramForward) async throws
    /// The job failed: stored with its new attempt count, due again at `atMs`.
    func retry(_ job: TelegramForward, atMs: Int64) async throws
    /// The job was dead-lettered (the caller stored the dead letter first): removed, so the
    /// chat's later updates go on.
    func remove(_ job: TelegramForward) async throws
    /// Queues a dead-lettered job again, even if it was seen before (`dlq replay`).
    func requeue(_ job: TelegramForward) async throws
    /// Jobs waiting (due or in retry) and jobs claimed.
    func depth() async throws -> (waiting: Int, inFlight: Int)
}
