extension Migrations {
    /// Version 9: the bot user ↔ click link (issue 19, ``TelegramBotUserLink``).
    ///
    /// `telegram_bot_users`: one row per tenant, bot and user — the user only as the hashed
    /// `external_id` Meta gets (``TelegramUserIdentity``), never their Telegram id — with the
    /// click their latest `/start <click id>` carried, so a lead, checkout or sale that user
    /// makes later in the bot inherits the click's identity. Written by dispatchd when a
    /// `/start` finds its click (at once, or when a late click arrives). No foreign key to the
    /// touchpoint: like the other high-volume tables, history outlives configuration.
    public static let telegramBotUsers = Migration(
        version: 9,
        name: "telegram_bot_users",
        sql: """
            CREATE TABLE telegram_bot_users (
                tenant_id     text NOT NULL,
                bot           text NOT NULL,
                user_hash     text NOT NULL,
                click_id      text NOT NULL,
                touchpoint_id bigint,
                envelope_id   text NOT NULL,
                started_at    timestamptz NOT NULL,
                created_at    timestamptz NOT NULL DEFAULT now(),
                updated_at    timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (tenant_id, bot, user_hash)
            );
            CREATE INDEX telegram_bot_users_user_idx ON telegram_bot_users (tenant_id, user_hash, started_at DESC);
            CREATE INDEX telegram_bot_users_click_id_idx ON telegram_bot_users (click_id);
            COMMENT ON TABLE telegram_bot_users IS 'which click brought each bot user (latest /start wins); the user only hashed';
            COMMENT ON COLUMN telegram_bot_users.user_hash IS 'sha256 hex of telegram:<user id>, the external_id sent to Meta';
            """
    )
}
