extension Migrations {
    /// Version 15 (issue 14, item 10): the ledger records every attempt, also one whose worker
    /// died mid-send. Two outcomes join the vocabulary: `in_flight` (written before a request
    /// is POSTed, then followed by the outcome row of the same `request_id`) and `unconfirmed`
    /// (no answer after sending: Meta may have the event). The partial index behind "a pixel's
    /// newest failed attempt" (version 8) now covers `unconfirmed` too; `in_flight` rows stay
    /// out of it (they are every send's, not failures).
    public static let ledgerInFlight = Migration(
        version: 15,
        name: "ledger_in_flight",
        sql: """
            DROP INDEX dispatch_attempts_failures_idx;
            CREATE INDEX dispatch_attempts_failures_idx ON dispatch_attempts (pixel_id, created_at)
                WHERE outcome IN ('retry_scheduled', 'unconfirmed', 'dead_lettered', 'parked', 'batch_rejected');
            COMMENT ON COLUMN dispatch_attempts.outcome IS 'in_flight (before the POST), sent, retry_scheduled, unconfirmed, dead_lettered, dry_run, consent_blocked, expired, invalid, skipped_duplicate, ...';
            """
    )
}
