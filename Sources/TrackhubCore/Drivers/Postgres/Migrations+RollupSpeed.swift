extension Migrations {
    /// Version 18: the rollup triggers (version 12) at the ledger's pace. `scripts/bench`
    /// (BENCH_PG_STATS=1: pg_stat_statements and auto_explain) found two costs in them:
    ///
    /// - A sale's ledger rows were joined to its keys one key at a time. When the planner's
    ///   statistics called the sales' part of the ledger empty (right after an ANALYZE with no
    ///   sale yet: a new install, a new partition), each key scanned that whole part of the
    ///   conversion index — 500 keys × 15,000 entries per 500-sale batch, up to 10 s a
    ///   statement. The rows are now read once for the batch (`conversion_id = ANY(…)`) and
    ///   joined to the keys afterwards: a plan that cannot go quadratic.
    /// - Every request writes its events `in_flight` before it is POSTed and their outcome after
    ///   (version 15), and both passed through the triggers. `attempt:in_flight` only ever grew
    ///   (every attempt is in flight once) and nothing reads it, so `in_flight` rows count
    ///   under no metric now, in the triggers and the backfill alike, and the rows already
    ///   counted are removed.
    ///
    /// - "The first `sent` of an event" looks for an earlier `sent` row of the same event id.
    ///   With the same stale statistics the planner ANDed the event id index with the pixel's
    ///   (`pixel_id, created_at`) index, reading every attempt of the pixel for each row:
    ///   quadratic in the ledger. `e.pixel_id || ''` keeps the pixel's index out of that look-up
    ///   (the event id index alone finds the one or two rows of an event).
    ///
    /// `analytics_hour` is declared `STABLE` (what the three-argument `date_trunc` in it is),
    /// so Postgres inlines it instead of calling it once per fact.
    public static let rollupSpeed = Migration(
        version: 18,
        name: "rollup_speed",
        sql: """
            CREATE OR REPLACE FUNCTION analytics_hour(at timestamptz) RETURNS timestamptz
                LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT date_trunc('hour', at, 'UTC') $$;

            CREATE OR REPLACE FUNCTION analytics_attempt_metrics(attempt_id bigint, outcome text, event_name text, event_id text, pixel_id text)
            RETURNS SETOF text LANGUAGE sql STABLE AS $$
                SELECT 'attempt:' || outcome WHERE outcome <> 'in_flight'
                UNION ALL
                SELECT 'sent:' || event_name WHERE outcome = 'sent' AND NOT EXISTS (
                    SELECT 1 FROM dispatch_attempts e
                    WHERE e.event_id = analytics_attempt_metrics.event_id AND e.pixel_id || '' = analytics_attempt_metrics.pixel_id
                      AND e.event_name = analytics_attempt_metrics.event_name AND e.outcome = 'sent' AND e.id < attempt_id)
            $$;

            CREATE OR REPLACE FUNCTION analytics_sale_facts(conv_ids bigint[], tp_ids bigint[], methods text[], signs integer[])
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
                ), ledger AS MATERIALIZED (
                    SELECT d.conversion_id, d.created_at, f.metric
                    FROM dispatch_attempts d
                    CROSS JOIN LATERAL analytics_attempt_metrics(d.id, d.outcome, d.event_name, d.event_id, d.pixel_id) AS f(metric)
                    WHERE d.conversion_id = ANY(conv_ids)
                )
                SELECT tenant_id, analytics_hour(occurred_at), 'sale:' || status, link, s, m, ca, co, gateway, product, currency,
                       sign::bigint, sign * value
                FROM k
                UNION ALL
                SELECT tenant_id, analytics_hour(occurred_at), 'match:' || method, link, s, m, ca, co, gateway, product, '', sign::bigint, 0
                FROM k WHERE method IS NOT NULL
                UNION ALL
                SELECT k.tenant_id, analytics_hour(l.created_at), l.metric, link, s, m, ca, co, gateway, product, '', sign::bigint, 0
                FROM ledger l JOIN k ON k.conv_id = l.conversion_id
            $$;

            CREATE OR REPLACE FUNCTION analytics_on_attempts() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM analytics_apply(ARRAY(
                    SELECT f FROM analytics_attempt_facts(ARRAY(SELECT id FROM new_rows WHERE conversion_id IS NULL AND outcome <> 'in_flight')) AS f
                    UNION ALL
                    SELECT f FROM analytics_sale_attempt_facts(ARRAY(SELECT id FROM new_rows WHERE conversion_id IS NOT NULL AND outcome <> 'in_flight')) AS f));
                RETURN NULL;
            END
            $$;

            DELETE FROM analytics_hourly WHERE metric = 'attempt:in_flight';
            """
    )
}
