extension Migrations {
    /// Version 10: what answering a data subject's request (LGPD art. 18) needs.
    ///
    /// - `privacy_requests`: one row per `dispatchd privacy erase|export`, with what was done
    ///   (counts per place) and never the identifiers it was asked about: the audit a seller
    ///   shows when asked how a request was answered (LGPD art. 37, records of operations).
    /// - The ledger's redaction path. `dispatch_attempts` stays append-only: an UPDATE is
    ///   refused unless the transaction set `trackhub.ledger_redaction = 'on'` (only
    ///   ``PersonalDataEraser`` does, with `SET LOCAL`, next to the `privacy_requests` row of the
    ///   same transaction), and even then only `payload` may change: the row, its outcome, Meta's
    ///   answer and its time stay, the personal fields go. The trigger becomes a row trigger so
    ///   it can compare the old and new row; it fires only on UPDATE, which the hot path never
    ///   runs, so inserts cost the same.
    public static let privacy = Migration(
        version: 10,
        name: "privacy",
        sql: """
            CREATE TABLE privacy_requests (
                id           bigserial PRIMARY KEY,
                tenant_id    text NOT NULL,
                kind         text NOT NULL CHECK (kind IN ('erase', 'export')),
                requested_by text NOT NULL DEFAULT '',
                note         text NOT NULL DEFAULT '',
                counts       jsonb NOT NULL DEFAULT '{}',
                created_at   timestamptz NOT NULL DEFAULT now(),
                finished_at  timestamptz
            );
            CREATE INDEX privacy_requests_tenant_id_idx ON privacy_requests (tenant_id, created_at);
            COMMENT ON TABLE privacy_requests IS 'audit of access and erasure requests; never the identifiers asked about';
            COMMENT ON COLUMN privacy_requests.counts IS 'rows and entries found (export) or erased/redacted (erase), per place';

            CREATE OR REPLACE FUNCTION dispatch_attempts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF coalesce(current_setting('trackhub.ledger_redaction', true), '') <> 'on' THEN
                    RAISE EXCEPTION 'dispatch_attempts is an append-only ledger: UPDATE is not allowed'
                        USING ERRCODE = 'restrict_violation';
                END IF;
                IF (to_jsonb(NEW) - 'payload') IS DISTINCT FROM (to_jsonb(OLD) - 'payload') THEN
                    RAISE EXCEPTION 'a ledger redaction may change only payload'
                        USING ERRCODE = 'restrict_violation';
                END IF;
                RETURN NEW;
            END
            $$;
            DROP TRIGGER dispatch_attempts_no_update ON dispatch_attempts;
            CREATE TRIGGER dispatch_attempts_no_update
                BEFORE UPDATE ON dispatch_attempts
                FOR EACH ROW EXECUTE FUNCTION dispatch_attempts_append_only();
            COMMENT ON TRIGGER dispatch_attempts_no_update ON dispatch_attempts IS
                'append-only; the one exception is a privacy erasure (SET LOCAL trackhub.ledger_redaction = on), which may change payload only';
            """
    )
}
