/// What one import of one ad account did: the value the importer ends in, which the CLI prints,
/// the service schedules from, and the metrics and logs count.
public struct AdSpendResult: Sendable, Equatable {
    public var tenant: String
    public var account: String
    public var outcome: Outcome

    public enum Outcome: Sendable, Equatable {
        /// Rows written per level over `days` (the days replaced).
        case imported(rows: [AdSpendStore.Level: Int], days: [String])
        /// Not tried: the account is disabled, or its token was refused and has not changed.
        case skipped(reason: String)
        case failed(AdSpendFailure)
    }

    public init(tenant: String, account: String, outcome: Outcome) {
        self.tenant = tenant
        self.account = account
        self.outcome = outcome
    }

    /// A short, stable word for metrics and logs: `imported`, `skipped`, or the failure's kind.
    public var label: String {
        switch outcome {
        case .imported: "imported"
        case .skipped: "skipped"
        case .failed(let f): f.kind.rawValue
        }
    }

    /// One line for the operator (`dispatchd adspend sync`).
    public var summary: String {
        switch outcome {
        case .imported(let rows, let days):
            let levels = AdSpendStore.Level.allCases.compactMap { l in rows[l].map { "\($0) \(l.rawValue)" } }.joined(separator: ", ")
            return "\(tenant)/\(account): imported \(days.first ?? "")…\(days.last ?? ""): \(levels.isEmpty ? "no rows" : levels + " rows")"
        case .skipped(let reason): return "\(tenant)/\(account): skipped: \(reason)"
        case .failed(let f): return "\(tenant)/\(account): failed: \(f.message)"
        }
    }
}
