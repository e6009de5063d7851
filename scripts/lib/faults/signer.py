"""Signed gateway deliveries for the load, the hostile traffic and the canary: built and signed
by `trackhub-fake sign --stdio` (TrackhubTesting's GatewayWebhooks, the same payloads and
signatures the Swift tests send), one co-process per run, one JSON line per delivery.

Every delivery's `event_id` is the Purchase event_id dispatchd derives
(`Conversion.purchaseEventID`: "<gateway>.<transaction id>")."""
import hashlib
import base64
import json
import subprocess
import threading
from dataclasses import dataclass

GATEWAYS = ["hotmart", "kiwify", "eduzz", "monetizze", "stripe", "mercadopago"]


@dataclass(frozen=True)
class Buyer:
    email: str
    name: str
    phone: str
    ip: str = None      # the buyer's IP where the gateway reports one (default: the fixture's)


@dataclass(frozen=True)
class Delivery:
    gateway: str
    account: str
    target: str
    headers: dict
    body: bytes
    transaction: str
    event_id: str


class Signer:
    """A `trackhub-fake sign --stdio` co-process; thread-safe (one request at a time)."""

    def __init__(self, executable, registry):
        self.proc = subprocess.Popen([executable, "sign", "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1)
        registry.add(self.proc.pid)
        self.lock = threading.Lock()

    def sign(self, gateway, transaction, buyer, secret, click_id=None, account="main", signed_at=None, stage=None, pix=None):
        """`stage` (pending, approved, refunded) and `pix`: that step of the sale in the gateway's
        own event (default: a paid card sale)."""
        request = {"gateway": gateway, "transaction": transaction, "secret": secret, "account": account,
                   "buyer": {"email": buyer.email, "name": buyer.name, "phone": buyer.phone}}
        if stage:
            request["stage"] = stage
        if pix is not None:
            request["pix"] = bool(pix)
        if buyer.ip:
            request["buyer"]["ip"] = buyer.ip
        if click_id:
            request["click_id"] = click_id
        if signed_at is not None:
            request["signed_at"] = int(signed_at)
        with self.lock:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("trackhub-fake sign exited (%s)" % self.proc.poll())
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError("trackhub-fake sign: %s" % answer["error"])
        return Delivery(answer["gateway"], answer["account"], answer["target"], answer["headers"],
                        base64.b64decode(answer["body_base64"]), answer["transaction"], answer["event_id"])

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def transaction_id(gateway, n, run_tag):
    """A unique transaction id in the format each gateway uses."""
    if gateway == "mercadopago":
        # Mercado Pago's payment ids are numbers (int64): the tag becomes six stable digits.
        return "9%06d%07d" % (int(hashlib.sha256(run_tag.encode()).hexdigest(), 16) % 10**6, n)
    prefix = {"hotmart": "HP", "kiwify": "kw-", "eduzz": "", "monetizze": "", "stripe": "pi_"}[gateway]
    return "%s%s%07d" % (prefix, run_tag, n)
