extension Migrations {
    /// Version 14: server-to-server ingest keys (issue 15 item 5, `POST /s2s/{event}`).
    ///
    /// They live in `api_keys` beside the read API's keys, one kind per row (`scope`): the same
    /// life cycle (shown once, stored as the SHA-256 hex of the key, revocable, listed by prefix),
    /// but never interchangeable — an ingest key only writes events, a read key only reads
    /// numbers (docs/API.md, "Server-to-server events", says why there are two). The live
    /// ingest keys' hashes reach ingestd in the config snapshot, as webhook secrets do.
    public static let ingestKeys = Migration(
        version: 14,
        name: "ingest_keys",
        sql: """
            ALTER TABLE api_keys ADD COLUMN scope text NOT NULL DEFAULT 'read' CHECK (scope IN ('read', 'ingest'));
            CREATE INDEX api_keys_live_ingest_idx ON api_keys (tenant_id) WHERE scope = 'ingest' AND revoked_at IS NULL;
            COMMENT ON COLUMN api_keys.scope IS 'read: the read API (/api/v1, console); ingest: server-to-server events (ingestd /s2s)';
            """)
}
