/// The console's *Fila de falhas*: dead letters by reason, and replay behind a confirmation.
///
/// Replay reuses `dispatchd dlq replay` (``DeadLetterAdmin``), with its refusal of events past
/// Meta's 7-day window; it is never forced from here.
public protocol DeadLetterQueue: Sendable {
    /// Groups of dead letters not yet replayed, within `scope`.
    func groups(scope: InsightScope) async throws -> [DeadLetterGroup]

    /// Dead letters not yet replayed, optionally of one reason, newest first.
    func entries(reason: String?, scope: InsightScope, limit: Int) async throws -> [DeadLetterEntry]

    /// Replays `selection` (restricted to `scope`) only when `confirmation` matches the preview
    /// of that selection taken now; otherwise returns that preview and changes nothing.
    func replay(_ selection: DeadLetterAdmin.Selection, confirmation: String?, scope: InsightScope) async throws -> DeadLetterReplayResult
}
