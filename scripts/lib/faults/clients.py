"""Client addresses for the load when ingestd believes the harness as its proxy
(`TRACKHUB_TRUSTED_PROXIES=127.0.0.1`): each `/go` and `/track` request names one of `count`
clients in X-Forwarded-For, in turn, so every client stays far under a per-address limit while
the load as a whole runs at its usual rate. Webhooks are left alone (gateways are not limited)."""
from .load import Extras


class ClientAddresses(Extras):
    def __init__(self, count=64, prefix="203.0.113."):
        self.addresses = ["%s%d" % (prefix, i + 1) for i in range(count)]

    def address(self, n):
        return self.addresses[n % len(self.addresses)]

    def click(self, n, target, headers):
        headers["X-Forwarded-For"] = self.address(n)
        return target

    def track(self, n, body, headers):
        headers["X-Forwarded-For"] = self.address(n)
        return body
