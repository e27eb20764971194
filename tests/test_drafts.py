"""Drafts: sealed, found only with the printed code plus the date of birth (or a mediator), rate-limited, purged."""

from __future__ import annotations

import datetime as dt
from datetime import UTC
from pathlib import Path

import pytest

from kiosk.catalog import load_catalog
from kiosk.crypto import PayloadCipher
from kiosk.drafts import (
    MAX_FAILED_PER_WINDOW,
    MAX_WRONG_CHECKS,
    DraftError,
    delete_draft,
    purge_expired,
    resume_draft,
    save_draft,
)
from kiosk.forms.answers_file import example_answers, fill
from kiosk.forms.flow import Stage
from kiosk.storage import open_storage

NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
BORN = dt.date(1950, 3, 2)
CIPHER = PayloadCipher(b"d" * 32)
SERVICE = load_catalog().catalog.services["child-benefit"]
CANARY = "CANARY-d7a1"


def saved(storage, answers=None):  # type: ignore[no-untyped-def]
    return save_draft(
        storage.db,
        CIPHER,
        service_id=SERVICE.id,
        service_version=SERVICE.version,
        answers=answers if answers is not None else {"full_name": CANARY},
        language="pt-PT",
        date_of_birth=BORN,
        now=NOW,
        retention_days=30,
    )


def test_a_draft_resumes_with_its_code_and_date_of_birth_where_the_citizen_stopped(tmp_path: Path) -> None:
    today = NOW.date()
    answers = example_answers(SERVICE, today=today)
    partial = {key: answers[key] for key in list(answers)[:3]}  # the citizen stopped after three pages
    with open_storage(tmp_path) as storage:
        draft = saved(storage, partial)
        assert draft.code.startswith("D-") and draft.expires_at == NOW + dt.timedelta(days=30)
        resumed = resume_draft(storage.db, CIPHER, draft.code.lower().replace("-", " "), date_of_birth=BORN, now=NOW)
    assert (resumed.service_id, resumed.answers, resumed.language) == (SERVICE.id, partial, "pt-PT")
    flow = fill(SERVICE, resumed.answers, today=today).flow
    assert flow.stage is Stage.QUESTION and len(flow.final_answers()) >= 3  # the next unanswered page


def test_nothing_personal_or_the_code_is_stored_in_clear(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        draft = saved(storage)
        storage.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(path.read_bytes() for path in tmp_path.rglob("*") if path.is_file())
    assert CANARY.encode() not in raw
    assert draft.code.encode() not in raw and draft.code.replace("-", "").encode() not in raw
    assert BORN.isoformat().encode() not in raw


def test_a_wrong_date_of_birth_fails_and_repeated_failures_lock_the_draft(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        draft = saved(storage)
        for _ in range(MAX_WRONG_CHECKS):
            with pytest.raises(DraftError) as wrong:
                resume_draft(storage.db, CIPHER, draft.code, date_of_birth=dt.date(1950, 3, 3), now=NOW)
            assert wrong.value.reason == "wrong-check"
        with pytest.raises(DraftError) as locked:  # now even the right date waits
            resume_draft(storage.db, CIPHER, draft.code, date_of_birth=BORN, now=NOW)
        assert locked.value.reason == "locked"
        later = NOW + dt.timedelta(hours=2)
        assert resume_draft(storage.db, CIPHER, draft.code, date_of_birth=BORN, now=later).service_id == SERVICE.id


def test_a_mediator_check_opens_a_draft_without_the_date(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        draft = saved(storage)
        with pytest.raises(DraftError):
            resume_draft(storage.db, CIPHER, draft.code, date_of_birth=None, now=NOW)  # no factor at all
        resumed = resume_draft(storage.db, CIPHER, draft.code, date_of_birth=None, now=NOW, mediator_checked=True)
    assert resumed.answers == {"full_name": CANARY}


def test_guessing_codes_is_rate_limited_for_the_whole_kiosk(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        draft = saved(storage)
        for n in range(MAX_FAILED_PER_WINDOW):
            with pytest.raises(DraftError) as failure:
                resume_draft(
                    storage.db, CIPHER, "D-0000-0000-00-0" if n % 2 else "nonsense", date_of_birth=BORN, now=NOW
                )
            assert failure.value.reason in ("unknown", "malformed")
        with pytest.raises(DraftError) as refused:  # even the right code and date, until the window passes
            resume_draft(storage.db, CIPHER, draft.code, date_of_birth=BORN, now=NOW)
        assert refused.value.reason == "too-many-attempts"
        later = NOW + dt.timedelta(minutes=16)
        assert resume_draft(storage.db, CIPHER, draft.code, date_of_birth=BORN, now=later).service_id == SERVICE.id


def test_expired_drafts_cannot_be_resumed_and_are_purged(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        draft = saved(storage)
        other = saved(storage)
        expiry = NOW + dt.timedelta(days=30)
        with pytest.raises(DraftError) as expired:
            resume_draft(storage.db, CIPHER, draft.code, date_of_birth=BORN, now=expiry)
        assert expired.value.reason == "unknown"
        assert purge_expired(storage.db, NOW) == 0
        assert purge_expired(storage.db, expiry) == 2
        assert storage.db["drafts"].count == 0
        assert not delete_draft(storage.db, CIPHER, other.code)


def test_a_sent_service_deletes_its_draft(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        draft = saved(storage)
        assert delete_draft(storage.db, CIPHER, draft.code)
        with pytest.raises(DraftError):
            resume_draft(storage.db, CIPHER, draft.code, date_of_birth=BORN, now=NOW)
