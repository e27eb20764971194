"""The outbox's bookkeeping: which submissions are due, who is sending which, and what each attempt changed.

The sync layer (sync/) does the network part; everything it decides is recorded here, in the core database, in short
transactions, with one row of `outbox_history` per state change (append-only: nothing leaves the queue unrecorded).

- `claim_due` hands out due items under a **lease**: the kiosk's worker and a `citizen-kiosk sync now` run never send
  the same item at once, and an item whose holder crashed becomes due again when its lease expires.
- `record_outcome` applies a classified result (sync.classify), but only for the lease's holder: a late answer from a
  holder whose lease was taken over changes nothing.
Times are ISO-8601 UTC text (kiosk.storage.clock); the caller passes `now`, so tests pin time and clock skew is
harmless (waits themselves use a monotonic clock in sync/).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Literal, NamedTuple

from sqlite_utils import Database

from kiosk.storage.clock import iso_utc

DUE_STATES = ("queued", "retry-scheduled")
Result = Literal["ack", "retry", "auth-pause", "quarantine"]
_TARGET_STATE: dict[Result, str] = {
    "ack": "delivered",
    "retry": "retry-scheduled",
    "auth-pause": "auth-paused",
    "quarantine": "quarantined",
}


# A scheduled time further ahead than any wait the sync layer ever chooses (Retry-After is clamped to 6 hours) means
# the wall clock moved back (a kiosk whose date was wrong, then corrected): such an item is due now, not in two years.
MAX_SCHEDULE_AHEAD = dt.timedelta(hours=7)


class Claim(NamedTuple):
    submission_uuid: str
    target: str
    attempts: int  # including this one
    payload_sha256: str | None
    service_id: str = ""
    endpoint: str | None = None  # staff's re-route; None: the configuration's routing decides


class Candidate(NamedTuple):
    """What `claim_due`'s `accept` sees of a due item (to route it and check its endpoint is open)."""

    service_id: str
    target: str
    endpoint: str | None


class QueueCounts(NamedTuple):
    per_state: dict[str, int]
    oldest_pending_at: str | None  # created_at of the oldest item not yet delivered or parked
    last_delivered_at: str | None


def claim_due(
    db: Database,
    *,
    owner: str,
    now: dt.datetime,
    lease_seconds: float,
    limit: int = 10,
    accept: Callable[[Candidate], bool] | None = None,
) -> list[Claim]:
    """Take up to `limit` due items for `owner` (due retries by their time, then expired leases, then new items in
    the order they were saved): state `sending`, a lease until now + lease_seconds.

    `queued` items are always due; `retry-scheduled` ones when their time has come (or lies impossibly far ahead:
    the clock moved back); `sending` ones whose lease expired are taken over. `accept` leaves items out (their endpoint
    is paused or its breaker open, or no endpoint is configured for them) without touching them.
    """
    stamp, until = iso_utc(now), iso_utc(now + dt.timedelta(seconds=lease_seconds))
    ahead = iso_utc(now + MAX_SCHEDULE_AHEAD)
    lease_ahead = iso_utc(now + dt.timedelta(seconds=2 * lease_seconds))
    conn = db.conn
    # Three streamed queries, each read in index order and only as far as needed (never a sort of the whole queue:
    # a long queue after an outage must not make each claim slower): due retries, expired leases, then new items.
    queries: tuple[tuple[str, list[str]], ...] = (
        ("o.state = 'retry-scheduled' AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ? "
         "OR o.next_attempt_at > ?) ORDER BY o.next_attempt_at", [stamp, ahead]),
        ("o.state = 'sending' AND (o.lease_until <= ? OR o.lease_until > ?)", [stamp, lease_ahead]),
        ("o.state = 'queued' ORDER BY o.next_attempt_at", []),
    )  # fmt: skip
    with write_transaction(db):  # one claimer at a time: the selects and the updates see the same rows
        chosen: list[tuple[str, str, int, str | None, str, str, str | None]] = []
        for where, parameters in queries:
            cursor = conn.execute(
                "SELECT o.submission_uuid, s.target, o.attempts, s.payload_sha256, o.state, s.service_id, o.endpoint "
                f"FROM outbox o JOIN submissions s ON s.uuid = o.submission_uuid WHERE {where}",
                parameters,
            )
            for row in cursor:  # lazily: stop reading once `limit` items are accepted
                if accept is None or accept(Candidate(row[5], row[1], row[6])):
                    chosen.append(row)
                    if len(chosen) >= limit:
                        break
            cursor.close()
            if len(chosen) >= limit:
                break
        claims = []
        for uuid, item_target, attempts, digest, state, service_id, endpoint in chosen:
            conn.execute(
                "UPDATE outbox SET state = 'sending', attempts = attempts + 1, lease_owner = ?, lease_until = ?, "
                "updated_at = ? WHERE submission_uuid = ?",
                [owner, until, stamp, uuid],
            )
            detail = "taken over after an expired lease" if state == "sending" else f"attempt {attempts + 1}"
            add_history(db, uuid, stamp, state, "sending", detail)
            claims.append(Claim(uuid, item_target, attempts + 1, digest, service_id, endpoint))
    return claims


class Outcome(NamedTuple):
    """One attempt's result for `record_outcomes`; `reason` is plain words for staff (never personal data) and
    `server_message` is already sealed."""

    submission_uuid: str
    result: Result
    reason: str
    next_attempt_at: dt.datetime | None = None
    receipt: str | None = None
    server_message: bytes | None = None


def record_outcome(
    db: Database,
    submission_uuid: str,
    *,
    owner: str,
    result: Result,
    now: dt.datetime,
    reason: str,
    next_attempt_at: dt.datetime | None = None,
    receipt: str | None = None,
    server_message: bytes | None = None,
) -> bool:
    """Apply one attempt's result for the lease's holder; False (nothing changed) when `owner` no longer holds it."""
    outcome = Outcome(submission_uuid, result, reason, next_attempt_at, receipt, server_message)
    return record_outcomes(db, [outcome], owner=owner, now=now)[0]


def record_outcomes(db: Database, outcomes: Sequence[Outcome], *, owner: str, now: dt.datetime) -> list[bool]:
    """Apply several results in ONE transaction (one disk sync for a whole batch); each only for the lease's holder.

    A lost acknowledgement (a crash before COMMIT) only means the item is sent again: the receiver deduplicates.
    """
    stamp = iso_utc(now)
    conn = db.conn
    applied = []
    with write_transaction(db):
        for outcome in outcomes:
            state = _TARGET_STATE[outcome.result]
            changed = conn.execute(
                "UPDATE outbox SET state = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?, "
                "next_attempt_at = ?, last_error = ?, last_error_class = ?, "
                "server_message = coalesce(?, server_message), receipt = coalesce(?, receipt), "
                "delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END "
                "WHERE submission_uuid = ? AND state = 'sending' AND lease_owner = ?",
                [
                    state,
                    stamp,
                    iso_utc(outcome.next_attempt_at) if outcome.next_attempt_at is not None else None,
                    None if outcome.result == "ack" else outcome.reason,
                    None if outcome.result == "ack" else outcome.result,
                    outcome.server_message,
                    outcome.receipt,
                    state,
                    stamp,
                    outcome.submission_uuid,
                    owner,
                ],
            ).rowcount
            if changed:
                add_history(db, outcome.submission_uuid, stamp, "sending", state, outcome.reason)
            applied.append(bool(changed))
    return applied


def unclaim(
    db: Database, submission_uuid: str, *, owner: str, now: dt.datetime, due_at: dt.datetime, reason: str
) -> bool:
    """Give back a claimed item that was NOT sent (its endpoint was paused or its breaker opened meanwhile): the
    attempt is not counted and the item is due again at `due_at`. Holder only, like record_outcome."""
    stamp = iso_utc(now)
    with write_transaction(db):
        changed = db.conn.execute(
            "UPDATE outbox SET state = 'retry-scheduled', attempts = max(attempts - 1, 0), lease_owner = NULL, "
            "lease_until = NULL, next_attempt_at = ?, updated_at = ? "
            "WHERE submission_uuid = ? AND state = 'sending' AND lease_owner = ?",
            [iso_utc(due_at), stamp, submission_uuid, owner],
        ).rowcount
        if changed:
            add_history(db, submission_uuid, stamp, "sending", "retry-scheduled", f"not sent: {reason}")
    return bool(changed)


def release(db: Database, submission_uuid: str, *, now: dt.datetime, reason: str) -> None:
    """A staff action: retry a parked item now (quarantined or auth-paused -> queued)."""
    stamp = iso_utc(now)
    with write_transaction(db):
        row = db.conn.execute("SELECT state FROM outbox WHERE submission_uuid = ?", [submission_uuid]).fetchone()
        if row is None or row[0] not in ("quarantined", "auth-paused", "retry-scheduled"):
            return
        db.conn.execute(
            "UPDATE outbox SET state = 'queued', next_attempt_at = ?, updated_at = ? WHERE submission_uuid = ?",
            [stamp, stamp, submission_uuid],
        )
        add_history(db, submission_uuid, stamp, row[0], "queued", reason)


def counts(db: Database) -> QueueCounts:
    per_state = dict(db.conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())
    oldest = db.conn.execute(
        "SELECT min(s.created_at) FROM outbox o JOIN submissions s ON s.uuid = o.submission_uuid "
        "WHERE o.state IN ('queued', 'retry-scheduled', 'sending', 'auth-paused')"
    ).fetchone()[0]
    last = db.conn.execute("SELECT max(delivered_at) FROM outbox").fetchone()[0]
    return QueueCounts({str(k): int(v) for k, v in per_state.items()}, oldest, last)


def history(db: Database, submission_uuid: str) -> list[tuple[str, str | None, str, str | None]]:
    """(at, from_state, to_state, detail) of one submission, oldest first."""
    rows = db.conn.execute(
        "SELECT at, from_state, to_state, detail FROM outbox_history WHERE submission_uuid = ? ORDER BY id",
        [submission_uuid],
    ).fetchall()
    return [(str(a), f, str(t), d) for a, f, t, d in rows]


@contextmanager
def write_transaction(db: Database) -> Iterator[None]:
    """One write transaction, taken at once (BEGIN IMMEDIATE), committed on success, rolled back on any error."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def add_history(db: Database, uuid: str, at: str, from_state: str | None, to_state: str, detail: str) -> None:  # noqa: PLR0917 - one history row
    db.conn.execute(
        "INSERT INTO outbox_history (submission_uuid, at, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?)",
        [uuid, at, from_state, to_state, detail],
    )
