/// What a result changes in the retry schedule, the parked sets and the DLQ stream.
public struct RetryQueueChanges: Sendable {
    /// Dead letters to publish on the DLQ stream (Postgres already holds them).
    public var deadLetters: [DeadLetter] = []
    /// Events to (re)schedule at a due time (Unix ms).
    public var schedule: [(OutboundEvent, Int64)] = []
    /// Events to park until their pixel gets a new token.
    public var park: [OutboundEvent] = []
    /// Events claimed from the schedule that are finished (sent or dead-lettered).
    public var complete: [OutboundEvent] = []

    public init(deadLetters: [DeadLetter] = [], schedule: [(OutboundEvent, Int64)] = [], park: [OutboundEvent] = [],
                complete: [OutboundEvent] = []) {
        self.deadLetters = deadLetters
        self.schedule = schedule
        self.park = park
        self.complete = complete
    }

    public var isEmpty: Bool { deadLetters.isEmpty && schedule.isEmpty && park.isEmpty && complete.isEmpty }
}

/// The retry/park queue shared by every instance: ``RedisRetryQueue`` in production (the
/// schedule sorted set, parked sets, `th:dlq`), an in-memory queue in unit tests.
public protocol RetryQueue: Sendable {
    /// Applies every change at once (one round trip in production).
    func commit(_ changes: RetryQueueChanges) async throws
}
