-- The read API benchmark's tenant (scripts/bench, section "analytics"; issue 17: "p99 < 100 ms
-- for a 90-day query on a tenant with 10M touchpoints and 1M sales"), generated in Postgres
-- (generate_series) through the real write path: the rollup triggers of migrations 12 and 18
-- build analytics_hourly as each chunk is inserted, as dispatchd's COPYs would.
--   :touchpoints  touchpoints over the last 90 days: 60 % clicks on 40 tracking links with
--                 UTMs (4 sources, 30 campaigns, 120 ads), 25 % page views, 10 % leads,
--                 5 % checkouts, each with its click's UTMs
--   :sales        Hotmart/Kiwify sales over the same 90 days (90 % approved, 5 % refunded,
--                 2 % chargeback, 3 % pending; 8 products), 80 % matched to a click, each
--                 approved one with its Purchase `sent` in the ledger
-- Inserted in chunks of :chunk rows (one statement each, so each trigger sees one chunk; the
-- rollups end the same whatever the chunk, and the VACUUM at the end clears their updates).
-- Run with: psql -v touchpoints=10000000 -v sales=1000000 -v chunk=100000 -f …
\set ON_ERROR_STOP on
INSERT INTO tenants (id, name) VALUES ('bench-analytics', 'Bench analytics') ON CONFLICT DO NOTHING;
INSERT INTO pixels (id, tenant_id, mode) VALUES ('900000000000002', 'bench-analytics', 'live') ON CONFLICT DO NOTHING;
INSERT INTO gateway_accounts (gateway, account, tenant_id) VALUES ('hotmart', 'bench-a', 'bench-analytics'), ('kiwify', 'bench-a', 'bench-analytics')
    ON CONFLICT DO NOTHING;

SELECT set_config('bench.touchpoints', :'touchpoints', false), set_config('bench.sales', :'sales', false),
       set_config('bench.chunk', :'chunk', false);

DO $$
DECLARE
    n bigint := current_setting('bench.touchpoints')::bigint;
    chunk bigint := current_setting('bench.chunk')::bigint;
    lo bigint := 1;
BEGIN
    WHILE lo <= n LOOP
        INSERT INTO touchpoints (envelope_id, tenant_id, kind, click_id, ip, user_agent, link_slug, utm, occurred_at)
        SELECT 'baenv-t' || i, 'bench-analytics',
               CASE WHEN i % 20 < 12 THEN 'click' WHEN i % 20 < 17 THEN 'pageview' WHEN i % 20 < 19 THEN 'lead' ELSE 'initiate_checkout' END,
               'BACLK' || lpad(i::text, 10, '0'), '10.2.3.4', 'Mozilla/5.0 (bench)',
               CASE WHEN i % 20 < 12 THEN 'link-' || (i % 40) END,
               jsonb_build_object('utm_source', (ARRAY['ig', 'fb', 'an', 'msg'])[1 + i % 4], 'utm_medium', 'paid',
                                  'utm_campaign', '1200000000' || (i % 30), 'utm_content', '1300000000' || (i % 120)),
               now() - make_interval(secs => 7776000.0 * (n - i) / n)
        FROM generate_series(lo, least(n, lo + chunk - 1)) i;
        lo := lo + chunk;
    END LOOP;
END
$$;
ANALYZE touchpoints;

DO $$
DECLARE
    n bigint := current_setting('bench.sales')::bigint;
    t bigint := current_setting('bench.touchpoints')::bigint;
    chunk bigint := current_setting('bench.chunk')::bigint;
    lo bigint := 1;
BEGIN
    WHILE lo <= n LOOP
        INSERT INTO conversions (gateway, account, transaction_id, status, tenant_id, value, currency, product_ids, tracking, occurred_at, envelope_id)
        SELECT (ARRAY['hotmart', 'kiwify'])[1 + i % 2], 'bench-a', 'BAT' || lpad(i::text, 10, '0'),
               CASE WHEN i % 100 < 90 THEN 'approved' WHEN i % 100 < 95 THEN 'refunded' WHEN i % 100 < 97 THEN 'chargeback' ELSE 'pending' END,
               'bench-analytics', 97.00 + (i % 5) * 50, 'BRL', ARRAY['PROD' || (i % 8)],
               jsonb_build_object('sck', 'BACLK' || lpad(((i * 7) % t + 1)::text, 10, '0')),
               now() - make_interval(secs => 7776000.0 * (n - i) / n), 'baenv-s' || i
        FROM generate_series(lo, least(n, lo + chunk - 1)) i;
        -- 80 % matched to the click their sck names (when that touchpoint is a click).
        INSERT INTO matches (conversion_id, touchpoint_id, method, score)
        SELECT c.id, tp.id, 'click_id', 1
        FROM generate_series(lo, least(n, lo + chunk - 1)) i
        JOIN conversions c ON c.transaction_id = 'BAT' || lpad(i::text, 10, '0')
        JOIN touchpoints tp ON tp.click_id = 'BACLK' || lpad(((i * 7) % t + 1)::text, 10, '0') AND tp.kind = 'click'
        WHERE i % 5 <> 0;
        INSERT INTO dispatch_attempts (event_id, event_name, pixel_id, envelope_id, conversion_id, attempt, http_status, outcome, created_at)
        SELECT c.gateway || '.' || c.transaction_id, 'Purchase', '900000000000002', c.envelope_id, c.id, 1, 200, 'sent', c.occurred_at
        FROM generate_series(lo, least(n, lo + chunk - 1)) i
        JOIN conversions c ON c.transaction_id = 'BAT' || lpad(i::text, 10, '0')
        WHERE c.status = 'approved';
        -- Statistics as autovacuum would keep them (it cannot see this transaction's rows).
        IF (lo - 1) / chunk % 10 = 0 THEN ANALYZE conversions, matches, dispatch_attempts; END IF;
        lo := lo + chunk;
    END LOOP;
END
$$;

VACUUM ANALYZE analytics_hourly, analytics_daily, analytics_hourly_totals;
