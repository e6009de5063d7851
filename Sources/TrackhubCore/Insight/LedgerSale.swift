public import Foundation

/// A sale (one row of `conversions`) as the console shows it: which order, its status and
/// value, the click it was matched to, and what the gateway carried back — never the buyer's
/// data (the row holds only hashes, and those are not shown).
public struct LedgerSale: Sendable, Equatable {
    public var id: Int64
    public var tenant: String
    public var gateway: String
    public var account: String
    /// The gateway's order / transaction id.
    public var transactionID: String
    /// `approved`, `pending`, `refunded`, `chargeback`, `canceled`, `other`.
    public var status: String
    /// The amount as Postgres' numeric text (exact, never through a `Double`).
    public var value: String?
    public var currency: String?
    public var occurredAt: Date
    public var recordedAt: Date
    /// How it was matched to a click (`click_id`, `session`, `email`, `phone`, `scored`), nil: unmatched.
    public var matchMethod: String?
    /// The click it was matched to.
    public var matchedClickID: String?
    /// What the gateway carried back that could hold a click id (``TrackingParameters/clickIDCandidates``).
    public var carriedValues: [String]
    /// The Trackhub click ids found in them (``TrackingParameters/clickIDs``).
    public var carriedClickIDs: [String]
    /// The gateway's product ids of the order.
    public var productIDs: [String]

    public init(id: Int64, tenant: String, gateway: String, account: String, transactionID: String, status: String,
                value: String?, currency: String?, occurredAt: Date, recordedAt: Date, matchMethod: String? = nil,
                matchedClickID: String? = nil, carriedValues: [String] = [], carriedClickIDs: [String] = [], productIDs: [String] = []) {
        self.id = id; self.tenant = tenant; self.gateway = gateway; self.account = account
        self.transactionID = transactionID; self.status = status; self.value = value; self.currency = currency
        self.occurredAt = occurredAt; self.recordedAt = recordedAt; self.matchMethod = matchMethod
        self.matchedClickID = matchedClickID; self.carriedValues = carriedValues; self.carriedClickIDs = carriedClickIDs
        self.productIDs = productIDs
    }

    public var isMatched: Bool { matchMethod != nil }
}
