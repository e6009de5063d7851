extension Migrations {
    /// Version 17 (issue 18, item 1): retention. The ledger (`dispatch_attempts`, the biggest
    /// table: one row per event per attempt) becomes a table partitioned by month on
    /// `created_at`, so that expiry drops whole months instead of deleting rows; the runs of
    /// `dispatchd retention run` are recorded; each tenant's retention periods are stored.
    ///
    /// The conversion copies no data and holds no long lock (docs/OPERATIONS.md has the
    /// measurement): (1) a CHECK constraint `created_at < B` is added `NOT VALID` — an
    /// exclusive lock for an instant — where B is the first day of the month after next, so
    /// rows written meanwhile (always `now()`) satisfy it; (2) it is validated — a scan under
    /// SHARE UPDATE EXCLUSIVE, which lets inserts go on; (3) in one short transaction the table
    /// is renamed `dispatch_attempts_p0`, a partitioned `dispatch_attempts` with the same
    /// columns, indexes and triggers takes its name, and the old table is attached as the
    /// partition of everything before B: the validated constraint proves the partition bound,
    /// so ATTACH skips its scan, and the old table's indexes match the parent's, so none is
    /// built. Months from B on get their own partitions (the retention job keeps creating them
    /// three months ahead) and a default partition catches any row no month covers, so a ledger
    /// write is never refused for want of a partition. Each lock step waits at most 10 s for
    /// its lock (`lock_timeout`) rather than queue writers behind it; a rerun picks up there.
    ///
    /// The parent has no primary key: Postgres requires a partitioned table's unique keys to
    /// contain the partition key, and nothing needs one (`id` comes from one sequence, nothing
    /// references the ledger). Each partition keeps a primary key on `id` of its own, so a
    /// look-up by id (the erasure's redaction) is an index probe per partition.
    ///
    /// Not partitioned, and why (they are expired by bounded batched deletes instead):
    /// `touchpoints` — `matches` references `touchpoints (id)`, which a partitioned table can
    /// only offer with the partition key in the key, and its idempotence key `envelope_id`
    /// would have to become `(envelope_id, occurred_at)`; `dedupe_registry` — its key
    /// `(pixel_id, event_name, event_id)` is the effectively-once guarantee and would have to
    /// include the time; `webhook_inbox` (the `envelope_id` key) and `dead_letters` — small.
    public static let retention = Migration(
        version: 17,
        name: "retention_partitioned_ledger",
        preparation: [
            """
            SET LOCAL lock_timeout = '10s';
            DO $$
            BEGIN
                IF to_regclass('dispatch_attempts') IS NOT NULL
                   AND (SELECT relkind FROM pg_class WHERE oid = 'dispatch_attempts'::regclass) = 'r'
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'dispatch_attempts_partition_bound'
                                   AND conrelid = 'dispatch_attempts'::regclass) THEN
                    EXECUTE format('ALTER TABLE dispatch_attempts ADD CONSTRAINT dispatch_attempts_partition_bound CHECK (created_at < %L) NOT VALID',
                                   date_trunc('month', now(), 'UTC') + interval '2 months');
                END IF;
            END
            $$;
            """,
            """
            ALTER TABLE dispatch_attempts VALIDATE CONSTRAINT dispatch_attempts_partition_bound;
            """,
        ],
        sql: """
            SET LOCAL lock_timeout = '10s';
            ALTER TABLE dispatch_attempts RENAME TO dispatch_attempts_p0;
            ALTER INDEX dispatch_attempts_pkey RENAME TO dispatch_attempts_p0_pkey;
            ALTER INDEX dispatch_attempts_event_id_idx RENAME TO dispatch_attempts_p0_event_id_idx;
            ALTER INDEX dispatch_attempts_pixel_id_created_at_idx RENAME TO dispatch_attempts_p0_pixel_id_created_at_idx;
            ALTER INDEX dispatch_attempts_conversion_id_idx RENAME TO dispatch_attempts_p0_conversion_id_idx;
            ALTER INDEX dispatch_attempts_created_at_brin RENAME TO dispatch_attempts_p0_created_at_brin;
            ALTER INDEX dispatch_attempts_failures_idx RENAME TO dispatch_attempts_p0_failures_idx;
            DROP TRIGGER analytics_attempts ON dispatch_attempts_p0;
            DROP TRIGGER dispatch_attempts_no_update ON dispatch_attempts_p0;

            CREATE TABLE dispatch_attempts (LIKE dispatch_attempts_p0 INCLUDING DEFAULTS INCLUDING COMMENTS)
                PARTITION BY RANGE (created_at);
            ALTER TABLE dispatch_attempts ADD CONSTRAINT dispatch_attempts_attempt_check CHECK (attempt >= 1);
            ALTER SEQUENCE dispatch_attempts_id_seq OWNED BY dispatch_attempts.id;
            CREATE INDEX dispatch_attempts_event_id_idx ON dispatch_attempts (event_id);
            CREATE INDEX dispatch_attempts_pixel_id_created_at_idx ON dispatch_attempts (pixel_id, created_at);
            CREATE INDEX dispatch_attempts_conversion_id_idx ON dispatch_attempts (conversion_id) WHERE conversion_id IS NOT NULL;
            CREATE INDEX dispatch_attempts_created_at_brin ON dispatch_attempts USING brin (created_at);
            CREATE INDEX dispatch_attempts_failures_idx ON dispatch_attempts (pixel_id, created_at)
                WHERE outcome IN ('retry_scheduled', 'unconfirmed', 'dead_lettered', 'parked', 'batch_rejected');
            CREATE TRIGGER analytics_attempts AFTER INSERT ON dispatch_attempts
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_attempts();
            CREATE TRIGGER dispatch_attempts_no_update BEFORE UPDATE ON dispatch_attempts
                FOR EACH ROW EXECUTE FUNCTION dispatch_attempts_append_only();

            DO $$
            DECLARE
                bound timestamptz;
                month timestamptz;
            BEGIN
                SELECT substring(pg_get_constraintdef(oid) FROM '''([^'']+)''')::timestamptz INTO STRICT bound
                FROM pg_constraint WHERE conname = 'dispatch_attempts_partition_bound' AND conrelid = 'dispatch_attempts_p0'::regclass;
                EXECUTE format('ALTER TABLE dispatch_attempts ATTACH PARTITION dispatch_attempts_p0 FOR VALUES FROM (MINVALUE) TO (%L)', bound);
                month := bound;
                WHILE month < date_trunc('month', now(), 'UTC') + interval '4 months' LOOP
                    EXECUTE format('CREATE TABLE %I PARTITION OF dispatch_attempts FOR VALUES FROM (%L) TO (%L)',
                                   'dispatch_attempts_p' || to_char(month AT TIME ZONE 'UTC', 'YYYY_MM'), month, month + interval '1 month');
                    EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (id)', 'dispatch_attempts_p' || to_char(month AT TIME ZONE 'UTC', 'YYYY_MM'));
                    month := month + interval '1 month';
                END LOOP;
            END
            $$;
            CREATE TABLE dispatch_attempts_default PARTITION OF dispatch_attempts DEFAULT;
            ALTER TABLE dispatch_attempts_default ADD PRIMARY KEY (id);
            ALTER TABLE dispatch_attempts_p0 DROP CONSTRAINT dispatch_attempts_partition_bound;

            CREATE TABLE retention_runs (
                id          bigserial PRIMARY KEY,
                started_at  timestamptz NOT NULL DEFAULT now(),
                finished_at timestamptz,
                as_of       timestamptz NOT NULL,
                dry_run     boolean NOT NULL,
                removed     jsonb NOT NULL DEFAULT '{}',
                error       text
            );
            COMMENT ON TABLE retention_runs IS 'one row per dispatchd retention run: what it removed or anonymised, per item';
            COMMENT ON COLUMN retention_runs.as_of IS 'the time the run expired against (now, or --now in tests)';
            CREATE TABLE retention_progress (
                scope       text NOT NULL,
                item        text NOT NULL,
                done_before timestamptz NOT NULL,
                PRIMARY KEY (scope, item)
            );
            COMMENT ON TABLE retention_progress IS 'per tenant (scope) and item: rows older than done_before were already expired, so the next run starts near there';

            ALTER TABLE tenants ADD COLUMN retention jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(retention) = 'object');
            COMMENT ON COLUMN tenants.retention IS 'retention periods set in tenants[].retention (days); unset ones take the defaults of docs/PRIVACY.md';
            """
    )
}
