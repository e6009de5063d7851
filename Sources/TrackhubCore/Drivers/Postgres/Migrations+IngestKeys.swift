extension Migrations {
    /// Version 14 (issue 15): server-to-server ingest keys (item 5, `POST /s2s/{event}`), the
    /// ledger's note of dropped identifiers (item 3), and each tenant's checkout hosts and
    /// attribution window for `/t.js` (item 1).
    ///
    /// They live in `api_keys` beside the read API's keys, one kind per row (`scope`): the same
    /// life cycle (shown once, stored as the SHA-256 hex of the key, revocable, listed by prefix),
    /// but never interchangeable — an ingest key only writes events, a read key only reads
    /// numbers (docs/API.md, "Server-to-server events", says why there are two). The live
    /// ingest keys' hashes reach ingestd in the config snapshot, as webhook secrets do.
    ///
    /// `dispatch_attempts.user_data_dropped`: which identifiers the policy dropped from the
    /// event's `user_data` and why (``UserDataDrops``) — field names and reasons, never values;
    /// NULL when nothing was dropped (every row before this version too).
    ///
    /// `tenants.checkout_hosts` (`host=parameter` pairs, from `dispatchd apply`) and
    /// `tenants.attribution_window_days` (default 30): what `/t.js?t=<tenant>` decorates and how
    /// long it keeps a click id.
    public static let ingestKeys = Migration(
        version: 14,
        name: "ingest_keys_drop_notes_tenant_script",
        sql: """
            ALTER TABLE api_keys ADD COLUMN scope text NOT NULL DEFAULT 'read' CHECK (scope IN ('read', 'ingest'));
            CREATE INDEX api_keys_live_ingest_idx ON api_keys (tenant_id) WHERE scope = 'ingest' AND revoked_at IS NULL;
            ALTER TABLE dispatch_attempts ADD COLUMN user_data_dropped jsonb;
            COMMENT ON COLUMN dispatch_attempts.user_data_dropped IS '[{"field":"em","reason":"…"}]: identifiers given but dropped as invalid (names and reasons only, never values)';
            ALTER TABLE tenants ADD COLUMN checkout_hosts text[] NOT NULL DEFAULT '{}',
                                ADD COLUMN attribution_window_days integer NOT NULL DEFAULT 30
                                    CHECK (attribution_window_days BETWEEN 1 AND 365);
            COMMENT ON COLUMN tenants.checkout_hosts IS 'host=parameter: the tenant''s own checkout hosts /t.js decorates, besides the known gateways';
            COMMENT ON COLUMN api_keys.scope IS 'read: the read API (/api/v1, console); ingest: server-to-server events (ingestd /s2s)';
            """)
}
