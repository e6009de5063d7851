extension Migrations {
    /// Version 4: the time columns of the three tables written for every event become BRIN
    /// indexes instead of btrees. They serve retention and time-range queries over whole
    /// tables (`touchpoints.occurred_at`, `dedupe_registry.first_seen_at`,
    /// `dispatch_attempts.created_at`), whose rows arrive roughly in time order, which is what
    /// BRIN summarises well: a few pages instead of one btree entry per row. A btree entry
    /// per row was a measurable share of Postgres' CPU per event (docs/PERFORMANCE.md); the
    /// look-ups on the hot path (click id, session, hashes, per-pixel time) keep their btrees.
    public static let timeIndexesBRIN = Migration(
        version: 4,
        name: "time_indexes_brin",
        sql: """
            DROP INDEX touchpoints_occurred_at_idx;
            CREATE INDEX touchpoints_occurred_at_brin ON touchpoints USING brin (occurred_at);
            DROP INDEX dedupe_registry_first_seen_at_idx;
            CREATE INDEX dedupe_registry_first_seen_at_brin ON dedupe_registry USING brin (first_seen_at);
            DROP INDEX dispatch_attempts_created_at_idx;
            CREATE INDEX dispatch_attempts_created_at_brin ON dispatch_attempts USING brin (created_at);
            """
    )
}
