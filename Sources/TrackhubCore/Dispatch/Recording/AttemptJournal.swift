/// Where an attempt is written before its request leaves (issue 14, "every attempt in the
/// ledger"): the ``EventSender`` appends one `in_flight` row per event of a request, then POSTs.
/// A worker killed between the POST and recording the outcome thus still leaves a row for every
/// event Meta may have received; the outcome row that follows (same request id) settles it.
///
/// ``DispatchStorage`` is one (the same append-only COPY as the outcome rows); unit tests use
/// the in-memory storage.
public protocol AttemptJournal: Sendable {
    /// Appends the rows; throws when they could not be stored (then nothing may be sent).
    func recordInFlight(_ entries: [LedgerEntry]) async throws
}

extension DispatchStorage {
    public func recordInFlight(_ entries: [LedgerEntry]) async throws {
        try await record(ledger: entries, deadLetters: [])
    }
}
