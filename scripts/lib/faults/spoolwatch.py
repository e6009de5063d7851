"""Samples ingestd's spool on disk every `every` seconds, keeping the largest values seen, so a
scenario can show the spool stayed under its cap: the size of `spool.log` (the file
`TRACKHUB_SPOOL_MAX_BYTES` caps) and the disk blocks allocated to the spool's files (`spool.*`;
the config snapshot that shares the directory is not spool)."""
import os

from .background import Background


class SpoolWatch(Background):
    def __init__(self, directory, every=0.05):
        super().__init__()
        self.directory, self.every = directory, every
        self.max_log_bytes = 0      # apparent size of spool.log
        self.max_disk_bytes = 0     # blocks allocated to spool.log and spool.offset
        self.samples = 0

    def sample(self):
        log_bytes = disk = 0
        try:
            names = os.listdir(self.directory)
        except OSError:
            return
        for name in names:
            try:
                st = os.stat(os.path.join(self.directory, name))
            except OSError:
                continue
            if name.startswith("spool."):
                disk += st.st_blocks * 512
            if name == "spool.log":
                log_bytes = st.st_size
        self.max_log_bytes = max(self.max_log_bytes, log_bytes)
        self.max_disk_bytes = max(self.max_disk_bytes, disk)
        self.samples += 1

    def run(self):
        while not self.stop_flag.wait(self.every):
            self.sample()

    def after_stop(self):
        self.sample()
