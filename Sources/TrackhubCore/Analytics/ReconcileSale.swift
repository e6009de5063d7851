/// What the raw tables say about one sale record (a conversion row: gateway + account +
/// transaction + status) for the reconciliation: enough for ``ReconcileSale/verdict`` to say
/// whether it reached Meta and, if not, why.
public struct ReconcileSale: Sendable, Equatable {
    public var gateway: String
    public var orderID: String
    public var status: String
    /// The Meta event the account maps this status to (nil: none).
    public var eventName: String?
    /// What the webhook inbox recorded for the delivery that created it.
    public var inboxOutcome: String?
    /// The ledger outcomes of its event, oldest first.
    public var ledgerOutcomes: [String]
    /// Dead-letter reasons recorded for its event or its envelope, oldest first.
    public var deadLetterReasons: [String]
    /// How it was matched to a touchpoint (nil: not matched).
    public var matchMethod: String?

    public init(gateway: String, orderID: String, status: String, eventName: String?, inboxOutcome: String? = nil,
                ledgerOutcomes: [String] = [], deadLetterReasons: [String] = [], matchMethod: String? = nil) {
        self.gateway = gateway; self.orderID = orderID; self.status = status; self.eventName = eventName
        self.inboxOutcome = inboxOutcome; self.ledgerOutcomes = ledgerOutcomes; self.deadLetterReasons = deadLetterReasons
        self.matchMethod = matchMethod
    }

    /// Sent, or not sent with a reason (and a detail: the dead letter's own reason).
    public enum Verdict: Sendable, Equatable {
        case sent
        case notSent(ReconcileReason, detail: String?)
    }

    /// The inbox marker `SalesProcessor` writes for a gateway test delivery to a live pixel.
    static let testDeliveryMarker = "gateway test delivery"

    /// A pure decision over the record's facts. Any `sent` row wins (a resend after a crash
    /// records more rows, Meta has it); otherwise the newest ledger outcome says where the
    /// event stands; without ledger rows the dead letters, the inbox and the status do.
    public var verdict: Verdict {
        if ledgerOutcomes.contains(LedgerOutcome.sent.rawValue) { return .sent }
        let deadLetter = deadLetterReasons.last
        if let last = ledgerOutcomes.last.flatMap(LedgerOutcome.init(rawValue:)) {
            switch last {
            case .sent: return .sent
            case .consentBlocked: return .notSent(.consent, detail: nil)
            case .skippedDuplicate: return .notSent(.duplicate, detail: nil)
            case .parked: return .notSent(.parkedToken, detail: nil)
            case .held: return .notSent(.heldLateClick, detail: nil)
            case .clickMissing: return .notSent(.deadLetter, detail: LedgerOutcome.clickMissing.rawValue)
            case .dryRun: return .notSent(.dryRun, detail: nil)
            case .retryScheduled, .unconfirmed, .inFlight, .deferred, .batchRejected: return .notSent(.retrying, detail: nil)
            case .deadLettered: return Self.deadLetterVerdict(deadLetter)
            }
        }
        if let deadLetter { return Self.deadLetterVerdict(deadLetter) }
        if inboxOutcome?.contains(Self.testDeliveryMarker) == true { return .notSent(.testDelivery, detail: nil) }
        if eventName == nil { return .notSent(.ignoredStatus, detail: status) }
        return .notSent(.notProcessed, detail: nil)
    }

    static func deadLetterVerdict(_ reason: String?) -> Verdict {
        reason == DeadLetterReason.expired.rawValue ? .notSent(.expired, detail: nil) : .notSent(.deadLetter, detail: reason)
    }
}
