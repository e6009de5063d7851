#!/usr/bin/env python3
"""Renders docs/PERFORMANCE.md from the JSON results of one scripts/bench run.

usage: report.py RESULTS_DIR NOTES_MD > docs/PERFORMANCE.md

Every figure comes from RESULTS_DIR (written by scripts/bench in the same run); NOTES_MD is
the hand-written analysis (what was changed, where the limits are) appended verbatim.
"""
import json
import os
import sys

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def ms(us):
    return f"{us / 1000:.2f}"


def pct(part, whole):
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def core_pct(ticks, seconds):
    """CPU time as a percentage of one core (100% = one core busy the whole time)."""
    return f"{100 * ticks / TICKS_PER_SECOND / seconds:.0f}%" if seconds else "n/a"


def mark(ok):
    return "**met**" if ok else "**missed**"


def main():
    res, notes = sys.argv[1], sys.argv[2]
    meta = json.load(open(os.path.join(res, "meta.json")))
    ingest = lines(os.path.join(res, "ingest.jsonl"))
    redis = lines(os.path.join(res, "redis.jsonl"))
    dispatch = lines(os.path.join(res, "dispatch.jsonl"))
    micro = lines(os.path.join(res, "micro.jsonl"))
    console = lines(os.path.join(res, "console.jsonl"))
    analytics = lines(os.path.join(res, "analytics.jsonl"))
    s = meta.get("settings", {})
    out = []
    w = out.append

    w("# Performance\n")
    w(f"Produced by `scripts/bench` on {meta['date']} (commit {meta['commit']}). This file is its output; "
      "rerun it to refresh every figure.\n")
    w(f"- Machine: {meta['cores']} cores ({meta['cpu']}), {meta['memory_mib']} MiB, {meta['os']}, kernel {meta['kernel']}; "
      f"{meta['swift']}; Redis {meta['redis']}, PostgreSQL {meta['postgres']}, wrk {meta['wrk']}.")
    w(f"- Load average at start {meta['loadavg_start']} ({meta['compilers_start']} swift-frontend running), "
      f"at end {meta['loadavg_end']} ({meta['compilers_end']} running). The machine is shared: other work lowers "
      "every row alike, so compare the ratios to the ceilings measured in the same run.")
    total = float(meta.get('total_seconds', 0))
    scratch = meta.get('build_from_scratch') in (True, 'true')
    w(f"- Whole run {total / 60:.1f} min ({total:.0f} s): dependency check {float(meta.get('deps_seconds', 0)):.0f} s, "
      f"release build {float(meta.get('build_seconds', 0)):.0f} s ({'from scratch, as on a fresh clone' if scratch else 'incremental'}), "
      f"measurements {float(meta.get('run_seconds', 0)):.0f} s.")
    w(f"- Loopback only. Redis with AOF (`appendonly yes`), Postgres with `fsync=on`; ingestd and dispatchd at their default "
      "log level (`info`), writing to a file.")
    w(f"- Command: `scripts/bench` with BENCH_SECONDS={s.get('seconds')} BENCH_CONNS=\"{s.get('conns')}\" "
      f"BENCH_CLICKS={s.get('clicks')} BENCH_PAGEVIEWS={s.get('pageviews')} BENCH_LEADS={s.get('leads')} "
      f"BENCH_SALES={s.get('sales')} BENCH_INSTANCES=\"{s.get('instances')}\" BENCH_META_LATENCY_MS={s.get('meta_latency_ms')}.\n")

    # ── Targets ──────────────────────────────────────────────────────────────────────────
    def run(fsync, conns, target):
        for r in ingest:
            if r["fsync"] == fsync and r["conns"] == conns and r["target"] == target:
                return r
        return None

    def rps(r):
        return r["wrk"]["requests"] / (r["wrk"]["duration_us"] / 1e6) if r else 0

    w("## Targets\n")
    w("| Target | Goal | Measured | |")
    w("|---|---|---|---|")
    for fsync, goal in (("always", 50), ("everysec", 70)):
        hello, go = run(fsync, 64, "hello"), run(fsync, 64, "go")
        if hello and go:
            ratio = 100 * rps(go) / rps(hello)
            p99 = go["wrk"]["p99_us"] / 1000
            ok = ratio >= goal and (fsync != "always" or p99 <= 10)
            extra = ", p99 ≤ 10 ms" if fsync == "always" else ""
            w(f"| ingestd `GET /go` at 64 connections, `appendfsync {fsync}` | ≥ {goal}% of hello-world{extra} | "
              f"{ratio:.1f}% ({rps(go):,.0f} / {rps(hello):,.0f} req/s), p99 {p99:.2f} ms | {mark(ok)} |")
    for target, label in (("pageview", "`POST /track/pageview`"), ("webhook", "signed Kiwify webhook")):
        for fsync, goal in (("always", 50), ("everysec", 70)):
            hello, r = run(fsync, 64, "hello"), run(fsync, 64, target)
            if hello and r:
                ratio = 100 * rps(r) / rps(hello)
                w(f"| ingestd {label} at 64 connections, `appendfsync {fsync}` | (same goal, informative) | "
                  f"{ratio:.1f}%, p99 {r['wrk']['p99_us'] / 1000:.2f} ms | {'met' if ratio >= goal else 'below'} |")
    if dispatch:
        complete = all(d["attempts"] == d["expected"] and d["backlog_left"] == 0 and d["sent_total"] == d["distinct_sent_total"]
                       for d in dispatch)
        mixed = [d for d in dispatch if d["preload"]["sales"] > 0]
        plain = [d for d in dispatch if d["preload"]["sales"] == 0]
        for runs, label in ((mixed, "with the sales"), (plain, "clicks and page events only")):
            if not runs:
                continue
            best = max(runs, key=lambda d: d["expected"] / float(d["seconds"]))
            eps = best["expected"] / float(best["seconds"])
            w(f"| dispatchd end to end, every attempt recorded ({label}) | ≥ 20,000 events/s | {eps:,.0f} events/s with "
              f"{best['instances']} instance(s); every run recorded {'all' if complete else 'NOT all'} attempts, none sent twice | "
              f"{mark(eps >= 20000 and complete)} |")
        by_k = {d["instances"]: d["expected"] / float(d["seconds"]) for d in (mixed or plain)}
        if 1 in by_k and 2 in by_k:
            w(f"| dispatchd scales from 1 to 2 instances | 2 > 1 | {by_k[1]:,.0f} → {by_k[2]:,.0f} events/s "
              f"(×{by_k[2] / by_k[1]:.2f}) | {mark(by_k[2] > by_k[1])} |")
        rss = max(max(d["rss_kb"]) for d in dispatch) / 1024
        w(f"| dispatchd RSS under load (VmHWM, largest instance) | ≤ 128 MiB | {rss:.0f} MiB | {mark(rss <= 128)} |")
    if analytics:
        worst = max(analytics, key=lambda a: a["p99_ms"])
        ok = all(a["p99_ms"] < 100 and a["hits"] == a["samples"] for a in analytics)
        w(f"| read API (`/api/v1/…`), 90-day queries on a tenant with {int(meta.get('analytics_touchpoints', 0)):,} touchpoints "
          f"and {int(meta.get('analytics_sales', 0)):,} sales | p99 < 100 ms | worst p99 {worst['p99_ms']:.1f} ms "
          f"({worst['name']}) | {mark(ok)} |")
    if "ingestd_vmhwm_kb" in meta:
        rss = int(meta["ingestd_vmhwm_kb"]) / 1024
        w(f"| ingestd RSS under load (VmHWM over every ingest run) | ≤ 64 MiB | {rss:.0f} MiB | {mark(rss <= 64)} |")
    w("")

    # ── Ingest ───────────────────────────────────────────────────────────────────────────
    if ingest:
        w("## Ingest: ingestd against a Hummingbird hello-world\n")
        w("`wrk -t2 -cN -d" + str(s.get("seconds")) + "s` per row; the hello-world (`bench-hello`, the ceiling) answers 302 "
          "without doing anything and is measured right before ingestd's rows at the same connection count and Redis "
          "setting. ingestd acknowledges only after Redis acknowledged the XADD (group commit: one pipelined round trip "
          "for all requests waiting). Routes: `GET /go/demo` (302 + click envelope), `POST /track/pageview` "
          "(a 300-byte JSON body as the tracking script sends it, 202), `POST /webhooks/kiwify/main?signature=…` "
          "(the 2.2 kB Kiwify fixture, HMAC-SHA1 verified, body sealed, 200). Latencies from wrk's histogram "
          "(p99.9 through a Lua `done` hook). Errors: responses ≥ 400 / socket errors (connect, read, write, timeout). "
          "CPU: percent of one core over the run (ingestd or hello-world; Redis). RSS: the server's VmRSS at the end of the run.\n")
        for fsync in s.get("fsync", "always everysec").split():
            rows = [r for r in ingest if r["fsync"] == fsync]
            if not rows:
                continue
            w(f"### `appendfsync {fsync}`\n")
            w("| Connections | Target | req/s | vs hello | p50 ms | p99 ms | p99.9 ms | errors | server CPU | Redis CPU | RSS MiB | envelopes ≥ 2xx |")
            w("|---|---|---|---|---|---|---|---|---|---|---|---|")
            for r in rows:
                x = r["wrk"]
                secs = x["duration_us"] / 1e6
                hello = run(fsync, r["conns"], "hello")
                ratio = "—" if r["target"] == "hello" else pct(rps(r), rps(hello))
                sock = x["connect"] + x["read"] + x["write"] + x["timeout"]
                ok_responses = x["requests"] - x["status"]
                env = "—" if r["target"] == "hello" else ("yes" if r["envelopes"] >= ok_responses else f"NO ({r['envelopes']})")
                w(f"| {r['conns']} | {r['target']} | {rps(r):,.0f} | {ratio} | {ms(x['p50_us'])} | {ms(x['p99_us'])} | "
                  f"{ms(x['p999_us'])} | {x['status']} / {sock} | {core_pct(r['server_ticks'], secs)} | "
                  f"{core_pct(r['redis_ticks'], secs) if r['target'] != 'hello' else '—'} | {r['rss_kb'] // 1024} | {env} |")
            busy = sum(r["machine_busy_ticks"] for r in rows)
            total = sum(r["machine_total_ticks"] for r in rows)
            w(f"\nWhole machine busy during these runs: {pct(busy, total)} of {meta['cores']} cores (wrk, the servers, Redis and anything else running).\n")

    if redis:
        w("## Redis ceiling on the same server\n")
        w("`redis-benchmark -c 64 xadd bench:s '*' e <600 bytes>` (an envelope is 500–900 bytes).\n")
        w("| appendfsync | pipeline | XADD/s |")
        w("|---|---|---|")
        for r in redis:
            w(f"| {r['fsync']} | {r['pipeline']} | {r['rps']:,.0f} |")
        w("")

    # ── dispatchd ────────────────────────────────────────────────────────────────────────
    if dispatch:
        d0 = dispatch[0]
        w("## dispatchd end to end\n")
        w(f"Each run starts from empty streams and tables. First, untimed, {d0['warmup_clicks']:,} clicks are dispatched: "
          "the clicks the sales will carry (a sale comes long after its click, so its click is already stored); this also "
          "warms the instances up. The tables are then analyzed (`VACUUM ANALYZE`), as autovacuum keeps a live install's "
          f"statistics. Then `bench-tool preload` writes {d0['preload']['clicks']:,} clicks, "
          f"{d0['preload']['pageviews']:,} page views, {d0['preload']['leads']:,} leads (with a sealed full user_data) and "
          f"{d0['preload']['sales']:,} approved sales (Hotmart and Kiwify bodies, sealed as ingestd seals them) into the "
          f"streams, and N `dispatchd run` instances start against `trackhub-fake meta --count-only` (the counting mode of the one fake Meta, TrackhubTesting: a Hummingbird fake of the CAPI edge "
          f"answering `{{\"events_received\":N,\"messages\":[],\"fbtrace_id\":…}}` after {s.get('meta_latency_ms')} ms). "
          "The pixel is `live`, batch_size 1000, no rate limit; Redis `appendfsync always`, Postgres `fsync=on`. Time runs "
          "from the start of the processes until the consumer group has nothing pending or unread and the retry schedule is "
          "empty. Every envelope becomes one Meta event (click → PageView, pageview → PageView, lead → Lead, sale → "
          "Purchase), so the attempts expected = the envelopes.\n")
        w("| Instances | events (sales) | seconds | events/s | attempts recorded | by event | sent twice | dead letters | sales → conversions / matched | Meta received | RSS MiB per instance |")
        w("|---|---|---|---|---|---|---|---|---|---|---|")
        for d in dispatch:
            received = d["meta_after"]["events"] - d["meta_before"]["events"]
            by = ", ".join(f"{k} {v:,}" for k, v in sorted(d["attempts_by_event"].items()))
            twice = d["sent_total"] - d["distinct_sent_total"]
            w(f"| {d['instances']} | {d['expected']:,} ({d['preload']['sales']:,}) | {float(d['seconds']):.1f} | {d['expected'] / float(d['seconds']):,.0f} | "
              f"{d['attempts']:,}{'' if d['attempts'] == d['expected'] else ' (INCOMPLETE)'} | {by} | {twice} | "
              f"{d['dead_letters']} | {d['conversions']:,} / {d['matches']:,} | {received:,} | "
              f"{', '.join(str(k // 1024) for k in d['rss_kb'])} |")
        w("\nCPU over each timed run, in percent of one core (the machine has "
          f"{meta['cores']}: {100 * int(meta['cores'])}% is everything), and per event:\n")
        w("| Instances | dispatchd (sum) | Redis | Postgres | fake Meta | everything else | machine busy | CPU µs per event: dispatchd / Postgres / Redis |")
        w("|---|---|---|---|---|---|---|---|")
        for d in dispatch:
            secs = float(d["seconds"])
            ours = sum(d["dispatchd_ticks"]) + d["redis_ticks"] + d["postgres_ticks"] + d["meta_ticks"]
            busy_cores = 100 * int(meta["cores"]) * d["machine_busy_ticks"] / d["machine_total_ticks"] if d["machine_total_ticks"] else 0
            other = busy_cores - 100 * ours / TICKS_PER_SECOND / secs
            per = lambda t: f"{1e6 * t / TICKS_PER_SECOND / d['expected']:.0f}"
            label = f"{d['instances']}" + ("" if d["preload"]["sales"] else " (no sales)")
            w(f"| {label} | {core_pct(sum(d['dispatchd_ticks']), secs)} | {core_pct(d['redis_ticks'], secs)} | "
              f"{core_pct(d['postgres_ticks'], secs)} | {core_pct(d['meta_ticks'], secs)} | {max(other, 0):.0f}% | {busy_cores:.0f}% | "
              f"{per(sum(d['dispatchd_ticks']))} / {per(d['postgres_ticks'])} / {per(d['redis_ticks'])} |")
        errs = sum(d["error_logs"] for d in dispatch)
        w(f"\nError-level log lines from dispatchd over all runs: {errs}.\n")

    # ── Console ──────────────────────────────────────────────────────────────────────────
    if console:
        rows = int(meta.get("console_ledger_rows", 0) or 0)
        w("## The console's readers over a large ledger\n")
        w(f"`bench-tool insight` after `scripts/lib/bench/console-seed.sql` generated a week of one seller in Postgres "
          f"({rows:,} ledger rows in `dispatch_attempts`, seeded in {float(meta.get('console_seed_seconds', 0)):.0f} s): "
          "each reader of the console's pages called one at a time through `PostgresInsightStore` on the Postgres pool "
          "(`bench-tool insight`), then each page over HTTP from `dispatchd console` for a logged-in owner, rendered "
          "(`page_*`, `scripts/lib/bench/console-pages.py`), with a random existing order id, click id, e-mail or phone "
          "each time. `hits` counts calls that found rows (readers) or answered 200 (pages). Target: the pages answer "
          "in under 200 ms at p99.\n")
        w("| Reader (page) | calls | hits | p50 ms | p99 ms | max ms | p99 < 200 ms |")
        w("|---|---|---|---|---|---|---|")
        for c in console:
            w(f"| `{c['name']}` | {c['samples']} | {c['hits']} | {c['p50_ms']:.1f} | {c['p99_ms']:.1f} | {c['max_ms']:.1f} | "
              f"{mark(c['p99_ms'] < 200)} |")
        w("")

    # ── Analytics ──────────────────────────────────────────────────────────────────────────
    if analytics:
        w("## The read API over 90 days of a large seller\n")
        w(f"`scripts/lib/bench/analytics-seed.sql` generated, through the rollup triggers (statements of "
          f"{int(meta.get('analytics_chunk', 0)):,} rows; the rollups end the same whatever the statement size), "
          f"{int(meta.get('analytics_touchpoints', 0)):,} touchpoints and {int(meta.get('analytics_sales', 0)):,} sales over the "
          f"last 90 days in {float(meta.get('analytics_seed_seconds', 0)):.0f} s ({int(meta.get('analytics_hourly_rows', 0)):,} "
          f"hourly, {int(meta.get('analytics_daily_rows', 0)):,} daily and {int(meta.get('analytics_totals_rows', 0)):,} hourly-total "
          "rollup rows); then "
          "`scripts/lib/bench/analytics-api.py` called each endpoint of the read API on `dispatchd console` (release) with the "
          "tenant's read key, one request at a time. Target (issue 17): p99 < 100 ms for a 90-day query.\n")
        w("| Query | calls | answered 200 | p50 ms | p99 ms | max ms | bytes | p99 < 100 ms |")
        w("|---|---|---|---|---|---|---|---|")
        for a in analytics:
            w(f"| {a['name']} | {a['samples']} | {a['hits']} | {a['p50_ms']:.1f} | {a['p99_ms']:.1f} | {a['max_ms']:.1f} | "
              f"{a['bytes']:,} | {mark(a['p99_ms'] < 100)} |")
        w("")

    # ── Micro ────────────────────────────────────────────────────────────────────────────
    if micro:
        w("## Cost per event (micro-benchmarks)\n")
        w("`bench-tool micro`: each operation repeated for ~200 ms, five rounds after a warm-up; the fastest round (least "
          "disturbed by other work) and the median, in nanoseconds per operation, on one core.\n")
        w("| Operation | What one operation is | ns (fastest) | ns (median) | per second per core |")
        w("|---|---|---|---|---|")
        for m in micro:
            w(f"| `{m['name']}` | {m['unit']} | {m['ns_min']:,} | {m['ns_median']:,} | {1e9 / m['ns_min']:,.0f} |")
        w("")

    with open(notes) as f:
        w(f.read().rstrip() + "\n")
    print("\n".join(out))


if __name__ == "__main__":
    main()
