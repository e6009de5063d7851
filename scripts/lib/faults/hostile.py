"""Scenario 8: a flood of forged, replayed (old timestamp) and oversized webhooks, replays of
genuine deliveries, and hostile redirect attempts, next to the normal load.

Violations (each must be 0): a forged/stale/oversized webhook answered 2xx, any 5xx, a 302 whose
Location is not one of the configured destinations, a 302 for an unknown slug. Genuine replays
are answered 200 and must still reach Meta once (the duplicate count covers that)."""
import collections
import hashlib
import time

from . import config
from .background import Background
from .signer import GATEWAYS, Buyer, transaction_id
from .http1 import Client

EVIL = "evil.example"
REDIRECT_TARGETS = [
    "/go/%2F%2Fevil.example", "/go//evil.example", "/go/%2f%2fevil.example%2f", "/go/https:%2F%2Fevil.example",
    "/go/..%2F..%2Fevil", "/go/%5C%5Cevil.example", "/go/%E2%80%AEevil", "/go/ad-a%00evil", "/go/AD-A",
    "/go/ad-a/..%2F..%2Fevil", "/go/nope-%d", "/go/ad-a?url=https://evil.example&next=//evil.example&redirect=%2F%2Fevil.example",
    "/go/ad-b?cid=https://evil.example&utm_source=%0d%0aLocation:%20https://evil.example",
    "/go/ad-k?utm_content=%22%3E%3Cscript%3E&sck=//evil.example", "/go/ad-t?start=https://evil.example",
    "//evil.example/go/ad-a", "/go/" + "a" * 5000,
]


class Hostile(Background):
    def __init__(self, ctx, tag):
        super().__init__()
        self.ctx, self.tag = ctx, tag
        self.stats = collections.defaultdict(collections.Counter)
        self.violations = []
        self.replays = []        # genuine deliveries re-sent (their event ids)
        self.clicks = []         # (pixel, "PageView", click id) of hostile requests that were real clicks
        self.n = 0

    def note(self, category, status, ok, detail=""):
        self.stats[category][status] += 1
        if status >= 500:
            ok = False
        if not ok:
            self.violations.append("%s -> %s %s" % (category, status, detail))

    def forged(self, client, gateway, account="main"):
        self.n += 1
        tx = transaction_id(gateway, self.n, "x" + self.tag)
        buyer = Buyer("forged@cliente.test", "Forged", "11900000000")
        d = self.ctx.signer.sign(gateway, tx, buyer, "not-the-secret-" + gateway, account=account)
        a = client.request("POST", d.target, body=d.body, headers=d.headers)
        self.note("forged " + gateway, a.status, a.status in (400, 401, 404))

    def stale_stripe(self, client):
        self.n += 1
        buyer = Buyer("stale@cliente.test", "Stale", "11900000001")
        d = self.ctx.signer.sign("stripe", "pi_stale%s%d" % (self.tag, self.n), buyer,
                                 config.account_secret(self.ctx.secrets, "stripe"), signed_at=time.time() - 3600)
        a = client.request("POST", d.target, body=d.body, headers=d.headers)
        self.note("replayed stripe (t-1h)", a.status, a.status == 401)

    def oversized(self, client, gateway):
        self.n += 1
        secret = config.account_secret(self.ctx.secrets, gateway)
        body = b'{"pad":"' + b"A" * 300_000 + b'"}'
        headers = {"Content-Type": "application/json", "X-HOTMART-HOTTOK": secret,
                   "x-signature": hashlib.sha256(body).hexdigest()}
        a = client.request("POST", "/webhooks/%s/main" % gateway, body=body, headers=headers)
        self.note("oversized " + gateway, a.status, a.status in (0, 413))

    def replay_genuine(self, client):
        self.n += 1
        buyer = Buyer("replay.%s.%d@cliente.test" % (self.tag, self.n), "Ana Lima", "11987650000")
        gateway = ("hotmart", "kiwify", "eduzz", "monetizze")[self.n % 4]
        d = self.ctx.signer.sign(gateway, transaction_id(gateway, self.n, "r" + self.tag), buyer,
                                 config.account_secret(self.ctx.secrets, gateway))
        codes = [client.request("POST", d.target, body=d.body, headers=d.headers).status for _ in range(3)]
        self.replays.append((config.ACCOUNTS[(gateway, "main")][1], "Purchase", d.event_id, codes))
        for c in codes:
            self.note("genuine replay x3", c, c == 200)

    def redirects(self, client):
        for target in REDIRECT_TARGETS:
            self.n += 1
            t = target.replace("%d", str(self.n)) if "nope-%d" in target else target
            a = client.request("GET", t, headers={"Host": EVIL, "X-Forwarded-Host": EVIL, "User-Agent": "hostile"})
            loc = a.header("location") or ""
            if a.status == 302:
                ok = any(loc.startswith(d) for d in config.DESTINATIONS.values()) and EVIL not in loc.split("?")[0]
                self.note("redirect 302", 302, ok, "%s -> %s" % (t, loc[:120]))
                self.accepted_click(a)
            else:
                self.note("redirect refused", a.status, a.status in (400, 404, 414, 431), t[:80])
        a = client.raw(b"GET http://evil.example/go/ad-a HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
        self.note("absolute-form request", a.status, a.status != 302 or (a.header("location") or "").startswith(config.DESTINATIONS["ad-a"]))
        if a.status == 302:
            self.accepted_click(a)

    def accepted_click(self, answer):
        """A hostile request that was a click on a real link is an accepted click like any other:
        its PageView must reach Meta (the link is known from the Location it was sent to)."""
        loc, cookie = answer.header("location") or "", answer.header("set-cookie") or ""
        slug = next((s for s, d in config.DESTINATIONS.items() if loc.startswith(d)), None)
        if slug and cookie.startswith("th_cid="):
            from .load import CLICK_LINKS
            self.clicks.append((CLICK_LINKS[slug], "PageView", cookie[len("th_cid="):].split(";")[0]))

    def run(self):
        client = Client(self.ctx.ingest_port, timeout=10)
        while not self.stop_flag.is_set():
            for g in GATEWAYS:
                self.forged(client, g)
            self.forged(client, "kiwify", "other")
            self.forged(client, "hotmart", "nosuchaccount")
            self.stale_stripe(client)
            for g in ("hotmart", "eduzz"):
                self.oversized(client, g)
            self.replay_genuine(client)
            self.redirects(client)
        client.close()

    def summary(self):
        total = sum(sum(c.values()) for c in self.stats.values())
        accepted_forged = sum(c[s] for k, c in self.stats.items() if not k.startswith("genuine") and not k.startswith("redirect 302")
                              for s in c if 200 <= s < 300)
        return {"hostile_requests": total, "forged_accepted": accepted_forged, "violations": len(self.violations),
                "violation_sample": self.violations[:10],
                "by_category": {k: dict(v) for k, v in sorted(self.stats.items())}}
