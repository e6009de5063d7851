"""What every part of the fault suite shares for one run, typed: the settings of the run, the
servers it started and the secrets it made up."""
import os
from dataclasses import dataclass, field

from .procs import FakeMeta, Postgres, Redis, Registry
from .signer import Signer


@dataclass
class Context:
    full: bool                  # False under --ci: shorter, fewer strikes
    run_dir: str
    bin_dir: str
    redis_port: int
    pg_port: int
    meta_port: int
    ingest_port: int
    rate: float                 # logical requests per second, all load threads together
    threads: int
    warmup: float               # seconds of load before the fault, and after it
    cooldown: float
    settle_timeout: float
    meta_latency_ms: int
    registry: Registry
    key_file: str
    secrets: dict               # environment name -> secret value (see config.secrets)
    tokens: list = field(default_factory=list)   # (label, value) the canary check must not find
    redis: Redis = None
    pg: Postgres = None
    meta: FakeMeta = None
    signer: Signer = None

    def bin(self, name):
        return os.path.join(self.bin_dir, name)
