"""Durable submissions on real SQLite files: canonical JSON, sealed at rest, atomic finalise, lookup, schema upgrade."""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from kiosk.codes import CodeError, CodeKind, new_code
from kiosk.crypto import PayloadCipher, PayloadError
from kiosk.storage import MIGRATIONS, Storage, StorageFullError, open_alerts, open_storage, raise_alert
from kiosk.submissions import (
    OUTBOX_STATES,
    SCHEMA_VERSION,
    STATE_UNKNOWN,
    Submission,
    SubmissionStatus,
    UnknownSubmissionError,
    finalise,
    lookup,
    new_submission,
    read_payload,
    reference_exists,
)

CANARY = "CANARY-7f3a"
SERVICE_ID = "renew-citizen-card"
NOW = datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
SAVED_AT = datetime(2025, 3, 1, 9, 30, 16, tzinfo=UTC)
CIPHER = PayloadCipher(bytes(range(32)))
FIXED_REFERENCE = new_code(CodeKind.SUBMISSION, rng=lambda bits: 0x0123456789ABCDE % (1 << bits))
FIXED_UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


def saved_at() -> datetime:
    return SAVED_AT


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    with open_storage(tmp_path / "data") as opened:
        yield opened


def make(db: Database | None = None, **overrides: object) -> Submission:
    fields: dict[str, object] = {
        "service_id": SERVICE_ID,
        "service_version": "2025.1",
        "site_id": "ec-lisboa-01",
        "kiosk_id": "kiosk-07",
        "locale": "pt-PT",
        "assisted": False,
        "consents": {"data-processing": True, "contact-by-sms": False},
        "answers": {"full-name": f"Maria {CANARY} Conceição", "children": 2, "address": {"postcode": "1000-001"}},
        "now": NOW,
        "reference_exists": (lambda ref: reference_exists(db, ref)) if db is not None else (lambda ref: False),
    }
    fields.update(overrides)
    return new_submission(**fields)  # type: ignore[arg-type]


def direct(answers: Mapping[str, object], consents: Mapping[str, bool] | None = None) -> Submission:
    return Submission(
        uuid=FIXED_UUID,
        reference=FIXED_REFERENCE,
        service_id=SERVICE_ID,
        service_version="2025.1",
        site_id="ec-lisboa-01",
        kiosk_id="kiosk-07",
        created_at=datetime(2025, 3, 1, 9, 30, 15, 123000, tzinfo=UTC),
        locale="pt-PT",
        assisted=True,
        consents=consents if consents is not None else {"data-processing": True},
        answers=answers,
    )


def save(storage: Storage, submission: Submission, *, target: str = "ama-api", retention_days: int = 30) -> None:
    finalise(storage.db, submission, CIPHER, target=target, retention_days=retention_days, clock=saved_at)


def count(db: Database, table: str) -> int:
    return int(db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


# --- canonical JSON ---------------------------------------------------------------------------------------------


def test_canonical_bytes_are_exactly_this_format() -> None:
    submission = direct({"name": "João", "kids": [1, 2.5, None], "ok": True})
    expected = (
        '{"answers":{"kids":[1,2.5,null],"name":"João","ok":true},"assisted":true,'
        '"consents":{"data-processing":true},"created_at":"2025-03-01T09:30:15.123Z","kiosk_id":"kiosk-07",'
        f'"locale":"pt-PT","reference":"{FIXED_REFERENCE}","schema_version":{SCHEMA_VERSION},'
        '"service_id":"renew-citizen-card","service_version":"2025.1","site_id":"ec-lisboa-01",'
        f'"uuid":"{FIXED_UUID}"}}'
    ).encode()
    assert submission.canonical_bytes() == expected
    assert "João".encode() in expected  # UTF-8, not \u escapes


def _reversed_order(value: object) -> object:
    if isinstance(value, dict):
        return {key: _reversed_order(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [_reversed_order(item) for item in value]
    return value


@settings(max_examples=300, deadline=None)
@given(answers=st.dictionaries(st.text(min_size=1, max_size=10), json_values, max_size=6))
def test_canonical_bytes_are_stable_whatever_the_key_order(answers: dict[str, object]) -> None:
    first = direct(answers).canonical_bytes()
    assert direct(answers).canonical_bytes() == first
    assert direct(_reversed_order(answers)).canonical_bytes() == first  # type: ignore[arg-type]
    document = json.loads(first)
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["answers"] == answers
    assert set(document) == {
        "schema_version",
        "uuid",
        "reference",
        "service_id",
        "service_version",
        "site_id",
        "kiosk_id",
        "created_at",
        "locale",
        "assisted",
        "consents",
        "answers",
    }


@pytest.mark.parametrize(
    "answers", [{"x": float("nan")}, {"x": float("inf")}, {"x": [1, {"y": float("-inf")}]}, {"x": {"y": float("nan")}}]
)
def test_nan_and_infinity_are_refused(answers: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="'x' holds NaN or infinity"):
        make(answers=answers)
    with pytest.raises(ValueError, match="NaN"):
        direct(answers)


@pytest.mark.parametrize(
    ("answers", "error"),
    [
        ({"x": {1: "a", "1": "b"}}, TypeError),
        ({"x": {f"{CANARY}", b"bytes"}}, TypeError),
        ({"x": b"bytes " + CANARY.encode()}, TypeError),
        ({"x": NOW}, TypeError),
        ({"x": "\ud800" + CANARY}, ValueError),
        ({1: "a"}, TypeError),
    ],
)
def test_values_json_cannot_hold_are_refused_without_repeating_them(answers: dict[object, object], error: type) -> None:
    with pytest.raises(error) as caught:
        make(answers=answers)
    assert CANARY not in str(caught.value)


def test_a_structure_that_contains_itself_is_refused() -> None:
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="nested too deeply"):
        make(answers={"x": loop})


def test_new_submission_is_utc_to_the_millisecond_and_copies_its_inputs() -> None:
    lisbon_summer = timezone(timedelta(hours=1))
    answers: dict[str, object] = {"items": ["a"], "name": "Ana"}
    consents = {"data-processing": True}
    submission = make(
        now=datetime(2025, 7, 1, 10, 0, 0, 987654, tzinfo=lisbon_summer), answers=answers, consents=consents
    )
    before = submission.canonical_bytes()
    assert submission.created_at == datetime(2025, 7, 1, 9, 0, 0, 987000, tzinfo=UTC)
    assert b'"created_at":"2025-07-01T09:00:00.987Z"' in before
    answers["name"] = "changed"
    consents["data-processing"] = False
    assert submission.canonical_bytes() == before
    with pytest.raises(ValueError, match="timezone-aware"):
        make(now=datetime(2025, 3, 1, 9, 30))  # naive on purpose
    with pytest.raises(TypeError, match="True or False"):
        make(consents={"data-processing": "yes"})


def test_submission_fields_are_validated() -> None:
    with pytest.raises(ValueError, match="canonical"):
        Submission(**{**direct({}).__dict__, "reference": FIXED_REFERENCE.lower()})
    with pytest.raises(ValueError, match="uuid"):
        Submission(**{**direct({}).__dict__, "uuid": FIXED_UUID.upper()})
    with pytest.raises(ValueError, match="service_id"):
        Submission(**{**direct({}).__dict__, "service_id": ""})


def test_the_reference_is_drawn_again_while_it_exists() -> None:
    seen: list[str] = []

    def exists(reference: str) -> bool:
        seen.append(reference)
        return len(seen) < 3  # the first two draws are "taken"

    submission = make(reference_exists=exists)
    assert len(set(seen)) == 3
    assert submission.reference == seen[-1]


# --- finalise and read back ----------------------------------------------------------------------------------------


def test_finalise_then_read_payload_gives_back_the_canonical_bytes(storage: Storage) -> None:
    submission = make(storage.db)
    assert not reference_exists(storage.db, submission.reference)
    save(storage, submission)
    assert reference_exists(storage.db, submission.reference)
    assert read_payload(storage.db, submission.uuid, CIPHER) == submission.canonical_bytes()

    [row] = storage.db.conn.execute(
        "SELECT uuid, reference, service_id, service_version, target, created_at, retention_days, assisted "
        "FROM submissions"
    ).fetchall()
    assert row == (
        submission.uuid,
        submission.reference,
        SERVICE_ID,
        "2025.1",
        "ama-api",
        "2025-03-01T09:30:15.123Z",
        30,
        0,
    )
    [queued] = storage.db.conn.execute(
        "SELECT submission_uuid, state, attempts, next_attempt_at, last_error, updated_at, lease_owner FROM outbox"
    ).fetchall()
    assert queued == (submission.uuid, "queued", 0, "2025-03-01T09:30:15.123Z", None, "2025-03-01T09:30:16.000Z", None)
    [digest] = storage.db.conn.execute("SELECT payload_sha256 FROM submissions").fetchone()
    assert digest == hashlib.sha256(submission.canonical_bytes()).hexdigest()
    history = storage.db.conn.execute("SELECT from_state, to_state FROM outbox_history").fetchall()
    assert history == [(None, "queued")]


def test_committed_data_is_visible_to_another_connection_when_finalise_returns(storage: Storage) -> None:
    submission = make(storage.db)
    save(storage, submission)
    assert not storage.db.conn.in_transaction
    other = sqlite3.connect(storage.path)
    try:
        assert other.execute("SELECT count(*) FROM submissions").fetchone() == (1,)
        assert other.execute("SELECT state FROM outbox").fetchone() == ("queued",)
    finally:
        other.close()


def test_the_canary_answer_is_in_no_file_of_the_data_directory(
    storage: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    data_dir = storage.path.parent

    def all_bytes() -> bytes:
        return b"".join(p.read_bytes() for p in sorted(data_dir.iterdir()) if p.is_file())

    caplog.set_level(logging.DEBUG)
    submission = make(storage.db)
    save(storage, submission)
    assert {"kiosk.db", "kiosk.db-wal", "kiosk.db-shm"} <= {p.name for p in data_dir.iterdir()}
    before_checkpoint = all_bytes()
    assert SERVICE_ID.encode() in before_checkpoint  # the clear metadata is really on disk, so the search is real
    assert CANARY.encode() not in before_checkpoint
    assert "Conceição".encode() not in before_checkpoint

    storage.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert SERVICE_ID.encode() in (data_dir / "kiosk.db").read_bytes()
    assert CANARY.encode() not in all_bytes()
    storage.close()
    assert CANARY.encode() not in all_bytes()

    messages = [record.getMessage() for record in caplog.records]
    assert any(submission.reference in message for message in messages)
    assert not any(CANARY in message or "Maria" in message for message in messages)


def test_finalise_is_atomic_when_the_outbox_insert_fails(storage: Storage) -> None:
    storage.db.execute("CREATE TRIGGER boom BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'boom'); END")
    submission = make(storage.db)
    with pytest.raises(sqlite3.IntegrityError, match="boom"):
        save(storage, submission)
    assert not storage.db.conn.in_transaction
    assert count(storage.db, "submissions") == 0
    assert count(storage.db, "outbox") == 0

    storage.db.execute("DROP TRIGGER boom")
    save(storage, submission)  # the same submission can be saved once the cause is gone
    assert (count(storage.db, "submissions"), count(storage.db, "outbox")) == (1, 1)


def test_saving_the_same_submission_twice_changes_nothing(storage: Storage) -> None:
    submission = make(storage.db)
    save(storage, submission)
    with pytest.raises(sqlite3.IntegrityError):
        save(storage, submission)
    assert (count(storage.db, "submissions"), count(storage.db, "outbox")) == (1, 1)
    assert not storage.db.conn.in_transaction


def test_finalise_refuses_to_run_inside_another_transaction(storage: Storage) -> None:
    with pytest.raises(RuntimeError, match="outside any transaction"), storage.write():
        save(storage, make(storage.db))
    assert count(storage.db, "submissions") == 0


@pytest.mark.parametrize(("target", "retention_days"), [("", 30), ("ama-api", 0), ("ama-api", True)])
def test_finalise_checks_target_and_retention(storage: Storage, target: str, retention_days: int) -> None:
    with pytest.raises(ValueError, match=r"target|retention"):
        save(storage, make(storage.db), target=target, retention_days=retention_days)
    assert count(storage.db, "submissions") == 0


def test_a_full_disk_is_storage_full_and_stores_nothing(storage: Storage) -> None:
    conn = storage.db.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # a real SQLITE_FULL, as in test_storage_full.py
    submission = make(storage.db, answers={"letter": "x" * 50_000})
    with pytest.raises(StorageFullError) as caught:
        save(storage, submission)
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    assert caught.value.path == storage.path
    assert not conn.in_transaction
    assert (count(storage.db, "submissions"), count(storage.db, "outbox")) == (0, 0)
    conn.execute(f"PRAGMA max_page_count = {pages * 100}")
    save(storage, submission)
    assert read_payload(storage.db, submission.uuid, CIPHER) == submission.canonical_bytes()


# --- tampering ------------------------------------------------------------------------------------------------------


def test_a_flipped_byte_in_the_stored_payload_is_detected(storage: Storage) -> None:
    submission = make(storage.db)
    save(storage, submission)
    [(payload,)] = storage.db.conn.execute("SELECT payload FROM submissions").fetchall()
    damaged = bytearray(payload)
    damaged[len(damaged) // 2] ^= 0x01
    with storage.write() as db:
        db.execute("UPDATE submissions SET payload = ? WHERE uuid = ?", [bytes(damaged), submission.uuid])
    with pytest.raises(PayloadError, match="damaged or tampered"):
        read_payload(storage.db, submission.uuid, CIPHER)


def test_a_payload_copied_into_another_row_does_not_open(storage: Storage) -> None:
    first, second = make(storage.db), make(storage.db, answers={"full-name": "Someone Else"})
    save(storage, first)
    save(storage, second)
    with storage.write() as db:
        db.execute(
            "UPDATE submissions SET payload = (SELECT payload FROM submissions WHERE uuid = ?) WHERE uuid = ?",
            [first.uuid, second.uuid],
        )
    with pytest.raises(PayloadError, match="damaged or tampered"):
        read_payload(storage.db, second.uuid, CIPHER)
    assert read_payload(storage.db, first.uuid, CIPHER) == first.canonical_bytes()


def test_another_key_is_reported_as_such(storage: Storage) -> None:
    submission = make(storage.db)
    save(storage, submission)
    with pytest.raises(PayloadError, match="sealed with another key"):
        read_payload(storage.db, submission.uuid, PayloadCipher(bytes(32)))


def test_plaintext_cannot_be_stored_as_a_payload_and_unknown_uuids_are_named(storage: Storage) -> None:
    submission = make(storage.db)
    save(storage, submission)
    with pytest.raises(sqlite3.IntegrityError), storage.write() as db:
        db.execute("UPDATE submissions SET payload = ? WHERE uuid = ?", ["plain text", submission.uuid])
    with pytest.raises(UnknownSubmissionError):
        read_payload(storage.db, FIXED_UUID, CIPHER)


# --- lookup ---------------------------------------------------------------------------------------------------------


def test_lookup_by_reference_in_any_typed_form(storage: Storage) -> None:
    submission = make(storage.db)
    save(storage, submission)
    expected = SubmissionStatus(
        reference=submission.reference,
        service_id=SERVICE_ID,
        service_version="2025.1",
        created_at=submission.created_at,
        state="queued",
        attempts=0,
        last_error=None,
    )
    typed = submission.reference.replace("-", " ").lower()
    assert lookup(storage.db, submission.reference) == expected
    assert lookup(storage.db, typed) == expected
    assert lookup(storage.db, f"  {typed.replace('0', 'o')}  ") == expected
    assert "answers" not in SubmissionStatus._fields and "consents" not in SubmissionStatus._fields


def test_lookup_unknown_is_none_and_malformed_is_a_code_error(storage: Storage) -> None:
    save(storage, make(storage.db))
    assert lookup(storage.db, FIXED_REFERENCE) is None
    with pytest.raises(CodeError) as caught:
        lookup(storage.db, FIXED_REFERENCE[:-1] + ("0" if FIXED_REFERENCE[-1] != "0" else "1"))
    assert caught.value.reason == "check"
    for text in ("", "hello", "D-X5RZ-MV5N-7P-S"):
        with pytest.raises(CodeError):
            lookup(storage.db, text)


def test_lookup_follows_the_outbox_and_survives_a_lost_outbox_row(storage: Storage) -> None:
    submission = make(storage.db)
    save(storage, submission)
    with storage.write() as db:
        db.execute("UPDATE outbox SET state = 'quarantined', attempts = 5, last_error = 'HTTP 422 from target'")
    status = lookup(storage.db, submission.reference)
    assert status is not None
    assert (status.state, status.attempts, status.last_error) == ("quarantined", 5, "HTTP 422 from target")
    with storage.write() as db:
        db.execute("DELETE FROM outbox")
    status = lookup(storage.db, submission.reference)
    assert status is not None and status.state == STATE_UNKNOWN


# --- schema ---------------------------------------------------------------------------------------------------------


def test_a_version_1_database_is_upgraded_keeping_its_alerts(tmp_path: Path) -> None:
    with open_storage(tmp_path, migrations=MIGRATIONS[:1]) as storage:
        assert storage.db.conn.execute("PRAGMA user_version").fetchone() == (1,)
        assert "submissions" not in storage.db.table_names()
        raise_alert(storage.db, "test", "from version 1", {"n": 1})
    with open_storage(tmp_path) as storage:
        assert storage.db.conn.execute("PRAGMA user_version").fetchone() == (MIGRATIONS[-1].number,)
        assert [a.summary for a in open_alerts(storage.db)] == ["from version 1"]
        assert {"submissions", "outbox"} <= set(storage.db.table_names())
        indexes = {row[0] for row in storage.db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"outbox_due", "submissions_created"} <= indexes
        submission = make(storage.db)
        save(storage, submission)
        assert read_payload(storage.db, submission.uuid, CIPHER) == submission.canonical_bytes()


def test_outbox_accepts_only_known_states_and_existing_submissions(storage: Storage) -> None:
    submission = make(storage.db)
    save(storage, submission)
    for state in OUTBOX_STATES:
        with storage.write() as db:
            db.execute("UPDATE outbox SET state = ?", [state])
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"), storage.write() as db:
        db.execute("UPDATE outbox SET state = 'lost'")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"), storage.write() as db:
        db.execute(
            "INSERT INTO outbox (submission_uuid, state, updated_at) VALUES (?, 'queued', ?)",
            [FIXED_UUID, "2025-03-01T00:00:00.000Z"],
        )
    with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"), storage.write() as db:
        db.execute("INSERT INTO outbox (submission_uuid, state, updated_at) VALUES (NULL, 'queued', 'x')")
