import Foundation
public import Logging
import Metrics

/// Makes a ``SendResult`` durable: ledger rows and dead letters in Postgres (one transaction),
/// dead letters also on the DLQ stream, retries and parked events in Redis. Only after this
/// returns may the stream entries (or retry leases) behind the result be acknowledged.
public struct OutcomeRecorder: Sendable {
    public let postgres: PostgresPool
    public let redis: RedisClient
    public let layout: StreamLayout
    public let logger: Logger
    private let store = DispatchStore()

    public init(postgres: PostgresPool, redis: RedisClient, layout: StreamLayout, logger: Logger) {
        self.postgres = postgres
        self.redis = redis
        self.layout = layout
        self.logger = logger
    }

    /// Upper bound kept on the DLQ stream (the Postgres table is the full record).
    static let dlqStreamMaxLength = 100_000

    public func record(_ result: SendResult, fromRetrySchedule: Bool) async throws {
        let ledger = result.ledger
        let letters = result.deadLetters
        if !ledger.isEmpty || !letters.isEmpty {
            try await postgres.withConnection { [store] conn in
                try conn.transaction { tx in
                    try store.appendLedger(ledger, connection: tx)
                    try store.insertDeadLetters(letters, connection: tx)
                }
            }
        }
        for d in letters {
            logger.warning("dead-lettered", metadata: [
                LogKey.reason: "\(d.reason.rawValue)", LogKey.eventID: "\(d.eventID ?? "-")", LogKey.pixel: "\(d.pixel ?? "-")",
                LogKey.envelopeID: "\(d.envelopeID ?? "-")", LogKey.detail: "\(d.detail.prefix(300))",
            ])
            Counter(label: "trackhub_dead_letters_total", dimensions: [("reason", d.reason.rawValue)]).increment()
        }
        let schedule = RetrySchedule(layout: layout)
        let layout = self.layout
        let scheduled = result.schedule
        let parked = result.park
        let finished = result.finished
        try await redis.run { conn in
            if !letters.isEmpty {
                let commands: [[[UInt8]]] = letters.map { d in
                    ["XADD", layout.deadLetterStream, "MAXLEN", "~", String(Self.dlqStreamMaxLength), "*",
                     "reason", d.reason.rawValue, "detail", String(d.detail.prefix(2000)), "event_id", d.eventID ?? "",
                     "pixel", d.pixel ?? "", "envelope_id", d.envelopeID ?? "", "stream_entry", d.streamEntry ?? ""].map { Array($0.utf8) }
                }
                _ = try conn.pipeline(commands)
            }
            try schedule.schedule(scheduled, connection: conn)
            try schedule.park(parked, connection: conn)
            if fromRetrySchedule { try schedule.complete(finished, connection: conn) }
        }
    }
}
