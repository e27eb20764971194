"""Opening the kiosk database: location, permissions, PRAGMAs, migrations, newer-schema refusal, clear errors."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlite_utils import Database

from kiosk.storage import (
    BUSY_TIMEOUT_MS,
    MIGRATIONS,
    Migration,
    MigrationError,
    SchemaTooNewError,
    StorageUnavailableError,
    connect,
    open_storage,
)
from kiosk.storage.connection import verify_durability


def pragma(conn: sqlite3.Connection, name: str) -> object:
    return conn.execute(f"PRAGMA {name}").fetchone()[0]


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_creates_private_data_dir_and_database_with_full_schema(tmp_path: Path) -> None:
    data_dir = tmp_path / "nested" / "data"
    with open_storage(data_dir) as storage:
        assert storage.path == data_dir / "kiosk.db"
        assert storage.recovery is None
        assert {"staff_alerts", "kiosk_meta"} <= set(storage.db.table_names())
        assert pragma(storage.db.conn, "user_version") == MIGRATIONS[-1].number
        created = list(storage.db.query("SELECT value FROM kiosk_meta WHERE key = 'created_at'"))
        assert created and created[0]["value"].endswith("Z")
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "kiosk.db").stat().st_mode) == 0o600


@pytest.mark.parametrize("opener", ["main", "background"])
def test_every_connection_has_the_durability_pragmas(tmp_path: Path, opener: str) -> None:
    with open_storage(tmp_path) as storage:
        conn = storage.db.conn if opener == "main" else connect(storage.path)
        assert pragma(conn, "journal_mode") == "wal"
        assert pragma(conn, "synchronous") == 2  # FULL
        assert pragma(conn, "foreign_keys") == 1
        assert pragma(conn, "busy_timeout") == BUSY_TIMEOUT_MS
        assert pragma(conn, "secure_delete") == 1
        if opener == "background":
            conn.close()


def test_a_connection_without_power_loss_safety_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "plain.db")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(StorageUnavailableError, match="power-loss-safe"):
        verify_durability(conn, tmp_path / "plain.db")
    conn.close()


def test_data_survives_close_and_reopen_and_wal_is_checkpointed(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage, storage.write() as db:
        db.execute("INSERT INTO kiosk_meta (key, value) VALUES ('probe', 'kept')")
    assert not (tmp_path / "kiosk.db-wal").exists() or (tmp_path / "kiosk.db-wal").stat().st_size == 0
    with open_storage(tmp_path) as storage:
        assert [r["value"] for r in storage.db.query("SELECT value FROM kiosk_meta WHERE key = 'probe'")] == ["kept"]


def test_migrations_run_in_order_once_each(tmp_path: Path) -> None:
    calls: list[int] = []

    def add_column(db: Database) -> None:
        calls.append(3)
        db.execute("ALTER TABLE notes ADD COLUMN colour TEXT NOT NULL DEFAULT 'blue'")

    # Test migrations continue from version 1 (the real ones after it would take their numbers).
    migrations = (*MIGRATIONS[:1], Migration(2, "notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"))
    migrations = (*migrations, Migration(3, "note colour", add_column))
    with open_storage(tmp_path, migrations=migrations[:2]) as storage:
        assert pragma(storage.db.conn, "user_version") == 2
        storage.db.execute("INSERT INTO notes (body) VALUES ('before 3')")
    with open_storage(tmp_path, migrations=migrations) as storage:
        assert pragma(storage.db.conn, "user_version") == 3
        assert list(storage.db.query("SELECT body, colour FROM notes")) == [{"body": "before 3", "colour": "blue"}]
    with open_storage(tmp_path, migrations=migrations) as storage:
        assert pragma(storage.db.conn, "user_version") == 3
    assert calls == [3]


def test_a_failing_migration_leaves_the_previous_version_whole(tmp_path: Path) -> None:
    def half_done(db: Database) -> None:
        db.execute("CREATE TABLE half (id INTEGER PRIMARY KEY)")
        raise RuntimeError("bug in migration")

    open_storage(tmp_path, migrations=MIGRATIONS[:1]).close()
    with pytest.raises(MigrationError, match=r"migration 2 \(broken\).*schema version 1"):
        open_storage(tmp_path, migrations=(*MIGRATIONS[:1], Migration(2, "broken", half_done)))
    with open_storage(tmp_path, migrations=MIGRATIONS[:1]) as storage:
        assert pragma(storage.db.conn, "user_version") == 1
        assert "half" not in storage.db.table_names()


def test_migrations_must_be_numbered_without_gaps(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="numbered"):
        open_storage(tmp_path, migrations=(*MIGRATIONS[:1], Migration(3, "gap", "SELECT 1;")))


def test_newer_schema_is_refused_with_a_clear_message_and_not_touched(tmp_path: Path) -> None:
    open_storage(tmp_path).close()
    raw = sqlite3.connect(tmp_path / "kiosk.db")
    raw.execute("PRAGMA journal_mode = DELETE")  # so even switching to WAL would show as a changed file
    newer = MIGRATIONS[-1].number + 1  # one past the newest migration this kiosk knows
    raw.execute(f"PRAGMA user_version = {newer}")
    raw.commit()
    raw.close()
    before = snapshot(tmp_path)
    with pytest.raises(SchemaTooNewError) as caught:
        open_storage(tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "kiosk.db") in message
    assert f"schema version {newer}" in message
    assert f"up to {MIGRATIONS[-1].number}" in message
    assert "newer version of the kiosk" in message
    assert "update the kiosk or restore a backup" in message
    assert (caught.value.found_version, caught.value.newest_known) == (newer, MIGRATIONS[-1].number)
    assert snapshot(tmp_path) == before


def test_data_dir_that_is_a_file_gets_a_clear_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("x")
    with pytest.raises(StorageUnavailableError, match="is not a directory") as caught:
        open_storage(not_a_dir)
    assert str(not_a_dir) in str(caught.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_unwritable_data_dir_gets_a_clear_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        with pytest.raises(StorageUnavailableError, match="not writable") as caught:
            open_storage(locked)
        assert str(locked) in str(caught.value)
        with pytest.raises(StorageUnavailableError, match="could not be created"):
            open_storage(locked / "child")
    finally:
        locked.chmod(0o700)


def test_background_connect_refuses_a_missing_file_instead_of_creating_it(tmp_path: Path) -> None:
    with pytest.raises(StorageUnavailableError, match="does not exist"):
        connect(tmp_path / "kiosk.db")
    assert not (tmp_path / "kiosk.db").exists()


def test_write_commits_or_rolls_back_as_a_whole(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        with storage.write() as db:
            db.execute("INSERT INTO kiosk_meta (key, value) VALUES ('a', '1')")
        with pytest.raises(KeyError), storage.write() as db:
            db.execute("INSERT INTO kiosk_meta (key, value) VALUES ('b', '2')")
            raise KeyError("caller bug")
        with storage.write() as db:
            db.execute("INSERT INTO kiosk_meta (key, value) VALUES ('c', '3')")
            with pytest.raises(sqlite3.IntegrityError), storage.write() as inner:
                inner.execute("INSERT INTO kiosk_meta (key, value) VALUES ('d', '4')")
                inner.execute("INSERT INTO kiosk_meta (key, value) VALUES ('a', 'duplicate')")
        keys = [r["key"] for r in storage.db.query("SELECT key FROM kiosk_meta WHERE key != 'created_at' ORDER BY key")]
        assert keys == ["a", "c"]
        assert not storage.db.conn.in_transaction


def test_data_dir_that_cannot_be_created_gets_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a directory should be")
    with pytest.raises(StorageUnavailableError, match="could not be created") as caught:
        open_storage(blocker / "data")
    assert str(blocker / "data") in str(caught.value)


def test_backup_copies_committed_data_into_a_new_private_file(tmp_path: Path) -> None:
    data_dir, target = tmp_path / "data", tmp_path / "backup.db"
    with open_storage(data_dir) as storage:
        with storage.write() as db:
            db.execute("INSERT INTO kiosk_meta (key, value) VALUES ('probe', 'in the backup')")
        storage.backup(target)
        with pytest.raises(StorageUnavailableError, match="could not be created"):
            storage.backup(target)  # never overwrites an earlier backup
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT value FROM kiosk_meta WHERE key = 'probe'").fetchall() == [("in the backup",)]
    assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert pragma(copy, "user_version") == MIGRATIONS[-1].number
    copy.close()


def open_at_once(data_dir: Path, count: int) -> tuple[list[object], list[BaseException]]:
    """Open `data_dir` from `count` threads released together; returns their schema versions and errors."""
    import threading

    start = threading.Barrier(count)
    versions: list[object] = []
    errors: list[BaseException] = []

    def open_it() -> None:
        start.wait()
        try:
            with open_storage(data_dir) as storage:
                versions.append(pragma(storage.db.conn, "user_version"))
        except BaseException as error:  # noqa: BLE001 - returned to the test, which reports it
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return versions, errors


def test_threads_opening_a_new_data_directory_at_once_all_get_the_same_migrated_database(tmp_path: Path) -> None:
    # At start-up the sync worker and the first submission can both open a data directory that does not exist yet:
    # both race to create the directory and to switch the new file to WAL, which SQLite refuses one of them at once.
    for round_number in range(30):  # the race was lost in about half the rounds before the fix
        versions, errors = open_at_once(tmp_path / f"round-{round_number}" / "data", 3)
        assert errors == [], f"round {round_number}: {errors[0]}"
        assert versions == [MIGRATIONS[-1].number] * 3
