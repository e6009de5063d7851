extension Migrations {
    /// Version 21: the Ajuda conversation is kept, and "falar com o suporte" opens a case the
    /// operator sees (issue 16: the troubleshooting assistant's human fallback).
    ///
    /// `help_messages` holds each console user's conversation with the assistant — what they
    /// asked (scrubbed by `SupportRedaction` before it is stored: a seller may paste a buyer's
    /// e-mail) and the answer's summary; the newest 50 per user are kept. `support_cases` holds
    /// what the operator needs to take a case over: who asked, the conversation, the
    /// diagnosis, the redacted support bundle, and whether the operator's Telegram chat heard
    /// of it.
    public static let helpDesk = Migration(
        version: 21,
        name: "help_desk",
        sql: """
            CREATE TABLE help_messages (
                id         bigserial PRIMARY KEY,
                user_id    bigint NOT NULL REFERENCES console_users (id) ON DELETE CASCADE,
                author     text NOT NULL CHECK (author IN ('user', 'assistant')),
                level      text,
                body       text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX help_messages_user_id_idx ON help_messages (user_id, id);
            COMMENT ON TABLE help_messages IS 'the Ajuda conversation per console user (what users typed scrubbed: no e-mail, phone or token); the newest 50 per user';

            CREATE TABLE support_cases (
                id           bigserial PRIMARY KEY,
                user_id      bigint REFERENCES console_users (id) ON DELETE SET NULL,
                user_name    text NOT NULL,
                tenants      text[] NOT NULL DEFAULT '{}',
                summary      text NOT NULL,
                conversation jsonb NOT NULL DEFAULT '[]',
                bundle       jsonb NOT NULL,
                notified     text NOT NULL,
                status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
                created_at   timestamptz NOT NULL DEFAULT now(),
                closed_at    timestamptz,
                closed_by    bigint REFERENCES console_users (id) ON DELETE SET NULL
            );
            CREATE INDEX support_cases_status_idx ON support_cases (status, id);
            COMMENT ON COLUMN support_cases.bundle IS 'the redacted support bundle (SupportBundle) at the time the case was opened';
            COMMENT ON COLUMN support_cases.notified IS 'telegram: the operator chat got it; none: no operator chat set; failed: <why>';
            """
    )
}
