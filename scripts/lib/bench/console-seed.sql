-- The console benchmark's ledger (scripts/bench, section "console"): `:rows` rows of
-- dispatch_attempts with the sales, clicks, matches, dead letters and webhooks around them,
-- generated in Postgres (generate_series), for tenant bench-console and pixel 900000000000001.
--   rows/2   clicks (touchpoints) and their PageView, sent
--   rows/10  approved Hotmart sales (buyer e-mail and phone hashed as the dispatch hashes them),
--            each matched to a click, each with a Purchase attempted twice (retry, then sent)
--   the rest Lead events, sent;  rows/500 dead letters;  rows/10 webhooks, one in ten ignored
-- Spread over the last 7 days, as a busy week of one seller. Run with: psql -v rows=1000000 -f …
\set ON_ERROR_STOP on
\set clicks (:rows / 2)
\set sales (:rows / 10)
\set leads (:rows - :rows / 2 - 2 * (:rows / 10))

INSERT INTO tenants (id, name) VALUES ('bench-console', 'Bench console') ON CONFLICT DO NOTHING;
INSERT INTO pixels (id, tenant_id, mode) VALUES ('900000000000001', 'bench-console', 'live') ON CONFLICT DO NOTHING;
INSERT INTO gateway_accounts (gateway, account, tenant_id) VALUES ('hotmart', 'bench', 'bench-console') ON CONFLICT DO NOTHING;

INSERT INTO touchpoints (envelope_id, tenant_id, kind, click_id, ip, user_agent, occurred_at)
SELECT 'benv-c' || i, 'bench-console', 'click', 'BCLK' || lpad(i::text, 10, '0'), '10.1.2.3', 'Mozilla/5.0 (bench)',
       now() - make_interval(secs => 604000.0 * (:clicks - i) / :clicks)
FROM generate_series(1, :clicks) i;

INSERT INTO conversions (gateway, account, transaction_id, status, tenant_id, value, currency, buyer, tracking, occurred_at, envelope_id)
SELECT 'hotmart', 'bench', 'HPB' || lpad(i::text, 10, '0'), 'approved', 'bench-console', 197.90, 'BRL',
       jsonb_build_object('em', jsonb_build_array(encode(sha256(convert_to('buyer' || i || '@example.com', 'UTF8')), 'hex')),
                          'ph', jsonb_build_array(encode(sha256(convert_to('55119' || lpad(i::text, 8, '0'), 'UTF8')), 'hex'))),
       jsonb_build_object('sck', 'BCLK' || lpad((i * 5)::text, 10, '0'), 'metadata', '{}'::jsonb),
       now() - make_interval(secs => 604000.0 * (:sales - i) / :sales), 'benv-s' || i
FROM generate_series(1, :sales) i;

INSERT INTO matches (conversion_id, touchpoint_id, method, score)
SELECT c.id, t.id, 'click_id', 1 FROM conversions c JOIN touchpoints t ON t.click_id = c.tracking ->> 'sck'
WHERE c.account = 'bench' AND c.gateway = 'hotmart';

INSERT INTO dispatch_attempts (event_id, event_name, pixel_id, envelope_id, attempt, http_status, fbtrace_id, latency_ms, outcome, payload, created_at)
SELECT 'BCLK' || lpad(i::text, 10, '0'), 'PageView', '900000000000001', 'benv-c' || i, 1, 200, 'BTRACE' || i, 40, 'sent',
       jsonb_build_object('event_name', 'PageView', 'event_id', 'BCLK' || lpad(i::text, 10, '0'), 'action_source', 'website',
                          'event_time', 1796000000 + i, 'user_data', jsonb_build_object('fbp', 'fb.1.1796000000000.' || i,
                          'client_ip_address', '10.1.2.3', 'client_user_agent', 'Mozilla/5.0 (bench)')),
       now() - make_interval(secs => 604000.0 * (:clicks - i) / :clicks)
FROM generate_series(1, :clicks) i;

INSERT INTO dispatch_attempts (event_id, event_name, pixel_id, envelope_id, conversion_id, attempt, http_status, meta_code, meta_message,
                               fbtrace_id, latency_ms, outcome, payload, created_at)
SELECT 'hotmart.' || c.transaction_id, 'Purchase', '900000000000001', c.envelope_id, c.id, a,
       CASE a WHEN 1 THEN 500 ELSE 200 END, CASE a WHEN 1 THEN 2 END, CASE a WHEN 1 THEN 'Service temporarily unavailable' END,
       'BTRACE' || c.id || '.' || a, 60, CASE a WHEN 1 THEN 'retry_scheduled' ELSE 'sent' END,
       jsonb_build_object('event_name', 'Purchase', 'event_id', 'hotmart.' || c.transaction_id, 'action_source', 'website',
                          'event_time', extract(epoch FROM c.occurred_at)::bigint,
                          'user_data', jsonb_build_object('em', c.buyer -> 'em', 'ph', c.buyer -> 'ph'),
                          'custom_data', jsonb_build_object('value', 197.9, 'currency', 'BRL', 'order_id', c.transaction_id)),
       c.occurred_at + make_interval(secs => a)
FROM conversions c CROSS JOIN generate_series(1, 2) a
WHERE c.account = 'bench' AND c.gateway = 'hotmart';

INSERT INTO dispatch_attempts (event_id, event_name, pixel_id, envelope_id, attempt, http_status, fbtrace_id, latency_ms, outcome, payload, created_at)
SELECT 'th.benv-l' || i, 'Lead', '900000000000001', 'benv-l' || i, 1, 200, 'BTRACE-L' || i, 40, 'sent',
       jsonb_build_object('event_name', 'Lead', 'event_id', 'th.benv-l' || i, 'action_source', 'website', 'event_time', 1796000000 + i),
       now() - make_interval(secs => 604000.0 * (:leads - i) / :leads)
FROM generate_series(1, :leads) i;

INSERT INTO dead_letters (envelope_id, reason, detail, event_id, pixel_id, created_at)
SELECT 'benv-d' || i, (ARRAY['retries_exhausted', 'invalid', 'expired'])[1 + i % 3], 'bench dead letter ' || i,
       'th.benv-d' || i, '900000000000001', now() - make_interval(secs => i * 60)
FROM generate_series(1, greatest(1, :rows / 500)) i;

INSERT INTO webhook_inbox (envelope_id, gateway, account, tenant_id, received_at, body_sealed, processed_at, outcome)
SELECT 'benv-s' || i, 'hotmart', 'bench', 'bench-console', now() - make_interval(secs => 604000.0 * (:sales - i) / :sales), 'v1.k1.YmVuY2g',
       now() - make_interval(secs => 604000.0 * (:sales - i) / :sales),
       CASE WHEN i % 10 = 0 THEN 'ignored: event type PURCHASE_DELAYED is not sent' ELSE 'conversion approved' END
FROM generate_series(1, :sales) i;

VACUUM ANALYZE touchpoints, conversions, matches, dispatch_attempts, dead_letters, webhook_inbox;
