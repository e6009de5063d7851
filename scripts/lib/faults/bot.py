"""Telegram bot traffic for scenario 14, besides the mixed load: what a funnel through a bot sends.

Each step is a real click on the bot link (`/go/ad-t`, answered 302 to `t.me/<bot>?start=<click
id>`), then the `/start <click id>` update Telegram would push to ingestd's
`/webhooks/telegram/<bot>` with the webhook's secret token. Some steps also send what a bot receives
besides that (a plain message, a `/start` whose payload is not a click id), and some re-push an
update sent earlier, as Telegram redelivers one it did not see acknowledged.

What the counts expect (see count.py):
  click                        -> (pixel B, "PageView", click id)
  /start <click id>, accepted  -> (pixel B, "ViewContent", "telegram.<bot>.<update_id>"), once,
                                  however many times the update is pushed
  plain message, /start promo  -> nothing: a delivery of its event_id counts as foreign."""
import json
import random
import threading
import time
import urllib.parse

from . import config
from .http1 import Client
from .load import UA, Attempt, Outcome, deliver, refused_for_sure

PLAIN_TEXTS = ["oi, quero o link do pix", "/start promo_natal", "qual o valor?"]


class BotTraffic:
    """One thread at about `rate` steps/s until stopped; `outcomes` as the load's."""

    def __init__(self, ctx, tag, rate=4.0, redeliver_share=0.3, plain_every=3):
        self.ctx, self.tag, self.rate = ctx, tag, rate
        self.redeliver_share, self.plain_every = redeliver_share, plain_every
        self.secret = ctx.secrets[config.BOT_SECRET_ENV]
        self.outcomes = []
        self.sent = []                  # (update, key) of every /start pushed, for redeliveries
        self.answered = {}              # update_id -> bytes of every update answered 200 (what must be forwarded)
        self.counts = {"starts": 0, "redeliveries": 0, "plain": 0, "clicks_refused": 0}
        self.next_update = random.randrange(10**8, 9 * 10**8)
        self.user_base = 6_400_000_000 + random.randrange(10**6)
        self.stop_flag = threading.Event()
        self.thread = None

    def start(self):
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.stop_flag.set()
        if self.thread:
            self.thread.join(timeout=60)

    def run(self):
        client = Client(self.ctx.ingest_port, timeout=15)
        n = 0
        while not self.stop_flag.is_set():
            n += 1
            self.step(client, n)
            self.stop_flag.wait(1.0 / self.rate)
        client.close()

    def step(self, client, n):
        click_id = self.click(client, n)
        if click_id:
            self.push(client, self.update(n, "/start " + click_id), expects=True)
        if n % self.plain_every == 0:
            self.push(client, self.update(n, PLAIN_TEXTS[(n // self.plain_every) % len(PLAIN_TEXTS)]), expects=False)
            self.counts["plain"] += 1
        if self.sent and random.random() < self.redeliver_share:
            update, key = random.choice(self.sent)
            self.outcomes.append(self.send(client, update, [key]))
            self.counts["redeliveries"] += 1

    def click(self, client, n):
        target = "/go/%s?utm_source=fb&utm_campaign=faults-bot&fbclid=IwAR%s_bot%d" % (config.SLUG_T, self.tag, n)
        a = client.request("GET", target, headers={"User-Agent": UA, "Cookie": "_fbp=fb.1.1596403881668.%d" % (5000 + n)})
        o = Outcome("click", a.status, attempts=[Attempt(a.started, a.latency, a.status)])
        self.outcomes.append(o)
        location = a.header("location") or ""
        prefix = "https://t.me/%s?" % config.BOT
        if a.status != 302 or not location.startswith(prefix):
            self.counts["clicks_refused"] += 1
            return None
        click_id = urllib.parse.parse_qs(location[len(prefix):]).get("start", [""])[0]
        o.keys.append((config.PIXEL_B, "PageView", click_id))
        return click_id

    def update(self, n, text):
        """A private-chat message update, the shape Telegram sends (FakeTelegram.startUpdate)."""
        self.next_update += 1
        user = self.user_base + n
        message = {"message_id": n, "from": {"id": user, "is_bot": False, "first_name": "Ana", "language_code": "pt-br"},
                   "chat": {"id": user, "type": "private", "first_name": "Ana"}, "date": int(time.time()), "text": text}
        if text.startswith("/start"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": 6}]
        return {"update_id": self.next_update, "message": message}

    def push(self, client, update, expects):
        key = (config.PIXEL_B, "ViewContent", "telegram.%s.%d" % (config.BOT, update["update_id"]))
        o = self.send(client, update, [key] if expects else [])
        self.outcomes.append(o)
        if expects:
            self.counts["starts"] += 1
            if o.accepted:
                self.sent.append((update, key))

    def send(self, client, update, keys):
        o = Outcome("telegram", 0, keys=list(keys))
        body = json.dumps(update).encode()
        deliver(client, o, "/webhooks/telegram/" + config.BOT, body,
                {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": self.secret, "User-Agent": "TelegramBot"})
        if o.status == 200:
            self.answered[update["update_id"]] = body
        return refused_for_sure(o)
