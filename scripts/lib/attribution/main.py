"""scripts/attribution's driver: a seeded synthetic funnel (population.py) through the real
daemons and the fake Meta, then precision and recall of sale↔click matching, the user_data keys
of every Purchase, and wrong-person matches, written to docs/ATTRIBUTION.md.

Order of a run: every ad click (`GET /go/{slug}`, the person's IP in X-Forwarded-For, their user
agent, an `_fbp` cookie), then every landing-page event (`/track/pageview`, and `/track/lead`
with e-mail and phone; the click id only where it survived), then — once dispatchd has stored
those touchpoints — every sale as the gateway's signed webhooks (`trackhub-fake sign`: the Swift
tests' fixtures; PIX buyers' "waiting payment" event before the paid one; PIX codes never paid),
carrying the click id where it survived. The late-click cohort comes next, with the dispatchd
workers paused: a backlog of other visitors' events, then their clicks, landing-page events and
sales queue up, and on resume the sales stream is read first, so those sales are processed while
their clicks still wait behind the backlog. Refunds come last, once every Purchase is at the fake Meta. Truth is
who each click, session and sale belongs to; a match is right when the matched touchpoint is the
buyer's own."""
import argparse
import concurrent.futures
import json
import os
import secrets
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from attribution import report  # noqa: E402
from attribution.harness import Harness  # noqa: E402
from attribution.population import GATEWAYS, population  # noqa: E402
from faults.procs import log  # noqa: E402
from faults.signer import Buyer  # noqa: E402

TENANT, PIXEL, SLUG = "funil", "404000000004", "anuncio"
ORIGIN = "https://lp.funil.example"
LANDING = ORIGIN + "/oferta"


def config_text():
    accounts = "".join("      - gateway: %s\n        account: main\n        secret_env: ATTR_%s\n" % (g, g.upper()) for g in GATEWAYS)
    return f"""tenants:
  - id: {TENANT}
    name: Funil sintético
    default_country: br
    default_country_code: "55"
    allowed_origins: ["{ORIGIN}"]
    pixels:
      - id: "{PIXEL}"
        token_env: ATTR_PIXEL_TOKEN
        mode: live
        default: true
        max_events_per_second: 5000
    links:
      - slug: {SLUG}
        destination: {{type: generic, url: "{LANDING}", parameter: th_cid}}
    gateway_accounts:
{accounts}"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def click(h, person, visit):
    """The ad click; the click id from the Location (the landing page's th_cid)."""
    fbp = "fb.1.%d.%d" % (int(time.time() * 1000), 1000000000 + person.n * 10 + visit)
    req = urllib.request.Request(
        h.ingest_url + "/go/%s?utm_source=facebook&utm_medium=cpc&utm_campaign=campanha-%d&fbclid=IwAR%07dv%d"
        % (SLUG, person.n % 7, person.n, visit),
        headers={"User-Agent": person.ua, "X-Forwarded-For": person.ip, "Cookie": "_fbp=" + fbp})
    try:
        OPENER.open(req, timeout=30)
        raise RuntimeError("/go did not redirect")
    except urllib.error.HTTPError as e:
        if e.code != 302:
            raise
        location = e.headers["Location"]
    cid = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))["th_cid"]
    return cid, fbp


def track(h, person, event, body):
    body = dict(body, tenant=TENANT)
    status = h.post("/track/" + event, json.dumps(body).encode(),
                    {"Content-Type": "application/json", "Origin": ORIGIN, "User-Agent": person.ua, "X-Forwarded-For": person.ip})
    if status != 202:
        raise RuntimeError("/track/%s answered %d" % (event, status))


def visit_all(h, person):
    for v in range(person.visits):
        cid, fbp = click(h, person, v)
        person.click_ids.append(cid)
        sid = "s%05d-%d-%s" % (person.n, v, secrets.token_hex(4))
        person.session_ids.append(sid)
        kept = person.kept[v]
        page = LANDING + ("?th_cid=" + cid if kept else "")
        base = {"session_id": sid, "page_url": page, "fbp": fbp}
        if kept:
            base["click_id"] = cid
        track(h, person, "pageview", dict(base, event_id="pv-%s" % sid))
        if person.lead and v == person.visits - 1:
            track(h, person, "lead", dict(base, event_id="lead-%s" % sid, user={"email": person.email, "phone": person.phone}))


def deliver(h, person, transaction, stage):
    """One step of the sale (`stage`: pending, approved, refunded) as the gateway's signed
    webhook; an approved sale the gateway redelivers is posted twice, byte for byte."""
    # The click id reaches the checkout only if it survived the visit that led to the sale (the last).
    cid = person.click_ids[-1] if person.kept[-1] else None
    # Checkouts collect the national number as digits (the fixtures format it per gateway).
    digits = "".join(ch for ch in person.checkout_phone if ch.isdigit())
    buyer = Buyer(email=person.checkout_email, name="Pessoa %05d Silva" % person.n, phone=digits, ip=person.pay_ip)
    d = h.ctx.signer.sign(person.gateway, transaction, buyer, h.ctx.secrets["ATTR_" + person.gateway.upper()], click_id=cid,
                          stage=stage, pix=person.pix or person.unpaid_pix)
    for _ in range(2 if person.redelivered and stage == "approved" else 1):
        status = h.post(d.target, d.body, d.headers)
        if status != 200:
            raise RuntimeError("webhook %s %s answered %d" % (person.gateway, stage, status))


def sell(h, person, transaction):
    """The sale as the gateway tells it: PIX generated (PIX buyers), then paid."""
    if person.pix:
        deliver(h, person, transaction, "pending")
    deliver(h, person, transaction, "approved")


def parallel(items, fn, threads):
    errors = []
    lock = threading.Lock()

    def run(item):
        try:
            fn(item)
        except Exception as e:  # collected: one failure must not hide the others
            with lock:
                errors.append(repr(e))
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(run, items))
    if errors:
        raise RuntimeError("%d requests failed, first: %s" % (len(errors), errors[0]))


def wait_for(what, fn, target, timeout):
    deadline = time.time() + timeout
    value = fn()
    while value < target and time.time() < deadline:
        time.sleep(1)
        value = fn()
    log("%s: %d of %d" % (what, value, target))
    return value


def main():
    p = argparse.ArgumentParser(prog="scripts/attribution")
    p.add_argument("--bin-dir", required=True)
    p.add_argument("--run-dir", required=True)
    p.add_argument("--redis-port", type=int, required=True)
    p.add_argument("--pg-port", type=int, required=True)
    p.add_argument("--visitors", type=int, default=20000)
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--report", help="write the markdown report here")
    p.add_argument("--command", default="scripts/attribution")
    p.add_argument("--build", default="", help="how the binaries were built (release, debug), for the report")
    p.add_argument("--revision", default="", help="the git commit the binaries were built from, for the report")
    a = p.parse_args()

    people = population(a.seed, a.visitors)
    buyers = [q for q in people if q.buyer]
    secrets_ = {"ATTR_PIXEL_TOKEN": "EAAB" + secrets.token_hex(16)}
    secrets_.update({"ATTR_" + g.upper(): ("whsec_" if g == "stripe" else "s-") + secrets.token_hex(12) for g in GATEWAYS})
    h = Harness(a.run_dir, a.bin_dir, a.redis_port, a.pg_port, "attribution", config_text(), secrets_, workers=a.workers,
                extra_ingest_env={"TRACKHUB_TRUSTED_PROXIES": "127.0.0.1"})
    started = time.time()
    try:
        h.start()
        log("%d visitors (%d visits), %d buyers; seed %d" % (len(people), sum(q.visits for q in people), len(buyers), a.seed))
        t0 = time.time()
        late = [q for q in people if q.late]
        # A traffic peak queued ahead of the late clicks: visitors who neither buy nor open a PIX,
        # sent while the workers are paused (so the late sales are read before their clicks).
        quiet = [q for q in people if not q.buyer and not q.unpaid_pix]
        backlog = quiet[-min(len(quiet), max(1500, len(people) // 10)):]  # more events than 2 workers read at once
        queued = {q.n for q in late + backlog}
        on_time = [q for q in people if q.n not in queued]
        parallel(on_time, lambda q: visit_all(h, q), a.threads)
        visits = sum(q.visits for q in people)
        expected_tp = 2 * visits + sum(1 for q in people if q.lead)
        expected_on_time = 2 * sum(q.visits for q in on_time) + sum(1 for q in on_time if q.lead)
        log("clicks and landing-page events sent in %.0f s" % (time.time() - t0))
        count_tp = lambda: int(h.sql("SELECT count(*) FROM touchpoints")[0][0])  # noqa: E731
        stored = wait_for("touchpoints stored", count_tp, expected_on_time, 600)
        if stored < expected_on_time:
            raise RuntimeError("dispatchd stored %d of %d touchpoints" % (stored, expected_on_time))
        t1 = time.time()
        truth, unpaid = {}, {}
        for i, q in enumerate(buyers):
            truth["ATTR%06d" % i] = q
        for i, q in enumerate(q for q in people if q.unpaid_pix):
            unpaid["PIXU%06d" % i] = q
        # PIX codes nobody pays: the pending event only.
        parallel(list(unpaid.items()), lambda item: deliver(h, item[1], item[0], "pending"), a.threads)
        parallel([(tx, q) for tx, q in truth.items() if not q.late], lambda item: sell(h, item[1], item[0]), a.threads)
        # Late clicks: the workers pause (a backlog, a worker restarting) while these buyers click,
        # browse and pay; on resume the sales stream is read first, so each sale is processed
        # before its own click and is held for it (LateClickHold).
        h.pause_workers()
        try:
            parallel(backlog, lambda q: visit_all(h, q), a.threads)
            parallel(late, lambda q: visit_all(h, q), a.threads)
            parallel([(tx, q) for tx, q in truth.items() if q.late], lambda item: sell(h, item[1], item[0]), a.threads)
        finally:
            h.resume_workers()
        log("%d sales (%d late clicks behind %d queued visitors) and %d unpaid PIX sent in %.0f s" % (
            len(truth), len(late), len(backlog), len(unpaid), time.time() - t1))
        stored = wait_for("touchpoints stored", count_tp, expected_tp, 600)
        if stored < expected_tp:
            raise RuntimeError("dispatchd stored %d of %d touchpoints" % (stored, expected_tp))
        count_conv = lambda: int(h.sql("SELECT count(DISTINCT transaction_id) FROM conversions WHERE status = 'approved'")[0][0])  # noqa: E731
        wait_for("sales stored", count_conv, len(truth), 600)
        count_purchases = lambda: len({x["order"] for x in h.accepted() if x["name"] == "Purchase"})  # noqa: E731
        wait_for("Purchases at the fake Meta", count_purchases, len(truth), 900)
        # Refunds come days later, after the Purchase went out.
        refunds = [(tx, q) for tx, q in truth.items() if q.refunded]
        parallel(refunds, lambda item: deliver(h, item[1], item[0], "refunded"), a.threads)
        count_refunds = lambda: int(h.sql("SELECT count(*) FROM conversions WHERE status = 'refunded'")[0][0])  # noqa: E731
        wait_for("refunds stored", count_refunds, len(refunds), 300)
        time.sleep(3)  # a duplicate or an extra event, if one were coming, would arrive now
        rows = h.sql("SELECT c.transaction_id, coalesce(m.method, ''), coalesce(t.click_id, ''), coalesce(t.session_id, '') "
                     "FROM conversions c LEFT JOIN matches m ON m.conversion_id = c.id "
                     "LEFT JOIN touchpoints t ON t.id = m.touchpoint_id WHERE c.status = 'approved'")
        statuses = h.sql("SELECT transaction_id, status FROM conversions")
        late_log = h.count_log("late click matched")
        elapsed = time.time() - started
        result = report.evaluate(people, truth, rows, h.accepted())
        result["lifecycle"] = report.lifecycle(truth, unpaid, statuses, h.accepted(), rows, late_log)
        result.update(visitors=len(people), visits=visits, buyers=len(truth), seed=a.seed, elapsed=elapsed,
                      command=a.command, workers=a.workers, threads=a.threads, build=a.build, revision=a.revision, machine=report.machine())
        print(json.dumps({k: v for k, v in result.items() if k not in ("methods", "machine")}, indent=1, default=str))
        if a.report:
            with open(a.report, "w") as f:
                f.write(report.markdown(result))
            log("wrote %s" % a.report)
        return 1 if result["wrong_deterministic"] or result["lifecycle"]["problems"] else 0
    except Exception:
        log("daemon logs:\n" + h.logs())
        raise
    finally:
        h.stop()


if __name__ == "__main__":
    sys.exit(main())
