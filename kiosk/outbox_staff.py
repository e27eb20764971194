"""What staff see of the delivery queue and what they may do to one item; and the purge of delivered payloads.

Nothing here names a person: the queue shows reference, service, state, age, attempts and the last error in plain
words (the server's own message is sealed and only leaves through an encrypted export). Every change adds a row to
`outbox_history`, as in kiosk.outbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from sqlite_utils import Database

from kiosk.outbox import Candidate, add_history, write_transaction
from kiosk.storage.clock import iso_utc

PARKED_STATES = ("quarantined", "auth-paused")


class QueueItem(NamedTuple):
    submission_uuid: str
    reference: str
    service_id: str
    target: str
    endpoint: str | None  # staff's re-route, or None: routed by the configuration
    state: str
    attempts: int
    created_at: str
    updated_at: str
    next_attempt_at: str | None
    last_error: str | None  # plain words for staff
    receipt: str | None

    @property
    def candidate(self) -> Candidate:
        return Candidate(self.service_id, self.target, self.endpoint)


def queue_items(db: Database, *, include_delivered: bool = False, limit: int = 500) -> list[QueueItem]:
    """The queue, parked items first (they need staff), then the rest oldest first."""
    rows = db.conn.execute(
        "SELECT s.uuid, s.reference, s.service_id, s.target, o.endpoint, o.state, o.attempts, s.created_at, "
        "o.updated_at, o.next_attempt_at, o.last_error, o.receipt FROM outbox o "
        "JOIN submissions s ON s.uuid = o.submission_uuid WHERE ? OR o.state != 'delivered' "
        "ORDER BY o.state NOT IN ('quarantined', 'auth-paused'), s.created_at LIMIT ?",
        [int(include_delivered), limit],
    ).fetchall()
    return [QueueItem(*row) for row in rows]


def find_item(db: Database, reference: str) -> QueueItem | None:
    """The queue item of one canonical reference (kiosk.codes), whatever its state."""
    for item in queue_items(db, include_delivered=True, limit=1_000_000):
        if item.reference == reference:
            return item
    return None


def reroute(db: Database, submission_uuid: str, endpoint: str, *, now: dt.datetime, reason: str) -> bool:
    """Send one item to another endpoint from now on; a parked or waiting item is queued again at once.

    False when the item does not exist, is delivered, or is being sent right now (staff try again in a moment).
    """
    stamp = iso_utc(now)
    with write_transaction(db):
        row = db.conn.execute("SELECT state FROM outbox WHERE submission_uuid = ?", [submission_uuid]).fetchone()
        if row is None or row[0] in ("delivered", "sending"):
            return False
        db.conn.execute(
            "UPDATE outbox SET endpoint = ?, state = 'queued', next_attempt_at = ?, updated_at = ? "
            "WHERE submission_uuid = ?",
            [endpoint, stamp, stamp, submission_uuid],
        )
        add_history(db, submission_uuid, stamp, row[0], "queued", f"re-routed to {endpoint}: {reason}")
    return True


def release_where(db: Database, accept: Callable[[Candidate], bool], *, now: dt.datetime, reason: str) -> int:
    """Queue again every auth-paused item `accept` picks (its endpoint's credentials work again); how many."""
    stamp = iso_utc(now)
    with write_transaction(db):
        rows = db.conn.execute(
            "SELECT o.submission_uuid, s.service_id, s.target, o.endpoint FROM outbox o "
            "JOIN submissions s ON s.uuid = o.submission_uuid WHERE o.state = 'auth-paused'"
        ).fetchall()
        released = [uuid for uuid, service, target, endpoint in rows if accept(Candidate(service, target, endpoint))]
        for uuid in released:
            db.conn.execute(
                "UPDATE outbox SET state = 'queued', next_attempt_at = ?, updated_at = ? WHERE submission_uuid = ?",
                [stamp, stamp, uuid],
            )
            add_history(db, uuid, stamp, "auth-paused", "queued", reason)
    return len(released)


def purge_delivered_payloads(db: Database, *, now: dt.datetime) -> int:
    """Empty the payload of every submission delivered more than its retention period ago; the receipt stays.

    The answers are gone from the database for good (secure_delete overwrites the freed pages). Returns how many.
    """
    stamp = iso_utc(now)
    with write_transaction(db):
        rows = db.conn.execute(
            "SELECT s.uuid, s.retention_days, o.delivered_at FROM submissions s "
            "JOIN outbox o ON o.submission_uuid = s.uuid "
            "WHERE o.state = 'delivered' AND s.payload_purged_at IS NULL AND o.delivered_at IS NOT NULL"
        ).fetchall()
        due = [uuid for uuid, days, delivered in rows if _ended(delivered, int(days), now)]
        for uuid in due:
            db.conn.execute("UPDATE submissions SET payload = x'', payload_purged_at = ? WHERE uuid = ?", [stamp, uuid])
            add_history(db, uuid, stamp, "delivered", "delivered", "answers deleted after the retention period")
    return len(due)


def _ended(delivered_at: str, retention_days: int, now: dt.datetime) -> bool:
    delivered = dt.datetime.fromisoformat(delivered_at.replace("Z", "+00:00"))
    return delivered + dt.timedelta(days=retention_days) <= now
