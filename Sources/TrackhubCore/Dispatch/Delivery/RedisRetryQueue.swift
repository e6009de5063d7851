/// ``RetryQueue`` over Redis: ``RetrySchedule`` for the schedule and parked sets, and the DLQ
/// stream (`XADD … MAXLEN ~`), all in one hop to the client's thread.
public struct RedisRetryQueue: RetryQueue {
    public let redis: RedisClient
    public let layout: StreamLayout

    /// Upper bound kept on the DLQ stream (the Postgres table is the full record).
    public static let dlqStreamMaxLength = 100_000

    public init(redis: RedisClient, layout: StreamLayout) {
        self.redis = redis
        self.layout = layout
    }

    public func commit(_ changes: RetryQueueChanges) async throws {
        guard !changes.isEmpty else { return }
        let schedule = RetrySchedule(layout: layout)
        let layout = self.layout
        try await redis.run { conn in
            if !changes.deadLetters.isEmpty {
                let commands: [[[UInt8]]] = changes.deadLetters.map { d in
                    ["XADD", layout.deadLetterStream, "MAXLEN", "~", String(Self.dlqStreamMaxLength), "*",
                     "reason", d.reason.rawValue, "detail", String(d.detail.prefix(2000)), "event_id", d.eventID ?? "",
                     "pixel", d.pixel ?? "", "envelope_id", d.envelopeID ?? "", "stream_entry", d.streamEntry ?? ""].map { Array($0.utf8) }
                }
                _ = try conn.pipeline(commands)
            }
            try schedule.schedule(changes.schedule, connection: conn)
            try schedule.park(changes.park, connection: conn)
            try schedule.complete(changes.complete, connection: conn)
        }
    }
}
