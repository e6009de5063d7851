"""A Trackhub for attribution checks, on Redis and Postgres that are already running: the fault
suite's pieces (faults.stack.Trackhub: `dispatchd migrate` + `apply`, one ingestd, N dispatchd
workers; the fake Meta recording what it accepts; `trackhub-fake sign` for gateway webhooks
signed like the Swift tests sign them), with a configuration of the caller's. Used by
scripts/lib/browser-tests/attribution_test.py and scripts/attribution."""
import base64
import json
import os
import signal
import socket
import urllib.error
import urllib.request

from faults.context import Context
from faults.procs import FakeMeta, Postgres, Redis, Registry
from faults.signer import Signer
from faults.stack import Trackhub


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Harness:
    """`start()` brings up the fake Meta, the daemons and the signer; `stop()` ends them and drops
    the database. `records` is the fake Meta's log of accepted events (one JSON line per request)."""

    def __init__(self, run_dir, bin_dir, redis_port, pg_port, name, config_text, secrets, workers=1, extra_ingest_env=None):
        os.makedirs(run_dir, exist_ok=True)
        key_file = os.path.join(run_dir, "master.key")
        with os.fdopen(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write("k1:%s\n" % base64.b64encode(os.urandom(32)).decode())
        self.ctx = Context(
            full=False, run_dir=run_dir, bin_dir=bin_dir, redis_port=redis_port, pg_port=pg_port,
            meta_port=free_port(), ingest_port=free_port(), rate=0, threads=1, warmup=0, cooldown=0,
            settle_timeout=120, meta_latency_ms=0, registry=Registry(os.path.join(run_dir, "pids")),
            key_file=key_file, secrets=dict(secrets))
        self.ctx.redis = Redis(os.path.join(run_dir, "redis"), redis_port)
        self.ctx.pg = Postgres(os.path.join(run_dir, "pg"), pg_port)
        self.ctx.meta = FakeMeta(self.ctx.bin("trackhub-fake"), self.ctx.meta_port,
                                 os.path.join(run_dir, "fakemeta.log"), self.ctx.registry)
        self.stack = Trackhub(self.ctx, name, workers=workers, config_text=config_text, extra_ingest_env=extra_ingest_env)
        self.records = os.path.join(run_dir, "meta-records.jsonl")
        self.ingest_url = "http://127.0.0.1:%d" % self.ctx.ingest_port

    def start(self):
        self.ctx.meta.start()
        self.ctx.meta.control(reset={"records": self.records})
        self.stack.setup()
        self.ctx.signer = Signer(self.ctx.bin("trackhub-fake"), self.ctx.registry)

    def stop(self):
        if self.ctx.signer:
            self.ctx.signer.close()
        self.stack.stop()
        self.ctx.meta.daemon.terminate()
        try:
            self.ctx.pg.psql("postgres", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.stack.db)
        except RuntimeError:
            pass

    def sql(self, statement):
        return self.ctx.pg.psql(self.stack.db, statement)

    def post(self, path, body, headers):
        """POSTs to ingestd; the HTTP status (an error status is returned, not raised)."""
        req = urllib.request.Request(self.ingest_url + path, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def accepted(self):
        """Every event the fake Meta accepted: dicts with pixel, name, id, order (and keys, the
        user_data keys it carried)."""
        out = []
        if os.path.exists(self.records):
            with open(self.records) as f:
                for line in f:
                    r = json.loads(line)
                    out += [dict(a, pixel=r["pixel"]) for a in r.get("accepted", [])]
        return out

    def pause_workers(self):
        """Stops every dispatchd worker (SIGSTOP) so what ingestd accepts meanwhile queues up."""
        for d in self.stack.workers.values():
            os.kill(d.proc.pid, signal.SIGSTOP)

    def resume_workers(self):
        for d in self.stack.workers.values():
            os.kill(d.proc.pid, signal.SIGCONT)

    def count_log(self, message):
        """How many lines of the dispatchd workers' logs carry `message` (a constant log message)."""
        n = 0
        for d in self.stack.workers.values():
            with open(d.log_path, errors="replace") as f:
                n += sum(1 for line in f if message in line)
        return n

    def logs(self, lines=15):
        """The last lines of every daemon's log, for a failed run."""
        out = []
        for d in self.stack.daemons() + [self.ctx.meta.daemon]:
            with open(d.log_path, errors="replace") as f:
                out.append("--- %s\n%s" % (d.name, "\n".join(f.read().splitlines()[-lines:])))
        return "\n".join(out)
