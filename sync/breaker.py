"""A circuit breaker per delivery endpoint, kept in the database so it survives restarts.

closed    -> deliveries go out; `FAILURE_THRESHOLD` consecutive failures that count (timeouts, resets, 5xx: see
             sync.classify) open it. A per-record 4xx never counts: one bad submission must not stop the others.
open      -> nothing is sent to that endpoint until `next_probe_at`; then exactly one delivery may go as a probe.
half-open -> the probe is out; its success closes the breaker, its failure opens it for another interval.
paused    -> (beside the above) the endpoint refused our credentials (401/403): nothing is sent to it until staff
             act (`resume`) or, every `AUTH_PROBE_SECONDS`, one automatic probe finds the credentials work again.
Opening and pausing are logged for staff; `states(db)` feeds `sync status` and the staff screen.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import NamedTuple

from sqlite_utils import Database

from kiosk.storage.clock import iso_utc

log = logging.getLogger(__name__)

FAILURE_THRESHOLD = 5
PROBE_INTERVAL_SECONDS = 120.0
AUTH_PROBE_SECONDS = 1800.0  # credentials rotated on the server side may start working again: try twice an hour
_COLUMNS = "endpoint, breaker, failures, next_probe_at, last_success_at, last_failure, paused_reason, paused_until"


class BreakerState(NamedTuple):
    endpoint: str
    breaker: str  # closed, open or half-open
    failures: int
    next_probe_at: str | None
    last_success_at: str | None
    last_failure: str | None
    paused_reason: str | None = None
    paused_until: str | None = None


def allow(db: Database, endpoint: str, *, now: dt.datetime) -> bool:
    """Whether a delivery to `endpoint` may go now; an open breaker past its probe time lets exactly one through."""
    state = _state(db, endpoint)
    if state.paused_reason is not None:
        return _take_auth_probe(db, endpoint, state, now)
    if state.breaker == "closed":
        return True
    if state.breaker == "half-open":
        return False  # the probe is out: wait for its result
    if state.next_probe_at is not None and state.next_probe_at > iso_utc(now):
        return False
    with db.conn:
        taken = db.conn.execute(
            "UPDATE endpoint_state SET breaker = 'half-open', updated_at = ? WHERE endpoint = ? AND breaker = 'open'",
            [iso_utc(now), endpoint],
        ).rowcount
    return bool(taken)  # only one caller moves it to half-open, so only one probe goes


def _take_auth_probe(db: Database, endpoint: str, state: BreakerState, now: dt.datetime) -> bool:
    if state.paused_until is not None and state.paused_until > iso_utc(now):
        return False
    later = iso_utc(now + dt.timedelta(seconds=AUTH_PROBE_SECONDS))
    with db.conn:  # one caller moves the probe time on, so one probe goes
        taken = db.conn.execute(
            "UPDATE endpoint_state SET paused_until = ?, updated_at = ? WHERE endpoint = ? "
            "AND paused_reason IS NOT NULL AND (paused_until IS NULL OR paused_until <= ?)",
            [later, iso_utc(now), endpoint, iso_utc(now)],
        ).rowcount
    return bool(taken)


def return_probe(db: Database, endpoint: str, *, now: dt.datetime) -> None:
    """A probe taken by `allow` found nothing to send: let the next pass take it (the breaker must not stay half-open,
    nor a paused endpoint wait another half hour, because nothing happened to be due)."""
    with db.conn:
        db.conn.execute(
            "UPDATE endpoint_state SET breaker = 'open', updated_at = ? WHERE endpoint = ? AND breaker = 'half-open'",
            [iso_utc(now), endpoint],
        )
        db.conn.execute(
            "UPDATE endpoint_state SET paused_until = ?, updated_at = ? "
            "WHERE endpoint = ? AND paused_reason IS NOT NULL",
            [iso_utc(now), iso_utc(now), endpoint],
        )


def pause(db: Database, endpoint: str, *, now: dt.datetime, reason: str) -> None:
    """The endpoint refused the kiosk's credentials: send nothing more until staff act or the next auth probe."""
    _ensure(db, endpoint, now)
    with db.conn:
        db.conn.execute(
            "UPDATE endpoint_state SET paused_reason = ?, paused_until = ?, updated_at = ? WHERE endpoint = ?",
            [reason, iso_utc(now + dt.timedelta(seconds=AUTH_PROBE_SECONDS)), iso_utc(now), endpoint],
        )
    log.warning("endpoint %s paused: %s", endpoint, reason)


def resume(db: Database, endpoint: str, *, now: dt.datetime) -> None:
    """Staff fixed the credentials (or asked to try now): the endpoint may be sent to again."""
    _ensure(db, endpoint, now)
    with db.conn:
        db.conn.execute(
            "UPDATE endpoint_state SET paused_reason = NULL, paused_until = NULL, updated_at = ? WHERE endpoint = ?",
            [iso_utc(now), endpoint],
        )


def record_success(db: Database, endpoint: str, *, now: dt.datetime) -> None:
    _ensure(db, endpoint, now)
    with db.conn:
        db.conn.execute(
            "UPDATE endpoint_state SET breaker = 'closed', failures = 0, opened_at = NULL, next_probe_at = NULL, "
            "paused_reason = NULL, paused_until = NULL, last_success_at = ?, updated_at = ? WHERE endpoint = ?",
            [iso_utc(now), iso_utc(now), endpoint],
        )


def record_failure(
    db: Database, endpoint: str, *, now: dt.datetime, reason: str, interval: float = PROBE_INTERVAL_SECONDS
) -> None:
    """A failure that counts toward the breaker (the caller asks sync.classify whether it does)."""
    state = _state(db, endpoint, now)
    failures = state.failures + 1
    opens = state.breaker == "half-open" or (state.breaker == "closed" and failures >= FAILURE_THRESHOLD)
    probe = iso_utc(now + dt.timedelta(seconds=interval))
    with db.conn:
        if opens:
            db.conn.execute(
                "UPDATE endpoint_state SET breaker = 'open', failures = 0, opened_at = ?, next_probe_at = ?, "
                "last_failure = ?, updated_at = ? WHERE endpoint = ?",
                [iso_utc(now), probe, reason, iso_utc(now), endpoint],
            )
        else:
            db.conn.execute(
                "UPDATE endpoint_state SET failures = ?, last_failure = ?, updated_at = ? WHERE endpoint = ?",
                [failures if state.breaker == "closed" else state.failures, reason, iso_utc(now), endpoint],
            )
    if opens:
        log.warning("endpoint %s: circuit opened (%s); next probe at %s", endpoint, reason, probe)


def states(db: Database) -> list[BreakerState]:
    rows = db.conn.execute(f"SELECT {_COLUMNS} FROM endpoint_state ORDER BY endpoint").fetchall()
    return [BreakerState(*row) for row in rows]


def _state(db: Database, endpoint: str, now: dt.datetime | None = None) -> BreakerState:
    _ensure(db, endpoint, now or dt.datetime.now(dt.UTC))
    row = db.conn.execute(
        f"SELECT {_COLUMNS} FROM endpoint_state WHERE endpoint = ?",
        [endpoint],
    ).fetchone()
    return BreakerState(*row)


def _ensure(db: Database, endpoint: str, now: dt.datetime) -> None:
    with db.conn:
        db.conn.execute(
            "INSERT OR IGNORE INTO endpoint_state (endpoint, updated_at) VALUES (?, ?)", [endpoint, iso_utc(now)]
        )
