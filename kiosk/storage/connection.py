"""Opening SQLite connections with the kiosk's durability settings.

Every connection — the main one and any a background job opens — goes through `connect()`, so the PRAGMAs are the
same everywhere. Power cuts are a daily hazard at service points: in WAL mode with synchronous=NORMAL a committed
transaction may roll back after a power loss, so we require WAL + synchronous=FULL and refuse to run without them.

Connections are per thread (sqlite3's default `check_same_thread=True`): never share one across threads.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from pathlib import Path

from kiosk.storage.errors import StorageUnavailableError

DB_FILENAME = "kiosk.db"
BUSY_TIMEOUT_MS = 5000

# Primary result codes (the low byte of sqlite_errorcode); see https://sqlite.org/rescode.html
SQLITE_BUSY = 5
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_CANTOPEN = 14
SQLITE_FULL = 13
SQLITE_NOTADB = 26
_SYNCHRONOUS_FULL = 2


def database_path(data_dir: Path) -> Path:
    return data_dir / DB_FILENAME


def result_code(error: sqlite3.Error) -> int | None:
    """The primary SQLite result code of an error, or None when the error did not come from SQLite itself."""
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


# Below this much free space an I/O error is taken to be the full disk itself (see is_disk_full).
NEARLY_FULL_BYTES = 1024 * 1024


def is_disk_full(error: BaseException, path: Path | None = None) -> bool:
    """SQLITE_FULL or ENOSPC; or, given the database's `path`, any SQLite I/O error on a nearly full file system.

    SQLite reports a full disk as SQLITE_FULL only when growing the database or its journal; growing the WAL index
    (`-shm`) on a full disk fails as SQLITE_IOERR_SHMSIZE, which says "disk I/O error" and nothing about space.
    """
    if isinstance(error, OSError):
        return error.errno == 28  # ENOSPC
    if not isinstance(error, sqlite3.Error):
        return False
    code = result_code(error)
    if code == SQLITE_FULL:
        return True
    if code != SQLITE_IOERR or path is None:
        return False
    try:
        return shutil.disk_usage(path.parent).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def is_unreadable(error: sqlite3.Error) -> bool:
    """True when the file itself is the problem (not a database, corrupt, cannot be opened): a case for recovery."""
    return result_code(error) in (SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_CANTOPEN)


def create_private_file(path: Path) -> None:
    """Create an empty database file readable by the kiosk user only; SQLite gives -wal/-shm the same mode."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def open_raw(path: Path) -> sqlite3.Connection:
    """A connection with only the busy timeout set: for reading the schema version before anything is written."""
    # isolation_level="IMMEDIATE": Python's implicit transactions take the write lock up front, so a read that turns
    # into a write never fails with SQLITE_BUSY half-way (busy_timeout cannot help a lock upgrade in WAL mode).
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level="IMMEDIATE")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def apply_pragmas(conn: sqlite3.Connection, path: Path) -> None:
    """Switch a connection to the kiosk's settings and verify the durability ones really took effect."""
    switch_to_wal(conn)
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    # Deleted personal data is overwritten with zeros instead of lingering in free pages.
    conn.execute("PRAGMA secure_delete = ON")
    verify_durability(conn, path)


def switch_to_wal(conn: sqlite3.Connection, *, timeout_s: float = BUSY_TIMEOUT_MS / 1000) -> None:
    """`PRAGMA journal_mode = WAL`, retried while another connection holds the lock.

    When two connections switch a new file at once, both hold a shared lock and want an exclusive one; SQLite fails
    one of them with SQLITE_BUSY at once, without its busy handler (waiting could deadlock). The loser simply tries
    again: by then the file is in WAL mode and the pragma has nothing left to change.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as error:
            if result_code(error) != SQLITE_BUSY or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def verify_durability(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a connection on which WAL + synchronous=FULL did not take effect (e.g. a file system without locks)."""
    journal_mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
    synchronous = int(conn.execute("PRAGMA synchronous").fetchone()[0])
    foreign_keys = int(conn.execute("PRAGMA foreign_keys").fetchone()[0])
    if journal_mode != "wal" or synchronous != _SYNCHRONOUS_FULL or foreign_keys != 1:
        raise StorageUnavailableError(
            f"The database {path} could not be switched to power-loss-safe mode (journal_mode={journal_mode}, "
            f"synchronous={synchronous}, foreign_keys={foreign_keys}), so the kiosk refuses to use it: keep the data "
            f"directory on a local disk (not a network share) and check its permissions.",
            path,
        )


def connect(path: Path) -> sqlite3.Connection:
    """Open an existing kiosk database with WAL, synchronous=FULL, foreign keys, busy timeout and secure delete.

    For background jobs (integrity check, sync): open one in the thread that uses it and close it there. The file must
    already exist (open_storage creates it); a missing file is refused rather than silently created empty.
    """
    if not path.is_file():
        raise StorageUnavailableError(f"The database {path} does not exist: start the kiosk once to create it.", path)
    conn = open_raw(path)
    try:
        apply_pragmas(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn
