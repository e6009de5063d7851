/// An event's page: every attempt in order with Meta's answer, what was sent, the sale or the
/// click it came from, and its dead letters.
public struct LedgerEventDetail: Sendable, Equatable {
    public var key: LedgerEventKey
    /// Oldest first: the event's timeline.
    public var attempts: [LedgerAttempt]
    public var sale: LedgerSale?
    /// The click or page event the event came from; for a sale, the click it was matched to.
    public var touchpoint: LedgerTouchpoint?
    public var deadLetters: [DeadLetterEntry]
    public var fate: LedgerFate

    public init(key: LedgerEventKey, attempts: [LedgerAttempt], sale: LedgerSale? = nil, touchpoint: LedgerTouchpoint? = nil,
                deadLetters: [DeadLetterEntry] = []) {
        self.key = key
        self.attempts = attempts.sorted { $0.id < $1.id }
        self.sale = sale
        self.touchpoint = touchpoint
        self.deadLetters = deadLetters
        self.fate = LedgerFate.of(attempts)
    }

    /// The CAPI event as it was (or would have been) sent: the newest attempt's payload.
    /// The identifiers the event's user data lost as invalid (Meta key names), from its ledger note.
    public var userDataDropped: [String] { attempts.first { !$0.userDataDropped.isEmpty }?.userDataDropped ?? [] }

    public var sentPayload: String? { attempts.last { $0.payload != nil }?.payload }

    /// The attempt Meta accepted, if any.
    public var acceptedAttempt: LedgerAttempt? { attempts.last { $0.outcome == LedgerOutcome.sent.rawValue } }
}
