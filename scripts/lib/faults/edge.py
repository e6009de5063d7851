"""Issue 14's scenarios at the edge: unstorable text, a one-address flood against the limiter, a
flood during a Redis outage against the spool cap, slowloris against the idle timeout. Each
`inject(run)` adds its own requests to `run.extra_outcomes` (counted with the load's), its
measurements to `run.figures` and its pass criteria to `run.post_checks`."""
import os
import time

from . import cpu
from .count import percentile
from .flood import Flood
from .nul import NulTraffic
from .procs import log
from .slowloris import SlowlorisProcess
from .spoolwatch import SpoolWatch

RATE_PER_SECOND = 5                 # TRACKHUB_CLIENT_RATE_PER_SECOND of scenario 11 (bursts of twice that)
FLOOD_ADDRESS = "198.51.100.66"
SPOOL_CAP = 256 * 1024              # TRACKHUB_SPOOL_MAX_BYTES of scenario 12
IDLE_TIMEOUT_MS = 4000              # TRACKHUB_HTTP_IDLE_TIMEOUT_MS of scenario 13
SLOW_CONNECTIONS = 200
SLOW_BYTE_EVERY = 1.5


def s10_nul(run):
    traffic = NulTraffic(run.ctx, run.sid).start()
    try:
        time.sleep(20 if run.full else 8)
    finally:
        traffic.stop()
    run.extra_outcomes += traffic.outcomes
    by_variant = traffic.summary()
    run.figures["answers by variant"] = by_variant
    sales = [o for o in traffic.outcomes if o.kind == "webhook"]

    def check(row):
        f = []
        refused = [o.note for o in sales if o.status != 200]
        if refused:
            f.append("%d signed sale(s) with a NUL not answered 200: %s" % (len(refused), refused[:3]))
        if row["dead_lettered"] or row["other_dead_letters"]:
            f.append("dead letters: %s %s" % (row["dead_by_reason"], row["other_dead_letters"]))
        return f
    run.post_checks.append(check)
    run.notes.append("NUL/control-character requests: %d (%d accepted, %d refused 400), %d of them signed sales" % (
        len(traffic.outcomes), sum(1 for o in traffic.outcomes if o.accepted),
        sum(1 for o in traffic.outcomes if o.status == 400), len(sales)))
    return len(traffic.outcomes)


def s11_one_address_flood(run):
    seconds = 15 if run.full else 6
    time.sleep(1)
    flood = Flood(run.ctx, "fl" + run.sid, "ad-b", threads=2, max_requests=20000, seconds=seconds,
                  headers={"X-Forwarded-For": FLOOD_ADDRESS}).start()
    log("flood from %s for %ds (limiter %d/s)" % (FLOOD_ADDRESS, seconds, RATE_PER_SECOND))
    try:
        time.sleep(seconds)
    finally:
        flood.stop()
    run.extra_outcomes += flood.outcomes
    s = flood.summary()
    allowed = int(2 * RATE_PER_SECOND + RATE_PER_SECOND * s["seconds"]) + RATE_PER_SECOND   # burst + rate, 1 s slack
    refused = s["statuses"].get("429", 0)
    run.figures.update({"flood requests": s["requests"], "flood answers": s["statuses"], "flood 429 with Retry-After": s["retry_after"].get("429", 0),
                        "flood accepted (limit: burst %d + %d/s over %.1f s + 1 s slack = %d)" % (
                            2 * RATE_PER_SECOND, RATE_PER_SECOND, s["seconds"], allowed): s["accepted"]})

    def check(row):
        f = []
        others = sum(1 for o in run.load.snapshot() for a in o.attempts if a.status == 429)
        run.figures["other clients' requests answered 429"] = others
        if others:
            f.append("%d request(s) of other clients answered 429" % others)
        if not refused:
            f.append("the flood was not refused (no 429 in %d requests)" % s["requests"])
        if s["retry_after"].get("429", 0) != refused:
            f.append("%d of %d 429s without Retry-After" % (refused - s["retry_after"].get("429", 0), refused))
        if s["accepted"] > allowed:
            f.append("the flood got %d requests accepted, more than the limit allows (%d)" % (s["accepted"], allowed))
        return f
    run.post_checks.append(check)
    run.notes.append("one client (%s) flooded /go for %.1f s from 2 connections: %d requests, %d accepted, %d refused 429; "
                     "the load's /go and /track came from 64 other addresses" % (FLOOD_ADDRESS, s["seconds"], s["requests"], s["accepted"], refused))
    return s["requests"]


def s12_outage_flood(run):
    seconds = 15 if run.full else 8
    watch = SpoolWatch(os.path.join(run.stack.dir, "spool")).start()
    time.sleep(1)
    run.ctx.redis.kill9()
    log("kill -9 redis; click flood for %ds against a %d-byte spool cap" % (seconds, SPOOL_CAP))
    flood = Flood(run.ctx, "sp" + run.sid, "ad-b", threads=3, max_requests=20000, seconds=seconds).start()
    try:
        time.sleep(seconds)
    finally:
        flood.stop()
        run.ctx.redis.start()
        log("redis restarted")
    deadline = time.time() + 60
    while time.time() < deadline and run.stack.readyz().get("spool_pending", 0):
        time.sleep(0.2)
    watch.stop()
    run.extra_outcomes += flood.outcomes
    s = flood.summary()
    refused = s["statuses"].get("503", 0)
    run.figures.update({"flood requests": s["requests"], "flood answers": s["statuses"],
                        "flood 503 with Retry-After": s["retry_after"].get("503", 0),
                        "spool.log largest (bytes; cap %d)" % SPOOL_CAP: watch.max_log_bytes,
                        "spool files on disk, largest (bytes in allocated blocks)": watch.max_disk_bytes,
                        "spool samples": watch.samples})

    def check(row):
        f = []
        run.figures["load requests refused 503 (a click or /track at once, a webhook after 6 tries)"] = sum(1 for o in run.load.snapshot() if o.status == 503)
        if not refused:
            f.append("no 503 during the flood: the spool cap was never reached (%s)" % s["statuses"])
        if s["retry_after"].get("503", 0) != refused:
            f.append("%d of %d 503s without Retry-After" % (refused - s["retry_after"].get("503", 0), refused))
        if watch.max_log_bytes > SPOOL_CAP:
            f.append("spool.log reached %d bytes, over the %d-byte cap" % (watch.max_log_bytes, SPOOL_CAP))
        if watch.max_disk_bytes > SPOOL_CAP + 2 * 4096:   # the log's last partial block and the offset file's block
            f.append("the spool's files took %d bytes on disk, over the cap and two 4-KiB blocks" % watch.max_disk_bytes)
        return f
    run.post_checks.append(check)
    run.notes.append("Redis killed (-9) for %d s while 3 connections flooded /go next to the load; spool cap %d KiB" % (seconds, SPOOL_CAP // 1024))
    return 1


def p99_between(run, t0, t1):
    lat = [a.latency * 1000 for o in run.load.snapshot() for a in o.attempts
           if a.status in (200, 202, 302) and t0 <= a.started <= t1]
    return percentile(lat, 0.99), percentile(lat, 0.50), len(lat)


def s13_slowloris(run):
    baseline_s, during_s = (15, 20) if run.full else (8, 10)
    pid = run.stack.ingest.proc.pid
    t0 = time.time()
    window = cpu.Window(pid).start()
    time.sleep(baseline_s)
    t1 = time.time()
    base_cpu = window.stop()
    attacked_at = time.time()
    attack = SlowlorisProcess(run.ctx.registry, run.ctx.ingest_port, SLOW_CONNECTIONS, SLOW_BYTE_EVERY)
    log("%d slowloris connections (a header byte every %.1f s), idle timeout %d ms" % (SLOW_CONNECTIONS, SLOW_BYTE_EVERY, IDLE_TIMEOUT_MS))
    try:
        time.sleep(3)   # all open (they are opened over 2 s)
        t2 = time.time()
        window = cpu.Window(pid).start()
        time.sleep(during_s)
        t3 = time.time()
        during_cpu = window.stop()
    finally:
        a = attack.stop()
    base99, base50, base_n = p99_between(run, t0, t1)
    dur99, dur50, dur_n = p99_between(run, t2, t3)
    if base99 is None or dur99 is None:
        raise RuntimeError("no load answers to measure (baseline %d, during %d)" % (base_n, dur_n))
    limit = IDLE_TIMEOUT_MS / 1000 + 2 * SLOW_BYTE_EVERY + 1
    slow = sorted((round(at.started - attacked_at, 1), round(at.latency * 1000)) for o in run.load.snapshot() for at in o.attempts
                  if at.status in (200, 202, 302) and t2 <= at.started <= t3 and at.latency * 1000 > 2 * base99)
    run.figures["answers over twice the baseline p99 while open (s after the attack began, ms)"] = ", ".join("%s s %d ms" % x for x in slow) or "none"
    run.figures.update({"baseline p50/p99 ms (%d answers, %d s before)" % (base_n, baseline_s): "%.1f / %.1f" % (base50, base99),
                        "p50/p99 ms with the slowloris connections open (%d answers)" % dur_n: "%.1f / %.1f" % (dur50, dur99),
                        "ingestd CPU / machine busy, baseline": "%(process_cpu_percent)d%% / %(machine_busy_percent)d%%" % base_cpu,
                        "ingestd CPU / machine busy, slowloris open": "%(process_cpu_percent)d%% / %(machine_busy_percent)d%%" % during_cpu,
                        "slowloris": a})

    def check(row):
        f = []
        if dur99 > 2 * base99:
            f.append("p99 with slowloris open %.1f ms, over twice the baseline (%.1f ms)" % (dur99, base99))
        if a["closed_by_server"] < SLOW_CONNECTIONS:
            f.append("only %d slowloris connections closed by the server (%d opened)" % (a["closed_by_server"], a["opened"]))
        if (a["lifetime_max_s"] or 0) > limit or (a["left_open_oldest_s"] or 0) > limit:
            f.append("a slowloris connection stayed open %.1f s (idle timeout %d ms)" % (
                max(a["lifetime_max_s"] or 0, a["left_open_oldest_s"] or 0), IDLE_TIMEOUT_MS))
        return f
    run.post_checks.append(check)
    run.notes.append("%d slowloris connections (opened over 2 s, a header byte every %.1f s each) held %d s after that, replaced as the "
                     "server closed them; idle timeout %d ms; "
                     "%d closed by the server after %s s (median), at most %s s" % (
                         SLOW_CONNECTIONS, SLOW_BYTE_EVERY, during_s, IDLE_TIMEOUT_MS, a["closed_by_server"], a["lifetime_median_s"], a["lifetime_max_s"]))
    return a["opened"]
