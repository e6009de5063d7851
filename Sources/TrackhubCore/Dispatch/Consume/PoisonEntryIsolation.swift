/// What the consumer does when Postgres refuses a batch for a data reason
/// (``PostgresError/isDataRefusal``): the batch is split in halves (``Bisection``) until the entry Postgres refuses is
/// alone, and that entry is dead-lettered (`unparseable`, with its payload for replay), so one
/// bad envelope never stalls the stream and the rest go through in large batches. Any other
/// failure propagates: nothing is acknowledged and the batch is read again.
///
/// Halving re-runs the pipeline on entries whose first run failed; that never sends an event
/// twice, because every Postgres write the pipeline can fail on comes before any send — what a
/// send produced is recorded by ``OutcomeRecorder``, which isolates refused rows itself instead
/// of failing the batch (issue 14).
///
/// Written over closures so the rule is unit-tested without Redis or Postgres;
/// ``ConsumerService`` passes the pipeline and the recorder.
enum PoisonEntryIsolation {
    static func process(_ entries: [StreamEntry], process: ([StreamEntry]) async throws -> Void,
                        record: (SendResult) async throws -> Void, isolating: (PostgresError) -> Void) async throws {
        try await Bisection.isolate(
            entries[...], attempt: process, isRefusal: isDataRefusal,
            onSplit: { error, _ in if let error = error as? PostgresError { isolating(error) } },
            refused: { entry, error in try await record(deadLetter(entry, error: error)) })
    }

    /// A refusal for a data reason (``PostgresError/isDataRefusal``): the same input would fail
    /// the same way again.
    static func isDataRefusal(_ error: any Error) -> Bool {
        (error as? PostgresError)?.isDataRefusal ?? false
    }

    /// The dead letter of an entry Postgres refuses.
    static func deadLetter(_ entry: StreamEntry, error: any Error) -> SendResult {
        var r = SendResult()
        r.deadLetters.append(DeadLetter(reason: .unparseable, detail: "refused by postgres: \(error)",
                                        streamEntry: "\(entry.stream)/\(entry.id)",
                                        payload: entry.payload.map { String(decoding: $0, as: UTF8.self) }))
        return r
    }
}
