"""The seller's own bot backend for scenario 14: a bot with `forward_url` gets every update
Trackhub received relayed to it, byte for byte (docs/TELEGRAM.md). This tiny local server on
127.0.0.1 records what arrives, so the scenario can count forwards per update: each accepted
update must arrive at least once, with the bytes Telegram sent."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = "/bot/4f9c"


def port(ctx):
    """The sink's port: the one after the fake Meta's (--port-base + 4)."""
    return ctx.meta_port + 1


def url(ctx):
    return "http://127.0.0.1:%d%s" % (port(ctx), PATH)


class ForwardSink:
    def __init__(self, ctx):
        self.port = port(ctx)
        self.lock = threading.Lock()
        self.received = {}              # update_id -> [body bytes, …]
        self.refused = 0                # requests not on PATH or not an update
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    update_id = json.loads(body)["update_id"] if self.path == PATH else None
                except (ValueError, KeyError, TypeError):
                    update_id = None
                with sink.lock:
                    if update_id is None:
                        sink.refused += 1
                    else:
                        sink.received.setdefault(update_id, []).append(body)
                self.send_response(200 if update_id is not None else 404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, update_ids, timeout):
        """Waits until every update in `update_ids` arrived at least once, or `timeout` s."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if all(u in self.received for u in update_ids):
                    return True
            time.sleep(0.5)
        return False

    def snapshot(self):
        with self.lock:
            return {u: list(b) for u, b in self.received.items()}, self.refused
