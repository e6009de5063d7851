"""Scenario 15 (issue 18, "rotation test under load"): the master key rotated the way
docs/PRIVACY.md tells an operator to, while the mixed load runs, with kill -9 on the rotation
and on a `dispatchd run` worker midway.

1. Sales are planted through the real path (signed webhooks at a higher rate, one known buyer
   per gateway account) so `webhook_inbox` holds enough bodies sealed with k1 for the rotation to
   be killed midway.
2. The new key k2 is rolled out in two steps, as docs/PRIVACY.md says: first added *below* k1
   (every daemon learns to open it while all still seal with k1), then moved first (the active
   key); after each step ingestd and the three workers are restarted one at a time (SIGTERM,
   start). Putting k2 first in one step, as the docs said before this scenario, lost sales: the
   restarted ingestd sealed with k2 while workers not yet restarted knew only k1 and
   dead-lettered those envelopes ("sealed value uses unknown key id k2").
3. `dispatchd secrets rotate --batch-size 5` runs; once it has re-sealed a share of the bodies a
   worker is killed with -9, a little later the rotation itself; the worker is started again and
   `secrets rotate` re-run until it re-seals nothing.
4. `secrets status` must say that nothing refers to k1 and nothing is purpose-only (the stream
   entries ingestd sealed with k1 leave with the trim: the workers run with a short
   TRACKHUB_STREAM_RETENTION_MS), and a `pg_dump` of the database must hold no value sealed
   with k1. Then k1 is removed from the key file, the daemons restarted one at a time, the known
   buyers exported with k2 alone and the purpose-only fallback refused (their bodies must open),
   and one more sale per gateway account must reach the fake Meta.

Every planted and later sale is counted with the load (`extra_outcomes`): lost must be 0.

FAULTS_ROTATION_ONE_STEP=1 rolls the key out the wrong way instead (k2 first at once, one rolling
restart), then runs `dispatchd dlq replay --reason unparseable`: the sales the not-yet-restarted
workers dead-lettered must all be replayed and delivered (lost 0 still), which needs their dead
letters to hold the envelope (`DeadLetter.envelope`)."""
import base64
import json
import os
import re
import urllib.parse
import subprocess
import threading
import time

from . import config, count
from .http1 import Client
from .load import Load, Outcome, deliver, refused_for_sure
from .procs import log
from .signer import Buyer, transaction_id

RETENTION_MS = 15000        # acknowledged stream entries older than this are trimmed (production: 24 h)
PLANT_SECONDS, PLANT_RATE = 20, 120
KILLED_BATCH = 5            # the killed run's --batch-size: many short transactions
KILL_WORKER_AT, KILL_ROTATE_AT = 0.15, 0.40   # share of the old bodies re-sealed at each kill -9
SEALED_WITH = re.compile(r"v[12]\.(k[0-9]+)\.")

OPTIONS = {"own_key_file": True, "worker_env": {"TRACKHUB_STREAM_RETENTION_MS": str(RETENTION_MS)}}


def key_line(key_id):
    """One key file line, as KeyRing.generateKeyLine writes it: `ID:BASE64(32 random bytes)`."""
    return "%s:%s" % (key_id, base64.b64encode(os.urandom(32)).decode())


def write_key_file(path, lines):
    """Replaces the key file atomically, mode 0600 (the daemons refuse a more open file)."""
    tmp = path + ".new"
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write("".join(line + "\n" for line in lines))
    os.replace(tmp, path)


def restart_all(stack, why):
    """ingestd, then each worker, one at a time: the documented way to load a changed key file."""
    stack.restart_ingest()
    for name in sorted(stack.workers):
        stack.restart_worker(name)
    log("restarted ingestd and dispatchd %s one at a time (%s)" % (", ".join(sorted(stack.workers)), why))


def pending_bodies(run, key):
    """Stored webhook bodies not yet bound under `key`, and all of them."""
    rows = run.ctx.pg.psql(run.stack.db, "SELECT count(*) FILTER (WHERE NOT starts_with(body_sealed, 'v2.%s.')), count(*) "
                                         "FROM webhook_inbox" % key)
    return int(rows[0][0]), int(rows[0][1])


def resealed_counts(stdout):
    """`done: place N, place N; …` of `secrets rotate` as {place: N}."""
    line = next((l for l in stdout.splitlines() if l.startswith("done: ")), "")
    return {place: int(n) for place, n in re.findall(r"([a-z_]+\.[a-z_]+) (\d+)", line.split(";")[0])}


def known_sales(run, label):
    """One sale per gateway account with a buyer whose e-mail the scenario knows; returns the
    outcomes (counted with the load) and the (tenant, gateway, e-mail) of each. `label`: a digit
    (transaction ids of some gateways are numbers)."""
    client = Client(run.ctx.ingest_port, timeout=15)
    outcomes, buyers = [], []
    try:
        for i, ((gateway, account), (_, pixel)) in enumerate(sorted(config.ACCOUNTS.items())):
            email = "rotacao.%s.%s.%s@cliente.test" % (label, gateway, account)
            buyer = Buyer(email, "Joana Rotação Pereira", "1198%07d" % (i * 7919 % 10**7))
            tx = transaction_id(gateway, 9000000 + i, "%s8%s" % (run.sid, label))
            d = run.ctx.signer.sign(gateway, tx, buyer, config.account_secret(run.ctx.secrets, gateway, account), account=account)
            o = Outcome("webhook", 0, keys=[(pixel, "Purchase", d.event_id)], note=gateway)
            outcomes.append(refused_for_sure(deliver(client, o, d.target, d.body, dict(d.headers))))
            buyers.append((config.TENANT_A if pixel == config.PIXEL_A else config.TENANT_B, gateway, email))
    finally:
        client.close()
    return outcomes, buyers


def delivered(run, outcomes):
    keys = {k for o in outcomes for k in o.keys}
    seen = {(r["pixel"], a["name"], a["id"]) for r in count.meta_records(os.path.join(run.stack.dir, "meta.jsonl"))
            for a in r["accepted"]}
    return len(keys & seen), len(keys)


def body_opened(export, email):
    """The export of a buyer holds their stored webhook bodies opened (an unreadable one is
    exported empty), the e-mail in clear (form-encoded in Monetizze's)."""
    try:
        bodies = [w.get("body") or "" for w in json.loads(export).get("webhooks", [])]
    except ValueError:
        return False
    return bool(bodies) and all(bodies) and any(email in b or urllib.parse.quote(email) in b for b in bodies)


def wait_for(predicate, timeout, poll=1.0):
    """`predicate()` until it is true or `timeout` seconds passed; its last value."""
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value or time.time() >= deadline:
            return value
        time.sleep(poll)


class KilledRotation:
    """`dispatchd secrets rotate` in the background, its progress read line by line (stdbuf
    -oL: the lines arrive as each batch commits), so kill -9 lands at a known point."""

    def __init__(self, run, batch):
        self.resealed, self.lines = 0, []
        argv = ["stdbuf", "-oL", run.ctx.bin("dispatchd"), "secrets", "rotate", "--batch-size", str(batch)]
        self.proc = subprocess.Popen(argv, env=run.stack.cli_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True)
        run.ctx.registry.add(self.proc.pid)
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            m = re.match(r"webhook_inbox\.body_sealed: (\d+) re-sealed so far", line)
            if m:
                self.resealed = int(m.group(1))

    def wait_resealed(self, n, timeout=120):
        deadline = time.time() + timeout
        while self.resealed < n and self.proc.poll() is None and time.time() < deadline:
            time.sleep(0.002)
        return self.resealed

    def kill9(self):
        alive = self.proc.poll() is None
        if alive:
            self.proc.kill()
        self.proc.wait()
        self.reader.join(timeout=5)
        return alive


def s15_key_rotation(run):
    stack, ctx = run.stack, run.ctx
    figures = run.figures
    failures = []

    # 1. Bodies sealed with k1, through the real path.
    plant = Load(ctx, "%s9%03d" % (run.sid, os.getpid() % 1000), rate=PLANT_RATE, threads=6, weights={"webhook": 1}).start()
    time.sleep(PLANT_SECONDS)
    plant.stop()
    run.extra_outcomes += plant.snapshot()
    before, buyers = known_sales(run, "1")
    run.extra_outcomes += before
    wait_for(lambda: delivered(run, before)[0] == len(before), 60)
    old, total = pending_bodies(run, "k2")
    figures["planted"] = {"sales_sent": len(plant.snapshot()) + len(before), "bodies_sealed_k1": old}
    log("planted %d sales; %d stored bodies sealed with k1" % (figures["planted"]["sales_sent"], old))

    # 2. k2 known everywhere, then active; a rolling restart after each step.
    k1 = open(stack.key_file).read().split()[0]
    k2 = key_line("k2")
    one_step = os.environ.get("FAULTS_ROTATION_ONE_STEP") == "1"
    if one_step:
        write_key_file(stack.key_file, [k2, k1])
        restart_all(stack, "k2 put first in one step: FAULTS_ROTATION_ONE_STEP")
        replay = stack.cli("dlq", "replay", "--reason", "unparseable")
        figures["one-step rollout, then dlq replay --reason unparseable"] = " / ".join(replay.strip().splitlines())[:300]
        run.notes.append("FAULTS_ROTATION_ONE_STEP=1: the key put first in one step (the wrong order), the dead letters replayed")
    else:
        write_key_file(stack.key_file, [k1, k2])
        restart_all(stack, "k2 added below k1")
        write_key_file(stack.key_file, [k2, k1])
        restart_all(stack, "k2 moved first")

    # 3. Rotation under load; kill -9 a worker, then the rotation, midway.
    started = time.time()
    old, total = pending_bodies(run, "k2")
    killed = KilledRotation(run, KILLED_BATCH)
    at_worker = killed.wait_resealed(int(old * KILL_WORKER_AT))
    victim = sorted(stack.workers)[1]
    stack.workers[victim].kill9()
    log("kill -9 dispatchd %s during the rotation (%d of %d bodies re-sealed)" % (victim, at_worker, old))
    at_rotate = killed.wait_resealed(int(old * KILL_ROTATE_AT))
    was_running = killed.kill9()
    left, _ = pending_bodies(run, "k2")
    log("kill -9 secrets rotate at %d of %d bodies re-sealed (%d not bound under k2 in Postgres)" % (at_rotate, old, left))
    if not was_running or left == 0:
        failures.append("the rotation finished before kill -9 reached it (%d of %d re-sealed): nothing was tested" % (at_rotate, old))
    stack.start_worker(victim)
    runs = []
    for _ in range(5):
        done = resealed_counts(stack.cli("secrets", "rotate", "--batch-size", "100", timeout=300))
        runs.append(done)
        if done and not any(done.values()):
            break
    seconds = round(time.time() - started, 1)
    figures["kill -9 points"] = {"bodies_to_reseal": old, "worker_killed_at": at_worker, "rotate_killed_at": at_rotate,
                                 "not_yet_bound_after_kill": left}
    figures["re-sealed per run"] = "; ".join(
        ["run 1 (killed): %d bodies, after the tokens and secrets" % at_rotate] +
        ["run %d: %s" % (i + 2, ", ".join("%s %d" % kv for kv in d.items() if kv[1]) or "nothing") for i, d in enumerate(runs)])
    figures["rotation seconds"] = seconds
    if not runs[-1] or any(runs[-1].values()):
        failures.append("secrets rotate still re-sealed values after %d runs: %s" % (len(runs), runs[-1]))

    # 4. Nothing refers to k1: secrets status (streams trimmed after RETENTION_MS) and a pg_dump.
    def k1_unreferenced():
        out = stack.cli("secrets", "status")
        return out if "key k1: nothing refers to it" in out else None
    t = time.time()
    status = wait_for(k1_unreferenced, RETENTION_MS / 1000.0 + 60, poll=2)
    figures["k1 unreferenced after (s)"] = round(time.time() - t, 1)
    if not status:
        failures.append("secrets status still names k1: %s" % stack.cli("secrets", "status").strip().splitlines()[-3:])
    elif "purpose-only values: none" not in status:
        failures.append("secrets status: purpose-only values left: %s" % status.strip().splitlines()[-1])
    dump = subprocess.run(["pg_dump", "-h", "127.0.0.1", "-p", str(ctx.pg_port), "-U", "trackhub", "-d", stack.db],
                          capture_output=True, text=True, timeout=120).stdout
    by_key = {}
    for k in SEALED_WITH.findall(dump):
        by_key[k] = by_key.get(k, 0) + 1
    figures["sealed values in pg_dump by key"] = by_key
    if by_key.get("k1"):
        failures.append("%d value(s) sealed with k1 still in Postgres (pg_dump)" % by_key["k1"])

    # 5. k1 removed; everything opens with k2 alone; events still flow.
    write_key_file(stack.key_file, [k2])
    restart_all(stack, "k1 removed")
    # A Mercado Pago notification names only the payment: its buyer is not found by e-mail.
    buyers = [(tenant, email) for tenant, gateway, email in buyers if gateway != "mercadopago"]
    opened = 0
    for tenant, email in buyers:
        out = stack.cli("privacy", "export", "--tenant", tenant, "--email", email, env={"TRACKHUB_SEAL_ACCEPT_PURPOSE_ONLY": "false"})
        opened += body_opened(out, email)
    figures["known buyers' bodies opened with k2 alone (privacy export)"] = "%d of %d" % (opened, len(buyers))
    if opened != len(buyers):
        failures.append("privacy export with k2 alone opened %d of %d known buyers' webhook bodies" % (opened, len(buyers)))
    after, _ = known_sales(run, "2")
    run.extra_outcomes += after
    wait_for(lambda: delivered(run, after)[0] == len(after), 60)
    n = delivered(run, after)[0]
    figures["sales after k1 removed, delivered"] = "%d of %d" % (n, len(after))
    if n != len(after):
        failures.append("sales sent with k2 alone did not all reach the fake Meta: %d of %d" % (n, len(after)))

    run.notes.append(("key file changed the wrong way (k2 put first in one step" if one_step else
                      "key file changed as docs/PRIVACY.md says (k2 added below k1, then moved first") + "; k1 removed at the end; 0600), "
                     "ingestd and the three workers restarted one at a time (SIGTERM, start) after each change; workers with TRACKHUB_STREAM_RETENTION_MS=%d "
                     "so the stream entries sealed with k1 are trimmed within the scenario" % RETENTION_MS)
    run.post_checks.append(lambda row: failures)
    return 3   # kill -9 worker, kill -9 rotate, the old key removed
