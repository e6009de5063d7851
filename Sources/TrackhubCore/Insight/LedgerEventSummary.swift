public import Foundation

/// One event in a search result: how many attempts, when, and its fate.
public struct LedgerEventSummary: Sendable, Equatable {
    public var key: LedgerEventKey
    public var attempts: Int
    public var firstAt: Date
    public var lastAt: Date
    /// The latest row's outcome (raw ``LedgerOutcome`` value).
    public var lastOutcome: String
    public var fate: LedgerFate
    /// The sale the event is about, when it is a sale event.
    public var conversionID: Int64?

    public init(key: LedgerEventKey, attempts: Int, firstAt: Date, lastAt: Date, lastOutcome: String, fate: LedgerFate,
                conversionID: Int64?) {
        self.key = key; self.attempts = attempts; self.firstAt = firstAt; self.lastAt = lastAt
        self.lastOutcome = lastOutcome; self.fate = fate; self.conversionID = conversionID
    }

    /// Groups ledger rows by event, newest event first (ties by key, so the order is stable).
    public static func summarize(_ rows: [LedgerAttempt]) -> [LedgerEventSummary] {
        let byKey = Dictionary(grouping: rows, by: \.key)
        return byKey.compactMap { key, attempts -> LedgerEventSummary? in
            guard let first = attempts.min(by: { $0.id < $1.id }), let last = attempts.max(by: { $0.id < $1.id }) else { return nil }
            return LedgerEventSummary(key: key, attempts: attempts.count, firstAt: first.at, lastAt: last.at,
                                      lastOutcome: last.outcome, fate: LedgerFate.of(attempts),
                                      conversionID: attempts.lazy.compactMap(\.conversionID).first)
        }
        .sorted { $0.lastAt != $1.lastAt ? $0.lastAt > $1.lastAt : $0.key < $1.key }
    }
}
