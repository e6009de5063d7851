"""A click flood next to the mixed load, bounded in count and time: a few threads send `/go`
requests back to back (keep-alive, loopback) until stopped, `max_requests` is reached or
`seconds` pass. Every request becomes an `Outcome` like the load's (an accepted click must
reach Meta like any other; a refused one must not), and the answers are counted by status,
with how many carried `Retry-After` (429 and 503 must)."""
import collections
import threading
import time

from .background import Background
from .http1 import Client
from .load import CLICK_LINKS, UA, Attempt, Outcome


class Flood(Background):
    def __init__(self, ctx, tag, slug, threads=2, max_requests=5000, seconds=30, headers=None):
        """`headers`: extra request headers (the flooding client's X-Forwarded-For)."""
        super().__init__(count=threads)
        self.ctx, self.tag, self.slug = ctx, tag, slug
        self.max_requests, self.seconds = max_requests, seconds
        self.headers = dict(headers or {})
        self.outcomes = []
        self.statuses = collections.Counter()
        self.retry_after = collections.Counter()   # status -> answers that carried Retry-After
        self.lock = threading.Lock()
        self.sent = 0
        self.started = self.ended = None

    def take(self):
        with self.lock:
            if self.sent >= self.max_requests:
                return None
            self.sent += 1
            return self.sent

    def run(self):
        client = Client(self.ctx.ingest_port, timeout=10)
        deadline = self.started + self.seconds
        while not self.stop_flag.is_set() and time.time() < deadline:
            n = self.take()
            if n is None:
                break
            target = "/go/%s?utm_source=flood&fbclid=IwAR%s_fl%d" % (self.slug, self.tag, n)
            a = client.request("GET", target, headers=dict(self.headers, **{"User-Agent": UA}))
            o = Outcome("click", a.status, attempts=[Attempt(a.started, a.latency, a.status)], note="flood")
            cookie = a.header("set-cookie") or ""
            if a.status == 302 and cookie.startswith("th_cid="):
                o.keys.append((CLICK_LINKS[self.slug], "PageView", cookie[len("th_cid="):].split(";")[0]))
            with self.lock:
                self.outcomes.append(o)
                self.statuses[a.status] += 1
                if a.header("retry-after"):
                    self.retry_after[a.status] += 1
        client.close()

    def start(self):
        self.started = time.time()
        return super().start()

    def after_stop(self):
        self.ended = time.time()

    def summary(self):
        with self.lock:
            return {"requests": sum(self.statuses.values()), "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
                    "retry_after": {str(k): v for k, v in sorted(self.retry_after.items())},
                    "accepted": sum(1 for o in self.outcomes if o.accepted),
                    "seconds": round((self.ended or time.time()) - self.started, 1)}
