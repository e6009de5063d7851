public import Logging
import Metrics

/// Makes a ``SendResult`` durable: ledger rows and dead letters in the ``DispatchStorage``
/// (one transaction), then dead letters on the DLQ stream, retries and parked events through
/// the ``RetryQueue``. Only after this returns may the stream entries (or retry leases) behind
/// the result be acknowledged.
///
/// A result is recorded after its sends, so a row Postgres refuses for a data reason must not
/// fail the batch: the batch would be processed again and events Meta already accepted POSTed
/// again (issue 14). Instead the rows are halved (``Bisection``) until the refused ones are
/// alone; every other row is stored, and each refused ledger row becomes an `unrecordable` dead
/// letter that says what the attempt's outcome was. Only when Postgres is unavailable, or
/// refuses even a bare dead letter, does this throw.
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
        let deadLetters = try await store(ledger: result.ledger, deadLetters: result.deadLetters)
        for d in deadLetters {
            logger.warning("dead-lettered", metadata: [
                LogKey.reason: "\(d.reason.rawValue)", LogKey.eventID: "\(d.eventID ?? "-")", LogKey.pixel: "\(d.pixel ?? "-")",
                LogKey.envelopeID: "\(d.envelopeID ?? "-")", LogKey.detail: "\(d.detail.prefix(300))",
            ])
            Counter(label: "trackhub_dead_letters_total", dimensions: [("reason", d.reason.rawValue)]).increment()
        }
        try await queue.commit(RetryQueueChanges(deadLetters: deadLetters, schedule: result.schedule, park: result.park,
                                                 complete: fromRetrySchedule ? result.finished : []))
    }

    /// One row to record, for halving.
    private enum Row {
        case ledger(LedgerEntry)
        case deadLetter(DeadLetter)
    }

    /// Stores the rows in one transaction, or — when Postgres refuses them for a data reason —
    /// in halves, replacing each refused row by a dead letter. Returns the dead letters stored.
    private func store(ledger: [LedgerEntry], deadLetters: [DeadLetter]) async throws -> [DeadLetter] {
        let refusal: PostgresError
        do {
            try await storage.record(ledger: ledger, deadLetters: deadLetters)
            return deadLetters
        } catch let error as PostgresError where error.isDataRefusal {
            refusal = error
        }
        logger.warning("result refused by postgres; isolating its rows", metadata: [
            LogKey.error: "\(refusal)", LogKey.count: "\(ledger.count + deadLetters.count)",
        ])
        var stored: [DeadLetter] = []
        let rows = ledger.map(Row.ledger) + deadLetters.map(Row.deadLetter)
        try await Bisection.split(
            rows[...], refusedWith: refusal,
            attempt: { part in
                var entries: [LedgerEntry] = [], letters: [DeadLetter] = []
                for row in part {
                    switch row {
                    case .ledger(let e): entries.append(e)
                    case .deadLetter(let d): letters.append(d)
                    }
                }
                try await storage.record(ledger: entries, deadLetters: letters)
                stored += letters
            },
            isRefusal: PoisonEntryIsolation.isDataRefusal,
            refused: { row, refusal in
                let letter: DeadLetter
                switch row {
                case .ledger(let e): letter = .unrecordable(e, refusal: refusal)
                case .deadLetter(let d): letter = d.bare(refusal: refusal)
                }
                do {
                    try await storage.record(ledger: [], deadLetters: [letter])
                    stored.append(letter)
                } catch let error as PostgresError where error.isDataRefusal {
                    let bare = letter.bare(refusal: error)
                    try await storage.record(ledger: [], deadLetters: [bare])
                    stored.append(bare)
                }
            })
        return stored
    }
}
