/// Which re-delivered stream entries go to the dead letters instead of being processed again —
/// a pure decision.
///
/// A stream entry that crashes or hangs the worker processing it (a bug tripped by one
/// envelope) comes back to the next worker — the restarted one reading its own pending
/// entries, or another claiming them — and would take it down too, for ever. Redis counts
/// every delivery; an entry delivered more than `maxDeliveries` times without being
/// acknowledged is dead-lettered (`delivery_cap`, with its payload for `dispatchd dlq replay`)
/// and acknowledged, so the group moves on. Retrying a batch inside a running worker (Postgres
/// down) does not count: only a new process start or a claim delivers again.
public struct DeliveryCap: Sendable, Equatable {
    public var maxDeliveries: Int

    public init(maxDeliveries: Int = 10) { self.maxDeliveries = max(1, maxDeliveries) }

    /// `entries` split into those to process and those over the cap; an entry whose count is
    /// unknown is processed.
    public func split(_ entries: [StreamEntry], deliveries: [String: Int]) -> (process: [StreamEntry], capped: [(StreamEntry, Int)]) {
        var process: [StreamEntry] = []
        var capped: [(StreamEntry, Int)] = []
        for e in entries {
            if let n = deliveries[e.id], n > maxDeliveries { capped.append((e, n)) } else { process.append(e) }
        }
        return (process, capped)
    }

    /// The dead letters of the capped entries.
    public func deadLetters(_ capped: [(StreamEntry, Int)]) -> SendResult {
        var r = SendResult()
        for (entry, n) in capped {
            r.deadLetters.append(DeadLetter(
                reason: .deliveryCap,
                detail: "delivered \(n) times without being acknowledged (over \(maxDeliveries)): it stops every worker that takes it",
                streamEntry: "\(entry.stream)/\(entry.id)", payload: entry.payload.map { String(decoding: $0, as: UTF8.self) }))
        }
        return r
    }
}
