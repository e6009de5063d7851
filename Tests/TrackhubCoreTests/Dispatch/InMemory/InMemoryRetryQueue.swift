import Synchronization
@testable import TrackhubCore

/// A ``RetryQueue`` in memory: the schedule (by event key, as in Redis: rescheduling
/// overwrites), parked events per pixel, and the DLQ stream.
final class InMemoryRetryQueue: RetryQueue {
    struct State {
        var scheduled: [String: (event: OutboundEvent, dueMs: Int64)] = [:]
        var parked: [String: [String: OutboundEvent]] = [:]
        var dlqStream: [DeadLetter] = []
    }

    let state = Mutex(State())

    func commit(_ changes: RetryQueueChanges) async throws {
        state.withLock { s in
            s.dlqStream += changes.deadLetters
            for (e, due) in changes.schedule {
                s.scheduled[e.key] = (e, due)
                for p in s.parked.keys { s.parked[p]?[e.key] = nil }
            }
            for e in changes.park {
                s.parked[e.pixel, default: [:]][e.key] = e
                s.scheduled[e.key] = nil
            }
            for e in changes.complete { s.scheduled[e.key] = nil }
        }
    }

    var scheduled: [(event: OutboundEvent, dueMs: Int64)] { state.withLock { Array($0.scheduled.values) } }
    func parked(_ pixel: String) -> [OutboundEvent] { state.withLock { Array(($0.parked[pixel] ?? [:]).values) } }
    var dlqStream: [DeadLetter] { state.withLock { $0.dlqStream } }

    /// Claims every scheduled event (as the retry service would when they come due).
    func claimAll() -> [OutboundEvent] {
        state.withLock { s in
            let all = s.scheduled.values.map(\.event)
            return all
        }
    }
}
