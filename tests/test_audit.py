"""The staff audit log: chained HMACs and a checkpoint apart from the table detect a modified record, a deleted one,
a cut-off tail and a chain recomputed without the key; details cannot carry a citizen's answers."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.audit import (
    DETAIL_FIELDS,
    GENESIS,
    AuditError,
    AuditLog,
    audit_key,
    canonical_record,
    chain_mac,
    list_records,
    recorder,
)
from kiosk.audit_checkpoint import Checkpoint, checkpoint_path, write_checkpoint
from kiosk.audit_rules import canonical_detail
from kiosk.secrets import AUDIT_KEY, SecretStore
from kiosk.secrets.backends import MemoryKeyring
from kiosk.storage import open_storage
from tests.helpers import child_env, queue_submissions, run_cli

KEY = bytes(range(32))
CANARY = "Canary Zé Answer 123456789"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def fill(data: Path, n: int = 5, key: bytes = KEY) -> None:
    with open_storage(data) as storage:
        log = AuditLog(storage.db, data, key)
        for i in range(n):
            log.append("queue-retry", "Ana Silva", {"attempt": i, "via": "screen"})


def verify(data: Path, key: bytes = KEY):  # type: ignore[no-untyped-def]
    with open_storage(data) as storage:
        return AuditLog(storage.db, data, key).verify()


@contextlib.contextmanager
def raw(data: Path) -> Iterator[sqlite3.Connection]:
    """The attacker: plain sqlite3 with the append-only triggers dropped."""
    conn = sqlite3.connect(data / "kiosk.db")
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    try:
        yield conn
        conn.commit()
    finally:
        conn.close()


def test_appended_records_verify_and_list_in_order(data: Path) -> None:
    fill(data, 5)
    result = verify(data)
    assert result.ok and result.line() == "5 records, chain intact" and result.checkpoint == 5
    with open_storage(data) as storage:
        records = list_records(storage.db)
        assert [r.seq for r in records] == [1, 2, 3, 4, 5]
        assert [r.seq for r in list_records(storage.db, limit=2)] == [4, 5]
    assert records[0].detail == {"attempt": 0, "via": "screen"} and records[0].actor == "Ana Silva"
    previous = GENESIS
    for r in records:  # the documented formula, recomputed independently
        detail = json.dumps(r.detail, sort_keys=True, separators=(",", ":"))
        assert r.mac == chain_mac(KEY, previous, canonical_record(r.seq, r.at, r.actor, r.kind, detail))
        previous = r.mac
    head = json.loads(checkpoint_path(data).read_text())
    assert (head["count"], head["head"]) == (5, records[-1].mac)
    assert verify(tmp := data.parent / "empty").line() == "0 records, chain intact"
    assert not checkpoint_path(tmp).exists()


def test_the_table_refuses_update_and_delete(data: Path) -> None:
    fill(data, 1)
    with open_storage(data) as storage, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        storage.db.conn.execute("UPDATE audit_log SET actor = 'x'")
    with open_storage(data) as storage, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        storage.db.conn.execute("DELETE FROM audit_log")


def test_a_modified_record_is_detected(data: Path) -> None:
    fill(data, 5)
    with raw(data) as conn:
        conn.execute("UPDATE audit_log SET actor = 'Someone Else' WHERE seq = 3")
    result = verify(data)
    assert result.line().startswith("broken at record 3: its MAC does not match")
    assert result.records == 2


def test_a_deleted_record_is_detected(data: Path) -> None:
    fill(data, 5)
    with raw(data) as conn:
        conn.execute("DELETE FROM audit_log WHERE seq = 2")
    assert verify(data).line().startswith("broken at record 2: missing (the table goes from record 1 to 3")


def test_a_deleted_record_with_renumbered_successors_is_detected(data: Path) -> None:
    fill(data, 4)
    with raw(data) as conn:
        conn.execute("DELETE FROM audit_log WHERE seq = 2")
        conn.execute("UPDATE audit_log SET seq = seq - 1 WHERE seq > 2")
    assert verify(data).line().startswith("broken at record 2: its MAC does not match")


def test_a_truncated_tail_is_detected_by_the_checkpoint(data: Path) -> None:
    fill(data, 5)
    with raw(data) as conn:
        conn.execute("DELETE FROM audit_log WHERE seq >= 4")
    result = verify(data)
    assert result.line() == (
        "broken at record 4: missing: the checkpoint says 5 records, the table ends at 3 (tail cut)"
    )
    # The next append must not paper over it: the checkpoint stays ahead / different, verify still fails.
    fill(data, 3)
    assert not verify(data).ok


def test_a_chain_recomputed_with_another_key_is_detected(data: Path) -> None:
    fill(data, 4)
    wrong = b"w" * 32
    with raw(data) as conn:  # rewrite every MAC with a key of the attacker's, and the checkpoint too
        previous = GENESIS
        rows = conn.execute("SELECT seq, at, actor, kind, detail_json FROM audit_log ORDER BY seq").fetchall()
        for seq, at, stored_actor, kind, detail_json in rows:
            actor = "Nobody" if seq == 2 else stored_actor
            previous = chain_mac(wrong, previous, canonical_record(seq, at, actor, kind, detail_json))
            conn.execute("UPDATE audit_log SET actor = ?, mac = ? WHERE seq = ?", [actor, previous, seq])
    write_checkpoint(checkpoint_path(data), wrong, Checkpoint(4, previous))
    assert verify(data).line().startswith("broken at record 1: its MAC does not match")
    assert verify(data, wrong).ok  # ...which is exactly what the attacker's key would say


def test_a_forged_or_missing_checkpoint_is_detected(data: Path) -> None:
    fill(data, 3)
    path = checkpoint_path(data)
    document = json.loads(path.read_text())
    path.write_text(json.dumps({**document, "count": 2}))
    assert verify(data).line() == (
        "broken at record 3: audit.head: the checkpoint's own MAC does not match (forged, or sealed with another key)"
    )
    path.unlink()
    assert verify(data).line() == "broken at record 3: the checkpoint file audit.head is missing"


def test_a_checkpoint_behind_after_a_power_cut_is_fine_and_catches_up(data: Path) -> None:
    fill(data, 3)
    with open_storage(data) as storage:
        second = list_records(storage.db)[1].mac
    write_checkpoint(checkpoint_path(data), KEY, Checkpoint(2, second))  # the crash came before the last update
    result = verify(data)
    assert result.ok and result.checkpoint == 2 and "behind" in result.reason
    fill(data, 1)
    assert verify(data).checkpoint == 4


def test_an_append_inside_a_transaction_rolls_back_with_it(data: Path) -> None:
    fill(data, 1)
    with open_storage(data) as storage:
        log = AuditLog(storage.db, data, KEY)
        conn = storage.db.conn
        conn.execute("BEGIN IMMEDIATE")
        log.append("sign-in-failed", "Ana Silva", {"reason": "wrong", "failures": 1})
        conn.execute("ROLLBACK")
        conn.execute("BEGIN IMMEDIATE")
        log.append("sign-in-failed", "Ana Silva", {"reason": "wrong", "failures": 1})
        conn.execute("COMMIT")
        assert verify(data).checkpoint == 1  # never ahead of a commit
        log.advance_checkpoint()
    result = verify(data)
    assert result.line() == "2 records, chain intact" and result.checkpoint == 2


def test_concurrent_appends_from_two_connections_stay_one_chain(data: Path) -> None:
    fill(data, 1)
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            with open_storage(data) as storage:
                log = AuditLog(storage.db, data, KEY)
                for _ in range(40):
                    log.append("queue-reroute", name, {"endpoint": "civil-registry"})
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("Ana", "Rui")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = verify(data)
    assert result.line() == "81 records, chain intact" and result.checkpoint == 81


@pytest.mark.parametrize("key", sorted(DETAIL_FIELDS))
def test_no_detail_key_accepts_a_canary_answer(key: str) -> None:
    for value in (CANARY, CANARY.lower(), f"{CANARY} " * 10):
        with pytest.raises(AuditError) as caught:
            canonical_detail({key: value}, "export")  # `name` (a staff name) only goes with staff-account kinds
        assert CANARY not in str(caught.value) and CANARY.lower() not in str(caught.value)


@pytest.mark.parametrize("key", ["answer", "answers", "value", "field", "text", "nif", "note"])
def test_keys_outside_the_list_are_refused(key: str) -> None:
    with pytest.raises(AuditError, match="not allowed"):
        canonical_detail({key: "x"})


def test_values_are_checked_by_type_length_and_form() -> None:
    assert canonical_detail({"via": "cli", "attempt": 2, "locked": True}) == '{"attempt":2,"locked":true,"via":"cli"}'
    assert canonical_detail({"reason": "signed out", "until": "2026-11-28T12:00:00.000Z"})
    for bad in ({"attempt": "2"}, {"locked": 1}, {"via": 1.5}, {"via": ["x"]}, {"reference": "R-1234"}):
        with pytest.raises(AuditError):
            canonical_detail(bad)  # type: ignore[arg-type]
    with pytest.raises(AuditError, match="only for the kinds"):
        canonical_detail({"name": "Ana Silva"}, "queue-retry")
    for kind, actor in (("Sign In", "Ana"), ("sign-in", ""), ("sign-in", "Ana\nSilva"), ("sign-in", "x" * 65)):
        with pytest.raises(AuditError):
            AuditLog.__new__(AuditLog).append(kind, actor)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(DETAIL_FIELDS)), st.one_of(st.text(max_size=80), st.integers())))
def test_accepted_details_are_short_and_never_hold_spaced_mixed_case_text(detail: dict[str, str | int]) -> None:
    try:
        text = canonical_detail(detail, "staff-account-added")
    except AuditError:
        return
    for key, value in json.loads(text).items():
        assert key in DETAIL_FIELDS
        assert isinstance(value, int | bool) or len(value) <= 64
        if isinstance(value, str) and " " in value and key != "name":
            assert value == value.lower()  # only the lower-case `reason` phrase may have spaces


def test_the_audit_key_is_created_on_first_use_only_while_the_log_is_empty(data: Path) -> None:
    store = SecretStore(MemoryKeyring(), backend_name="memory")
    with open_storage(data) as storage:
        key = audit_key(store, storage.db, data)
        assert key is not None and len(key) == 32 and store.get(AUDIT_KEY) is not None
        assert audit_key(store, storage.db, data) == key  # kept
        AuditLog(storage.db, data, key).append("sign-out", "Ana")
        lost = SecretStore(MemoryKeyring(), backend_name="memory")
        assert audit_key(lost, storage.db, data) is None  # records exist: restore the key, never a new one
        assert lost.get(AUDIT_KEY) is None


def test_the_recorder_never_raises_and_reports_failure(data: Path, caplog: pytest.LogCaptureFixture) -> None:
    @contextlib.contextmanager
    def open_db():  # type: ignore[no-untyped-def]
        with open_storage(data) as storage:
            yield storage.db

    record = recorder(open_db, data, lambda _db: KEY)
    assert record("export", "Ana", {"via": "screen"}) is True
    assert record("export", "Ana", {"answer": CANARY}) is False
    assert recorder(open_db, data, lambda _db: None)("export", "Ana", None) is False
    assert CANARY not in caplog.text
    assert verify(data).line() == "1 records, chain intact"


def test_queue_actions_are_audited_without_answers(data: Path) -> None:
    from kiosk.crypto import PayloadCipher
    from kiosk.outbox import claim_due, record_outcome
    from kiosk.queue_view import QueueService

    cipher = PayloadCipher(b"q" * 32)
    now = dt.datetime.now(dt.UTC)
    with open_storage(data) as storage:
        [uuid] = queue_submissions(storage.db, 1, cipher, now=now, answers={"name": CANARY})
        claim_due(storage.db, owner="w", now=now, lease_seconds=60)
        record_outcome(storage.db, uuid, owner="w", result="quarantine", now=now, reason="refused")

    @contextlib.contextmanager
    def open_db():  # type: ignore[no-untyped-def]
        with open_storage(data) as storage:
            yield storage.db

    record = recorder(open_db, data, lambda _db: KEY)
    queue = QueueService(
        open_db,
        endpoint_names=("gov", "other"),
        export_dir=data.parent / "exports",
        cipher=lambda: cipher,
        audit=lambda kind, detail: record(kind, "Ana Silva", detail),
    )
    queue.export(uuid, "a long enough passphrase", data.parent / "exports")
    assert queue.retry_now(uuid) and queue.reroute(uuid, "other")
    with open_storage(data) as storage:
        kinds = [(r.kind, r.detail) for r in list_records(storage.db)]
    assert kinds == [
        ("export", {"submission": uuid, "via": "screen"}),
        ("queue-retry", {"submission": uuid, "from_state": "quarantined"}),
        ("queue-reroute", {"submission": uuid, "endpoint": "other"}),
    ]
    assert verify(data).ok
    dump = "\n".join(sqlite3.connect(data / "kiosk.db").iterdump())
    audit_rows = [line for line in dump.splitlines() if "audit_log" in line]
    assert audit_rows and not any(CANARY in line for line in audit_rows)
    assert CANARY not in checkpoint_path(data).read_text()


@pytest.mark.subprocess
def test_cli_verify_and_list_without_qt(tmp_path: Path) -> None:
    env = child_env(tmp_path)
    options = ["--config", str(tmp_path / "kiosk.toml"), "--data-dir", str(tmp_path / "data")]
    init = run_cli(["secrets", "init", "--credentials-dir", str(tmp_path / "creds"), *options], env, block_qt=True)
    assert init.returncode == 0 and "audit-key: created" in init.stdout, init.stderr
    empty = run_cli(["audit", "verify", *options], env, block_qt=True)
    assert (empty.returncode, empty.stdout.strip()) == (0, "0 records, chain intact"), empty.stderr

    from kiosk.secrets.keys import decode_key

    fill(tmp_path / "data", 3, decode_key((tmp_path / "creds" / AUDIT_KEY).read_text()))
    intact = run_cli(["audit", "verify", *options], env, block_qt=True)
    assert (intact.returncode, intact.stdout.strip()) == (0, "3 records, chain intact"), intact.stderr
    listed = run_cli(["audit", "list", "--json", "--limit", "2", *options], env, block_qt=True)
    assert [row["seq"] for row in json.loads(listed.stdout)] == [2, 3]
    with raw(tmp_path / "data") as conn:
        conn.execute("UPDATE audit_log SET kind = 'sign-in' WHERE seq = 2")
    broken = run_cli(["audit", "verify", *options], env, block_qt=True)
    assert broken.returncode == 1 and broken.stdout.startswith("broken at record 2: its MAC does not match")
    for result in (empty, intact, listed, broken):
        assert "QT-IMPORTED" not in result.stderr and "Traceback" not in result.stderr
