"""A full disk during a write: one clear message, the write rolled back, everything committed before intact."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from kiosk.storage import StorageFullError, check_integrity, open_alerts, open_storage, raise_alert

EXPECTED_MESSAGE = (
    "The kiosk's disk is full, so nothing new could be saved. Everything saved before is safe. "
    "Tell staff: free space on the kiosk's disk."
)


def committed_rows(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return conn.execute("SELECT id, summary, details_json FROM staff_alerts ORDER BY id").fetchall()


def test_sqlite_full_rolls_back_and_keeps_committed_rows(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        for i in range(200):
            with storage.write() as db:
                raise_alert(db, "test", f"saved {i}", {"i": i})
        before = committed_rows(storage.db.conn)
        pages = storage.db.conn.execute("PRAGMA page_count").fetchone()[0]
        # A real SQLITE_FULL: SQLite may not grow the file beyond a few more pages.
        storage.db.conn.execute(f"PRAGMA max_page_count = {pages + 3}")

        with pytest.raises(StorageFullError) as caught, storage.write() as db:
            for i in range(500):
                raise_alert(db, "test", f"unsaved {i}", {"blob": "x" * 2000})
        assert str(caught.value) == EXPECTED_MESSAGE
        assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
        assert not storage.db.conn.in_transaction
        assert committed_rows(storage.db.conn) == before
        assert storage.db.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

        # Once space is freed, saving works again on the same connection.
        storage.db.conn.execute(f"PRAGMA max_page_count = {pages * 100}")
        with storage.write() as db:
            raise_alert(db, "test", "after space was freed", {})
    assert check_integrity(tmp_path / "kiosk.db").ok
    with open_storage(tmp_path) as storage:
        rows = committed_rows(storage.db.conn)
        assert rows[: len(before)] == before
        assert [a.summary for a in open_alerts(storage.db)][-1] == "after space was freed"
        assert len(rows) == len(before) + 1


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full for a real ENOSPC")
def test_enospc_from_a_file_write_inside_the_transaction_is_a_full_disk(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        with storage.write() as db:
            raise_alert(db, "test", "kept", {})
        with pytest.raises(StorageFullError, match="disk is full") as caught, storage.write() as db:
            raise_alert(db, "test", "rolled back", {})
            with open("/dev/full", "wb") as attachment:  # the real device that answers ENOSPC
                attachment.write(b"attachment bytes")
        assert isinstance(caught.value.__cause__, OSError)
        assert [a.summary for a in open_alerts(storage.db)] == ["kept"]


def test_other_errors_pass_through_unchanged(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        with pytest.raises(sqlite3.OperationalError, match="no such table"), storage.write() as db:
            db.execute("INSERT INTO nowhere VALUES (1)")
        with pytest.raises(PermissionError), storage.write():
            raise PermissionError("not a full disk")
