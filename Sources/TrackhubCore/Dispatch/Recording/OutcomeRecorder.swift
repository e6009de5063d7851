public import Logging
import Metrics

/// Makes a ``SendResult`` durable: ledger rows and dead letters in the ``DispatchStorage``
/// (one transaction), then dead letters on the DLQ stream, retries and parked events through
/// the ``RetryQueue``. Only after this returns may the stream entries (or retry leases) behind
/// the result be acknowledged.
public struct OutcomeRecorder: Sendable {
    public let storage: any DispatchStorage
    public let queue: any RetryQueue
    public let logger: Logger

    public init(storage: any DispatchStorage, queue: any RetryQueue, logger: Logger) {
        self.storage = storage
        self.queue = queue
        self.logger = logger
    }

    /// The production recorder: Postgres and Redis.
    public init(postgres: PostgresPool, redis: RedisClient, layout: StreamLayout, logger: Logger) {
        self.init(storage: PostgresDispatchStorage(postgres: postgres), queue: RedisRetryQueue(redis: redis, layout: layout), logger: logger)
    }

    public func record(_ result: SendResult, fromRetrySchedule: Bool) async throws {
        try await storage.record(ledger: result.ledger, deadLetters: result.deadLetters)
        for d in result.deadLetters {
            logger.warning("dead-lettered", metadata: [
                LogKey.reason: "\(d.reason.rawValue)", LogKey.eventID: "\(d.eventID ?? "-")", LogKey.pixel: "\(d.pixel ?? "-")",
                LogKey.envelopeID: "\(d.envelopeID ?? "-")", LogKey.detail: "\(d.detail.prefix(300))",
            ])
            Counter(label: "trackhub_dead_letters_total", dimensions: [("reason", d.reason.rawValue)]).increment()
        }
        try await queue.commit(RetryQueueChanges(deadLetters: result.deadLetters, schedule: result.schedule, park: result.park,
                                                 complete: fromRetrySchedule ? result.finished : []))
    }
}
