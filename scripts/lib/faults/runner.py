"""Runs one scenario end to end: fresh database and key prefix, daemons up, load on, warm-up,
the fault, cool-down, load off, settle, count, daemons down. Returns the report row and the
list of failed checks."""
import hashlib
import os
import random
import time
from dataclasses import dataclass, field

from . import canary, config
from .context import Context
from .count import tally, wait_settled
from .hostile import Hostile
from .load import Load, Outcome
from .procs import log
from .stack import Trackhub


@dataclass
class Run:
    """One scenario's state, handed to its `inject`."""
    ctx: Context
    sid: str
    full: bool
    stack: Trackhub = None
    load: Load = None
    hostile: Hostile = None
    notes: list = field(default_factory=list)   # what the report should say
    expect_other_dead: int = 0                  # poison entries that must end as dead letters
    extra_outcomes: list = field(default_factory=list)  # requests the scenario sent besides the load
    figures: dict = field(default_factory=dict)  # the scenario's own measurements, label -> value
    post_checks: list = field(default_factory=list)  # callables row -> [failure, …], run after counting
    allowed_5xx: tuple = ()                     # answers this scenario expects (503 under a spool cap)


def run_one(ctx, sid, title, inject, opts, full):
    run = Run(ctx, sid, full)
    name = "s" + sid
    tag = "%s%03d" % (sid, random.randrange(1000))
    started = time.time()
    run.allowed_5xx = tuple(opts.get("allowed_5xx", ()))
    run.stack = stack = Trackhub(ctx, name, workers=3, log_level="debug" if opts.get("canary") else "info",
                                 extra_ingest_env=opts.get("ingest_env"), extra_worker_env=opts.get("worker_env"),
                                 own_key_file=opts.get("own_key_file", False),
                                 config_text=opts["config"](ctx) if opts.get("config") else None)
    records = os.path.join(stack.dir, "meta.jsonl")
    ctx.meta.control(reset={"records": records}, latency_ms=ctx.meta_latency_ms,
                     mp_token=hashlib.sha256(ctx.secrets[config.MP_TOKEN_ENV].encode()).hexdigest())
    log("scenario %s: %s" % (sid, title))
    failures = []
    try:
        stack.setup()
        kwargs = {"reject_share": opts.get("reject_share", 0.0)}
        if opts.get("canary"):
            kwargs.update(buyer=canary.buyer(), track_user=canary.track_user())
        if opts.get("extras"):
            kwargs["extras"] = opts["extras"](ctx)
        run.load = Load(ctx, tag, rate=ctx.rate, threads=ctx.threads, **kwargs).start()
        if opts.get("hostile"):
            run.hostile = Hostile(ctx, tag)
        time.sleep(ctx.warmup)
        t0 = time.time()
        strikes = inject(run)
        t1 = time.time()
        time.sleep(ctx.cooldown)
        run.load.stop()
        outcomes = run.load.snapshot() + run.extra_outcomes
        if run.hostile:
            outcomes += [Outcome("webhook", 200 if 200 in codes else codes[-1], keys=[(p, n, i)])
                         for p, n, i, codes in run.hostile.replays]
            outcomes += [Outcome("click", 302, keys=[key]) for key in run.hostile.clicks]
        crashed = stack.crashed()
        final = wait_settled(ctx, stack, outcomes, records, ctx.settle_timeout)
        row = tally(ctx, stack, outcomes, records, (t0, t1))
        row.update({"id": sid, "title": title, "strikes": strikes, "fault_seconds": round(t1 - t0, 1),
                    "notes": run.notes, "crashed": crashed, "final_queues": final, "figures": run.figures})
        if run.hostile:
            row["hostile"] = run.hostile.summary()
        if opts.get("canary"):
            row["canary_requests"] = row["accepted"]
        failures += checks(row, run)
    except Exception as e:  # a harness or setup failure is a failed scenario, not a crash of the suite
        log("scenario %s failed: %r" % (sid, e))
        row = {"id": sid, "title": title, "error": repr(e)}
        failures.append("%s: %r" % (sid, e))
        if run.load:
            run.load.stop()
        if run.hostile and run.hostile.thread:
            run.hostile.stop()
    finally:
        stack.stop()
    row["seconds"] = round(time.time() - started, 1)
    row["failures"] = failures
    return row


def checks(row, run):
    f = []
    sid = row["id"]
    if row["lost"]:
        f.append("%s: %d accepted event(s) lost, e.g. %s" % (sid, row["lost"], row["lost_sample"][:3]))
    if row.get("unledgered"):
        f.append("%s: %d event(s) Meta accepted have no ledger row, e.g. %s" % (sid, row["unledgered"], row["unledgered_sample"][:3]))
    if row["foreign"]:
        f.append("%s: %d delivery(ies) under an unexpected event_id: %s" % (sid, row["foreign"], row["foreign_sample"]))
    unexpected_5xx = sum(n for code, n in row["statuses"].items() if int(code) >= 500 and int(code) not in run.allowed_5xx)
    if unexpected_5xx:
        f.append("%s: ingestd answered 5xx %d time(s)" % (sid, unexpected_5xx))
    stuck = {k: v for k, v in row["final_queues"].items() if v}
    if stuck:
        f.append("%s: did not settle (stream entries, retries or spool still waiting): %s" % (sid, stuck))
    if row["crashed"]:
        f.append("%s: daemon(s) exited on their own: %s" % (sid, row["crashed"]))
    if run.expect_other_dead and sum(row["other_dead_letters"].values()) != run.expect_other_dead:
        f.append("%s: %d poison entries, %s dead letters without event" % (sid, run.expect_other_dead, row["other_dead_letters"]))
    h = row.get("hostile")
    if h and (h["violations"] or h["forged_accepted"]):
        f.append("%s: hostile traffic violations: %s" % (sid, h["violation_sample"]))
    if row["accepted"] == 0:
        f.append("%s: nothing was accepted (no load?)" % sid)
    for check in run.post_checks:
        f += ["%s: %s" % (sid, x) for x in check(row)]
    return f
