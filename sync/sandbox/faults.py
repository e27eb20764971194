"""Fault injection for the sandbox: the failures a real back-end and network produce, on demand and reproducibly.

Every fault but the captive portal happens AFTER the submission is committed: the kiosk cannot tell "the server kept
it but the answer was lost" from "the server never got it", which is exactly what idempotent retries must survive.
The random choices come from one seeded generator drawn in a fixed pattern per attempt (`--seed`), so a run with the
same seed and the same order of requests injects the same faults.
"""

from __future__ import annotations

import random
import threading
from typing import NamedTuple

FAIL_STATUSES = (500, 502, 503, 504)


class Faults(NamedTuple):
    fail_first: int = 0  # the first K attempts of EACH submission are answered 503 (after committing)
    fail_rate: float = 0.0  # probability of a random 500/502/503/504 (after committing)
    drop_rate: float = 0.0  # probability of closing the connection without answering (after committing)
    latency_ms: int = 0  # sleep before each answer to POST /submissions
    latency_jitter_ms: int = 0  # plus a random 0..J ms more: real networks are not metronomes
    captive_rate: float = 0.0  # probability of a bare 200 text/html login page (nothing committed)
    seed: int | None = None  # makes the random choices reproducible
    retry_after: int = 1  # the Retry-After (seconds) sent with 409 and 503; 0: none

    def check(self) -> Faults:
        """These faults, or ValueError naming the setting out of range."""
        for name in ("fail_rate", "drop_rate", "captive_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name.replace('_', '-')} must be between 0 and 1")
        for name in ("fail_first", "latency_ms", "latency_jitter_ms", "retry_after"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name.replace('_', '-')} must not be negative")
        return self


class Draw(NamedTuple):
    """The random part of one attempt's fate, drawn before anything is committed."""

    captive: bool
    drop: bool
    fail_status: int | None


class FaultPlan:
    def __init__(self, faults: Faults) -> None:
        self.faults = faults.check()
        self._random = random.Random(faults.seed)
        self._lock = threading.Lock()  # handler threads share one generator: draws stay in one sequence

    def draw(self) -> Draw:
        """Always four numbers per attempt, whatever the rates, so a seed gives the same sequence of fates."""
        with self._lock:
            captive, drop, fail, which = (self._random.random() for _ in range(4))
        faults = self.faults
        return Draw(
            captive=captive < faults.captive_rate,
            drop=drop < faults.drop_rate,
            fail_status=FAIL_STATUSES[int(which * len(FAIL_STATUSES))] if fail < faults.fail_rate else None,
        )

    def delay(self) -> float:
        """Seconds to wait before answering: the fixed latency plus a random share of the jitter."""
        faults = self.faults
        if not faults.latency_jitter_ms:
            return faults.latency_ms / 1000
        with self._lock:
            jitter = self._random.random() * faults.latency_jitter_ms
        return (faults.latency_ms + jitter) / 1000

    def decide(self, draw: Draw, attempt: int, status: int) -> tuple[int | None, str | None]:
        """The status to answer the `attempt`-th attempt of a kept submission whose original answer is `status`
        (None: drop the connection), and the name of the fault injected, if any."""
        if attempt <= self.faults.fail_first:
            return 503, "fail-first"
        if draw.drop:
            return None, "drop"
        if draw.fail_status is not None:
            return draw.fail_status, "fail-rate"
        return status, None
