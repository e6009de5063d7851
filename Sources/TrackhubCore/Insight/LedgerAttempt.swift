public import Foundation

/// One row of `dispatch_attempts` as the console shows it: one attempt of one event, with
/// Meta's answer and the payload as built.
public struct LedgerAttempt: Sendable, Equatable {
    /// The ledger row id (ascending in the order the rows were written).
    public var id: Int64
    public var key: LedgerEventKey
    public var envelopeID: String?
    public var conversionID: Int64?
    public var attempt: Int
    /// A ``LedgerOutcome`` raw value; kept as text so rows of an older vocabulary still show.
    public var outcome: String
    public var requestID: String?
    public var httpStatus: Int?
    public var metaCode: Int?
    public var metaSubcode: Int?
    public var metaMessage: String?
    public var fbtraceID: String?
    public var latencyMs: Int?
    public var at: Date
    /// The CAPI event JSON as built (user data hashed); nil in lists, where it is not read.
    public var payload: String?
    /// Meta `user_data` keys given but dropped as invalid (`user_data_dropped`); read with the
    /// payload only (an event's page), empty in lists.
    public var userDataDropped: [String] = []

    public init(id: Int64, key: LedgerEventKey, envelopeID: String? = nil, conversionID: Int64? = nil, attempt: Int,
                outcome: String, requestID: String? = nil, httpStatus: Int? = nil, metaCode: Int? = nil,
                metaSubcode: Int? = nil, metaMessage: String? = nil, fbtraceID: String? = nil, latencyMs: Int? = nil,
                at: Date, payload: String? = nil) {
        self.id = id; self.key = key; self.envelopeID = envelopeID; self.conversionID = conversionID
        self.attempt = attempt; self.outcome = outcome; self.requestID = requestID; self.httpStatus = httpStatus
        self.metaCode = metaCode; self.metaSubcode = metaSubcode; self.metaMessage = metaMessage
        self.fbtraceID = fbtraceID; self.latencyMs = latencyMs; self.at = at; self.payload = payload
    }

    /// The outcome as a ``LedgerOutcome`` (nil for a value this version does not know).
    public var ledgerOutcome: LedgerOutcome? { LedgerOutcome(rawValue: outcome) }

    /// Meta's code and subcode as people quote them: "190/463", "100", nil without a code.
    public var metaCodeText: String? {
        guard let metaCode else { return nil }
        return metaSubcode.map { "\(metaCode)/\($0)" } ?? String(metaCode)
    }
}

extension LedgerAttempt {
    /// The rows people read: an `in_flight` row (written before its request left) is dropped
    /// once a row of the same event and request follows it — the attempt's outcome says it all.
    /// One with nothing after it stays: that send is under way, or was cut short (the worker
    /// stopped; Meta may have the event, and another worker sends it again).
    public static func settled(_ rows: [LedgerAttempt]) -> [LedgerAttempt] {
        struct Attempt: Hashable { var key: LedgerEventKey; var requestID: String }
        let answered = Set(rows.compactMap { r in
            r.ledgerOutcome == .inFlight ? nil : r.requestID.map { Attempt(key: r.key, requestID: $0) }
        })
        return rows.filter { r in
            guard r.ledgerOutcome == .inFlight, let request = r.requestID else { return true }
            return !answered.contains(Attempt(key: r.key, requestID: request))
        }
    }
}
