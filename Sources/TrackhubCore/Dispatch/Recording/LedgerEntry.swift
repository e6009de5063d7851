/// The outcome of one event at one attempt, as recorded in `dispatch_attempts`.
public enum LedgerOutcome: String, Sendable, CaseIterable {
    /// Meta answered 2xx for the request that carried the event.
    case sent
    /// Recorded, validated, not sent (pixel in `dry_run`).
    case dryRun = "dry_run"
    /// The subject declined ad tracking: stored, never sent.
    case consentBlocked = "consent_blocked"
    /// Written before the request that carries the event is POSTed (one row per event, the
    /// request's id); the row with the attempt's outcome follows under the same request id. An
    /// `in_flight` row with nothing after it means the worker stopped mid-send: Meta may have
    /// the event, and the stream entry (never acknowledged) is sent again by another worker.
    case inFlight = "in_flight"
    /// A failure that will be retried later.
    case retryScheduled = "retry_scheduled"
    /// No answer came after the request was sent (timeout, connection lost): Meta may have
    /// accepted it. Retried like `retry_scheduled`, with the same event_id, which Meta dedupes.
    case unconfirmed
    /// Dead-lettered (see the dead letter's reason).
    case deadLettered = "dead_lettered"
    /// The pixel's token is invalid: the event waits (parked) for a new token.
    case parked
    /// Deferred without an attempt (pixel paused by throttling, or rate limit).
    case deferred
    /// A sale event waiting for its late click (``LateClickHold``); sent later, same event_id.
    case held
    /// A bot `/start` held for its click that never came (or was another tenant's): the event
    /// exists only because of the click, so it is recorded and never sent.
    case clickMissing = "click_missing"
    /// A second envelope for an event already registered (dedupe).
    case skippedDuplicate = "skipped_duplicate"
    /// Meta rejected the whole batch as invalid; the batch is split and each half resent.
    case batchRejected = "batch_rejected"
}

/// One ledger row.
public struct LedgerEntry: Sendable, Equatable {
    public var eventID: String
    public var eventName: String
    public var pixel: String
    public var envelopeID: String?
    public var conversionID: Int64?
    public var attempt: Int
    public var requestID: String?
    public var httpStatus: Int?
    public var metaCode: Int?
    public var metaSubcode: Int?
    public var metaMessage: String?
    public var fbtraceID: String?
    public var latencyMs: Int?
    public var outcome: LedgerOutcome
    /// The CAPI event JSON as built (what was, or would have been, sent). `payload` given:
    /// those bytes (the request's own, so a sent event is serialised once).
    public var payload: String?
    /// The event's dropped identifiers (`user_data_dropped`), from ``OutboundEvent/userDataDropped``.
    public var userDataDropped: [HashedUserData.Key]

    public init(event: OutboundEvent, attempt: Int, outcome: LedgerOutcome, requestID: String? = nil,
                httpStatus: Int? = nil, metaCode: Int? = nil, metaSubcode: Int? = nil, metaMessage: String? = nil,
                fbtraceID: String? = nil, latencyMs: Int? = nil, includePayload: Bool = true, payload: String? = nil) {
        eventID = event.eventID
        eventName = event.eventName
        pixel = event.pixel
        envelopeID = event.envelopeID
        conversionID = event.conversionID
        self.attempt = max(1, attempt)
        self.requestID = requestID
        self.httpStatus = httpStatus
        self.metaCode = metaCode
        self.metaSubcode = metaSubcode
        self.metaMessage = metaMessage
        self.fbtraceID = fbtraceID
        self.latencyMs = latencyMs
        self.outcome = outcome
        self.userDataDropped = event.userDataDropped
        self.payload = payload ?? (includePayload ? (try? event.eventJSON()).map { String(decoding: $0, as: UTF8.self) } : nil)
    }
}

extension LedgerEntry {
    /// The rows written before a request is POSTed: one per event, the attempt it is about to
    /// be, the request's id, no payload (the outcome row that follows carries it).
    public static func inFlight(_ chunk: [OutboundEvent], requestID: String) -> [LedgerEntry] {
        chunk.map { LedgerEntry(event: $0, attempt: $0.attempts + 1, outcome: .inFlight, requestID: requestID, includePayload: false) }
    }
}
