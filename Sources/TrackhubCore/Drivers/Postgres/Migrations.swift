/// Trackhub's schema, as an append-only list of migrations (see ``Migrator``).
///
/// Conventions: text ids (they come from outside — Meta pixel ids, gateway transaction ids,
/// slugs — and are compared, never computed with), `bigserial` keys for high-volume rows,
/// `timestamptz` everywhere, `jsonb` for shapes that vary by gateway or event. Personal data is
/// stored only hashed (`em_hash`, `ph_hash`, `buyer`); secrets only as AES-GCM ciphertext with
/// the key id beside it.
///
/// High-volume tables (touchpoints, conversions, dedupe_registry, dispatch_attempts,
/// dead_letters) deliberately carry no foreign key to the configuration tables: an event
/// accepted at the edge must be recordable even if its tenant or pixel was removed meanwhile,
/// and history must outlive configuration. `matches` does reference both of its sides, which
/// are written on the same path.
public enum Migrations {
    public static let all: [Migration] = [initialSchema, declarativeConfiguration, scoredMatching, timeIndexesBRIN, console, insightIndexes, telegramBotUsers, privacy, analytics,
                                          alerts, ingestKeys, ledgerInFlight, saleConsent, retention, rollupSpeed, dailyRollups, hourlyTotals, helpDesk]

    /// Version 1: the whole initial schema.
    public static let initialSchema = Migration(
        version: 1,
        name: "initial_schema",
        sql: """
            -- Configuration (written by `dispatchd apply`, compiled into the ingest snapshot).

            CREATE TABLE tenants (
                id                   text PRIMARY KEY CHECK (id <> ''),
                name                 text NOT NULL,
                default_country_code text NOT NULL DEFAULT '55',
                default_country      text NOT NULL DEFAULT 'br',
                allowed_origins      text[] NOT NULL DEFAULT '{}',
                created_at           timestamptz NOT NULL DEFAULT now(),
                updated_at           timestamptz NOT NULL DEFAULT now()
            );

            CREATE TABLE pixels (
                id                      text PRIMARY KEY CHECK (id <> ''),
                tenant_id               text NOT NULL REFERENCES tenants (id),
                access_token_ciphertext text,
                access_token_key_id     text,
                test_event_code         text,
                mode                    text NOT NULL DEFAULT 'dry_run' CHECK (mode IN ('live', 'test', 'dry_run')),
                max_events_per_second   integer NOT NULL DEFAULT 100 CHECK (max_events_per_second > 0),
                batch_size              integer NOT NULL DEFAULT 500 CHECK (batch_size BETWEEN 1 AND 1000),
                send_click_as_pageview  boolean NOT NULL DEFAULT true,
                event_names             jsonb NOT NULL DEFAULT '{}',
                paused_reason           text,
                paused_at               timestamptz,
                created_at              timestamptz NOT NULL DEFAULT now(),
                updated_at              timestamptz NOT NULL DEFAULT now(),
                CHECK ((access_token_ciphertext IS NULL) = (access_token_key_id IS NULL))
            );
            CREATE INDEX pixels_tenant_id_idx ON pixels (tenant_id);
            COMMENT ON COLUMN pixels.id IS 'Meta pixel (dataset) id';
            COMMENT ON COLUMN pixels.mode IS 'live: send; test: send with test_event_code; dry_run: build, validate and record in the ledger without sending';
            COMMENT ON COLUMN pixels.event_names IS 'which page events this pixel gets: Trackhub event kind -> Meta event name';
            COMMENT ON COLUMN pixels.paused_reason IS 'set when Meta rejected the token (190) or throttled; cleared by dispatchd apply';

            CREATE TABLE links (
                slug        text PRIMARY KEY CHECK (slug <> ''),
                tenant_id   text NOT NULL REFERENCES tenants (id),
                pixel_id    text REFERENCES pixels (id),
                destination jsonb NOT NULL,
                active      boolean NOT NULL DEFAULT true,
                created_at  timestamptz NOT NULL DEFAULT now(),
                updated_at  timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX links_tenant_id_idx ON links (tenant_id);

            CREATE TABLE gateway_accounts (
                gateway           text NOT NULL,
                account           text NOT NULL,
                tenant_id         text NOT NULL REFERENCES tenants (id),
                pixel_id          text REFERENCES pixels (id),
                secret_ciphertext text,
                secret_key_id     text,
                settings          jsonb NOT NULL DEFAULT '{}',
                created_at        timestamptz NOT NULL DEFAULT now(),
                updated_at        timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (gateway, account),
                CHECK ((secret_ciphertext IS NULL) = (secret_key_id IS NULL))
            );

            -- Clicks and page events. Look-ups: by click id (carried back by a sale), session,
            -- hashed email/phone (earlier lead), and time (scored matching, retention).

            CREATE TABLE touchpoints (
                id          bigserial PRIMARY KEY,
                envelope_id text NOT NULL UNIQUE,
                tenant_id   text NOT NULL,
                kind        text NOT NULL,
                click_id    text,
                session_id  text,
                event_id    text,
                fbp         text,
                fbc         text,
                ip          inet,
                user_agent  text,
                page_url    text,
                referrer    text,
                utm         jsonb,
                em_hash     text,
                ph_hash     text,
                consent     boolean NOT NULL DEFAULT true,
                occurred_at timestamptz NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX touchpoints_click_id_idx ON touchpoints (click_id) WHERE click_id IS NOT NULL;
            CREATE INDEX touchpoints_session_id_idx ON touchpoints (session_id) WHERE session_id IS NOT NULL;
            CREATE INDEX touchpoints_em_hash_idx ON touchpoints (em_hash) WHERE em_hash IS NOT NULL;
            CREATE INDEX touchpoints_ph_hash_idx ON touchpoints (ph_hash) WHERE ph_hash IS NOT NULL;
            CREATE INDEX touchpoints_occurred_at_idx ON touchpoints (occurred_at);
            COMMENT ON COLUMN touchpoints.kind IS 'click, pageview, view_content, lead, initiate_checkout, ...';
            COMMENT ON COLUMN touchpoints.consent IS 'false: the subject declined ad tracking; stored, never sent';
            COMMENT ON COLUMN touchpoints.em_hash IS 'SHA-256 of the normalised email; the clear value is never stored';
            COMMENT ON COLUMN touchpoints.ph_hash IS 'SHA-256 of the normalised phone; the clear value is never stored';

            -- Sales, one row per gateway + account + transaction + status (a refund is a new row).
            -- Look-up by order id = transaction_id.

            CREATE TABLE conversions (
                id             bigserial PRIMARY KEY,
                gateway        text NOT NULL,
                account        text NOT NULL,
                transaction_id text NOT NULL,
                status         text NOT NULL CHECK (status IN ('pending', 'approved', 'refunded', 'chargeback', 'canceled', 'other')),
                tenant_id      text NOT NULL,
                value          numeric,
                currency       text,
                payment_method text,
                buyer          jsonb,
                product_ids    text[] NOT NULL DEFAULT '{}',
                tracking       jsonb,
                occurred_at    timestamptz NOT NULL,
                envelope_id    text,
                raw_event_type text,
                ignored_reason text,
                created_at     timestamptz NOT NULL DEFAULT now(),
                UNIQUE (gateway, account, transaction_id, status)
            );
            CREATE INDEX conversions_transaction_id_idx ON conversions (transaction_id);
            COMMENT ON COLUMN conversions.buyer IS 'normalised and hashed identities only, never clear PII';
            COMMENT ON COLUMN conversions.ignored_reason IS 'set when the event is stored but deliberately not sent (unknown event type, ...)';

            CREATE TABLE matches (
                conversion_id bigint PRIMARY KEY REFERENCES conversions (id) ON DELETE CASCADE,
                touchpoint_id bigint NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
                method        text NOT NULL,
                score         double precision NOT NULL,
                created_at    timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX matches_touchpoint_id_idx ON matches (touchpoint_id);

            -- Effectively-once at Meta: a second event with the same key is never sent.

            CREATE TABLE dedupe_registry (
                pixel_id      text NOT NULL,
                event_name    text NOT NULL,
                event_id      text NOT NULL,
                first_seen_at timestamptz NOT NULL DEFAULT now(),
                envelope_id   text,
                PRIMARY KEY (pixel_id, event_name, event_id)
            );
            CREATE INDEX dedupe_registry_first_seen_at_idx ON dedupe_registry (first_seen_at);

            -- The ledger: one row per event per attempt, never updated.

            CREATE TABLE dispatch_attempts (
                id            bigserial PRIMARY KEY,
                event_id      text NOT NULL,
                event_name    text NOT NULL,
                pixel_id      text NOT NULL,
                envelope_id   text,
                conversion_id bigint,
                attempt       integer NOT NULL DEFAULT 1 CHECK (attempt >= 1),
                request_id    text,
                http_status   integer,
                meta_code     integer,
                meta_subcode  integer,
                meta_message  text,
                fbtrace_id    text,
                latency_ms    integer,
                outcome       text NOT NULL,
                payload       jsonb,
                created_at    timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX dispatch_attempts_event_id_idx ON dispatch_attempts (event_id);
            CREATE INDEX dispatch_attempts_pixel_id_created_at_idx ON dispatch_attempts (pixel_id, created_at);
            CREATE INDEX dispatch_attempts_conversion_id_idx ON dispatch_attempts (conversion_id) WHERE conversion_id IS NOT NULL;
            CREATE INDEX dispatch_attempts_created_at_idx ON dispatch_attempts (created_at);
            COMMENT ON COLUMN dispatch_attempts.outcome IS 'sent, retry_scheduled, dead_lettered, dry_run, consent_blocked, expired, invalid, skipped_duplicate, ...';

            CREATE FUNCTION dispatch_attempts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'dispatch_attempts is an append-only ledger: UPDATE is not allowed'
                    USING ERRCODE = 'restrict_violation';
            END
            $$;
            CREATE TRIGGER dispatch_attempts_no_update
                BEFORE UPDATE ON dispatch_attempts
                FOR EACH STATEMENT EXECUTE FUNCTION dispatch_attempts_append_only();

            -- Events that will not be delivered without intervention (`dispatchd dlq list|replay`).

            CREATE TABLE dead_letters (
                id          bigserial PRIMARY KEY,
                envelope_id text,
                stream_id   text,
                reason      text NOT NULL,
                detail      text,
                payload     text,
                event_id    text,
                pixel_id    text,
                created_at  timestamptz NOT NULL DEFAULT now(),
                replayed_at timestamptz
            );
            CREATE INDEX dead_letters_reason_idx ON dead_letters (reason, created_at);
            COMMENT ON COLUMN dead_letters.payload IS 'the envelope or event as text: it may not be valid JSON (that can be why it is here)';
            """
    )

    /// Version 2: what `dispatchd apply` and the ingest snapshot need beyond version 1 — each
    /// tenant's default pixel, several webhook secrets per account (rotation) and an API token,
    /// link deactivation time, the snapshot version sequence — and the webhook inbox.
    public static let declarativeConfiguration = Migration(
        version: 2,
        name: "declarative_configuration",
        sql: """
            -- Pixels: one default per tenant (for links and accounts that name no pixel), and
            -- when the access token last changed. Defaults follow the configuration file's.

            ALTER TABLE pixels
                ADD COLUMN is_default       boolean NOT NULL DEFAULT false,
                ADD COLUMN token_changed_at timestamptz,
                ALTER COLUMN max_events_per_second SET DEFAULT 1000,
                ALTER COLUMN send_click_as_pageview SET DEFAULT false;
            CREATE UNIQUE INDEX pixels_one_default_per_tenant ON pixels (tenant_id) WHERE is_default;
            COMMENT ON COLUMN pixels.access_token_ciphertext IS 'AES-GCM sealed (context pixel.token), v1.KEY_ID.BASE64URL; the key id is also in access_token_key_id';

            -- Links removed from the configuration are deactivated, not deleted: clicks already
            -- in the streams still resolve, and history keeps its slug.

            ALTER TABLE links ADD COLUMN deactivated_at timestamptz;
            CREATE INDEX links_pixel_id_idx ON links (pixel_id) WHERE pixel_id IS NOT NULL;

            -- Gateway accounts: every valid webhook secret (more than one while rotating) as a
            -- JSON array of sealed strings, each v1.KEY_ID.BASE64URL (context gateway.secret);
            -- and an optional API token (Mercado Pago's access token, context gateway.api_token).

            ALTER TABLE gateway_accounts
                ADD COLUMN secrets jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(secrets) = 'array'),
                ADD COLUMN api_token_ciphertext text,
                ADD COLUMN api_token_key_id text,
                ADD CONSTRAINT gateway_accounts_api_token_key_id_check
                    CHECK ((api_token_ciphertext IS NULL) = (api_token_key_id IS NULL));
            UPDATE gateway_accounts SET secrets = jsonb_build_array(secret_ciphertext) WHERE secret_ciphertext IS NOT NULL;
            ALTER TABLE gateway_accounts DROP COLUMN secret_ciphertext, DROP COLUMN secret_key_id;
            CREATE INDEX gateway_accounts_tenant_id_idx ON gateway_accounts (tenant_id);
            CREATE INDEX gateway_accounts_pixel_id_idx ON gateway_accounts (pixel_id) WHERE pixel_id IS NOT NULL;
            COMMENT ON COLUMN gateway_accounts.settings IS 'free-form per-account settings from the configuration file';

            -- Versions of the ingest snapshot dispatchd publishes to Redis: strictly increasing.

            CREATE SEQUENCE config_version_seq AS bigint MINVALUE 1 START 1;

            -- Every authenticated webhook, stored before it is parsed, so a parser fix can be
            -- replayed over old input. No foreign keys: history outlives configuration.

            CREATE TABLE webhook_inbox (
                id           bigserial PRIMARY KEY,
                envelope_id  text NOT NULL UNIQUE,
                gateway      text NOT NULL,
                account      text NOT NULL,
                tenant_id    text,
                received_at  timestamptz NOT NULL,
                body_sealed  text NOT NULL,
                content_type text,
                query        jsonb,
                headers      jsonb,
                processed_at timestamptz,
                outcome      text,
                stored_at    timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX webhook_inbox_processed_at_idx ON webhook_inbox (processed_at);
            CREATE INDEX webhook_inbox_gateway_account_received_at_idx ON webhook_inbox (gateway, account, received_at);
            COMMENT ON COLUMN webhook_inbox.body_sealed IS 'the raw body exactly as authenticated, AES-GCM sealed: it holds buyers'' personal data';
            COMMENT ON COLUMN webhook_inbox.processed_at IS 'NULL until dispatchd parsed it; a replay clears it';
            COMMENT ON COLUMN webhook_inbox.outcome IS 'what parsing led to: conversion, ignored, invalid, ...';
            """
    )
}
