/// The funnel events (clicks' PageViews, `/track` events) of a batch, as the pure
/// interpretation stage decided them (``EnvelopeInterpreter/interpretFunnel(_:clicks:config:now:)``).
public struct FunnelEvents: Sendable {
    /// Events to send (subject to dedupe).
    public var events: [OutboundEvent] = []
    /// Built but never sent (consent declined); recorded as `consent_blocked`.
    public var consentBlocked: [OutboundEvent] = []
    /// Envelopes that produced nothing to send, and why (logged at debug).
    public var notes: [(envelopeID: String, note: String)] = []
    public var deadLetters: [DeadLetter] = []

    public init() {}

    /// The ledger rows of the consent-blocked events.
    public var ledger: [LedgerEntry] { consentBlocked.map { LedgerEntry(event: $0, attempt: 1, outcome: .consentBlocked) } }
}
