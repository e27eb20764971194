"""The start-up tasks the kiosk runs after its first paint report every storage and secrets problem to staff."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from citizen_kiosk.wiring import Context, load_context, secrets_startup_task, storage_startup_task
from kiosk.notices import NoticeBoard
from kiosk.readiness import Readiness
from kiosk.storage import open_storage, raise_alert

NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def _context(tmp_path: Path, env: dict[str, str]) -> Context:
    return load_context(config_option=None, data_dir_option=str(tmp_path / "data"), env=env)


def _fill(data_dir: Path, rows: int) -> Path:
    # staff_alerts is in the schema, so salvage knows it (salvage copies only tables the current schema has).
    with open_storage(data_dir) as storage, storage.write() as db:
        for i in range(rows):
            raise_alert(db, "test", f"alert {i} " + "x" * 300, {})
        return storage.path


def test_fresh_database_opens_and_unblocks(tmp_path: Path) -> None:
    notices, readiness = NoticeBoard(), Readiness()
    storage_startup_task(_context(tmp_path, NO_KEYRING), notices, readiness)()
    assert readiness.refusal() is None
    assert notices.current() == ()
    assert (tmp_path / "data" / "kiosk.db").exists()


def test_unreadable_database_is_recovered_and_staff_see_it(tmp_path: Path) -> None:
    path = tmp_path / "data" / "kiosk.db"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database" * 200)
    notices, readiness = NoticeBoard(), Readiness()
    storage_startup_task(_context(tmp_path, NO_KEYRING), notices, readiness)()
    (notice,) = notices.current()
    assert notice.kind == "database-recovered" and notice.persistent
    assert notice.params["moved_to"].startswith("kiosk.db.corrupt-")
    assert (tmp_path / "data" / notice.params["moved_to"]).read_bytes().startswith(b"this is not a database")
    assert readiness.refusal() is None  # a fresh database works: the kiosk carries on


def test_corrupt_pages_found_by_the_integrity_check_are_salvaged(tmp_path: Path) -> None:
    path = _fill(tmp_path / "data", 400)
    with path.open("r+b") as raw:  # scribble over a page in the middle of the table
        raw.seek(path.stat().st_size // 2)
        raw.write(b"\xff" * 4096)
    notices, readiness = NoticeBoard(), Readiness()
    storage_startup_task(_context(tmp_path, NO_KEYRING), notices, readiness)()
    (notice,) = [n for n in notices.current() if n.kind == "database-recovered"]
    salvaged, lost = int(notice.params["salvaged"]), int(notice.params["lost"])
    assert salvaged > 0 and lost > 0
    assert salvaged + lost == 400


def test_newer_schema_blocks_submissions_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "data" / "kiosk.db"
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    notices, readiness = NoticeBoard(), Readiness()
    storage_startup_task(_context(tmp_path, NO_KEYRING), notices, readiness)()
    (notice,) = notices.current()
    assert notice.kind == "schema-too-new"
    assert "999" in notice.params["detail"]
    refusal = readiness.refusal()
    assert refusal is not None and "newer version of the kiosk" in refusal


@pytest.mark.parametrize("env", [NO_KEYRING, {}], ids=["fail-backend", "nothing-configured"])
def test_missing_secrets_backend_keeps_running_but_refuses_submissions(tmp_path: Path, env: dict[str, str]) -> None:
    notices, readiness = NoticeBoard(), Readiness()
    secrets_startup_task(_context(tmp_path, env), notices, readiness)()
    assert not readiness.accepting_submissions
    (notice,) = notices.current()
    assert notice.kind == "secrets-unavailable"
    assert notice.params["reason"] == readiness.refusal()
    assert "secrets init" in notice.params["reason"]
