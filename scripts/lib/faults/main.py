"""scripts/faults' driver: starts the shared servers (Redis with AOF + appendfsync always,
Postgres, the fake Meta) on the given ports under RUN_DIR, runs the scenarios, runs the
canary check over everything written, writes results.json (and the report when asked), and
stops everything it started — also on Ctrl-C, SIGTERM or an error. Exit 1 when a check fails."""
import argparse
import base64
import json
import os
import shutil
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from faults import canary, config, report, scenarios  # noqa: E402
from faults.context import Context  # noqa: E402
from faults.procs import FakeMeta, Postgres, Redis, Registry, log  # noqa: E402
from faults.runner import run_one  # noqa: E402
from faults.signer import Signer  # noqa: E402


def parse():
    p = argparse.ArgumentParser(prog="scripts/faults")
    p.add_argument("--bin-dir", required=True)
    p.add_argument("--run-dir", required=True)
    p.add_argument("--ci", action="store_true", help="the short subset scripts/test runs")
    p.add_argument("--only", help="comma-separated scenario ids (default: all, or the CI subset)")
    p.add_argument("--port-base", type=int, default=7200)
    p.add_argument("--rate", type=float, help="logical requests per second (default 60, CI 40)")
    p.add_argument("--report", help="write the markdown report here")
    p.add_argument("--command", default="scripts/faults", help="the command line to print in the report")
    return p.parse_args()


def main():
    a = parse()
    full = not a.ci
    run_dir = os.path.abspath(a.run_dir)
    for name in ("ingestd", "dispatchd", "trackhub-fake"):
        if not os.access(os.path.join(a.bin_dir, name), os.X_OK):
            sys.exit("no executable %s in %s" % (name, a.bin_dir))
    shutil.rmtree(run_dir, ignore_errors=True)
    os.makedirs(os.path.join(run_dir, "logs"))
    key_file = os.path.join(run_dir, "master.key")
    with os.fdopen(os.open(key_file, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
        f.write("k1:%s\n" % base64.b64encode(os.urandom(32)).decode())
    canary_token = "EAAGcanary" + base64.b32encode(os.urandom(15)).decode().lower()
    secrets = config.secrets(canary_token)
    ctx = Context(
        full=full, run_dir=run_dir, bin_dir=a.bin_dir,
        redis_port=a.port_base + 1, pg_port=a.port_base + 2, meta_port=a.port_base + 3, ingest_port=a.port_base + 10,
        rate=a.rate or (60 if full else 40), threads=6 if full else 4,
        warmup=4 if full else 2, cooldown=4 if full else 2, settle_timeout=150 if full else 60, meta_latency_ms=40,
        registry=Registry(os.path.join(run_dir, "pids")), key_file=key_file, secrets=secrets,
        tokens=[("pixel token A", canary_token)] + [(k, v) for k, v in secrets.items() if k != config.TOKEN_ENV_A])
    ctx.redis = Redis(os.path.join(run_dir, "redis"), ctx.redis_port)
    ctx.pg = Postgres(os.path.join(run_dir, "pg"), ctx.pg_port)
    ctx.meta = FakeMeta(ctx.bin("trackhub-fake"), ctx.meta_port, os.path.join(run_dir, "logs", "fakemeta.log"), ctx.registry)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt("signal %d" % signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)   # also when started with SIGINT ignored (a background job)
    signal.signal(signal.SIGALRM, on_signal)
    signal.alarm(int(os.environ.get("TRACKHUB_FAULTS_BUDGET_S", 1800 if ctx.full else 360)))  # bounded in time

    wanted = a.only.split(",") if a.only else (None if ctx.full else scenarios.CI_SCENARIOS)
    rows, failures = [], []
    started = time.time()
    try:
        log("starting Redis :%d (AOF, appendfsync always), Postgres :%d, fake Meta :%d; ingestd will listen on :%d"
            % (ctx.redis_port, ctx.pg_port, ctx.meta_port, ctx.ingest_port))
        ctx.redis.start()
        ctx.pg.start()
        ctx.meta.start()
        ctx.signer = Signer(ctx.bin("trackhub-fake"), ctx.registry)
        for sid, title, inject, opts in scenarios.SCENARIOS:
            if wanted and sid not in wanted:
                continue
            row = run_one(ctx, sid, title, inject, opts, ctx.full)
            rows.append(row)
            failures += row["failures"]
            log("scenario %s: accepted=%s delivered=%s dead_lettered=%s lost=%s duplicated=%s (%ss)%s" % (
                sid, row.get("accepted"), row.get("delivered"), row.get("dead_lettered"), row.get("lost"),
                row.get("duplicated"), row.get("seconds"), " FAILED: %s" % row["failures"] if row["failures"] else ""))
        if any(r["id"] == "9" for r in rows):
            result = canary.check(ctx, ctx.tokens)
            next(r for r in rows if r["id"] == "9")["canary"] = result
            log("canary: %s" % {k: v for k, v in result.items() if k != "hit_sample"})
            if result["hits"]:
                failures.append("9: canary found in clear: %s" % result["hit_sample"])
            if not result["email_hash_occurrences"]:
                failures.append("9: the canary's email hash is nowhere in Postgres: the canary did not go through")
    except KeyboardInterrupt as e:
        failures.append("interrupted (%s)" % e)
        log("interrupted; stopping")
    finally:
        stop_all(ctx)
    results = {"started": started, "seconds": round(time.time() - started), "ci": not ctx.full, "rows": rows,
               "failures": failures, "command": a.command, "rate": ctx.rate, "machine": report.machine(a.bin_dir)}
    with open(os.path.join(ctx.run_dir, "results.json"), "w") as f:
        json.dump(results, f, indent=1, default=str)
    print(report.table(results))
    if a.report:
        with open(a.report, "w") as f:
            f.write(report.markdown(results))
        log("report written to %s" % a.report)
    for failure in failures:
        log("FAILED " + failure)
    log("%s in %ds" % ("FAILED" if failures else "passed", results["seconds"]))
    return 1 if failures else 0


def stop_all(ctx):
    if ctx.signer:
        ctx.signer.close()
    ctx.meta.daemon.terminate(timeout=5)
    try:
        ctx.redis.stop()
    except Exception as e:
        log("redis stop: %r" % e)
    try:
        ctx.pg.stop("fast")
    except Exception as e:
        log("postgres stop: %r" % e)


if __name__ == "__main__":
    sys.exit(main())
