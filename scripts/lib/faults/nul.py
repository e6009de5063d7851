"""Scenario 10's traffic: NUL and other control characters in every field a client controls,
next to the mixed load, in rounds until stopped.

- `/go`: query values (documented `utm_*`, extra and unknown names, percent-encoded NUL, C0, DEL,
  C1, CR LF), the User-Agent and Referer it keeps (raw control bytes, and a Referer whose query
  holds `%00`);
- `/track`: `content_ids`, `page_url`, `referrer`, `event_id`, `session_id`, a custom event's name,
  user fields, unknown keys (JSON `\\u0000` escapes);
- every gateway's signed webhook with a NUL in the field that carries the click (Hotmart
  `purchase.origin.sck`, Kiwify `sck`, Eduzz `utm_content`, Monetizze `src`, Stripe and Mercado
  Pago `metadata.click_id`), in the buyer's name, and `%00` in the query string.

ingestd may refuse a client's own malformed field with 400 (nothing stored) or store it with
the NUL replaced; either way an accepted request must reach Meta and nothing may be
dead-lettered. Every signed sale must be answered 200 and delivered as a Purchase."""
import collections
import json

from . import config
from .background import Background
from .http1 import Client
from .load import CLICK_LINKS, TENANTS, UA, Attempt, Outcome, deliver, refused_for_sure, with_query
from .signer import GATEWAYS, Buyer, transaction_id

CLICKS = [  # (variant, slug, query, extra headers)
    ("go utm_source=%00x", config.SLUG_A, "utm_source=%00x&utm_campaign=faults", {}),
    ("go C0/DEL/C1/CRLF in utm_*", config.SLUG_B, "utm_campaign=a%01b%1fc%7fd&utm_content=%C2%80%C2%9F&utm_term=x%0d%0ay", {}),
    ("go NUL in extra names", config.SLUG_K, "utm_medium=%00&sck=%00&src=%00&xcod=%00&note=%00x", {}),
    ("go NUL in fbclid", config.SLUG_A, "fbclid=IwAR%00nul", {}),
    ("go raw control bytes in User-Agent", config.SLUG_B, "utm_source=ua", {"User-Agent": "Mozilla/5.0 \x01\x07\x7f faults"}),
    ("go raw NUL in Referer", config.SLUG_A, "utm_source=ref", {"Referer": "https://ref.example/p?utm_source=x\x00y"}),
    ("go %00 in Referer query", config.SLUG_K, "utm_source=ref2", {"Referer": "https://ref.example/p?utm_source=%00x&utm_campaign=%01"}),
]

NUL_USER = {"email": "nul.\u0000lead@cliente.test", "first_name": "Ana\u0000", "city": "S\u0001o Paulo", "external_id": "x\u0000y"}

TRACKS = [  # (variant, event, body changes); event "custom" carries name FaultsNul unless changed
    ("track content_ids NUL", "initiate_checkout", {"content_ids": ["\u0000x"]}),
    ("track content_ids C0", "initiate_checkout", {"content_ids": ["ok", "a\u0001b"]}),
    ("track page_url %00 in query", "pageview", {"page_url": "/oferta?utm_source=%00x&utm_campaign=%01"}),
    ("track page_url raw NUL", "pageview", {"page_url": "/oferta?utm_source=\u0000x"}),
    ("track referrer raw BEL", "pageview", {"referrer": "https://ref.example/?utm_source=\u0007"}),
    ("track referrer %00", "pageview", {"referrer": "https://ref.example/?utm_source=%00x"}),
    ("track user fields NUL", "lead", {"user": NUL_USER}),
    ("track unknown keys NUL", "lead", {"extra\u0000key": "v\u0000", "notes": "\u0000\u0001\u001f"}),
    ("track event_id NUL", "lead", {"event_id": "ev-nul-\u0000"}),
    ("track session_id C0", "pageview", {"session_id": "s\u0001"}),
    ("track custom name NUL", "custom", {"name": "Faults\u0000Nul"}),
    ("track custom, NUL in user", "custom", {"user": NUL_USER}),
]
META_NAMES = {"pageview": "PageView", "lead": "Lead", "initiate_checkout": "InitiateCheckout", "custom": "FaultsNul"}


class NulTraffic(Background):
    def __init__(self, ctx, tag):
        super().__init__()
        self.ctx, self.tag = ctx, tag
        self.outcomes = []
        self.by_variant = collections.defaultdict(collections.Counter)
        self.n = 0

    def record(self, variant, outcome):
        self.outcomes.append(outcome)
        self.by_variant[variant][outcome.status] += 1

    def click(self, client, variant, slug, query, headers):
        self.n += 1
        a = client.request("GET", "/go/%s?%s&fbclid=IwAR%snul%d" % (slug, query, self.tag, self.n),
                           headers=dict({"User-Agent": UA}, **headers))
        o = Outcome("click", a.status, attempts=[Attempt(a.started, a.latency, a.status)], note=variant)
        cookie = a.header("set-cookie") or ""
        if a.status == 302 and cookie.startswith("th_cid="):
            o.keys.append((CLICK_LINKS[slug], "PageView", cookie[len("th_cid="):].split(";")[0]))
        self.record(variant, o)

    def track(self, client, variant, event, changes):
        self.n += 1
        tenant, origin, pixel = TENANTS[self.n % 2]
        body = {"tenant": tenant, "event_id": "nul-%s-%d" % (self.tag, self.n), "session_id": "s-nul-%d" % self.n,
                "page_url": origin + "/oferta"}
        if event == "custom":
            body["name"] = "FaultsNul"
        for k, v in changes.items():
            body[k] = origin + v if k == "page_url" and v.startswith("/") else v
        a = client.request("POST", "/track/" + event, body=json.dumps(body).encode(),
                           headers={"Content-Type": "application/json", "Origin": origin, "User-Agent": UA})
        o = Outcome("track", a.status, attempts=[Attempt(a.started, a.latency, a.status)], note=variant)
        o.keys.append((pixel, META_NAMES[event], body["event_id"]))
        self.record(variant, refused_for_sure(o))

    def webhook(self, client, gateway):
        self.n += 1
        pixel = config.ACCOUNTS[(gateway, "main")][1]
        nul_name = self.n % 2 == 0
        buyer = Buyer("nul.%s.%d@cliente.test" % (self.tag, self.n), "Ana\u0000 Lima" if nul_name else "Ana Lima", "11987650001")
        d = self.ctx.signer.sign(gateway, transaction_id(gateway, self.n, "n" + self.tag), buyer,
                                 config.account_secret(self.ctx.secrets, gateway), click_id="nul\u0000sck%d" % self.n)
        variant = "webhook %s, NUL in click field%s and query" % (gateway, " and buyer name" if nul_name else "")
        o = Outcome("webhook", 0, keys=[(pixel, "Purchase", d.event_id)], note=variant)
        deliver(client, o, with_query(d.target, "note=%00x&utm_source=%00y"), d.body, dict(d.headers))
        self.record("webhook %s" % gateway, refused_for_sure(o))

    def run(self):
        client = Client(self.ctx.ingest_port, timeout=15)
        while not self.stop_flag.is_set():
            for variant, slug, query, headers in CLICKS:
                self.click(client, variant, slug, query, headers)
            for variant, event, changes in TRACKS:
                self.track(client, variant, event, changes)
            for gateway in GATEWAYS:
                self.webhook(client, gateway)
            self.stop_flag.wait(0.5)
        client.close()

    def summary(self):
        return {variant: {str(k): v for k, v in sorted(c.items())} for variant, c in sorted(self.by_variant.items())}
