"""CPU use over a window, from /proc: one process's (user + system seconds) and the whole
machine's busy share, so a latency comparison can say whether the process or the machine
(other work on a shared host) was busier in one window than in another."""
import os
import time

TICKS = os.sysconf("SC_CLK_TCK")


def process_seconds(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS    # utime, stime
    except (OSError, IndexError, ValueError):
        return 0.0


def machine_ticks():
    """(busy, total) jiffies of all CPUs since boot."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)   # idle + iowait
    return sum(values) - idle, sum(values)


class Window:
    """CPU of `pid` and of the machine between `start()` and `stop()`."""

    def __init__(self, pid):
        self.pid = pid

    def start(self):
        self.p0, self.m0 = process_seconds(self.pid), machine_ticks()
        self.t0 = time.time()
        return self

    def stop(self):
        p1, m1 = process_seconds(self.pid), machine_ticks()
        seconds = max(1e-6, time.time() - self.t0)
        busy, total = m1[0] - self.m0[0], max(1, m1[1] - self.m0[1])
        return {"process_cpu_percent": round(100 * (p1 - self.p0) / seconds), "machine_busy_percent": round(100 * busy / total)}
