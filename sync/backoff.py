"""When to try a delivery again: capped exponential backoff with full jitter, honouring (and clamping) Retry-After.

Full jitter (`random(0, min(cap, base * 2^attempt))`, AWS Architecture Blog) spreads a fleet of kiosks that all lost
the network at once, so they do not come back in lockstep. A server's Retry-After is a floor (never sooner), clamped
so that a wrong or hostile value cannot park the queue for days, plus a little jitter of its own for the same reason.
"""

from __future__ import annotations

import random
from collections.abc import Callable

BASE_SECONDS = 30.0
CAP_SECONDS = 3600.0  # at most an hour between attempts: a kiosk keeps trying for as long as it takes
RETRY_AFTER_MAX_SECONDS = 6 * 3600.0
RETRY_AFTER_JITTER = 0.1  # up to 10 % added to a Retry-After


def full_jitter(
    attempt: int,
    *,
    base: float = BASE_SECONDS,
    cap: float = CAP_SECONDS,
    uniform: Callable[[float, float], float] = random.uniform,
) -> float:
    """Seconds before attempt `attempt + 1` (attempt 0 is the first retry): uniform in [0, min(cap, base * 2^n)]."""
    ceiling = cap if attempt >= 64 else min(cap, base * 2.0**attempt)  # 2**64 would only overflow the float sooner
    return uniform(0.0, ceiling)


def next_delay(
    attempt: int,
    retry_after: float | None = None,
    *,
    base: float = BASE_SECONDS,
    cap: float = CAP_SECONDS,
    retry_after_max: float = RETRY_AFTER_MAX_SECONDS,
    uniform: Callable[[float, float], float] = random.uniform,
) -> float:
    """The wait before the next attempt: the server's Retry-After when it gave one (clamped to [0, retry_after_max],
    plus up to 10 % jitter), otherwise full jitter."""
    if retry_after is None:
        return full_jitter(attempt, base=base, cap=cap, uniform=uniform)
    floor = min(max(retry_after, 0.0), retry_after_max)
    return floor + uniform(0.0, floor * RETRY_AFTER_JITTER)
