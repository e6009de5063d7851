extension Migrations {
    /// Version 5: the console (`dispatchd console`) — its users with roles scoped to tenants, their
    /// sessions, the one-time setup token that creates the first owner, the audit of every
    /// configuration change, the versions of the configuration the console wrote (each one a
    /// document that `dispatchd apply` accepts, for the diff view and rollback), and the setup
    /// assistant's sessions, messages and actions (so a setup can be left and resumed).
    ///
    /// Secrets never rest here in clear: passwords are bcrypt hashes, session and setup tokens are
    /// stored as SHA-256 hex of the random value the browser (or the operator) holds, and the
    /// configuration documents keep access tokens and webhook secrets sealed (`v1.KEY_ID.…`).
    public static let console = Migration(
        version: 5,
        name: "console",
        sql: """
            CREATE TABLE console_users (
                id            bigserial PRIMARY KEY,
                login         text NOT NULL UNIQUE CHECK (login <> ''),
                display_name  text NOT NULL DEFAULT '',
                password_hash text NOT NULL,
                role          text NOT NULL CHECK (role IN ('owner', 'admin', 'viewer')),
                all_tenants   boolean NOT NULL DEFAULT false,
                tenants       text[] NOT NULL DEFAULT '{}',
                language      text NOT NULL DEFAULT 'pt-BR',
                created_at    timestamptz NOT NULL DEFAULT now(),
                disabled_at   timestamptz,
                CHECK (role <> 'owner' OR all_tenants)
            );
            COMMENT ON COLUMN console_users.password_hash IS 'bcrypt (hummingbird-auth), never the password';
            COMMENT ON COLUMN console_users.tenants IS 'tenants an admin or viewer may see; ignored when all_tenants';

            CREATE TABLE console_sessions (
                token_hash   text PRIMARY KEY,
                user_id      bigint NOT NULL REFERENCES console_users (id) ON DELETE CASCADE,
                csrf_token   text NOT NULL,
                created_at   timestamptz NOT NULL DEFAULT now(),
                last_seen_at timestamptz NOT NULL DEFAULT now(),
                expires_at   timestamptz NOT NULL
            );
            CREATE INDEX console_sessions_user_id_idx ON console_sessions (user_id);
            COMMENT ON COLUMN console_sessions.token_hash IS 'SHA-256 hex of the cookie value; the value itself is only in the browser';

            CREATE TABLE console_setup_tokens (
                token_hash text PRIMARY KEY,
                created_at timestamptz NOT NULL DEFAULT now(),
                used_at    timestamptz,
                used_by    bigint REFERENCES console_users (id)
            );
            COMMENT ON TABLE console_setup_tokens IS 'one-time tokens printed at the first start; one creates the first owner';

            CREATE TABLE config_versions (
                id         bigserial PRIMARY KEY,
                tenant_id  text NOT NULL,
                document   jsonb NOT NULL,
                created_by bigint REFERENCES console_users (id),
                created_at timestamptz NOT NULL DEFAULT now(),
                note       text NOT NULL DEFAULT '',
                rollback_of bigint REFERENCES config_versions (id)
            );
            CREATE INDEX config_versions_tenant_id_idx ON config_versions (tenant_id, id);
            COMMENT ON COLUMN config_versions.document IS 'the tenant''s configuration as dispatchd apply reads it, secrets sealed';

            CREATE TABLE config_audit (
                id          bigserial PRIMARY KEY,
                user_id     bigint REFERENCES console_users (id),
                user_login  text NOT NULL,
                tenant_id   text,
                action      text NOT NULL,
                summary     text NOT NULL DEFAULT '',
                version_id  bigint REFERENCES config_versions (id),
                created_at  timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX config_audit_tenant_id_idx ON config_audit (tenant_id, created_at);
            COMMENT ON TABLE config_audit IS 'who changed what and when: every console change of users or configuration';

            CREATE TABLE setup_sessions (
                id         bigserial PRIMARY KEY,
                tenant_id  text NOT NULL,
                user_id    bigint REFERENCES console_users (id),
                step       integer NOT NULL DEFAULT 1 CHECK (step BETWEEN 1 AND 6),
                state      jsonb NOT NULL DEFAULT '{}',
                status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'abandoned')),
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX setup_sessions_tenant_id_idx ON setup_sessions (tenant_id, status);
            COMMENT ON COLUMN setup_sessions.state IS 'what each step verified and what was typed (never a secret in clear)';

            CREATE TABLE setup_messages (
                id         bigserial PRIMARY KEY,
                session_id bigint NOT NULL REFERENCES setup_sessions (id) ON DELETE CASCADE,
                author     text NOT NULL CHECK (author IN ('assistant', 'user')),
                step       integer,
                body       text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX setup_messages_session_id_idx ON setup_messages (session_id, id);

            CREATE TABLE setup_action_logs (
                id         bigserial PRIMARY KEY,
                session_id bigint NOT NULL REFERENCES setup_sessions (id) ON DELETE CASCADE,
                step       integer,
                action     text NOT NULL,
                outcome    text NOT NULL,
                detail     jsonb NOT NULL DEFAULT '{}',
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX setup_action_logs_session_id_idx ON setup_action_logs (session_id, id);
            COMMENT ON TABLE setup_action_logs IS 'every check the assistant ran (Graph read, test event, webhook wait) and what it saw';
            """
    )
}
