"""The mixed load: clicks on four links, /track page events for both tenants, and signed
webhooks from every gateway with unique transaction ids, from several threads at a bounded
rate for a bounded time.

Every logical request becomes an `Outcome` with the Meta event(s) it must produce when it was
accepted (2xx/302) — the mapping the counts rely on:
  click on /go/{slug}      -> (link's pixel, "PageView", click id)        EnvelopeInterpreter
  POST /track/{event}      -> (tenant's pixel, Meta name, body event_id)  EnvelopeInterpreter
  webhook (approved sale)  -> (account's pixel, "Purchase", "<gateway>.<transaction id>")
                                                                          Conversion.purchaseEventID
Webhooks are retried like gateways retry (same bytes, up to 6 times) until answered 200; a
retry that lands twice is the same sale, so it still maps to one event.

`extras` lets a scenario change what the load sends without a second load generator: an object
with `click(n, target, headers)`, `track(n, body, headers)` and `webhook(n, target, headers)`,
each returning the (possibly changed) target or body; see `Extras`."""
import json
import random
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

from . import config
from .signer import Buyer, transaction_id
from .http1 import Client

TRACK_EVENTS = {"pageview": "PageView", "lead": "Lead", "initiate_checkout": "InitiateCheckout"}
CLICK_LINKS = {config.SLUG_A: config.PIXEL_A, config.SLUG_K: config.PIXEL_A,
               config.SLUG_B: config.PIXEL_B, config.SLUG_T: config.PIXEL_B}
TENANTS = [(config.TENANT_A, config.ORIGIN_A, config.PIXEL_A), (config.TENANT_B, config.ORIGIN_B, config.PIXEL_B)]
UA = "Mozilla/5.0 (X11; Linux x86_64) faults/1"


class Extras:
    """No change: the base of a scenario's additions (client addresses, canary URLs)."""

    def click(self, n, target, headers):
        return target

    def track(self, n, body, headers):
        return body

    def webhook(self, n, target, headers):
        return target


@dataclass
class Attempt:
    started: float
    latency: float
    status: int


@dataclass
class Outcome:
    kind: str                       # click | track | webhook
    status: int                     # final answer (0: none)
    keys: list = field(default_factory=list)   # (pixel, event_name, event_id) expected when accepted
    attempts: list = field(default_factory=list)
    note: str = ""

    @property
    def accepted(self):
        return self.status in (200, 201, 202, 302)


class Load:
    """Runs `threads` senders at about `rate` logical requests/s in total until stopped."""

    def __init__(self, ctx, tag, rate=60, threads=6, weights=None, buyer=None, track_user=None,
                 reject_share=0.0, extras=None):
        self.extras = extras or Extras()
        self.ctx, self.tag, self.rate, self.threads = ctx, tag, rate, threads
        self.weights = weights or {"click": 45, "track": 35, "webhook": 20}
        self.buyer = buyer            # canary buyer for webhooks (else a unique one per sale)
        self.track_user = track_user  # canary user for /track
        self.reject_share = reject_share
        self.outcomes = []
        self.lock = threading.Lock()
        self.counter = 0
        self.stop_flag = threading.Event()
        self.recent_clicks = []
        self.gateway_cycle = list(config.ACCOUNTS.keys())
        self.workers = []

    def next_n(self):
        with self.lock:
            self.counter += 1
            return self.counter

    def record(self, outcome):
        with self.lock:
            self.outcomes.append(outcome)

    # -- actions -------------------------------------------------------------------------

    def click(self, client, n):
        slug = list(CLICK_LINKS)[n % len(CLICK_LINKS)]
        target = "/go/%s?utm_source=fb&utm_campaign=faults&fbclid=IwAR%s_%d" % (slug, self.tag, n)
        headers = {"User-Agent": UA, "Cookie": "_fbp=fb.1.1596403881668.%d" % (1000 + n)}
        target = self.extras.click(n, target, headers)
        a = client.request("GET", target, headers=headers)
        o = Outcome("click", a.status, attempts=[Attempt(a.started, a.latency, a.status)])
        cookie = a.header("set-cookie") or ""
        if a.status == 302 and cookie.startswith("th_cid="):
            cid = cookie[len("th_cid="):].split(";")[0]
            o.keys.append((CLICK_LINKS[slug], "PageView", cid))
            if CLICK_LINKS[slug] == config.PIXEL_A:
                with self.lock:
                    self.recent_clicks = (self.recent_clicks + [cid])[-50:]
        return o

    def track(self, client, n):
        tenant, origin, pixel = TENANTS[n % 2]
        event = list(TRACK_EVENTS)[(n // 2) % len(TRACK_EVENTS)]
        prefix = "rej" if self.reject_share and random.random() < self.reject_share else "ev"
        event_id = "%s-%s-%d" % (prefix, self.tag, n)
        body = {"tenant": tenant, "event_id": event_id, "session_id": "s-%s-%d" % (self.tag, n % 97),
                "page_url": origin + "/oferta?x=%d" % n}
        with self.lock:
            if tenant == config.TENANT_A and self.recent_clicks:
                body["click_id"] = random.choice(self.recent_clicks)
        if self.track_user:
            body["user"] = dict(self.track_user)
        elif event == "lead":
            body["user"] = {"email": "lead.%s.%d@cliente.test" % (self.tag, n), "phone": "(11) 9%04d-%04d" % (n % 10000, n % 7919)}
        headers = {"Content-Type": "application/json", "Origin": origin, "User-Agent": UA}
        body = self.extras.track(n, body, headers)
        a = client.request("POST", "/track/" + event, body=json.dumps(body).encode(), headers=headers)
        o = Outcome("track", a.status, attempts=[Attempt(a.started, a.latency, a.status)])
        o.keys.append((pixel, TRACK_EVENTS[event], event_id))
        return refused_for_sure(o)

    def webhook(self, client, n):
        gateway, account = self.gateway_cycle[n % len(self.gateway_cycle)]
        pixel = config.ACCOUNTS[(gateway, account)][1]
        buyer = self.buyer or Buyer("buyer.%s.%d@cliente.test" % (self.tag, n), "Mariana Souza Lima", "119%08d" % (n * 7919 % 10**8))
        with self.lock:
            click = random.choice(self.recent_clicks) if self.recent_clicks and pixel == config.PIXEL_A else None
        tx = transaction_id(gateway, n, self.tag)
        d = self.ctx.signer.sign(gateway, tx, buyer, config.account_secret(self.ctx.secrets, gateway, account),
                                 click_id=click, account=account)
        o = Outcome("webhook", 0, keys=[(pixel, "Purchase", d.event_id)])
        headers = dict(d.headers)
        target = self.extras.webhook(n, d.target, headers)
        deliver(client, o, target, d.body, headers)
        o.note = gateway
        return refused_for_sure(o)

    # -- running -------------------------------------------------------------------------

    def run_thread(self, seed):
        rnd = random.Random(seed)
        client = Client(self.ctx.ingest_port, timeout=15)
        kinds, weights = zip(*self.weights.items())
        interval = self.threads / float(self.rate)
        next_at = time.time() + rnd.random() * interval
        while not self.stop_flag.is_set():
            now = time.time()
            if now < next_at:
                time.sleep(min(next_at - now, 0.2))
                continue
            next_at += interval
            kind = rnd.choices(kinds, weights)[0]
            n = self.next_n()
            self.record(getattr(self, kind)(client, n))
        client.close()

    def start(self):
        for i in range(self.threads):
            t = threading.Thread(target=self.run_thread, args=(hash((self.tag, i)),), daemon=True)
            t.start()
            self.workers.append(t)
        return self

    def stop(self):
        self.stop_flag.set()
        for t in self.workers:
            t.join(timeout=60)

    def snapshot(self):
        with self.lock:
            return list(self.outcomes)


def deliver(client, outcome, target, body, headers, tries=6):
    """Posts a webhook like a gateway does: the same bytes again after a 5xx or no answer, with a
    growing pause, until answered 200 or 4xx; every attempt lands in `outcome`."""
    delay = 0.25
    for _ in range(tries):
        a = client.request("POST", target, body=body, headers=headers)
        outcome.attempts.append(Attempt(a.started, a.latency, a.status))
        outcome.status = a.status
        if a.status == 200 or 400 <= a.status < 500:
            break
        time.sleep(delay)
        delay = min(delay * 2, 3)
    return outcome


def refused_for_sure(outcome):
    """A request refused at every attempt (4xx/5xx answered, never a lost answer) must produce no
    event: its keys go, so a delivery of it counts as foreign. One attempt with no answer keeps
    them (it may have been stored before the answer was lost)."""
    if not outcome.accepted and all(a.status != 0 for a in outcome.attempts):
        outcome.keys = []
    return outcome


def with_query(target, query):
    """`target` with `query` (already encoded) appended."""
    return target + ("&" if "?" in target else "?") + query


def quote(s):
    return urllib.parse.quote(s, safe="")
