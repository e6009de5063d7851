extension Migrations {
    /// Version 13: the alerts' memory and history (issue 17, `Sources/TrackhubCore/Alerts`).
    ///
    /// - `alert_state`: the active alerts (``ActiveAlert``), one row per key, so the instance
    ///   that takes the lease over continues the alerts instead of firing them again;
    /// - `alert_history`: every fired / repeated / resolved notification, what the console's
    ///   "Alertas" page lists;
    /// - `alert_deliveries`: an outbox, one row per notification and channel, written in the
    ///   same transaction as the state, and marked sent once the channel accepted it; a new
    ///   lease holder delivers what the last one left pending;
    /// - `alert_telegram_chats`: where each tenant's alerts go on Telegram (scope `*`: the
    ///   operator, every alert), with the bot token sealed like every secret.
    public static let alerts = Migration(
        version: 13,
        name: "alerts",
        sql: """
            CREATE TABLE alert_state (
                alert_key        text PRIMARY KEY,
                rule             text NOT NULL,
                tenant_id        text,
                subject          text NOT NULL,
                vals             jsonb NOT NULL DEFAULT '{}',
                first_seen_at    timestamptz NOT NULL,
                last_notified_at timestamptz NOT NULL,
                notifications    integer NOT NULL CHECK (notifications >= 1),
                clear_since      timestamptz,
                updated_at       timestamptz NOT NULL DEFAULT now()
            );

            CREATE TABLE alert_history (
                id            bigserial PRIMARY KEY,
                alert_key     text NOT NULL,
                rule          text NOT NULL,
                tenant_id     text,
                subject       text NOT NULL,
                kind          text NOT NULL CHECK (kind IN ('fired', 'repeated', 'resolved')),
                sequence      integer NOT NULL,
                vals          jsonb NOT NULL DEFAULT '{}',
                first_seen_at timestamptz NOT NULL,
                created_at    timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX alert_history_tenant_created_idx ON alert_history (tenant_id, created_at DESC);

            CREATE TABLE alert_deliveries (
                history_id  bigint NOT NULL REFERENCES alert_history (id) ON DELETE CASCADE,
                channel     text NOT NULL,
                state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
                attempts    integer NOT NULL DEFAULT 0,
                next_at     timestamptz NOT NULL DEFAULT now(),
                last_error  text,
                sent_at     timestamptz,
                PRIMARY KEY (history_id, channel)
            );
            CREATE INDEX alert_deliveries_pending_idx ON alert_deliveries (next_at) WHERE state = 'pending';

            CREATE TABLE alert_telegram_chats (
                scope                text PRIMARY KEY CHECK (scope <> ''),
                chat_id              text NOT NULL CHECK (chat_id <> ''),
                bot_token_ciphertext text NOT NULL,
                updated_at           timestamptz NOT NULL DEFAULT now()
            );
            COMMENT ON COLUMN alert_telegram_chats.scope IS 'a tenant id, or * for the operator (every alert)';
            """
    )
}
