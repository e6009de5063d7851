# Helpers of scripts/bench (sourced after common.sh; uses the variables scripts/bench sets).
# Results are JSON lines under $RES; scripts/lib/bench/report.py turns them into the report.

bench_now() { echo "$EPOCHREALTIME"; }
bench_elapsed() { awk -v a="$1" -v b="$(bench_now)" 'BEGIN { printf "%.3f", b - a }'; }

# ── Run metadata ──────────────────────────────────────────────────────────────────────────
bench_meta_set() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
path, key, value = sys.argv[1:]
data = json.load(open(path))
try:
    data[key] = json.loads(value)
except ValueError:
    data[key] = value
json.dump(data, open(path, "w"), indent=1)
PY
}

bench_meta_start() {
    local file="$1"
    echo '{}' > "$file"
    bench_meta_set "$file" date "$(date -u '+%Y-%m-%d %H:%M UTC')"
    bench_meta_set "$file" cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    bench_meta_set "$file" cores "$(nproc)"
    bench_meta_set "$file" memory_mib "$(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo)"
    bench_meta_set "$file" kernel "$(uname -r)"
    bench_meta_set "$file" os "$(. /etc/os-release; echo "$PRETTY_NAME")"
    bench_meta_set "$file" swift "$(swift --version 2>/dev/null | head -1)"
    bench_meta_set "$file" redis "$(redis-server --version | awk '{print $3}' | cut -d= -f2)"
    bench_meta_set "$file" postgres "$("$TH_PG_BIN/postgres" --version | awk '{print $3}')"
    bench_meta_set "$file" wrk "$(wrk -v 2>&1 | head -1 | awk '{print $2}')"
    bench_meta_set "$file" commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo '+changes')"
    bench_meta_set "$file" loadavg_start "$(cut -d' ' -f1-3 /proc/loadavg)"
    bench_meta_set "$file" compilers_start "$(pgrep -c swift-frontend || true)"
    bench_meta_set "$file" settings "$(printf '{"seconds":%s,"conns":"%s","fsync":"%s","sections":"%s","clicks":%s,"pageviews":%s,"leads":%s,"sales":%s,"instances":"%s","meta_latency_ms":%s}' \
        "$SECS" "$CONNS" "$FSYNCS" "$SECTIONS" "$CLICKS" "$PAGEVIEWS" "$LEADS" "$SALES" "$INSTANCES" "$META_LATENCY_MS")"
}

bench_meta_end() {
    bench_meta_set "$1" loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"
    bench_meta_set "$1" compilers_end "$(pgrep -c swift-frontend || true)"
}

# ── Processes: CPU ticks and memory from /proc ────────────────────────────────────────────
# "PID TICKS" (utime + stime, in clock ticks) for each live PID.
bench_ticks() {
    local p
    for p in "$@"; do
        [ -r "/proc/$p/stat" ] && echo "$p $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')"
    done
    return 0
}
# Ticks spent between two bench_ticks snapshots (a PID absent from the first started at 0).
bench_ticks_delta() { awk 'NR == FNR { a[$1] = $2; next } { d += $2 - (($1 in a) ? a[$1] : 0) } END { print d + 0 }' "$1" "$2"; }
# Busy and total ticks of the whole machine (every core) from /proc/stat.
bench_machine_ticks() { awk '/^cpu / { print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }
bench_status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
bench_redis_pid() { cat "$RUN_DIR/redis/redis.pid"; }
bench_pg_pids() {
    local pm
    pm="$(head -1 "$RUN_DIR/pg/data/postmaster.pid")"
    echo "$pm" $(pgrep -P "$pm" || true)
}

# ── Redis between runs: empty streams, small AOF ──────────────────────────────────────────
bench_redis_reset() {
    local keys
    keys="$(redis-cli -p "$REDIS_PORT" --scan --pattern 'th:*' | grep -v '^th:config:' || true)"
    [ -n "$keys" ] && xargs -r redis-cli -p "$REDIS_PORT" DEL <<<"$keys" >/dev/null
    redis-cli -p "$REDIS_PORT" BGREWRITEAOF >/dev/null 2>&1 || true
    local i
    for i in $(seq 1 300); do
        redis-cli -p "$REDIS_PORT" INFO persistence | grep -q 'aof_rewrite_in_progress:0' \
            && ! redis-cli -p "$REDIS_PORT" INFO persistence | grep -q 'aof_rewrite_scheduled:1' && break
        sleep 0.1
    done
}

# ── The pixel live at the fake Meta, no rate limit, biggest batches ───────────────────────
bench_config() {
    sed -e 's/^\(\s*\)mode: dry_run/\1mode: live/' \
        -e 's/max_events_per_second: [0-9]*/max_events_per_second: 1000000/' \
        -e 's/batch_size: [0-9]*/batch_size: 1000/' "$1"
}

# ── wrk ───────────────────────────────────────────────────────────────────────────────────
# get.lua, pageview.lua and webhook.lua (each ending with report.lua's `done`), the bodies, and
# kiwify.sig: the HMAC-SHA1 of the Kiwify fixture under the bench account's secret, computed
# once, as Kiwify signs (`?signature=`).
bench_wrk_scripts() {
    local dir="$1"
    mkdir -p "$dir"
    cp scripts/lib/bench/report.lua "$dir/get.lua"
    printf '{"tenant":"demo","event_id":"ev-3f9a1c2b7d","click_id":"01jbench0000000000000000aa","session_id":"s-8c1f0e","page_url":"https://lp.loja.test/oferta?th_cid=01jbench0000000000000000aa","referrer":"https://l.facebook.com/","fbp":"fb.1.1732300000000.1234567890"}' \
        > "$dir/pageview.json"
    cp Tests/Fixtures/kiwify/order_approved.json "$dir/kiwify.json"
    python3 -c 'import hmac, hashlib, sys; print(hmac.new(sys.argv[1].encode(), open(sys.argv[2], "rb").read(), hashlib.sha1).hexdigest())' \
        "$TRACKHUB_DEMO_KIWIFY_SECRET" "$dir/kiwify.json" > "$dir/kiwify.sig"
    { printf 'bench_body_file = "%s"\nbench_content_type = "application/json"\n' "$dir/pageview.json"
      cat scripts/lib/bench/post.lua scripts/lib/bench/report.lua; } > "$dir/pageview.lua"
    { printf 'bench_body_file = "%s"\nbench_content_type = "application/json"\n' "$dir/kiwify.json"
      cat scripts/lib/bench/post.lua scripts/lib/bench/report.lua; } > "$dir/webhook.lua"
    # One request of each must succeed before anything is measured.
    curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @"$dir/pageview.json" \
        "http://127.0.0.1:$INGEST_PORT/track/pageview" || { th_log "pageview sample refused"; return 1; }
    curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @"$dir/kiwify.json" \
        "http://127.0.0.1:$INGEST_PORT/webhooks/kiwify/main?signature=$(cat "$dir/kiwify.sig")" || { th_log "webhook sample refused"; return 1; }
}

# bench_wrk OUT FSYNC CONNS TARGET SERVER_PID URL SCRIPT: one wrk run; appends a JSON line with
# wrk's figures, the server's and Redis' CPU, the machine's load, and the server's RSS.
bench_wrk() {
    local out="$1" fsync="$2" conns="$3" target="$4" pid="$5" url="$6" script="$7"
    local threads=2 tmp="$RUN_DIR/wrk/$target-$fsync-$conns"
    [ "$conns" -lt 2 ] && threads=1
    bench_ticks "$pid" > "$tmp.server0"; bench_ticks "$(bench_redis_pid)" > "$tmp.redis0"
    local m0 m1 xlen0 xlen1
    m0="$(bench_machine_ticks)"
    xlen0="$(bench_xlen)"
    wrk -t"$threads" -c"$conns" -d"${SECS}s" -s "$script" "$url" > "$tmp.out" 2>&1 || true
    m1="$(bench_machine_ticks)"
    xlen1="$(bench_xlen)"
    bench_ticks "$pid" > "$tmp.server1"; bench_ticks "$(bench_redis_pid)" > "$tmp.redis1"
    local line
    line="$(grep '^BENCH ' "$tmp.out" | cut -c7-)"
    [ -n "$line" ] || { th_log "wrk produced no result:"; cat "$tmp.out" >&2; line='{"requests":0,"duration_us":1}'; }
    printf '{"fsync":"%s","conns":%s,"target":"%s","wrk":%s,"server_ticks":%s,"redis_ticks":%s,"machine_busy_ticks":%s,"machine_total_ticks":%s,"rss_kb":%s,"envelopes":%s}\n' \
        "$fsync" "$conns" "$target" "$line" \
        "$(bench_ticks_delta "$tmp.server0" "$tmp.server1")" "$(bench_ticks_delta "$tmp.redis0" "$tmp.redis1")" \
        "$(( ${m1% *} - ${m0% *} ))" "$(( ${m1#* } - ${m0#* } ))" "$(bench_status_kb "$pid" VmRSS)" "$((xlen1 - xlen0))" >> "$out"
}

# Entries in the three ingest streams.
bench_xlen() {
    local s n=0
    for s in high normal low; do n=$((n + $(redis-cli -p "$REDIS_PORT" XLEN "th:ingest:$s"))); done
    echo "$n"
}

# ── dispatchd ─────────────────────────────────────────────────────────────────────────────
bench_psql() { psql "$TRACKHUB_DATABASE_URL" -tAq -c "$1"; }

# The statements that took Postgres's time since the last reset (BENCH_PG_STATS=1): total and
# mean milliseconds, calls, rows, and the statement's first 160 characters, top 25 by total.
bench_pg_statements() {
    psql "$TRACKHUB_DATABASE_URL" -q -P pager=off -c "SELECT round(total_exec_time) AS total_ms, round(mean_exec_time::numeric, 2) AS mean_ms,
        calls, rows, toplevel, left(regexp_replace(query, '\s+', ' ', 'g'), 160) AS query
        FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25"
}

# Entries not yet acknowledged by the group (pending + lag, summed over the streams), a space,
# and the retry schedule's size. One redis-cli process per call: the drain loop polls while
# dispatchd is measured, and every process it spawns takes CPU from the two cores.
bench_backlog_and_retries() {
    printf 'XINFO GROUPS th:ingest:high\nXINFO GROUPS th:ingest:normal\nXINFO GROUPS th:ingest:low\nZCARD th:retry\n' \
        | redis-cli -p "$REDIS_PORT" \
        | awk 'prev == "pending" || prev == "lag" { n += ($0 == "" ? 1000000 : $0) } { prev = $0; last = $0 } END { print n + 0, last + 0 }'
}

# Entries not yet acknowledged by the group.
bench_backlog() { bench_backlog_and_retries | cut -d' ' -f1; }

# bench_dispatch_start K NAME_PREFIX DIR: K `dispatchd run` against the fake Meta; PIDs in DISPATCH_PIDS.
bench_dispatch_start() {
    local k="$1" prefix="$2" dir="$3" i
    DISPATCH_PIDS=()
    for i in $(seq 1 "$k"); do
        TRACKHUB_GRAPH_BASE_URL="http://127.0.0.1:$META_PORT" TRACKHUB_ALLOW_LOOPBACK_HTTP=1 TRACKHUB_ADMIN_PORT=0 \
            "$BIN/dispatchd" run --consumer "$prefix$i" >>"$dir/dispatchd-$i.log" 2>&1 &
        DISPATCH_PIDS+=($!)
    done
    PIDS+=("${DISPATCH_PIDS[@]}")
}

bench_dispatch_stop() {
    local p
    kill -TERM "${DISPATCH_PIDS[@]}" 2>/dev/null || true
    for p in "${DISPATCH_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    PIDS=("$META_PID")
}

# Waits until the consumer group has nothing pending or unread and no retry is scheduled;
# prints the seconds since START and a progress list "[t,done],…" of the TOTAL entries.
bench_dispatch_wait() {
    local start="$1" total="$2" backlog elapsed progress=""
    local state retries
    while :; do
        state="$(bench_backlog_and_retries)"
        backlog="${state% *}" retries="${state#* }"
        elapsed="$(bench_elapsed "$start")"
        progress+="[$elapsed,$((total - backlog))],"
        [ "$backlog" -eq 0 ] && [ "$retries" -eq 0 ] && break
        if awk -v e="$elapsed" -v t="$DRAIN_TIMEOUT" 'BEGIN { exit !(e > t) }'; then
            th_log "dispatchd did not drain within ${DRAIN_TIMEOUT}s (backlog $backlog)"; break
        fi
        sleep 0.25
    done
    DRAIN_SECONDS="$elapsed" DRAIN_BACKLOG="$backlog" DRAIN_PROGRESS="${progress%,}"
}

bench_create_groups() {
    local s
    for s in high normal low; do redis-cli -p "$REDIS_PORT" XGROUP CREATE "th:ingest:$s" dispatchd 0 MKSTREAM >/dev/null 2>&1 || true; done
}

# bench_dispatch_run K: one run from empty streams and tables.
# 1. Untimed: the clicks the sales will refer to (a sale comes long after its click, so its
#    click is already stored), dispatched by the K instances, which also warms them up.
# 2. Timed: the load (clicks, page views, leads, sales) pre-loaded, then K instances started;
#    the time until the group has acknowledged everything; then every attempt is checked.
bench_dispatch_run() {
    local k="$1" expected=$((CLICKS + PAGEVIEWS + LEADS + SALES)) tmp="$RUN_DIR/dispatch-$1"
    mkdir -p "$tmp"
    bench_redis_reset
    bench_psql "TRUNCATE touchpoints, conversions, matches, dedupe_registry, dispatch_attempts, dead_letters, webhook_inbox CASCADE" >/dev/null
    # Warm-up clicks: the sales' clicks (or as many, for a run without sales).
    local warm=$((SALES > 0 ? SALES : WARMUP_CLICKS))
    if [ "$warm" -gt 0 ]; then
        "$BIN/bench-tool" preload --redis-url "$TRACKHUB_REDIS_URL" --key-file "$TRACKHUB_MASTER_KEY_FILE" \
            --clicks "$warm" --pageviews 0 --leads 0 --sales 0 --click-ids-out "$tmp/sale-clicks.txt" >/dev/null
        bench_create_groups
        bench_dispatch_start "$k" "bench$k-" "$tmp"
        bench_dispatch_wait "$(bench_now)" "$warm"
        bench_dispatch_stop
    fi
    # A live install's tables have planner statistics (autovacuum keeps them); right after the
    # TRUNCATE they have none, and the planner would scan the growing touchpoints table for
    # every batch's click look-up instead of using its index.
    bench_psql "VACUUM ANALYZE touchpoints, conversions, matches, dedupe_registry, dispatch_attempts, webhook_inbox" >/dev/null
    local before before_id preload
    # Attempts are counted by their outcome rows: each request also writes its events `in_flight`
    # first (issue 14, item 10), which is not a second attempt.
    before="$(bench_psql "SELECT count(*) FROM dispatch_attempts WHERE outcome <> 'in_flight'")"
    before_id="$(bench_psql "SELECT coalesce(max(id), 0) FROM dispatch_attempts")"
    preload="$("$BIN/bench-tool" preload --redis-url "$TRACKHUB_REDIS_URL" --key-file "$TRACKHUB_MASTER_KEY_FILE" \
        --clicks "$CLICKS" --pageviews "$PAGEVIEWS" --leads "$LEADS" --sales "$SALES" \
        $([ "$warm" -gt 0 ] && echo --sale-clicks "$tmp/sale-clicks.txt"))"
    bench_create_groups
    [ "$(bench_backlog)" -eq "$expected" ] || { th_log "pre-load left $(bench_backlog) entries, expected $expected"; return 1; }
    local meta0
    meta0="$(curl -fsS "http://127.0.0.1:$META_PORT/stats")"

    bench_ticks "$(bench_redis_pid)" > "$tmp/redis0"; bench_ticks $(bench_pg_pids) > "$tmp/pg0"; bench_ticks "$META_PID" > "$tmp/meta0"
    local m0 m1 start
    [ "$PG_STATS" = 1 ] && bench_psql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()" >/dev/null
    m0="$(bench_machine_ticks)"
    start="$(bench_now)"
    bench_dispatch_start "$k" "bench$k-" "$tmp"
    local p
    bench_dispatch_wait "$start" "$expected"
    m1="$(bench_machine_ticks)"
    bench_ticks "$(bench_redis_pid)" > "$tmp/redis1"; bench_ticks $(bench_pg_pids) > "$tmp/pg1"; bench_ticks "$META_PID" > "$tmp/meta1"
    local rss=() ticks=()
    for p in "${DISPATCH_PIDS[@]}"; do
        rss+=("$(bench_status_kb "$p" VmHWM)")
        ticks+=("$(bench_ticks "$p" | awk '{print $2}')")
    done
    bench_dispatch_stop
    [ "$PG_STATS" = 1 ] && bench_pg_statements > "$tmp/pg-statements.txt"

    local attempts sent distinct letters conversions matched meta1 errors kinds
    attempts=$(( $(bench_psql "SELECT count(*) FROM dispatch_attempts WHERE outcome <> 'in_flight'") - before ))
    sent="$(bench_psql "SELECT count(*) FROM dispatch_attempts WHERE outcome = 'sent'")"
    distinct="$(bench_psql "SELECT count(DISTINCT (pixel_id, event_name, event_id)) FROM dispatch_attempts WHERE outcome = 'sent'")"
    letters="$(bench_psql "SELECT count(*) FROM dead_letters")"
    conversions="$(bench_psql "SELECT count(*) FROM conversions")"
    matched="$(bench_psql "SELECT count(*) FROM matches")"
    kinds="$(bench_psql "SELECT coalesce(json_object_agg(event_name, n), '{}') FROM (SELECT event_name, count(*) AS n FROM dispatch_attempts WHERE id > $before_id AND outcome <> 'in_flight' GROUP BY 1) x")"
    meta1="$(curl -fsS "http://127.0.0.1:$META_PORT/stats")"
    errors="$(cat "$tmp"/dispatchd-*.log | grep -c 'level=error' || true)"
    printf '{"instances":%s,"expected":%s,"warmup_clicks":%s,"preload":%s,"seconds":%s,"backlog_left":%s,"attempts":%s,"attempts_by_event":%s,"sent_total":%s,"distinct_sent_total":%s,"dead_letters":%s,"conversions":%s,"matches":%s,"meta_before":%s,"meta_after":%s,"rss_kb":[%s],"dispatchd_ticks":[%s],"redis_ticks":%s,"postgres_ticks":%s,"meta_ticks":%s,"machine_busy_ticks":%s,"machine_total_ticks":%s,"error_logs":%s,"progress":[%s]}\n' \
        "$k" "$expected" "$warm" "$preload" "$DRAIN_SECONDS" "$DRAIN_BACKLOG" "$attempts" "$kinds" "$sent" "$distinct" "$letters" "$conversions" "$matched" \
        "$meta0" "$meta1" "$(IFS=,; echo "${rss[*]}")" "$(IFS=,; echo "${ticks[*]}")" \
        "$(bench_ticks_delta "$tmp/redis0" "$tmp/redis1")" "$(bench_ticks_delta "$tmp/pg0" "$tmp/pg1")" \
        "$(bench_ticks_delta "$tmp/meta0" "$tmp/meta1")" "$(( ${m1% *} - ${m0% *} ))" "$(( ${m1#* } - ${m0#* } ))" \
        "$errors" "$DRAIN_PROGRESS" >> "$RES/dispatch.jsonl"
    th_log "  drained in ${DRAIN_SECONDS}s: $attempts attempts of $expected, $letters dead letters"
}
