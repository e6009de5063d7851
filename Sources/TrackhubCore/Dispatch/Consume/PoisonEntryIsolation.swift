/// What the consumer does when Postgres refuses a batch for a data reason (not a connection
/// problem): the entries are processed one by one, and the one Postgres refuses is
/// dead-lettered (`unparseable`, with its payload for replay), so one bad envelope never
/// stalls the stream. Any other failure propagates: nothing is acknowledged and the batch is
/// read again.
///
/// Written over closures so the rule is unit-tested without Redis or Postgres;
/// ``ConsumerService`` passes the pipeline and the recorder.
enum PoisonEntryIsolation {
    static func process(_ entries: [StreamEntry], process: ([StreamEntry]) async throws -> Void,
                        record: (SendResult) async throws -> Void, isolating: (PostgresError) -> Void) async throws {
        guard !entries.isEmpty else { return }
        do {
            try await process(entries)
        } catch let error as PostgresError where !error.isConnectionProblem && entries.count > 1 {
            isolating(error)
            for entry in entries {
                do {
                    try await process([entry])
                } catch let single as PostgresError where !single.isConnectionProblem {
                    try await record(deadLetter(entry, error: single))
                }
            }
        } catch let error as PostgresError where !error.isConnectionProblem {
            try await record(deadLetter(entries[0], error: error))
        }
    }

    /// The dead letter of an entry Postgres refuses.
    static func deadLetter(_ entry: StreamEntry, error: PostgresError) -> SendResult {
        var r = SendResult()
        r.deadLetters.append(DeadLetter(reason: .unparseable, detail: "refused by postgres: \(error)",
                                        streamEntry: "\(entry.stream)/\(entry.id)",
                                        payload: entry.payload.map { String(decoding: $0, as: UTF8.self) }))
        return r
    }
}
