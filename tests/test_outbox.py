"""Outbox bookkeeping on a real SQLite file: due items under a lease, outcomes only from the holder, full history."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from datetime import UTC
from pathlib import Path

import pytest

from kiosk.codes import CodeKind, new_code
from kiosk.crypto import PayloadCipher
from kiosk.outbox import claim_due, counts, history, record_outcome, release
from kiosk.storage import Storage, open_storage
from kiosk.submissions import Submission, finalise

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CIPHER = PayloadCipher(b"o" * 32)


def queue(storage: Storage, n: int, target: str = "civil-registry") -> list[str]:
    uuids = []
    for i in range(n):
        submission = Submission(
            uuid=f"00000000-0000-4000-8000-{i:012d}",
            reference=new_code(CodeKind.SUBMISSION),
            service_id="register-birth",
            service_version="1.0",
            site_id="ec-lisboa",
            kiosk_id="kiosk-01",
            created_at=NOW - dt.timedelta(minutes=n - i),
            locale="pt-PT",
            assisted=False,
            consents={},
            answers={"n": i},
        )
        finalise(storage.db, submission, CIPHER, target=target, retention_days=30, clock=lambda: NOW)
        uuids.append(submission.uuid)
    return uuids


@pytest.fixture
def storage(tmp_path: Path):  # type: ignore[no-untyped-def]
    with open_storage(tmp_path) as opened:
        yield opened


def test_due_items_are_claimed_oldest_first_under_a_lease(storage: Storage) -> None:
    uuids = queue(storage, 3)
    claims = claim_due(storage.db, owner="worker", now=NOW, lease_seconds=60, limit=2)
    assert [c.submission_uuid for c in claims] == uuids[:2]
    assert all(c.attempts == 1 and c.payload_sha256 for c in claims)
    # The same items are not handed out again while the lease runs: `sync now` gets only the third.
    assert [c.submission_uuid for c in claim_due(storage.db, owner="sync-now", now=NOW, lease_seconds=60)] == [uuids[2]]
    assert claim_due(storage.db, owner="sync-now", now=NOW + dt.timedelta(seconds=59), lease_seconds=60) == []


def test_an_expired_lease_of_a_crashed_holder_is_taken_over(storage: Storage) -> None:
    [uuid] = queue(storage, 1)
    claim_due(storage.db, owner="crashed", now=NOW, lease_seconds=60)
    later = NOW + dt.timedelta(seconds=61)
    [claim] = claim_due(storage.db, owner="worker", now=later, lease_seconds=60)
    assert claim.submission_uuid == uuid and claim.attempts == 2
    # The crashed holder's late answer changes nothing; the new holder's does.
    assert not record_outcome(storage.db, uuid, owner="crashed", result="ack", now=later, reason="delivered")
    assert record_outcome(storage.db, uuid, owner="worker", result="ack", now=later, reason="delivered", receipt="R1")
    assert [(f, t) for _, f, t, _ in history(storage.db, uuid)] == [
        (None, "queued"),
        ("queued", "sending"),
        ("sending", "sending"),
        ("sending", "delivered"),
    ]


def test_each_outcome_sets_its_state_and_only_due_retries_come_back(storage: Storage) -> None:
    uuids = queue(storage, 4)
    claim_due(storage.db, owner="w", now=NOW, lease_seconds=60)
    retry_at = NOW + dt.timedelta(minutes=5)
    sealed = CIPHER.seal(b"field nif: check digit", context="server-message")
    assert record_outcome(storage.db, uuids[0], owner="w", result="ack", now=NOW, reason="delivered", receipt="SS-1")
    assert record_outcome(
        storage.db,
        uuids[1],
        owner="w",
        result="retry",
        now=NOW,
        reason="the server had a problem",
        next_attempt_at=retry_at,
    )
    assert record_outcome(storage.db, uuids[2], owner="w", result="auth-pause", now=NOW, reason="credentials refused")
    assert record_outcome(
        storage.db, uuids[3], owner="w", result="quarantine", now=NOW, reason="rejected", server_message=sealed
    )
    rows = dict(storage.db.conn.execute("SELECT submission_uuid, state FROM outbox").fetchall())
    assert [rows[u] for u in uuids] == ["delivered", "retry-scheduled", "auth-paused", "quarantined"]
    receipt, delivered_at = storage.db.conn.execute(
        "SELECT receipt, delivered_at FROM outbox WHERE submission_uuid = ?", [uuids[0]]
    ).fetchone()
    assert (receipt, delivered_at) == ("SS-1", "2026-11-28T12:00:00.000Z")
    [message] = storage.db.conn.execute(
        "SELECT server_message FROM outbox WHERE submission_uuid = ?", [uuids[3]]
    ).fetchone()
    assert CIPHER.open(message, context="server-message") == b"field nif: check digit"
    assert claim_due(storage.db, owner="w", now=NOW + dt.timedelta(minutes=4), lease_seconds=60) == []
    [due] = claim_due(storage.db, owner="w", now=retry_at, lease_seconds=60)
    assert due.submission_uuid == uuids[1] and due.attempts == 2
    state = counts(storage.db)
    assert state.per_state == {"delivered": 1, "sending": 1, "auth-paused": 1, "quarantined": 1}
    assert state.last_delivered_at == "2026-11-28T12:00:00.000Z"


def test_staff_can_release_a_parked_item_and_history_cannot_be_rewritten(storage: Storage) -> None:
    [uuid] = queue(storage, 1)
    claim_due(storage.db, owner="w", now=NOW, lease_seconds=60)
    record_outcome(storage.db, uuid, owner="w", result="quarantine", now=NOW, reason="rejected")
    release(storage.db, uuid, now=NOW, reason="staff: retry now")
    assert [c.submission_uuid for c in claim_due(storage.db, owner="w", now=NOW, lease_seconds=60)] == [uuid]
    assert history(storage.db, uuid)[-2][2:] == ("queued", "staff: retry now")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        storage.db.conn.execute("UPDATE outbox_history SET detail = 'rewritten'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        storage.db.conn.execute("DELETE FROM outbox_history")


def test_concurrent_claimers_never_get_the_same_item(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        queue(storage, 30)
    taken: list[str] = []
    lock = threading.Lock()

    def claimer(owner: str) -> None:
        with open_storage(tmp_path) as mine:  # each on its own connection, as the worker and `sync now` are
            while claims := claim_due(mine.db, owner=owner, now=NOW, lease_seconds=60, limit=3):
                with lock:
                    taken.extend(c.submission_uuid for c in claims)

    threads = [threading.Thread(target=claimer, args=(f"owner-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(taken) == 30 and len(set(taken)) == 30
