extension Migrations {
    /// Version 12: hourly analytics rollups (docs/ANALYTICS.md), kept current by the database
    /// in the same transaction — and the same COPY or INSERT statement — that records each fact.
    ///
    /// `analytics_hourly` is one row per tenant × UTC hour × link × utm source/medium/campaign/
    /// content × gateway × product × metric × currency, holding a count `n` and an exact
    /// `amount` (numeric, never a float). Metrics are a small closed vocabulary (`clicks`,
    /// `page:<kind>`, `sale:<status>`, `match:<method>`, `attempt:<outcome>`,
    /// `sent:<event name>`), read by ``RollupMetric`` in Swift.
    ///
    /// Statement-level `AFTER INSERT` triggers with transition tables add one grouped,
    /// key-ordered `INSERT … ON CONFLICT DO UPDATE` of additive deltas per statement, so several
    /// dispatchd instances can record at once. Only rows really inserted are in a transition
    /// table, so a redelivered envelope (a COPY that fell back to `ON CONFLICT DO NOTHING`, a
    /// conversion upsert that found its row) adds nothing. A sale is attributed to the link and
    /// UTMs of its matched click (else to the UTMs the gateway carried back); when a match is
    /// made or replaced (a late click), the sale's facts — the sale, its match method and its
    /// ledger rows — move from the old attribution to the new one.
    ///
    /// `analytics_facts(tenant, from, to)` computes the same rows from the raw tables:
    /// `dispatchd analytics backfill` rebuilds the rollups with it, and the tests compare both.
    /// Rows of raw tables deleted later (retention, erasure) stay counted in the rollups.
    ///
    /// Also the read API's keys (`api_keys`, hashed at rest) and the ad spend imported from
    /// Meta's insights API (`ad_accounts`, `ad_spend`).
    public static let analytics = Migration(
        version: 12,
        name: "analytics_rollups",
        sql: """
            ALTER TABLE touchpoints ADD COLUMN link_slug text;
            COMMENT ON COLUMN touchpoints.link_slug IS 'the tracking link of a click (its slug); NULL for page events';

            CREATE TABLE analytics_hourly (
                tenant_id    text NOT NULL,
                hour         timestamptz NOT NULL,
                metric       text NOT NULL,
                link         text NOT NULL DEFAULT '',
                utm_source   text NOT NULL DEFAULT '',
                utm_medium   text NOT NULL DEFAULT '',
                utm_campaign text NOT NULL DEFAULT '',
                utm_content  text NOT NULL DEFAULT '',
                gateway      text NOT NULL DEFAULT '',
                product      text NOT NULL DEFAULT '',
                currency     text NOT NULL DEFAULT '',
                n            bigint NOT NULL DEFAULT 0,
                amount       numeric NOT NULL DEFAULT 0,
                PRIMARY KEY (tenant_id, hour, metric, link, utm_source, utm_medium, utm_campaign, utm_content, gateway, product, currency)
            );
            COMMENT ON TABLE analytics_hourly IS 'hourly rollups kept by triggers as facts are recorded; rebuilt by dispatchd analytics backfill';
            COMMENT ON COLUMN analytics_hourly.metric IS 'clicks, page:<kind>, sale:<status>, match:<method>, attempt:<outcome>, sent:<event name>';
            COMMENT ON COLUMN analytics_hourly.amount IS 'exact sum of sale values in currency (sale:* metrics only)';

            -- One fact = one key and its deltas.
            CREATE TYPE analytics_fact AS (
                tenant_id text, hour timestamptz, metric text, link text, utm_source text, utm_medium text,
                utm_campaign text, utm_content text, gateway text, product text, currency text, n bigint, amount numeric
            );

            CREATE FUNCTION analytics_hour(at timestamptz) RETURNS timestamptz
                LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_trunc('hour', at, 'UTC') $$;

            -- Adds facts (grouped, in key order so concurrent writers lock rows in one order).
            CREATE FUNCTION analytics_apply(facts analytics_fact[]) RETURNS void LANGUAGE sql AS $$
                INSERT INTO analytics_hourly AS a (tenant_id, hour, metric, link, utm_source, utm_medium, utm_campaign, utm_content,
                                                   gateway, product, currency, n, amount)
                SELECT f.tenant_id, f.hour, f.metric, f.link, f.utm_source, f.utm_medium, f.utm_campaign, f.utm_content,
                       f.gateway, f.product, f.currency, sum(f.n), sum(f.amount)
                FROM unnest(facts) AS f
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
                ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
                ON CONFLICT (tenant_id, hour, metric, link, utm_source, utm_medium, utm_campaign, utm_content, gateway, product, currency)
                DO UPDATE SET n = a.n + EXCLUDED.n, amount = a.amount + EXCLUDED.amount
            $$;

            -- A sale's UTM `name` (source, medium, campaign, content): its click's when the matched
            -- touchpoint is a click (it has a link), else what the gateway carried back.
            CREATE FUNCTION analytics_sale_utm(link_slug text, utm jsonb, tracking jsonb, name text) RETURNS text
                LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                SELECT coalesce(CASE WHEN link_slug IS NOT NULL THEN utm ->> ('utm_' || name)
                                     ELSE tracking ->> ('utm' || initcap(name)) END, '')
            $$;

            -- What one ledger row counts: the attempt by outcome, and the first `sent` of its event.
            CREATE FUNCTION analytics_attempt_metrics(attempt_id bigint, outcome text, event_name text, event_id text, pixel_id text)
            RETURNS SETOF text LANGUAGE sql STABLE AS $$
                SELECT 'attempt:' || outcome
                UNION ALL
                SELECT 'sent:' || event_name WHERE outcome = 'sent' AND NOT EXISTS (
                    SELECT 1 FROM dispatch_attempts e
                    WHERE e.event_id = analytics_attempt_metrics.event_id AND e.pixel_id = analytics_attempt_metrics.pixel_id
                      AND e.event_name = analytics_attempt_metrics.event_name AND e.outcome = 'sent' AND e.id < attempt_id)
            $$;

            -- A click or page event: its own link and UTMs.
            CREATE FUNCTION analytics_touchpoint_facts(ids bigint[]) RETURNS SETOF analytics_fact LANGUAGE sql STABLE AS $$
                SELECT t.tenant_id, analytics_hour(t.occurred_at),
                       CASE WHEN t.kind = 'click' THEN 'clicks' ELSE 'page:' || t.kind END,
                       coalesce(t.link_slug, ''), coalesce(t.utm ->> 'utm_source', ''), coalesce(t.utm ->> 'utm_medium', ''),
                       coalesce(t.utm ->> 'utm_campaign', ''), coalesce(t.utm ->> 'utm_content', ''), '', '', '', 1::bigint, 0::numeric
                FROM touchpoints t WHERE t.id = ANY(ids)
            $$;

            -- Everything a sale contributes under a given attribution (its matched touchpoint and
            -- method, or none), times sign: the sale (count and value), the match method, and the
            -- ledger rows of its events (every attempt by outcome; the first `sent` of an event).
            CREATE FUNCTION analytics_sale_facts(conv_ids bigint[], tp_ids bigint[], methods text[], signs integer[])
            RETURNS SETOF analytics_fact LANGUAGE sql STABLE AS $$
                WITH k AS (
                    SELECT x.conv_id, x.method, x.sign, c.tenant_id, c.gateway, coalesce(c.product_ids[1], '') AS product,
                           c.status, coalesce(c.value, 0) AS value, coalesce(c.currency, '') AS currency, c.occurred_at,
                           coalesce(t.link_slug, '') AS link,
                           analytics_sale_utm(t.link_slug, t.utm, c.tracking, 'source') AS s,
                           analytics_sale_utm(t.link_slug, t.utm, c.tracking, 'medium') AS m,
                           analytics_sale_utm(t.link_slug, t.utm, c.tracking, 'campaign') AS ca,
                           analytics_sale_utm(t.link_slug, t.utm, c.tracking, 'content') AS co
                    FROM unnest(conv_ids, tp_ids, methods, signs) AS x(conv_id, tp_id, method, sign)
                    JOIN conversions c ON c.id = x.conv_id
                    LEFT JOIN touchpoints t ON t.id = x.tp_id
                )
                SELECT tenant_id, analytics_hour(occurred_at), 'sale:' || status, link, s, m, ca, co, gateway, product, currency,
                       sign::bigint, sign * value
                FROM k
                UNION ALL
                SELECT tenant_id, analytics_hour(occurred_at), 'match:' || method, link, s, m, ca, co, gateway, product, '', sign::bigint, 0
                FROM k WHERE method IS NOT NULL
                UNION ALL
                SELECT k.tenant_id, analytics_hour(d.created_at), f.metric, link, s, m, ca, co, gateway, product, '', sign::bigint, 0
                FROM k JOIN dispatch_attempts d ON d.conversion_id = k.conv_id
                CROSS JOIN LATERAL analytics_attempt_metrics(d.id, d.outcome, d.event_name, d.event_id, d.pixel_id) AS f(metric)
            $$;

            -- Ledger rows of events that are not sales: keyed by the touchpoint of their envelope
            -- (else only by the pixel's tenant).
            CREATE FUNCTION analytics_attempt_facts(ids bigint[]) RETURNS SETOF analytics_fact LANGUAGE sql STABLE AS $$
                SELECT coalesce(t.tenant_id, p.tenant_id, ''), analytics_hour(d.created_at), f.metric,
                       coalesce(t.link_slug, ''), coalesce(t.utm ->> 'utm_source', ''), coalesce(t.utm ->> 'utm_medium', ''),
                       coalesce(t.utm ->> 'utm_campaign', ''), coalesce(t.utm ->> 'utm_content', ''), '', '', '', 1::bigint, 0::numeric
                FROM dispatch_attempts d
                LEFT JOIN touchpoints t ON t.envelope_id = d.envelope_id
                LEFT JOIN pixels p ON p.id = d.pixel_id
                CROSS JOIN LATERAL analytics_attempt_metrics(d.id, d.outcome, d.event_name, d.event_id, d.pixel_id) AS f(metric)
                WHERE d.id = ANY(ids) AND d.conversion_id IS NULL
            $$;

            -- Ledger rows of sales, attributed by the sale's current match.
            CREATE FUNCTION analytics_sale_attempt_facts(ids bigint[]) RETURNS SETOF analytics_fact LANGUAGE sql STABLE AS $$
                SELECT c.tenant_id, analytics_hour(d.created_at), f.metric,
                       coalesce(t.link_slug, ''),
                       analytics_sale_utm(t.link_slug, t.utm, c.tracking, 'source'),
                       analytics_sale_utm(t.link_slug, t.utm, c.tracking, 'medium'),
                       analytics_sale_utm(t.link_slug, t.utm, c.tracking, 'campaign'),
                       analytics_sale_utm(t.link_slug, t.utm, c.tracking, 'content'),
                       c.gateway, coalesce(c.product_ids[1], ''), '', 1::bigint, 0::numeric
                FROM dispatch_attempts d
                JOIN conversions c ON c.id = d.conversion_id
                LEFT JOIN matches mt ON mt.conversion_id = c.id
                LEFT JOIN touchpoints t ON t.id = mt.touchpoint_id
                CROSS JOIN LATERAL analytics_attempt_metrics(d.id, d.outcome, d.event_name, d.event_id, d.pixel_id) AS f(metric)
                WHERE d.id = ANY(ids)
            $$;

            -- Ledger rows whose conversion is gone (erased) count under no key; like the backfill.

            CREATE FUNCTION analytics_on_touchpoints() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM analytics_apply(ARRAY(SELECT f FROM analytics_touchpoint_facts(ARRAY(SELECT id FROM new_rows)) AS f));
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER analytics_touchpoints AFTER INSERT ON touchpoints
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_touchpoints();

            CREATE FUNCTION analytics_on_conversions() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM analytics_apply(ARRAY(
                    SELECT f FROM analytics_sale_facts(
                        ARRAY(SELECT n.id FROM new_rows n ORDER BY n.id),
                        ARRAY(SELECT m.touchpoint_id FROM new_rows n LEFT JOIN matches m ON m.conversion_id = n.id ORDER BY n.id),
                        ARRAY(SELECT m.method FROM new_rows n LEFT JOIN matches m ON m.conversion_id = n.id ORDER BY n.id),
                        ARRAY(SELECT 1 FROM new_rows n ORDER BY n.id)) AS f));
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER analytics_conversions AFTER INSERT ON conversions
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_conversions();

            -- A new match moves the sale from "no match" to its touchpoint.
            CREATE FUNCTION analytics_on_matches_insert() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM analytics_apply(ARRAY(
                    SELECT f FROM analytics_sale_facts(
                        ARRAY(SELECT n.conversion_id FROM new_rows n UNION ALL SELECT n.conversion_id FROM new_rows n),
                        ARRAY(SELECT NULL::bigint FROM new_rows n UNION ALL SELECT n.touchpoint_id FROM new_rows n),
                        ARRAY(SELECT NULL::text FROM new_rows n UNION ALL SELECT n.method FROM new_rows n),
                        ARRAY(SELECT -1 FROM new_rows n UNION ALL SELECT 1 FROM new_rows n)) AS f));
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER analytics_matches_insert AFTER INSERT ON matches
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_matches_insert();

            -- A replaced match (a late click that scores higher) moves the sale again.
            CREATE FUNCTION analytics_on_matches_update() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM analytics_apply(ARRAY(
                    SELECT f FROM analytics_sale_facts(
                        ARRAY(SELECT o.conversion_id FROM old_rows o UNION ALL SELECT n.conversion_id FROM new_rows n),
                        ARRAY(SELECT o.touchpoint_id FROM old_rows o UNION ALL SELECT n.touchpoint_id FROM new_rows n),
                        ARRAY(SELECT o.method FROM old_rows o UNION ALL SELECT n.method FROM new_rows n),
                        ARRAY(SELECT -1 FROM old_rows o UNION ALL SELECT 1 FROM new_rows n)) AS f));
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER analytics_matches_update AFTER UPDATE ON matches
                REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_matches_update();

            CREATE FUNCTION analytics_on_attempts() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM analytics_apply(ARRAY(
                    SELECT f FROM analytics_attempt_facts(ARRAY(SELECT id FROM new_rows WHERE conversion_id IS NULL)) AS f
                    UNION ALL
                    SELECT f FROM analytics_sale_attempt_facts(ARRAY(SELECT id FROM new_rows WHERE conversion_id IS NOT NULL)) AS f));
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER analytics_attempts AFTER INSERT ON dispatch_attempts
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_attempts();

            -- The read API's keys (`/api/v1/…`): one tenant each, stored as the SHA-256 hex of the
            -- random key (the key itself is shown once, at creation), revocable.
            CREATE TABLE api_keys (
                id           bigserial PRIMARY KEY,
                tenant_id    text NOT NULL,
                name         text NOT NULL DEFAULT '',
                key_hash     text NOT NULL UNIQUE,
                key_prefix   text NOT NULL,
                created_by   bigint REFERENCES console_users (id) ON DELETE SET NULL,
                created_at   timestamptz NOT NULL DEFAULT now(),
                last_used_at timestamptz,
                revoked_at   timestamptz
            );
            CREATE INDEX api_keys_tenant_id_idx ON api_keys (tenant_id);
            COMMENT ON COLUMN api_keys.key_hash IS 'SHA-256 hex of the key; the key itself is never stored';
            COMMENT ON COLUMN api_keys.key_prefix IS 'the first characters of the key, to tell keys apart in lists';

            -- Ad spend read from Meta's insights API (read-only), per ad account, day and object
            -- (campaign, ad set or ad), in the ad account's currency; re-fetched days replace
            -- their rows.
            CREATE TABLE ad_accounts (
                tenant_id            text NOT NULL,
                id                   text NOT NULL CHECK (id ~ '^act_[0-9]+$'),
                token_ciphertext     text,
                token_key_id         text,
                enabled              boolean NOT NULL DEFAULT true,
                last_synced_at       timestamptz,
                last_error           text,
                created_at           timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (tenant_id, id),
                CHECK ((token_ciphertext IS NULL) = (token_key_id IS NULL))
            );
            COMMENT ON COLUMN ad_accounts.token_ciphertext IS 'AES-GCM sealed token with ads_read (context ad_account.token); NULL: the default pixel''s token';
            CREATE TABLE ad_spend (
                tenant_id     text NOT NULL,
                ad_account    text NOT NULL,
                day           date NOT NULL,
                level         text NOT NULL CHECK (level IN ('campaign', 'adset', 'ad')),
                object_id     text NOT NULL,
                campaign_id   text NOT NULL DEFAULT '',
                campaign_name text NOT NULL DEFAULT '',
                adset_id      text NOT NULL DEFAULT '',
                adset_name    text NOT NULL DEFAULT '',
                ad_id         text NOT NULL DEFAULT '',
                ad_name       text NOT NULL DEFAULT '',
                currency      text NOT NULL,
                spend         numeric NOT NULL,
                impressions   bigint NOT NULL DEFAULT 0,
                clicks        bigint NOT NULL DEFAULT 0,
                fetched_at    timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (tenant_id, day, level, ad_account, object_id)
            );
            COMMENT ON TABLE ad_spend IS 'Meta insights (spend, impressions, clicks) per day and object; ROAS joins it to the rollups by utm_campaign / utm_content = campaign / ad id';

            -- The same facts from the raw tables, for one tenant and a range of hours [from, to).
            CREATE FUNCTION analytics_facts(tenant text, from_hour timestamptz, to_hour timestamptz)
            RETURNS SETOF analytics_fact LANGUAGE sql STABLE AS $$
                SELECT * FROM (
                    SELECT * FROM analytics_touchpoint_facts(ARRAY(SELECT id FROM touchpoints WHERE tenant_id = tenant))
                    UNION ALL
                    SELECT * FROM analytics_sale_facts(
                        ARRAY(SELECT c.id FROM conversions c WHERE c.tenant_id = tenant ORDER BY c.id),
                        ARRAY(SELECT m.touchpoint_id FROM conversions c LEFT JOIN matches m ON m.conversion_id = c.id
                              WHERE c.tenant_id = tenant ORDER BY c.id),
                        ARRAY(SELECT m.method FROM conversions c LEFT JOIN matches m ON m.conversion_id = c.id
                              WHERE c.tenant_id = tenant ORDER BY c.id),
                        ARRAY(SELECT 1 FROM conversions c WHERE c.tenant_id = tenant ORDER BY c.id))
                    UNION ALL
                    SELECT * FROM analytics_attempt_facts(ARRAY(
                        SELECT d.id FROM dispatch_attempts d
                        LEFT JOIN touchpoints t ON t.envelope_id = d.envelope_id
                        LEFT JOIN pixels p ON p.id = d.pixel_id
                        WHERE d.conversion_id IS NULL AND coalesce(t.tenant_id, p.tenant_id, '') = tenant))
                ) AS f
                WHERE f.hour >= from_hour AND f.hour < to_hour
            $$;
            """
    )
}
