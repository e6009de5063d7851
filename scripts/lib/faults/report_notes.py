"""The parts of docs/RELIABILITY.md that no run of the suite measures: counts from integration
tests that check the same promises at a finer grain, and findings still open. Kept here so a
full run, which rewrites the page, keeps them; edit them here, not in the page."""

INTEGRATION_TESTS = [
    "### Hostile traffic and poison (issue 14): integration tests", "",
    "Scenarios 10-13 and the URL canary of scenario 9 check issue 14 end to end in this suite. These integration",
    "tests (real processes, the fake Meta; scripts/test, debug build, 2026-12-06) check the same promises at a finer",
    "grain, where a scenario cannot see inside a batch:", "",
    "| Test | Accepted | Delivered | Dead-lettered | Lost | Duplicated |",
    "|---|---|---|---|---|---|",
    "| one value Postgres refuses in the ledger row of a 500-click batch, after Meta accepted it (`DispatchPoisonIsolationTests`) | 500 | 500 in 1 request; 499 recorded `sent` | 1 `unrecordable` | 0 | 0 |",
    "| the same, refused in the touchpoint, before any send | 500 | 499, in 9 requests (halving) | 1 `unparseable` | 0 | 0 |",
    "| NUL in `utm_*`, a Hotmart `sck`, a webhook's query, envelopes already in a stream (`SalesNULTests`) | all | all (NUL stored as U+FFFD) | 0 | 0 | 0 |",
    "| a canary e-mail/phone/token in Referer, `page_url`, `referrer`, a webhook query (`SalesURLPrivacyTests`) | 3 | 3; the canary in no table, stream or event | 0 | 0 | 0 |",
    "| a 40-request flood from one address, limiter at 5/s (`IngestRateLimitTests`) | 11 (+ 5 of 5 from another address) | — | — | 0 (29 answered 429, nothing stored) | — |",
    "| a silent connection and a slowloris head, idle timeout 1 s (`IngestTimeoutTests`) | — | — | — | — | closed after 1.00 s and 1.04 s |",
    "| Redis down, spool capped at 64 KiB, a click flood (`IngestBackpressureTests`) | 78 | 78 (spool file 65,422 B at most) | 0 | 0 (20 answered 503 `overloaded` + `Retry-After`, nothing stored) | 0 |",
    "| Redis memory over the watermark (`IngestBackpressureTests`) | — | — | — | 0 (503 `overloaded`, `/readyz` 503; accepted again once Redis had room) | — |",
    "",
    "Scenario 4 before the fast fallback (issue 14 item 9), full run of 2026-12-05: ingest p99 during the freeze",
    "257 ms, when ingestd waited 2 s for a hung Redis and 250 ms per reconnect probe (now",
    "`TRACKHUB_INGEST_REDIS_TIMEOUT_MS`, 50 ms). Row 4 of the table at the top has the current figure.", "",
]

OPEN_FINDINGS = [
    "## Found, not fixed", "",
    "- **Synchronized slowloris waves delay a few answers** (scenario 13, debug binaries, 2026-12-06): when all",
    "  200 connections were opened at the same instant, their header bytes (every 1.5 s) and their idle-timeout",
    "  closes and reconnects (every 4 s) arrived in waves of 200, and a few normal answers around each wave took",
    "  40-135 ms: p99 during/baseline 134.7/18.0, 67.0/21.3, 61.2/20.0 and 43.4/21.8 ms in four CI-length runs",
    "  (p50 unchanged, 5-7 ms). The scenario now opens the connections over 2 s, as attack tools do, each on its",
    "  own clock. Even so, on this shared 2-core host the comparison is at the mercy of other work: in the run",
    "  before this one (load average 10.9 at the end) p99 was 275.6 ms against a baseline of 108.5 ms (p50 23.7",
    "  against 8.7); alone right after, with the machine as busy (100 % in both windows), 57.7 against 76.7 ms. 200 slow",
    "  connections cost the debug-build ingestd about 10 points of one core (13 % -> 23 %). Not measured with",
    "  release binaries. The idle timeout itself held in every run (no slow connection lived past 4.7 s).",
    "- **Events parked after their pixel was resumed** (scenario 6d, this run and the one before it, and once more",
    "  with the suite as it was before scenarios 10-13: 1, 1 and 3 events lost, left in the parked set). After",
    "  `dispatchd apply` of the new token, a worker still sending with the old one (its config refresh not yet",
    "  done) gets 190 again and parks that batch's events; a resume that ran before those parks landed does not",
    "  see them, and nothing reschedules them: they wait for an apply that has already happened. In the run before:",
    "  w1 loaded the new config and resumed the pixel at 34.705 s, w3 (new config only at 35.030 s) parked at",
    "  34.914 s, w2 resumed at 35.238 s, one event stayed parked. A worker that gets 190 for a token that is no",
    "  longer the configured one should reschedule, not park. Open; the scenario passed in the 2026-12-05 run.", "",
]

PRIVACY_ERASURE = [
    "### Privacy erasure canary (issue 18): an integration test, not a fault-suite scenario", "",
    "`PrivacyErasure` (Tests/IntegrationTests/Privacy): one person's e-mail, phone, CPF and name planted",
    "through a click, `/track` (lead with user data and the CPF as external id), webhooks of Hotmart,",
    "Kiwify, Eduzz, Monetizze and Stripe, a dead letter and a parked event; a second person the same way",
    "(click, lead, Hotmart, dead letter, parked). With the worker stopped, one more lead of the canary",
    "waits in the stream; `dispatchd privacy erase` waits for it (no request recorded 2 s later), the",
    "worker restarts, and the erasure found and anonymised 3",
    "touchpoints, 5 sales, 5 stored webhooks, 8 ledger rows (7 + the late lead), 1 dead letter and 1 parked event. Then a full",
    "`pg_dump` (67 kB), every Redis key (17 kB of values) and the AOF (19 kB, rewritten by the erasure)",
    "were searched for 6 clear forms (e-mail, phone national and with 55, CPF, first and last name) and",
    "6 hashes (em, both ph forms, fn, ln, external_id): **0 found**; the other person's hashes are still",
    "there; row counts of every table and the sum of sale values are unchanged; the audit row holds counts",
    "only. Not covered yet: the spool during a Redis outage.", "",
]
