"""One scenario's Trackhub: its own Postgres database and Redis key prefix on the shared
servers, `dispatchd migrate` + `dispatchd apply`, one ingestd and N dispatchd workers.

Timings are compressed so faults resolve in seconds (production values in parentheses):
claim idle 10 s (60 s), retry backoff 200 ms..3 s (1 s..15 min), throttle pause 3 s (60 s),
config refresh 1 s (5 s). The retry budget is raised to 40 attempts so a 30-s outage at Meta
ends delivered rather than exhausted, as the production schedule (12 attempts over hours)
would."""
import json
import os
import shutil
import time
import urllib.request

from . import config
from .procs import Daemon, log


class Trackhub:
    def __init__(self, ctx, name, workers=3, log_level="info", batch_size=200, config_text=None, extra_ingest_env=None,
                 extra_worker_env=None, own_key_file=False):
        """`config_text`: the YAML to apply instead of the fault suite's (config.yaml);
        `extra_ingest_env`, `extra_worker_env`: more ingestd / dispatchd run settings (the
        attribution tests use the first two); `own_key_file`: a copy of the run's master key
        file for this stack alone, for a scenario that rotates it (15)."""
        self.ctx, self.name, self.workers_wanted = ctx, name, workers
        self.config_text, self.extra_ingest_env = config_text, extra_ingest_env or {}
        self.extra_worker_env = extra_worker_env or {}
        self.db = "faults_" + name.replace("-", "_")
        self.prefix = "f" + name.replace("-", "")
        self.dir = os.path.join(ctx.run_dir, "scenarios", name)
        os.makedirs(self.dir, exist_ok=True)
        self.log_dir = os.path.join(ctx.run_dir, "logs", name)
        os.makedirs(self.log_dir, exist_ok=True)
        self.log_level, self.batch_size = log_level, batch_size
        self.ingest = None
        self.workers = {}
        self.secrets = dict(ctx.secrets)
        self.key_file = ctx.key_file
        if own_key_file:
            self.key_file = os.path.join(self.dir, "master.key")
            shutil.copyfile(ctx.key_file, self.key_file)
            os.chmod(self.key_file, 0o600)

    # -- environment ---------------------------------------------------------------------

    def base_env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKHUB_") and not k.startswith("FAULTS_")}
        env.update({
            "TRACKHUB_DATABASE_URL": self.ctx.pg.url(self.db),
            "TRACKHUB_REDIS_URL": self.ctx.redis.url,
            "TRACKHUB_STREAM_PREFIX": self.prefix,
            "TRACKHUB_MASTER_KEY_FILE": self.key_file,
            "TRACKHUB_LOG_LEVEL": self.log_level,
        })
        return env

    def cli_env(self):
        env = self.base_env()
        env.update(self.secrets)
        return env

    def worker_env(self):
        env = self.base_env()
        env.update({
            "TRACKHUB_GRAPH_BASE_URL": self.ctx.meta.base,
            "TRACKHUB_MERCADOPAGO_BASE_URL": self.ctx.meta.base,
            "TRACKHUB_ALLOW_LOOPBACK_HTTP": "1",  # the fakes are plain http on 127.0.0.1
            "TRACKHUB_ADMIN_PORT": "0",
            "TRACKHUB_SEND_TIMEOUT_MS": "1500",
            "TRACKHUB_CONNECT_TIMEOUT_MS": "1000",
            "TRACKHUB_CLAIM_IDLE_MS": "10000",
            "TRACKHUB_CLAIM_INTERVAL_MS": "1000",
            "TRACKHUB_RETRY_BASE_MS": "200",
            "TRACKHUB_RETRY_CAP_MS": "3000",
            "TRACKHUB_RETRY_MAX_ATTEMPTS": "40",
            "TRACKHUB_THROTTLE_PAUSE_MS": "3000",
            "TRACKHUB_THROTTLE_PAUSE_CAP_MS": "12000",  # throttles in a row: 3, 6, 12, 12 … s
            "TRACKHUB_CONFIG_REFRESH_MS": "1000",
            "TRACKHUB_POSTGRES_CONNECTIONS": "4",
        })
        env.update(self.extra_worker_env)
        return env

    def ingest_env(self):
        env = self.base_env()
        env.update({
            "TRACKHUB_INGEST_PORT": str(self.ctx.ingest_port),
            "TRACKHUB_SPOOL_DIR": os.path.join(self.dir, "spool"),
            "TRACKHUB_SNAPSHOT_POLL_MS": "200",
        })
        env.update(self.extra_ingest_env)
        return env

    # -- lifecycle -----------------------------------------------------------------------

    def cli(self, *args, timeout=60, env=None):
        """`dispatchd ARGS` as an operator runs it; `env`: settings to add for this call."""
        import subprocess
        r = subprocess.run([self.ctx.bin("dispatchd")] + list(args), env=dict(self.cli_env(), **(env or {})), capture_output=True,
                           text=True, timeout=timeout)
        with open(os.path.join(self.log_dir, "cli.log"), "a") as f:
            f.write("$ dispatchd %s (exit %d)\n%s%s\n" % (" ".join(args), r.returncode, r.stdout, r.stderr))
        if r.returncode != 0:
            raise RuntimeError("dispatchd %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr[-2000:]))
        return r.stdout

    def setup(self):
        self.ctx.pg.create_db(self.db)
        self.cli("migrate")
        path = os.path.join(self.dir, "trackhub.yaml")
        with open(path, "w") as f:
            f.write(self.config_text or config.yaml(self.batch_size))
        self.config_path = path
        self.cli("apply", path)
        self.start_ingest()
        for i in range(1, self.workers_wanted + 1):
            self.start_worker("w%d" % i)

    def apply(self, **new_secrets):
        """Applies the same file with new secret values (e.g. a rotated pixel token)."""
        self.secrets.update(new_secrets)
        return self.cli("apply", self.config_path)

    def start_ingest(self):
        if self.ingest is None:
            self.ingest = Daemon("ingestd", [self.ctx.bin("ingestd")], self.ingest_env(),
                                 os.path.join(self.log_dir, "ingestd.log"), self.ctx.registry)
        self.ingest.start()
        self.wait_ready()

    def wait_ready(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.readyz().get("ready"):
                return
            if not self.ingest.alive:
                raise RuntimeError("ingestd exited; see %s" % self.ingest.log_path)
            time.sleep(0.05)
        raise RuntimeError("ingestd not ready after %ss" % timeout)

    def readyz(self):
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/readyz" % self.ctx.ingest_port, timeout=2) as r:
                return json.loads(r.read())
        except Exception as e:  # 503 carries a body too
            body = getattr(e, "read", lambda: b"")()
            try:
                return json.loads(body)
            except ValueError:
                return {}

    def start_worker(self, name):
        d = self.workers.get(name)
        if d is None:
            d = Daemon("dispatchd-" + name, [self.ctx.bin("dispatchd"), "run", "--consumer", name], self.worker_env(),
                       os.path.join(self.log_dir, "dispatchd-%s.log" % name), self.ctx.registry)
            self.workers[name] = d
        d.start()
        d.wait_log("joined consumer group", timeout=60)
        return d

    def restart_ingest(self):
        """Stopped (SIGTERM, as systemd stops it) and started again: it reads the key file anew."""
        self.ingest.terminate()
        self.start_ingest()

    def restart_worker(self, name):
        """`dispatchd run` `name` stopped (SIGTERM) and started again, back in its group."""
        self.workers[name].terminate()
        self.start_worker(name)

    def stop(self):
        for d in list(self.workers.values()) + ([self.ingest] if self.ingest else []):
            d.terminate()
        log("%s: stopped its daemons" % self.name)

    def daemons(self):
        return [d for d in list(self.workers.values()) + [self.ingest] if d]

    def crashed(self):
        """Daemons that exited on their own (not killed by the suite): none is expected."""
        return [d.name for d in self.daemons() if d.proc and d.proc.poll() not in (None, -9, 0)]
