/// What retention expires, one kind of data each: the names are those of reports, the
/// `retention_runs.removed` keys and the metric's `item` label.
public enum RetentionItem: String, Sendable, CaseIterable {
    /// Processed raw webhooks (`webhook_inbox` rows) deleted.
    case webhookBodies = "webhook_inbox"
    /// Ledger rows whose `user_data` was emptied (audited redaction).
    case ledgerPersonal = "ledger_user_data"
    /// Touchpoints deleted.
    case touchpoints = "touchpoints"
    /// Touchpoints a sale is matched to, anonymised instead of deleted.
    case touchpointsAnonymised = "touchpoints_anonymised"
    /// Dead letters deleted.
    case deadLetters = "dead_letters"
    /// Dedupe keys deleted.
    case dedupeKeys = "dedupe_registry"
    /// Ledger rows deleted (in batches, or with their month's partition).
    case ledgerRows = "dispatch_attempts"

    /// The policy period that governs it.
    public var field: RetentionPolicy.Field {
        switch self {
        case .webhookBodies: .webhookBodyDays
        case .ledgerPersonal: .ledgerPersonalDays
        case .touchpoints, .touchpointsAnonymised: .touchpointDays
        case .deadLetters: .deadLetterDays
        case .dedupeKeys: .dedupeDays
        case .ledgerRows: .ledgerDays
        }
    }

    /// How far before the previous run's cutoff a run looks again: rows are stamped when
    /// written (`now()`), except touchpoints, whose time is the event's and can be older than
    /// its arrival (a late page event, a spool drained after an outage).
    var slackDays: Int { self == .touchpoints ? 8 : 1 }
}
