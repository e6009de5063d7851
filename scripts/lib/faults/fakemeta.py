#!/usr/bin/env python3
"""A stand-in for graph.facebook.com (the Conversions API edge) and for Mercado Pago's payment
API, for scripts/faults. Standard library only, threaded, loopback only.

Why its own fake (and not the Swift one in Tests/): the fault suite runs processes for minutes
and kills them; a separate small process that records every request to a JSON-lines file can
be reset and reprogrammed over HTTP while dispatchd talks to it, and it keeps the suite
independent of the Swift test build.

    POST /{version}/{pixel}/events?access_token=…   validates like Meta (the documented rules
                                                     the Swift fake also checks) and accepts
    GET  /v1/payments/{id}                           an approved Mercado Pago payment
    POST /_control   {"reset": {"records": PATH}} | {"behaviour": {PIXEL|"*": {...}}} |
                     {"reject_prefixes": [...]} | {"expect_token": {PIXEL: SHA256HEX|null}} |
                     {"latency_ms": N} | {"mp_token": SHA256HEX}
    GET  /_health

Behaviours: {"mode":"ok"}, {"mode":"status","status":503}, {"mode":"delay","ms":2000} (then
accept, even if the client gave up: the ambiguous case), {"mode":"graph","http":400,"code":4,
"subcode":null,"transient":true,"message":"…"}.

Tokens are never stored or written: only a SHA-256 fingerprint is compared and recorded.
"""
import argparse
import hashlib
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACTION_SOURCES = {"email", "website", "app", "phone_call", "chat", "physical_store",
                  "system_generated", "business_messaging", "other"}
MAX_AGE = 7 * 86400
MAX_FUTURE = 3600


def fingerprint(token):
    return hashlib.sha256(token.encode()).hexdigest() if token else None


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.behaviours = {}
        self.reject_prefixes = []
        self.expect_token = {}
        self.latency_ms = 0
        self.mp_token = None
        self.records = None
        self.sequence = 0

    def reset(self, path):
        with self.lock:
            if self.records:
                self.records.close()
            self.records = open(path, "a", encoding="utf-8") if path else None
            self.behaviours, self.reject_prefixes, self.expect_token = {}, [], {}
            self.sequence = 0

    def record(self, entry):
        with self.lock:
            if self.records:
                self.records.write(json.dumps(entry, separators=(",", ":")) + "\n")
                self.records.flush()

    def next_request(self, pixel):
        with self.lock:
            self.sequence += 1
            b = self.behaviours.get(pixel) or self.behaviours.get("*") or {"mode": "ok"}
            return (self.sequence, dict(b), list(self.reject_prefixes), self.expect_token.get(pixel),
                    self.latency_ms)


STATE = State()


def graph_error(http, code, message, subcode=None, transient=False):
    err = {"message": message, "type": "OAuthException", "code": code, "is_transient": transient,
           "fbtrace_id": "Ffake%08d" % (time.time_ns() % 10**8)}
    if subcode is not None:
        err["error_subcode"] = subcode
    return http, {"error": err}, code


def validate(events, now):
    """Meta's documented per-event checks; the first failure rejects the whole request."""
    if not isinstance(events, list) or not 1 <= len(events) <= 1000:
        return graph_error(400, 100, "(#100) param data must be an array of 1 to 1000 events")
    for i, e in enumerate(events):
        if not isinstance(e, dict) or not e.get("event_name"):
            return graph_error(400, 100, "(#100) The parameter event_name is required (data[%d])" % i)
        t = e.get("event_time")
        if not isinstance(t, int) or isinstance(t, bool):
            return graph_error(400, 100, "(#100) data[%d][event_time] must be an integer" % i)
        if now - t > MAX_AGE:
            return graph_error(400, 100, "Invalid parameter", subcode=2804003)
        if t - now > MAX_FUTURE:
            return graph_error(400, 100, "event_time in the future (data[%d])" % i)
        src = e.get("action_source")
        if src not in ACTION_SOURCES:
            return graph_error(400, 100, "(#100) data[%d][action_source] invalid" % i)
        ud = e.get("user_data")
        if not isinstance(ud, dict) or not ud:
            return graph_error(400, 100, "(#100) data[%d][user_data] is required" % i)
        if src == "website" and (not ud.get("client_user_agent") or not e.get("event_source_url")):
            return graph_error(400, 100, "(#100) website events need client_user_agent and event_source_url (data[%d])" % i)
        if "event_id" in e and not isinstance(e["event_id"], str):
            return graph_error(400, 100, "(#100) data[%d][event_id] must be a string" % i)
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeMeta/1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, ctype="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/_health":
            return self.reply(200, {"ok": True})
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[:2] == ["v1", "payments"] and parts[2].isalnum():
            return self.payment(parts[2])
        self.reply(404, {"error": "not found"})

    def payment(self, pid):
        auth = self.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        with STATE.lock:
            expected = STATE.mp_token
        if expected and fingerprint(token) != expected:
            return self.reply(401, {"message": "invalid_token", "status": 401})
        now = time.strftime("%Y-%m-%dT%H:%M:%S.000-03:00", time.gmtime(time.time() - 3 * 3600))
        self.reply(200, {
            "id": int(pid) if pid.isdigit() else pid, "status": "approved", "status_detail": "accredited",
            "date_created": now, "date_approved": now, "date_last_updated": now, "live_mode": True,
            "currency_id": "BRL", "transaction_amount": 149.9, "payment_type_id": "credit_card",
            "payment_method_id": "master", "external_reference": "faults-%s" % pid,
            "payer": {"email": "mp-%s@cliente.test" % pid, "first_name": "Paula", "last_name": "Ramos"},
            "additional_info": {"ip_address": "203.0.113.77",
                                "items": [{"id": "FAULTS-MP", "title": "Curso", "quantity": "1", "unit_price": "149.9"}]},
            "metadata": {}})

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/_control":
            return self.control(json.loads(self.body() or b"{}"))
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[2] == "events":
            return self.events(parts[0], parts[1])
        self.reply(404, {"error": "not found"})

    def control(self, c):
        if "reset" in c:
            STATE.reset(c["reset"].get("records"))
        with STATE.lock:
            for pixel, b in (c.get("behaviour") or {}).items():
                STATE.behaviours[pixel] = b
            if "reject_prefixes" in c:
                STATE.reject_prefixes = list(c["reject_prefixes"])
            for pixel, fp in (c.get("expect_token") or {}).items():
                if fp:
                    STATE.expect_token[pixel] = fp
                else:
                    STATE.expect_token.pop(pixel, None)
            if "latency_ms" in c:
                STATE.latency_ms = int(c["latency_ms"])
            if "mp_token" in c:
                STATE.mp_token = c["mp_token"]
        self.reply(200, {"ok": True})

    def events(self, version, pixel):
        received = time.time()
        raw = self.body()
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        token = (query.get("access_token") or [""])[0]
        seq, behaviour, rejects, expected_fp, latency = STATE.next_request(pixel)
        if latency:
            time.sleep(latency / 1000)
        try:
            payload = json.loads(raw)
            events = payload.get("data")
        except (ValueError, AttributeError):
            payload, events = None, None
        ids = [e.get("event_id") for e in events if isinstance(e, dict)] if isinstance(events, list) else []
        mode = behaviour.get("mode", "ok")
        status, body, code, accepted = 200, None, None, []
        if mode == "status":
            status, body = behaviour["status"], b"fake-meta: forced HTTP %d\n" % behaviour["status"]
        elif mode == "graph":
            status, body, code = graph_error(behaviour["http"], behaviour["code"], behaviour.get("message", "fake error"),
                                             behaviour.get("subcode"), behaviour.get("transient", False))
        else:
            if mode == "delay":
                time.sleep(behaviour["ms"] / 1000)
            failure = None
            if not version.startswith("v") or not pixel.isdigit():
                failure = graph_error(400, 100, "Unsupported post request", subcode=33)
            elif not token:
                failure = graph_error(400, 104, "An access token is required to request this resource.")
            elif expected_fp and fingerprint(token) != expected_fp:
                failure = graph_error(400, 190, "Invalid OAuth access token - Cannot parse access token")
            elif payload is None:
                failure = graph_error(400, 100, "(#100) Invalid parameter")
            else:
                failure = validate(events, int(time.time()))
            if failure is None:
                bad = next((i for i in ids if isinstance(i, str) and any(i.startswith(p) for p in rejects)), None)
                if bad is not None:
                    failure = graph_error(400, 100, "Invalid parameter: event_id '%s' was rejected" % bad, subcode=2804019)
            if failure:
                status, body, code = failure
            else:
                accepted = [{"name": e["event_name"], "id": e.get("event_id"),
                             "order": (e.get("custom_data") or {}).get("order_id")} for e in events]
                body = {"events_received": len(events), "messages": [], "fbtrace_id": "Ffake%d" % seq}
        STATE.record({"seq": seq, "pixel": pixel, "status": status, "code": code, "ids": ids, "accepted": accepted,
                      "received": round(received, 3), "answered": round(time.time(), 3),
                      "token_fp": (fingerprint(token) or "")[:16]})
        ctype = "text/plain" if isinstance(body, bytes) else "application/json"
        self.reply(status, body, ctype)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--records")
    a = p.parse_args()
    STATE.reset(a.records)
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    server.request_queue_size = 128
    print("fakemeta listening port=%d" % a.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
