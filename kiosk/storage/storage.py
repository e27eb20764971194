"""The kiosk's database: open (create, migrate, recover if unreadable), write safely, close.

The main connection belongs to the GUI thread, which only runs short transactions; anything heavy (integrity check,
sync, exports) runs in a background thread on its own connection from `connect(storage.path)`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType

from sqlite_utils import Database

from kiosk.storage.clock import Clock, utc_now
from kiosk.storage.connection import (
    apply_pragmas,
    create_private_file,
    database_path,
    is_disk_full,
    is_unreadable,
    open_raw,
)
from kiosk.storage.errors import StorageFullError, StorageUnavailableError
from kiosk.storage.migrations import MIGRATIONS, Migration, migrate, refuse_if_too_new, validate
from kiosk.storage.recovery import RecoveryReport, recover_database

log = logging.getLogger(__name__)


class Storage:
    """An open kiosk database. Read `storage.db` afresh each time: `recover()` replaces it."""

    def __init__(
        self, db: Database, path: Path, *, recovery: RecoveryReport | None = None, migrations: Sequence[Migration]
    ) -> None:
        self.db = db
        self.path = path
        self.recovery = recovery  # set when the file had to be replaced while opening
        self._migrations = migrations
        self._closed = False

    @contextlib.contextmanager
    def write(self) -> Iterator[Database]:
        """A transaction (BEGIN IMMEDIATE … COMMIT); a full disk rolls it back and raises StorageFullError.

        Only this block's changes are lost on a full disk: everything committed before stays intact. Nested use
        becomes a savepoint of the outer transaction.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with full_disk_as_error(self.path), self.db.atomic():
                yield self.db
            return
        conn.execute("BEGIN IMMEDIATE")
        with full_disk_as_error(self.path):
            try:
                yield self.db
                conn.execute("COMMIT")
            finally:
                if conn.in_transaction:  # the body failed, or COMMIT did; SQLITE_FULL may have rolled back already
                    conn.execute("ROLLBACK")

    def backup(self, target: Path) -> None:
        """Write a consistent copy of the live database to `target` (a new file, mode 0600) while the kiosk runs.

        Copying kiosk.db with cp while the kiosk runs can miss transactions still in kiosk.db-wal; this cannot.
        """
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as error:
            raise StorageUnavailableError(
                f"The backup file {target} could not be created ({error.strerror}): choose a new file name in a "
                f"writable directory.",
                target,
            ) from error
        os.close(fd)
        destination = sqlite3.connect(target)
        try:
            with full_disk_as_error(target):
                self.db.conn.backup(destination)
        finally:
            destination.close()

    def recover(self, reason: str = "failed the integrity check", *, clock: Clock = utc_now) -> RecoveryReport:
        """Replace a damaged file (e.g. after check_integrity failed) and reopen; close background connections first."""
        self._close_connection()
        report = recover_database(self.path, reason=reason, migrations=self._migrations, clock=clock)
        self.db = _open_and_migrate(self.path, self._migrations)
        self._closed = False
        self.recovery = report
        return report

    def close(self) -> None:
        """Checkpoint the WAL into the main file (a smaller, self-contained file for backups) and close."""
        if self._closed:
            return
        self._close_connection()

    def _close_connection(self) -> None:
        conn = self.db.conn
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as error:
            # Not fatal: committed data is in the WAL and the next open checkpoints it.
            log.warning("WAL checkpoint at close failed: %s", type(error).__name__)
        finally:
            conn.close()
            self._closed = True

    def __enter__(self) -> Storage:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_storage(data_dir: Path, *, migrations: Sequence[Migration] = MIGRATIONS, clock: Clock = utc_now) -> Storage:
    """Open (creating if needed) `data_dir/kiosk.db`, migrate it, and recover it first if it is unreadable.

    Raises SchemaTooNewError (file untouched), StorageFullError, StorageUnavailableError or MigrationError.
    """
    validate(migrations)
    ensure_data_dir(data_dir)
    path = database_path(data_dir)
    try:
        return Storage(_open_and_migrate(path, migrations), path, migrations=migrations)
    except sqlite3.DatabaseError as error:
        if not (is_unreadable(error) and path.is_file()):
            raise _as_storage_error(error, path) from error
        reason = f"{error} ({getattr(error, 'sqlite_errorname', type(error).__name__)})"
    try:
        report = recover_database(path, reason=reason, migrations=migrations, clock=clock)
        return Storage(_open_and_migrate(path, migrations), path, recovery=report, migrations=migrations)
    except (sqlite3.Error, OSError) as error:  # e.g. no room for the fresh file: the damaged one is kept aside
        raise _as_storage_error(error, path) from error


def ensure_data_dir(data_dir: Path) -> None:
    """Create the data directory (mode 0700: it holds personal data) or explain why it cannot be used."""
    try:
        if not data_dir.exists():
            data_dir.mkdir(parents=True, mode=0o700)
            os.chmod(data_dir, 0o700)  # mkdir's mode is filtered by the umask
    except FileExistsError:
        pass  # another thread (the sync worker at start-up) created it first: checked below like any other
    except OSError as error:
        raise StorageUnavailableError(
            f"The data directory {data_dir} could not be created ({error.strerror}): choose another one with "
            f"--data-dir or CITIZEN_KIOSK_DATA_DIR, or create it and give the kiosk user write access.",
            data_dir,
        ) from error
    if not data_dir.is_dir():
        raise StorageUnavailableError(
            f"The data directory {data_dir} exists but is not a directory: move that file away or choose another "
            f"data directory with --data-dir or CITIZEN_KIOSK_DATA_DIR.",
            data_dir,
        )
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise StorageUnavailableError(
            f"The data directory {data_dir} is not writable by the kiosk user: give that user write access to it "
            f"or choose another data directory with --data-dir or CITIZEN_KIOSK_DATA_DIR.",
            data_dir,
        )


def _open_and_migrate(path: Path, migrations: Sequence[Migration]) -> Database:
    try:
        create_private_file(path)
    except OSError as error:
        raise _as_storage_error(error, path) from error
    conn = open_raw(path)
    try:
        refuse_if_too_new(conn, path, migrations)  # before anything is written to the file
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # parses the schema: finds a damaged page 1
        apply_pragmas(conn, path)
        db = Database(conn, execute_plugins=False)
        migrate(db, path, migrations)
        return db
    except BaseException as error:
        conn.close()
        if is_disk_full(error, path):
            raise StorageFullError(path) from error
        raise


def _as_storage_error(error: BaseException, path: Path) -> Exception:
    if is_disk_full(error, path):
        return StorageFullError(path)
    detail = getattr(error, "sqlite_errorname", None) or type(error).__name__
    return StorageUnavailableError(
        f"The database {path} could not be opened ({detail}: {error}): check that the data directory is on a "
        f"working local disk, that the kiosk user may read and write it, and that no other program locks the file.",
        path,
    )


@contextlib.contextmanager
def full_disk_as_error(path: Path | Callable[[], Path | None] | None) -> Iterator[None]:
    """Turn SQLite's and the OS's ways of saying "disk full" into one StorageFullError (the write was rolled back).

    `path` may be a function, called only on an error: a hot path need not look its database file up every time."""
    try:
        yield
    except (sqlite3.Error, OSError) as error:
        if callable(path):
            path = path()
        if is_disk_full(error, path):
            log.error("write failed because the disk is full (%s); transaction rolled back", type(error).__name__)
            raise StorageFullError(path) from error
        raise
