"""The faults, one per scenario. Each `inject(run)` breaks one thing while the load runs,
heals it, and returns how many times it struck; `run.notes` collects what the report should say.
`run.full` is False under --ci (shorter, fewer strikes)."""
import hashlib
import os
import random
import signal
import time

from . import bot, canary, clients, config, count, edge, forwardsink, poison, rotation
from .procs import log


def sleep(s):
    time.sleep(max(0.0, s))


def kill_restart(what, kills, kill, down, restart, gap=(2, 5)):
    """`kills` times: wait a random gap, kill -9, stay down `down` seconds, restart."""
    for i in range(kills):
        sleep(random.uniform(*gap))
        kill()
        log("kill -9 %s (%d/%d)" % (what, i + 1, kills))
        sleep(down)
        restart()
    return kills


def s1_ingest_kill(run):
    return kill_restart("ingestd", 4 if run.full else 1, run.stack.ingest.kill9, 0.5, run.stack.start_ingest)


def s2_dispatch_kill(run):
    kills = 5 if run.full else 1
    names = sorted(run.stack.workers)
    for i in range(kills):
        sleep(random.uniform(1.5, 4))
        name = names[i % 2]
        run.stack.workers[name].kill9()
        log("kill -9 dispatchd %s (%d/%d)" % (name, i + 1, kills))
        sleep(1)
        run.stack.start_worker(name)
    sleep(random.uniform(1, 3))
    last = names[-1]
    run.stack.workers[last].kill9()
    run.notes.append("dispatchd %s killed and left dead; its pending entries were claimed by the others" % last)
    log("kill -9 dispatchd %s, left dead" % last)
    sleep(12 if run.full else 11)   # > claim idle (10 s): the survivors take its entries over
    return kills + 1


def s3_redis_kill(run):
    return kill_restart("redis", 2 if run.full else 1, run.ctx.redis.kill9, 3 if run.full else 2, run.ctx.redis.start, gap=(2, 4))


def s4_redis_unreachable(run):
    seconds = 30 if run.full else 5
    sleep(2)
    run.ctx.redis.signal(signal.SIGSTOP)
    log("redis frozen (SIGSTOP: connections hang) for %ds" % seconds)
    try:
        sleep(seconds)
    finally:
        run.ctx.redis.signal(signal.SIGCONT)
    run.notes.append("Redis frozen with SIGSTOP for %d s: connections open but nothing answers (a partition, not a refusal)" % seconds)
    return 1


def s5_postgres_down(run):
    seconds = 30 if run.full else 5
    sleep(2)
    run.ctx.pg.stop("immediate")
    log("postgres stopped (-m immediate) for %ds" % seconds)
    try:
        sleep(seconds)
    finally:
        run.ctx.pg.start()
    return 1


def meta_fault(run, behaviours, seconds):
    """Pixel A misbehaves in turn as each behaviour says; pixel B stays healthy."""
    for b in behaviours:
        run.ctx.meta.control(behaviour={config.PIXEL_A: b})
        log("fake meta: pixel A -> %s" % b)
        sleep(seconds)
    run.ctx.meta.control(behaviour={config.PIXEL_A: {"mode": "ok"}})
    return len(behaviours)


def s6a_meta_5xx(run):
    return meta_fault(run, [{"mode": "graph", "http": 500, "code": 2, "transient": True, "message": "Please retry your request later."},
                            {"mode": "status", "status": 502}, {"mode": "status", "status": 503}], 5 if run.full else 2)


def s6b_meta_timeouts(run):
    return meta_fault(run, [{"mode": "delay", "ms": 2500}], 10 if run.full else 3)


def s6c_meta_throttle(run):
    return meta_fault(run, [{"mode": "graph", "http": 400, "code": 4, "transient": True, "message": "(#4) Application request limit reached"},
                            {"mode": "graph", "http": 400, "code": 17, "subcode": 2446079, "transient": True, "message": "(#17) User request limit reached"},
                            {"mode": "graph", "http": 400, "code": 80004, "transient": True, "message": "(#80004) too many calls to this ad-account"}],
                      4 if run.full else 2)


def s6d_meta_token(run):
    new = "EAAB" + hashlib.sha256(str(time.time()).encode()).hexdigest()[:40]
    run.ctx.tokens.append(("rotated pixel token", new))
    run.ctx.meta.control(expect_token={config.PIXEL_A: hashlib.sha256(new.encode()).hexdigest()})
    log("fake meta: pixel A only accepts a new token (190 for the configured one)")
    sleep(8 if run.full else 3)
    out = run.stack.apply(**{config.TOKEN_ENV_A: new})
    run.notes.append("apply after 190: " + " / ".join(l.strip() for l in out.splitlines() if "resumed" in l)[:200])
    log("dispatchd apply with the new token")
    return 1


def s6e_meta_invalid(run):
    run.ctx.meta.control(reject_prefixes=["rej-"])
    log("fake meta: batches holding an event_id rej-* are rejected with code 100")
    sleep(10 if run.full else 3)
    run.ctx.meta.control(reject_prefixes=[])
    return 1


def s7_poison(run):
    rounds = 3 if run.full else 1
    injected = 0
    for i in range(rounds):
        sleep(2)
        injected += poison.inject(run.ctx.redis_port, run.stack.prefix, i + 1)
        log("poison round %d: %d entries" % (i + 1, injected))
    run.expect_other_dead = injected
    return injected


def s8_hostile(run):
    run.hostile.start()
    sleep(20 if run.full else 8)
    run.hostile.stop()
    return run.hostile.summary()["hostile_requests"]


def s9_canary(run):
    sleep(15 if run.full else 6)
    return 1


def s14_bot_dispatch_kill(run):
    """Scenario 2's kills while a bot funnel runs besides the load (bot.py): every accepted
    `/start <click id>` must reach Meta as one ViewContent, however often Telegram pushed it."""
    sink = forwardsink.ForwardSink(run.ctx).start()
    traffic = bot.BotTraffic(run.ctx, run.sid).start()
    try:
        strikes = s2_dispatch_kill(run)
    finally:
        traffic.stop()
    run.extra_outcomes += traffic.outcomes
    starts = [o for o in traffic.outcomes if o.kind == "telegram" and o.keys]
    run.notes.append("accepted counts every bot update pushed: the %d plain messages and %d redeliveries expect no event of their own, "
                     "so accepted exceeds delivered by them" % (traffic.counts["plain"], traffic.counts["redeliveries"]))
    run.figures["bot traffic"] = dict(traffic.counts, updates_answered_200=sum(1 for o in traffic.outcomes if o.kind == "telegram" and o.status == 200))

    def check(row):
        f = []
        refused = [o.status for o in traffic.outcomes if o.kind == "telegram" and o.status != 200]
        if refused:
            f.append("%d bot update(s) not answered 200: %s" % (len(refused), refused[:5]))
        if not starts:
            f.append("no /start was sent (the bot link gave no click id?)")
        rows = run.ctx.pg.psql(run.stack.db, "SELECT event_id, outcome FROM dispatch_attempts WHERE event_id LIKE 'telegram.%'")
        ledger = {}
        for eid, outcome in rows:
            ledger.setdefault(eid, []).append(outcome)
        # Two `sent` rows: the event went out twice. A redelivery that resent would look like this,
        # but so does the kill race the other scenarios count as `unacked` duplicates, so it is
        # reported (with the duplicates), not failed; a redelivery stopped by the ledger is a
        # `skipped_duplicate` row.
        twice = sorted(eid for eid, outs in ledger.items() if outs.count("sent") > 1)
        expected = {k for o in starts if o.accepted for k in o.keys}
        row["figures"]["bot ViewContents"] = {
            "expected": len(expected),
            "delivered": len(expected & {(r["pixel"], a["name"], a["id"]) for r in count.meta_records(os.path.join(run.stack.dir, "meta.jsonl"))
                                          for a in r["accepted"]}),
            "extra_acceptances": sum(d["times"] - 1 for d in row["duplicates"] if d["event_id"].startswith("telegram.")),
            "ledger_skipped_duplicate": sum(outs.count("skipped_duplicate") for outs in ledger.values()),
            "ledger_sent_twice": len(twice)}
        # The seller's backend (forward_url): every update answered 200 arrives, byte for byte.
        arrived = sink.wait_for(traffic.answered, 60)
        sink.stop()
        received, not_updates = sink.snapshot()
        missing = sorted(u for u in traffic.answered if u not in received)
        altered = sorted(u for u, bodies in received.items() if any(b != traffic.answered.get(u) for b in bodies))
        row["figures"]["forwards to the bot's backend"] = {
            "updates_answered_200": len(traffic.answered), "forwarded": len(set(received) & set(traffic.answered)),
            "extra_forwards": sum(len(b) - 1 for b in received.values()), "missing": len(missing), "altered": len(altered),
            "unknown": len(set(received) - set(traffic.answered)) + not_updates}
        if not arrived or missing:
            f.append("%d accepted update(s) never reached the bot's backend (forward_url), e.g. %s" % (len(missing), missing[:3]))
        if altered:
            f.append("%d update(s) forwarded with other bytes than Telegram sent, e.g. %s" % (len(altered), altered[:3]))
        if set(received) - set(traffic.answered) or not_updates:
            f.append("the bot's backend got updates no accepted push explains: %s, %d not an update" % (sorted(set(received) - set(traffic.answered))[:3], not_updates))
        return f
    run.post_checks.append(check)
    return strikes


SCENARIOS = [
    # (id, title, inject, options)
    ("1", "kill -9 ingestd under load, restarted", s1_ingest_kill, {}),
    ("2", "kill -9 dispatchd mid-batch (restarted; the last one left dead)", s2_dispatch_kill, {}),
    ("3", "kill -9 Redis (AOF, appendfsync always), restarted", s3_redis_kill, {}),
    ("4", "Redis unreachable (frozen) for 30 s", s4_redis_unreachable, {}),
    ("5", "Postgres stopped -m immediate for 30 s", s5_postgres_down, {}),
    ("6a", "Meta 500/502/503 for pixel A", s6a_meta_5xx, {}),
    ("6b", "Meta timeouts for pixel A (answers after 2.5 s, accepted)", s6b_meta_timeouts, {}),
    ("6c", "Meta throttling 4 / 17 / 80004 for pixel A", s6c_meta_throttle, {}),
    ("6d", "Meta 190 for pixel A, then a new token via dispatchd apply", s6d_meta_token, {}),
    ("6e", "Meta code 100 for some events in a batch", s6e_meta_invalid, {"reject_share": 0.08}),
    ("7", "poison entries in the streams", s7_poison, {}),
    ("8", "forged / replayed / oversized webhooks, hostile redirects", s8_hostile, {"hostile": True}),
    ("9", "canary: known email, phone and token (also in URLs), then grep everything", s9_canary,
     {"canary": True, "extras": canary.URLCanary}),
    ("10", "NUL and control characters in every client field, sales included", edge.s10_nul, {}),
    ("11", "one-address flood with the rate limiter on", edge.s11_one_address_flood,
     {"ingest_env": {"TRACKHUB_CLIENT_RATE_PER_SECOND": str(edge.RATE_PER_SECOND), "TRACKHUB_TRUSTED_PROXIES": "127.0.0.1"},
      "extras": lambda ctx: clients.ClientAddresses()}),
    ("12", "click flood during a Redis outage, spool capped at 256 KiB", edge.s12_outage_flood,
     {"ingest_env": {"TRACKHUB_SPOOL_MAX_BYTES": str(edge.SPOOL_CAP)}, "allowed_5xx": (503,)}),
    ("13", "200 slowloris connections, idle timeout 4 s", edge.s13_slowloris,
     {"ingest_env": {"TRACKHUB_HTTP_IDLE_TIMEOUT_MS": str(edge.IDLE_TIMEOUT_MS)}}),
    ("14", "Telegram bot updates (/start after real clicks, redelivered, plain) under kill -9 dispatchd, forwarded to the bot's backend",
     s14_bot_dispatch_kill, {"config": lambda ctx: config.yaml(forward_url=forwardsink.url(ctx))}),
    ("15", "master key rotated under load (k2 added, secrets rotate), kill -9 of the rotation and of a worker midway, k1 removed",
     rotation.s15_key_rotation, rotation.OPTIONS),
]

CI_SCENARIOS = ["1", "2", "3", "8", "9", "10", "11"]   # 12, 13 and 15 full-only: the CI step stays under 3 min
