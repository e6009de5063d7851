"""A small keep-alive HTTP/1.1 client for the load threads: one connection per thread,
reconnected after any error, every request timed. A connection error or timeout is reported
as status 0 (the client saw no answer, so nothing counts as accepted)."""
import http.client
import time
from dataclasses import dataclass


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes
    latency: float      # seconds
    started: float      # time.time() when the request started

    def header(self, name):
        return self.headers.get(name.lower())


class Client:
    def __init__(self, port, timeout=10.0, host="127.0.0.1"):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn = None

    def request(self, method, target, body=None, headers=None):
        started, t0 = time.time(), time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(method, target, body=body, headers=headers or {})
            r = self.conn.getresponse()
            data = r.read()
            hdrs = {k.lower(): v for k, v in r.getheaders()}
            if hdrs.get("connection", "").lower() == "close":
                self.close()
            return Answer(r.status, hdrs, data, time.perf_counter() - t0, started)
        except (OSError, http.client.HTTPException):
            self.close()
            return Answer(0, {}, b"", time.perf_counter() - t0, started)

    def raw(self, data, read_limit=65536):
        """Sends raw bytes on a fresh socket and returns the status line's code (0 on error):
        for requests http.client refuses to build (bad paths, odd headers)."""
        import socket
        started, t0 = time.time(), time.perf_counter()
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as s:
                s.sendall(data)
                buf = b""
                while b"\r\n\r\n" not in buf and len(buf) < read_limit:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    buf += chunk
            head = buf.split(b"\r\n\r\n", 1)[0].decode("latin-1")
            lines = head.split("\r\n")
            status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
            hdrs = {}
            for line in lines[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    hdrs[k.strip().lower()] = v.strip()
            return Answer(status, hdrs, b"", time.perf_counter() - t0, started)
        except (OSError, ValueError, IndexError):
            return Answer(0, {}, b"", time.perf_counter() - t0, started)

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
            self.conn = None
