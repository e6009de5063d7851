"""The fault suite's helper threads (hostile traffic, NUL traffic, floods, slowloris, the spool
watch): `count` daemon threads run `run()` until `stop()` sets `stop_flag`; `stop()` waits for
them, then calls `after_stop()` (close what is left, take a last sample)."""
import threading


class Background:
    def __init__(self, count=1):
        self.count = count
        self.stop_flag = threading.Event()
        self.threads = []

    @property
    def thread(self):
        return self.threads[0] if self.threads else None

    def run(self):
        raise NotImplementedError

    def start(self):
        for _ in range(self.count):
            t = threading.Thread(target=self.run, daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def stop(self, timeout=60):
        self.stop_flag.set()
        for t in self.threads:
            t.join(timeout=timeout)
        self.after_stop()

    def after_stop(self):
        pass
