"""Circuit breaker per endpoint, with a fake clock: opens after repeated failures, one probe per interval, survives
restarts, and is never opened by a per-record 4xx."""

from __future__ import annotations

import datetime as dt
from datetime import UTC
from pathlib import Path

from kiosk.storage import open_storage
from sync.breaker import FAILURE_THRESHOLD, PROBE_INTERVAL_SECONDS, allow, record_failure, record_success, states
from sync.classify import Response, classify_response

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
EP = "civil-registry"


def later(seconds: float) -> dt.datetime:
    return NOW + dt.timedelta(seconds=seconds)


def test_failures_open_the_breaker_and_one_probe_goes_per_interval(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        db = storage.db
        for n in range(FAILURE_THRESHOLD - 1):
            record_failure(db, EP, now=later(n), reason="the server had a problem")
            assert allow(db, EP, now=later(n))  # still closed
        record_failure(db, EP, now=later(10), reason="the server had a problem")
        assert not allow(db, EP, now=later(11))  # open: nothing goes
        assert not allow(db, EP, now=later(10 + PROBE_INTERVAL_SECONDS - 1))
        probe_time = later(10 + PROBE_INTERVAL_SECONDS)
        assert allow(db, EP, now=probe_time)  # exactly one probe…
        assert not allow(db, EP, now=probe_time)  # …not two
        record_failure(db, EP, now=probe_time, reason="the server had a problem")  # the probe failed: open again
        assert not allow(db, EP, now=later(10 + PROBE_INTERVAL_SECONDS + 1))
        second_probe = later(10 + 2 * PROBE_INTERVAL_SECONDS)
        assert allow(db, EP, now=second_probe)
        record_success(db, EP, now=second_probe)
        assert allow(db, EP, now=second_probe) and states(db)[0].breaker == "closed"


def test_an_open_breaker_survives_a_restart_without_a_burst(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        for n in range(FAILURE_THRESHOLD):
            record_failure(storage.db, EP, now=later(n), reason="the connection was cut")
    with open_storage(tmp_path) as storage:  # the kiosk rebooted
        assert not allow(storage.db, EP, now=later(30))
        [state] = states(storage.db)
        assert (state.breaker, state.last_failure) == ("open", "the connection was cut")


def test_a_per_record_4xx_never_counts_toward_the_breaker(tmp_path: Path) -> None:
    rejected = classify_response(Response(422, {}, b'{"detail": "bad"}'), "uuid", now=NOW)
    busy = classify_response(Response(503, {}, b""), "uuid", now=NOW)
    assert not rejected.breaker and busy.breaker
    with open_storage(tmp_path) as storage:
        for n in range(FAILURE_THRESHOLD * 3):
            result = rejected if n % 2 else busy
            if result.breaker:  # as the worker does: only failures that count are recorded
                record_failure(storage.db, EP, now=later(n), reason=result.reason)
            else:
                record_success(storage.db, EP, now=later(n))  # the endpoint answered: it is up
        assert allow(storage.db, EP, now=later(100))
