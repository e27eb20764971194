"""Staff's view of the queue and their actions on one item; the purge of delivered answers after retention."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from kiosk.crypto import PayloadCipher, PayloadError
from kiosk.outbox import claim_due, history, record_outcome, unclaim
from kiosk.outbox_staff import find_item, purge_delivered_payloads, queue_items, reroute
from kiosk.storage import Storage, open_storage
from kiosk.submissions import read_payload
from tests.helpers import queue_submissions

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CIPHER = PayloadCipher(b"s" * 32)


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    with open_storage(tmp_path) as opened:
        yield opened


def outcome(storage: Storage, uuid: str, result: str, **kwargs: object) -> None:
    [claim] = [
        c for c in claim_due(storage.db, owner="w", now=NOW, lease_seconds=60, limit=10) if c.submission_uuid == uuid
    ]
    assert record_outcome(storage.db, claim.submission_uuid, owner="w", result=result, now=NOW, reason="test", **kwargs)  # type: ignore[arg-type]


def test_parked_items_come_first_and_delivered_ones_only_when_asked(storage: Storage) -> None:
    old, middle, new = queue_submissions(storage.db, 3, CIPHER, now=NOW)
    claims = claim_due(storage.db, owner="w", now=NOW, lease_seconds=60, limit=3)
    results = {old: "ack", middle: "retry", new: "quarantine"}
    for claim in claims:
        record_outcome(
            storage.db,
            claim.submission_uuid,
            owner="w",
            result=results[claim.submission_uuid],  # type: ignore[arg-type]
            now=NOW,
            reason="test",
            receipt="R-1" if claim.submission_uuid == old else None,
            next_attempt_at=NOW + dt.timedelta(minutes=5),
        )
    assert [i.submission_uuid for i in queue_items(storage.db)] == [new, middle]
    listed = queue_items(storage.db, include_delivered=True)
    assert [i.state for i in listed] == ["quarantined", "delivered", "retry-scheduled"]
    item = find_item(storage.db, listed[1].reference)
    assert item is not None and item.receipt == "R-1" and item.attempts == 1


def test_re_route_queues_a_parked_item_for_another_endpoint_but_never_a_delivered_one(storage: Storage) -> None:
    parked, done = queue_submissions(storage.db, 2, CIPHER, now=NOW)
    for claim in claim_due(storage.db, owner="w", now=NOW, lease_seconds=60):
        result = "quarantine" if claim.submission_uuid == parked else "ack"
        record_outcome(storage.db, claim.submission_uuid, owner="w", result=result, now=NOW, reason="t")  # type: ignore[arg-type]
    assert reroute(storage.db, done, "other", now=NOW, reason="staff") is False
    assert reroute(storage.db, parked, "other", now=NOW, reason="wrong office") is True
    [claim] = claim_due(storage.db, owner="w", now=NOW, lease_seconds=60)
    assert (claim.submission_uuid, claim.endpoint) == (parked, "other")
    assert history(storage.db, parked)[-2][3] == "re-routed to other: wrong office"


def test_an_item_given_back_unsent_is_not_counted_as_an_attempt(storage: Storage) -> None:
    [uuid] = queue_submissions(storage.db, 1, CIPHER, now=NOW)
    [claim] = claim_due(storage.db, owner="w", now=NOW, lease_seconds=60)
    assert claim.attempts == 1
    assert unclaim(storage.db, uuid, owner="someone-else", now=NOW, due_at=NOW, reason="x") is False
    assert unclaim(storage.db, uuid, owner="w", now=NOW, due_at=NOW, reason="endpoint paused") is True
    [again] = claim_due(storage.db, owner="w", now=NOW, lease_seconds=60)
    assert again.attempts == 1


def test_answers_are_purged_after_the_retention_period_and_the_receipt_stays(storage: Storage) -> None:
    delivered, pending = queue_submissions(storage.db, 2, CIPHER, now=NOW)
    for claim in claim_due(storage.db, owner="w", now=NOW, lease_seconds=60):
        if claim.submission_uuid == delivered:
            record_outcome(storage.db, delivered, owner="w", result="ack", now=NOW, reason="t", receipt="GOV-9")
    assert purge_delivered_payloads(storage.db, now=NOW + dt.timedelta(days=29)) == 0
    assert read_payload(storage.db, delivered, CIPHER)  # still there within the retention period
    assert purge_delivered_payloads(storage.db, now=NOW + dt.timedelta(days=30)) == 1
    with pytest.raises(PayloadError):
        read_payload(storage.db, delivered, CIPHER)
    assert read_payload(storage.db, pending, CIPHER)  # never purged before delivery, whatever its age
    [item] = [i for i in queue_items(storage.db, include_delivered=True) if i.submission_uuid == delivered]
    assert item.receipt == "GOV-9" and item.state == "delivered"
    assert history(storage.db, delivered)[-1][3] == "answers deleted after the retention period"
    assert purge_delivered_payloads(storage.db, now=NOW + dt.timedelta(days=31)) == 0
