extension Migrations {
    /// Version 8: the look-ups behind the console's ledger search and troubleshooting
    /// (Sources/TrackhubCore/Insight) that no existing index serves:
    ///
    /// - a buyer's hashed e-mail / phone inside `conversions.buyer` (`buyer -> 'em' ?| …`):
    ///   GIN over each array, so a search is an index probe, not a scan of every sale;
    /// - recent sales in time order (troubleshooting reads the newest ones): a btree on
    ///   `occurred_at` (sales are few next to clicks; the hot tables get no new index);
    /// - an event's dead letters (its page in the console): partial, dead letters are rare;
    /// - a pixel's newest failed attempt (troubleshooting: "which code did Meta answer?"):
    ///   partial over the failure outcomes only, so the ledger's hot path adds an entry only
    ///   for the rare failed row, and the look-up no longer walks a day of successful sends.
    public static let insightIndexes = Migration(
        version: 8,
        name: "insight_indexes",
        sql: """
            CREATE INDEX conversions_buyer_em_idx ON conversions USING gin ((buyer -> 'em'));
            CREATE INDEX conversions_buyer_ph_idx ON conversions USING gin ((buyer -> 'ph'));
            CREATE INDEX conversions_occurred_at_idx ON conversions (occurred_at);
            CREATE INDEX dead_letters_event_id_idx ON dead_letters (event_id) WHERE event_id IS NOT NULL;
            CREATE INDEX dispatch_attempts_failures_idx ON dispatch_attempts (pixel_id, created_at)
                WHERE outcome IN ('retry_scheduled', 'dead_lettered', 'parked', 'batch_rejected');
            """
    )
}
