"""Recovery from a corrupt or unreadable database file: move it aside, start fresh, salvage, tell staff.

The damaged file is never deleted: it is renamed (with its -wal/-shm/-journal companions, so its uncheckpointed
transactions stay with it) to `kiosk.db.corrupt-YYYYMMDDTHHMMSSZ`. A fresh database gets the full schema, the readable
rows are copied into it table by table (queued submissions first), and a `database-recovered` staff alert with the
counts stays open until staff acknowledge it.

Every connection to the file must be closed before recovery starts (see Storage.recover).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from kiosk.durable import fsync_directory
from kiosk.storage.alerts import raise_alert
from kiosk.storage.clock import Clock, compact_utc, utc_now
from kiosk.storage.connection import connect, create_private_file
from kiosk.storage.errors import StorageUnavailableError
from kiosk.storage.header_repair import remove_scratch, repaired_copy
from kiosk.storage.migrations import MIGRATIONS, Migration, migrate
from kiosk.storage.salvage import TableSalvage, copy_table, open_read_only, readable_tables, salvage_order

log = logging.getLogger(__name__)

ALERT_KIND = "database-recovered"
# Salvaged first, each committed on its own, so the most precious rows are safe even if salvage stops half-way.
SALVAGE_PRIORITY: tuple[str, ...] = ("outbox", "submissions", "drafts")
# Facts about the damaged file itself (its creation time, last good check): meaningless for the fresh one.
NOT_SALVAGED: tuple[str, ...] = ("kiosk_meta",)
# Moved in this order: companions first, so a crash half-way never leaves an old -wal beside a fresh kiosk.db.
COMPANION_SUFFIXES: tuple[str, ...] = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class RecoveryReport:
    reason: str  # why the file was replaced, e.g. "file is not a database (SQLITE_NOTADB)"
    moved_aside: Path  # the damaged main file under its new name
    moved_companions: tuple[Path, ...]  # its -wal/-shm/-journal files, renamed the same way
    schema_readable: bool  # False: nothing at all could be read from the damaged file
    header_rebuilt: bool  # the file header was garbage and salvage read a copy with a rebuilt one
    tables: tuple[TableSalvage, ...]
    alert_id: int

    @property
    def salvaged(self) -> int:
        return sum(t.salvaged for t in self.tables)

    @property
    def lost(self) -> int:
        return sum(t.lost for t in self.tables)


def move_aside(path: Path, *, clock: Clock = utc_now) -> tuple[Path, tuple[Path, ...]]:
    """Rename `path` and its companions to `<name>.corrupt-<UTC time>[-wal|-shm|-journal]`; never deletes anything."""
    stem = f"{path.name}.corrupt-{compact_utc(clock())}"
    base = path.with_name(stem)
    counter = 2
    while any(_exists(base.with_name(base.name + s)) for s in ("", *COMPANION_SUFFIXES)):
        base = path.with_name(f"{stem}-{counter}")
        counter += 1
    companions: list[Path] = []
    try:
        for suffix in COMPANION_SUFFIXES:
            companion = path.with_name(path.name + suffix)
            if _exists(companion):
                target = base.with_name(base.name + suffix)
                os.rename(companion, target)
                companions.append(target)
        if _exists(path):
            os.rename(path, base)
        fsync_directory(path.parent)
    except OSError as error:
        raise StorageUnavailableError(
            f"The damaged database {path} could not be moved aside ({type(error).__name__}: {error.strerror}): "
            f"give the kiosk user write permission on {path.parent} and start the kiosk again.",
            path,
        ) from error
    return base, tuple(companions)


def recover_database(
    path: Path, *, reason: str, migrations: Sequence[Migration] = MIGRATIONS, clock: Clock = utc_now
) -> RecoveryReport:
    """Move the damaged file aside, create a fresh database with the full schema, salvage into it, raise the alert."""
    log.warning("database %s is unusable (%s); moving it aside and recovering", path, reason)
    aside, companions = move_aside(path, clock=clock)
    create_private_file(path)
    conn = connect(path)
    try:
        db = Database(conn, execute_plugins=False)
        migrate(db, path, migrations)
        has_wal = any(p.name.endswith("-wal") for p in companions)
        schema_readable, header_rebuilt, tables = _salvage(aside, conn, has_wal=has_wal)
        report = RecoveryReport(reason, aside, companions, schema_readable, header_rebuilt, tables, alert_id=0)
        alert_id = raise_alert(db, ALERT_KIND, _summary(report), _details(report), clock=clock)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    log.warning("database recovered: %d rows salvaged, %d lost, damaged file kept as %s", *_counts(report), aside.name)
    return dataclasses.replace(report, alert_id=alert_id)


def _salvage(aside: Path, target: sqlite3.Connection, *, has_wal: bool) -> tuple[bool, bool, tuple[TableSalvage, ...]]:
    """Returns (schema readable, header rebuilt, per-table counts)."""
    if not aside.is_file():
        return False, False, ()
    source = _open_source(aside, has_wal=has_wal)
    if source is not None:
        return True, False, _copy_tables(source, target)
    scratch = aside.with_name(aside.name + ".header-rebuilt")
    try:
        try:
            rebuilt = repaired_copy(aside, scratch)
        except OSError as error:  # e.g. no room for the scratch copy: salvage nothing rather than fail recovery
            log.warning("could not rebuild the damaged header on a copy: %s", type(error).__name__)
            return False, False, ()
        source = _open_source(rebuilt, has_wal=False) if rebuilt else None
        if source is None:
            return False, False, ()
        return True, True, _copy_tables(source, target)
    finally:
        remove_scratch(scratch)


def _open_source(path: Path, *, has_wal: bool) -> sqlite3.Connection | None:
    """A read-only connection to a damaged file whose schema can be read, or None."""
    try:
        source = open_read_only(path, has_wal=has_wal)
    except sqlite3.Error:
        return None
    try:
        readable_tables(source)
    except sqlite3.DatabaseError:
        source.close()
        return None
    return source


def _copy_tables(source: sqlite3.Connection, target: sqlite3.Connection) -> tuple[TableSalvage, ...]:
    """Copy table by table, each in its own transaction; closes `source`."""
    # Rows arrive in any table order, so a child may come before its parent: references are not checked here.
    target.execute("PRAGMA foreign_keys = OFF")
    try:
        wanted = readable_tables(source) & readable_tables(target)
        results: list[TableSalvage] = []
        for table in salvage_order(wanted, SALVAGE_PRIORITY, NOT_SALVAGED):
            target.execute("BEGIN IMMEDIATE")
            try:
                results.append(copy_table(source, target, table))
                target.execute("COMMIT")
            except BaseException:
                if target.in_transaction:
                    target.execute("ROLLBACK")
                raise
        return tuple(results)
    finally:
        target.execute("PRAGMA foreign_keys = ON")
        source.close()


def _summary(report: RecoveryReport) -> str:
    if not report.schema_readable:
        return (
            f"The database file could not be read ({report.reason}) and was replaced by a fresh one; nothing could "
            f"be salvaged from it. The damaged file was kept as {report.moved_aside.name}."
        )
    lost = f"{report.lost}" if all(t.complete for t in report.tables) else f"{report.lost} or more"
    rebuilt = " (read through a rebuilt file header)" if report.header_rebuilt else ""
    return (
        f"The database file was damaged ({report.reason}) and was replaced by a fresh one: {report.salvaged} "
        f"record(s) salvaged{rebuilt}, {lost} lost. The damaged file was kept as {report.moved_aside.name}."
    )


def _details(report: RecoveryReport) -> dict[str, object]:
    return {
        "reason": report.reason,
        "moved_aside": report.moved_aside.name,
        "moved_companions": [p.name for p in report.moved_companions],
        "schema_readable": report.schema_readable,
        "header_rebuilt": report.header_rebuilt,
        "salvaged": report.salvaged,
        "lost": report.lost,
        "tables": {t.table: {"salvaged": t.salvaged, "lost": t.lost, "complete": t.complete} for t in report.tables},
    }


def _counts(report: RecoveryReport) -> tuple[int, int]:
    return report.salvaged, report.lost


def _exists(path: Path) -> bool:
    return os.path.lexists(path)
