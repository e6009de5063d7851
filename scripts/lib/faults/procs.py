"""Processes the fault suite starts and breaks: Redis and Postgres (through the helpers in
scripts/lib/common.sh, so they run exactly like scripts/run and scripts/test start them), the
fake Meta, ingestd and dispatchd. Every pid goes to RUN_DIR/pids so scripts/faults can stop
them by id even if this driver dies; `stop_all` stops everything it started."""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
COMMON_SH = os.path.join(HERE, "..", "common.sh")


def log(msg):
    print("[faults] " + msg, file=sys.stderr, flush=True)


def sh(function, *args):
    """Runs a common.sh function (th_redis_start, th_pg_start, …) with `args` as its own
    arguments (no shell quoting: bash gets them as $2…); raises on failure."""
    subprocess.run(["bash", "-c", 'source "$1"; shift; "$@"', "th-common", COMMON_SH, function] + [str(a) for a in args],
                   check=True)


class Daemon:
    """One long-running process; its stdout+stderr are appended to `log_path` across restarts."""

    def __init__(self, name, argv, env, log_path, registry):
        self.name, self.argv, self.env, self.log_path, self.registry = name, argv, env, log_path, registry
        self.proc = None
        self.log_offset = 0

    def start(self):
        self.log_offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        out = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.argv, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        self.registry.add(self.proc.pid)
        return self

    @property
    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def new_log(self):
        with open(self.log_path, "rb") as f:
            f.seek(self.log_offset)
            return f.read().decode("utf-8", "replace")

    def wait_log(self, needle, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if needle in self.new_log():
                return True
            if not self.alive:
                raise RuntimeError("%s exited (%s) before logging %r; see %s" % (self.name, self.proc.returncode, needle, self.log_path))
            time.sleep(0.1)
        raise RuntimeError("%s did not log %r within %ss; see %s" % (self.name, needle, timeout, self.log_path))

    def kill9(self):
        if self.alive:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def terminate(self, timeout=15):
        if not self.alive:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            log("%s ignored SIGTERM for %ss; killing" % (self.name, timeout))
            self.kill9()


class Registry:
    """Pids this run started, mirrored to a file for scripts/faults' exit trap."""

    def __init__(self, path):
        self.path = path
        self.pids = set()

    def add(self, pid):
        self.pids.add(pid)
        with open(self.path, "a") as f:
            f.write("%d\n" % pid)


class Redis:
    def __init__(self, dir, port):
        self.dir, self.port = dir, port
        self.url = "redis://127.0.0.1:%d/0" % port

    def start(self):
        sh("th_redis_start", self.dir, self.port, "always")

    def pid(self):
        try:
            return int(open(os.path.join(self.dir, "redis.pid")).read().strip())
        except (OSError, ValueError):
            return None

    def signal(self, sig):
        pid = self.pid()
        if pid:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        return pid

    def kill9(self):
        pid = self.signal(signal.SIGKILL)
        for _ in range(100):
            try:
                os.kill(pid, 0)
                time.sleep(0.05)
            except (ProcessLookupError, TypeError):
                break
        try:
            os.remove(os.path.join(self.dir, "redis.pid"))
        except OSError:
            pass

    def stop(self):
        self.signal(signal.SIGCONT)
        sh("th_redis_stop", self.dir, self.port)

    def cli(self, *args, raw=False):
        r = subprocess.run(["redis-cli", "-p", str(self.port)] + (["--raw"] if raw else []) + [str(a) for a in args],
                           capture_output=True, text=True, timeout=30)
        return r.stdout


class Postgres:
    def __init__(self, dir, port):
        self.dir, self.port = dir, port

    def start(self):
        sh("th_pg_start", self.dir, self.port)

    def stop(self, mode="fast"):
        sh("th_pg_stop", self.dir, mode)

    def url(self, db):
        return "postgres://trackhub@127.0.0.1:%d/%s" % (self.port, db)

    def psql(self, db, sql):
        """Rows of a query as lists of strings (tab-separated output)."""
        r = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "trackhub", "-d", db, "-XAtq",
                            "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError("psql failed: %s" % r.stderr.strip())
        return [line.split("\t") for line in r.stdout.splitlines() if line]

    def create_db(self, db):
        self.psql("postgres", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % db)
        self.psql("postgres", "CREATE DATABASE %s" % db)


class FakeMeta:
    """`trackhub-fake meta`: the fake Meta (validating with production's validator), Mercado
    Pago's payments API and the control API (`POST /_control`, see FakeControlCommand.swift)."""

    def __init__(self, executable, port, log_path, registry):
        self.port = port
        self.base = "http://127.0.0.1:%d" % port
        self.daemon = Daemon("fakemeta", [executable, "meta", "--port", str(port)], dict(os.environ), log_path, registry)

    def start(self):
        self.daemon.start()
        self.daemon.wait_log("trackhub-fake meta listening", timeout=10)

    def control(self, **command):
        req = urllib.request.Request(self.base + "/_control", data=json.dumps(command).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())
