"""Integrity check and recovery from real damage: bytes overwritten in the file, never mocks."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import textwrap
import threading
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from kiosk.storage import (
    MIGRATIONS,
    RECOVERY_ALERT_KIND,
    Migration,
    check_integrity,
    connect,
    open_alerts,
    open_storage,
    raise_alert,
    recover_database,
)
from kiosk.storage.recovery import move_aside

ROWS = 2000
WHEN = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
ASIDE = "kiosk.db.corrupt-20250301T093000Z"
GARBAGE = b"\xde\xad\xbe\xef" * 64
TABLE_LEAF = 0x0D


def fixed_clock() -> datetime:
    return WHEN


def fill_alerts(data_dir: Path, count: int = ROWS) -> None:
    with open_storage(data_dir) as storage, storage.write() as db:
        for i in range(1, count + 1):
            raise_alert(db, "test", f"alert {i}", {"i": i})


def damage_table_leaves(path: Path, how_many: int = 2) -> list[int]:
    """Overwrite the start of some staff_alerts leaf pages in the middle of the file; returns their page numbers."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    pages = len(data) // page_size
    leaves = [
        n
        for n in range(pages // 3, pages + 1)
        if data[(n - 1) * page_size] == TABLE_LEAF and b"alert " in data[(n - 1) * page_size : n * page_size]
    ][: how_many * 3 : 3]
    for n in leaves:
        offset = (n - 1) * page_size
        data[offset : offset + len(GARBAGE)] = GARBAGE
    path.write_bytes(bytes(data))
    assert len(leaves) == how_many
    return leaves


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_integrity_check_passes_and_records_the_time(tmp_path: Path) -> None:
    fill_alerts(tmp_path, 10)
    report = check_integrity(tmp_path / "kiosk.db", clock=fixed_clock)
    assert report.ok and report.problems == ()
    with open_storage(tmp_path) as storage:
        rows = list(storage.db.query("SELECT value FROM kiosk_meta WHERE key = 'last_integrity_check'"))
    assert rows == [{"value": "2025-03-01T09:30:00.000Z"}]


def test_integrity_check_runs_in_a_background_thread_beside_the_main_connection(tmp_path: Path) -> None:
    fill_alerts(tmp_path, 10)
    results = []
    with open_storage(tmp_path) as storage:
        worker = threading.Thread(target=lambda: results.append(check_integrity(storage.path)))
        worker.start()
        raise_alert(storage.db, "test", "written while the check runs", {})
        worker.join()
    assert [r.ok for r in results] == [True]


def test_integrity_check_reports_damage_and_unreadable_files_without_raising(tmp_path: Path) -> None:
    fill_alerts(tmp_path)
    damage_table_leaves(tmp_path / "kiosk.db")
    damaged = check_integrity(tmp_path / "kiosk.db")
    assert not damaged.ok and damaged.problems
    assert "failed the integrity check" in damaged.summary
    (tmp_path / "other.db").write_bytes(b"not a database at all" * 100)
    assert not check_integrity(tmp_path / "other.db").ok
    assert not check_integrity(tmp_path / "missing.db").ok
    assert not (tmp_path / "missing.db").exists()


def test_damaged_pages_are_moved_aside_and_readable_rows_salvaged(tmp_path: Path) -> None:
    fill_alerts(tmp_path)
    path = tmp_path / "kiosk.db"
    damage_table_leaves(path)
    damaged_hash = sha256(path)
    with open_storage(tmp_path) as storage:  # the header is fine, so only the integrity check notices
        assert storage.recovery is None
        assert not check_integrity(path).ok
        report = storage.recover(clock=fixed_clock)
        assert storage.recovery is report

        # The queue and the drafts (empty here) come first, the other tables in name order; the damage is in
        # staff_alerts.
        assert [t.table for t in report.tables] == salvage_order_of_the_schema()
        (table,) = [t for t in report.tables if t.table == "staff_alerts"]
        assert table.salvaged + table.lost == ROWS
        assert 0 < table.lost < 200
        assert table.complete
        assert report.moved_aside == tmp_path / ASIDE
        assert sha256(report.moved_aside) == damaged_hash  # kept byte for byte

        salvaged = [a for a in open_alerts(storage.db) if a.kind == "test"]
        assert len(salvaged) == table.salvaged
        assert all(a.summary == f"alert {a.id}" and a.details == {"i": a.id} for a in salvaged)

        [alert] = [a for a in open_alerts(storage.db) if a.kind == RECOVERY_ALERT_KIND]
        assert alert.id == report.alert_id
        assert ASIDE in alert.summary
        assert f"{table.salvaged} record(s) salvaged, {table.lost} lost" in alert.summary
        assert alert.details["moved_aside"] == ASIDE
        empty = {"salvaged": 0, "lost": 0, "complete": True}
        assert alert.details["tables"] == {
            **{name: empty for name in salvage_order_of_the_schema()},
            "staff_alerts": {"salvaged": table.salvaged, "lost": table.lost, "complete": True},
        }
    assert check_integrity(path).ok


def salvage_order_of_the_schema() -> list[str]:
    """Every table of the current schema in salvage order: the queue and drafts first, the rest by name, without the
    facts about the damaged file itself (kiosk_meta) and SQLite's own tables (the rows rebuild sqlite_sequence)."""
    from kiosk.storage.recovery import NOT_SALVAGED, SALVAGE_PRIORITY

    with open_storage(Path(tempfile.mkdtemp())) as fresh:
        names = {name for name in fresh.db.table_names() if not name.startswith("sqlite_")} - set(NOT_SALVAGED)
    first = [name for name in SALVAGE_PRIORITY if name in names]
    order = first + sorted(names - set(first))
    assert order[:3] == ["outbox", "submissions", "drafts"] and "staff_alerts" in order
    return order


def test_garbage_header_is_recovered_while_opening_and_rows_read_through_a_rebuilt_header(tmp_path: Path) -> None:
    fill_alerts(tmp_path, 500)
    path = tmp_path / "kiosk.db"
    with path.open("r+b") as f:
        f.write(GARBAGE[:100])  # the whole 100-byte database header
    damaged_hash = sha256(path)
    with open_storage(tmp_path, clock=fixed_clock) as storage:
        report = storage.recovery
        assert report is not None
        assert "SQLITE_NOTADB" in report.reason
        assert report.schema_readable and report.header_rebuilt
        assert [(t.table, t.salvaged, t.lost) for t in report.tables] == [
            (name, 500 if name == "staff_alerts" else 0, 0) for name in salvage_order_of_the_schema()
        ]
        assert sha256(tmp_path / ASIDE) == damaged_hash
        leftovers = {p.name for p in tmp_path.iterdir()} - {"kiosk.db", "kiosk.db-wal", "kiosk.db-shm"}
        assert leftovers == {ASIDE}  # the scratch copy with the rebuilt header is gone
        alerts = open_alerts(storage.db)
        assert [a.summary for a in alerts[:500]] == [f"alert {i}" for i in range(1, 501)]
        assert alerts[-1].kind == RECOVERY_ALERT_KIND and ASIDE in alerts[-1].summary
        assert "rebuilt file header" in alerts[-1].summary
        raise_alert(storage.db, "test", "the fresh database works", {})
    assert check_integrity(path).ok


def test_a_file_that_is_no_database_at_all_is_replaced_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    path.write_text("this is a text file that someone saved over the database\n" * 200)
    with open_storage(tmp_path, clock=fixed_clock) as storage:
        assert storage.recovery is not None
        assert not storage.recovery.schema_readable and storage.recovery.tables == ()
        [alert] = open_alerts(storage.db)
        assert "nothing could be salvaged" in alert.summary
        assert alert.details["schema_readable"] is False
    assert (tmp_path / ASIDE).read_text().startswith("this is a text file")


def test_companion_files_are_moved_with_the_same_name_and_wal_rows_salvaged(tmp_path: Path) -> None:
    fill_alerts(tmp_path)
    path = tmp_path / "kiosk.db"
    # A process that dies before closing leaves its last commits in kiosk.db-wal only.
    child = textwrap.dedent(
        """
        import os, sys
        from pathlib import Path
        from kiosk.storage import connect
        conn = connect(Path(sys.argv[1]))
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        for i in range(100):
            with conn:
                conn.execute(
                    "INSERT INTO staff_alerts (created_at, kind, summary) VALUES (?, 'wal', ?)",
                    ("2025-03-01T00:00:00.000Z", f"wal {i}"),
                )
        os._exit(0)
        """
    )
    subprocess.run([sys.executable, "-c", child, str(path)], check=True, cwd=Path(__file__).parents[1])
    assert (tmp_path / "kiosk.db-wal").stat().st_size > 0
    damage_table_leaves(path)
    wal_hash = sha256(tmp_path / "kiosk.db-wal")

    report = recover_database(path, reason="failed the integrity check", clock=fixed_clock)
    assert tmp_path / f"{ASIDE}-wal" in report.moved_companions
    assert sha256(tmp_path / f"{ASIDE}-wal") == wal_hash
    with open_storage(tmp_path) as storage:
        wal_rows = list(storage.db.query("SELECT summary FROM staff_alerts WHERE kind = 'wal' ORDER BY id"))
    assert [r["summary"] for r in wal_rows] == [f"wal {i}" for i in range(100)]
    [alerts_table] = [t for t in report.tables if t.table == "staff_alerts"]
    assert alerts_table.salvaged + alerts_table.lost == ROWS + 100


def test_move_aside_never_overwrites_an_earlier_copy(tmp_path: Path) -> None:
    for content in (b"first", b"second"):
        (tmp_path / "kiosk.db").write_bytes(content)
        (tmp_path / "kiosk.db-shm").write_bytes(content + b"-shm")
        move_aside(tmp_path / "kiosk.db", clock=fixed_clock)
    assert (tmp_path / ASIDE).read_bytes() == b"first"
    assert (tmp_path / f"{ASIDE}-shm").read_bytes() == b"first-shm"
    assert (tmp_path / f"{ASIDE}-2").read_bytes() == b"second"
    assert (tmp_path / f"{ASIDE}-2-shm").read_bytes() == b"second-shm"
    assert not (tmp_path / "kiosk.db").exists()


QUEUE_SCHEMA_OLD = """
CREATE TABLE submissions (id INTEGER PRIMARY KEY, payload TEXT, retired_column TEXT);
CREATE TABLE outbox (id INTEGER PRIMARY KEY, submission_id INTEGER REFERENCES submissions (id), state TEXT);
CREATE TABLE drafts (id INTEGER PRIMARY KEY, body TEXT);
CREATE TABLE scratch (id INTEGER PRIMARY KEY);
"""
QUEUE_SCHEMA_NEW = """
CREATE TABLE submissions (id INTEGER PRIMARY KEY, payload TEXT NOT NULL, channel TEXT NOT NULL DEFAULT 'kiosk');
CREATE TABLE outbox (id INTEGER PRIMARY KEY, submission_id INTEGER NOT NULL REFERENCES submissions (id), state TEXT);
CREATE TABLE drafts (id INTEGER PRIMARY KEY, body TEXT);
"""


def test_salvage_puts_the_queue_first_and_copies_only_the_fresh_schema(tmp_path: Path) -> None:
    # Its own queue tables on top of version 1, in place of the real migration 2.
    old = (*MIGRATIONS[:1], Migration(2, "queue", QUEUE_SCHEMA_OLD))
    new = (*MIGRATIONS[:1], Migration(2, "queue", QUEUE_SCHEMA_NEW))
    with open_storage(tmp_path, migrations=old) as storage, storage.write() as db:
        db.execute("INSERT INTO submissions VALUES (1, 'first', 'x'), (2, NULL, 'y'), (3, 'third', 'z')")
        db.execute("INSERT INTO outbox VALUES (10, 1, 'queued'), (11, 3, 'queued')")
        db.execute("INSERT INTO drafts VALUES (5, 'draft')")
        db.execute("INSERT INTO scratch VALUES (1)")

    report = recover_database(tmp_path / "kiosk.db", reason="test", migrations=new, clock=fixed_clock)
    assert [t.table for t in report.tables] == ["outbox", "submissions", "drafts", "staff_alerts"]
    counts = {t.table: (t.salvaged, t.lost) for t in report.tables}
    assert counts["outbox"] == (2, 0)  # copied before its parents: references are checked after the copy
    assert counts["submissions"] == (2, 1)  # the row with no payload breaks the fresh NOT NULL: counted lost
    with open_storage(tmp_path, migrations=new) as storage:
        fresh: Database = storage.db
        assert list(fresh.query("SELECT * FROM submissions ORDER BY id")) == [
            {"id": 1, "payload": "first", "channel": "kiosk"},
            {"id": 3, "payload": "third", "channel": "kiosk"},
        ]
        assert fresh.execute("PRAGMA foreign_key_check").fetchall() == []
        assert "scratch" not in fresh.table_names()
        assert fresh.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_background_connection_sees_the_recovered_database(tmp_path: Path) -> None:
    (tmp_path / "kiosk.db").write_bytes(b"\x00" * 8192)
    with open_storage(tmp_path) as storage:
        assert storage.recovery is not None
        conn = connect(storage.path)
        try:
            kinds = conn.execute("SELECT kind FROM staff_alerts").fetchall()
        finally:
            conn.close()
    assert kinds == [(RECOVERY_ALERT_KIND,)]


def test_recovery_report_totals_with_one_damaged_page(tmp_path: Path) -> None:
    fill_alerts(tmp_path, 300)
    damage_table_leaves(tmp_path / "kiosk.db", how_many=1)
    report = recover_database(tmp_path / "kiosk.db", reason="failed the integrity check", clock=fixed_clock)
    assert report.salvaged == sum(t.salvaged for t in report.tables)
    assert report.lost > 0
    assert report.salvaged + report.lost == 300
