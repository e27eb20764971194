"""The full integrity check, run in a background thread after the kiosk's first frame is painted.

`PRAGMA integrity_check` reads every page (quick_check skips index/row consistency), so on a big file it takes a
while: it runs on its own connection, opened and closed in the calling thread, and touches no shared state.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kiosk.storage.clock import Clock, iso_utc, utc_now
from kiosk.storage.connection import connect
from kiosk.storage.errors import StorageError

log = logging.getLogger(__name__)

META_LAST_INTEGRITY_CHECK = "last_integrity_check"
MAX_REPORTED_PROBLEMS = 100


@dataclass(frozen=True)
class IntegrityReport:
    path: Path
    ok: bool
    problems: tuple[str, ...]  # SQLite's own messages (page numbers, index names): no row content
    checked_at: str  # ISO-8601 UTC

    @property
    def summary(self) -> str:
        if self.ok:
            return f"The database {self.path} passed the integrity check."
        first = self.problems[0] if self.problems else "unknown problem"
        return f"The database {self.path} failed the integrity check ({len(self.problems)} problem(s); first: {first})."


def check_integrity(path: Path, *, clock: Clock = utc_now) -> IntegrityReport:
    """Run `PRAGMA integrity_check` on `path`; when it passes, record the time in kiosk_meta.

    Never raises for a damaged file: an unreadable or missing file is reported as a failed check.
    """
    checked_at = iso_utc(clock())
    try:
        conn = connect(path)
    except (sqlite3.Error, StorageError) as error:
        return IntegrityReport(path, False, (_describe(error),), checked_at)
    try:
        rows = conn.execute(f"PRAGMA integrity_check({MAX_REPORTED_PROBLEMS})").fetchall()
        problems = tuple(str(row[0]) for row in rows)
        ok = problems == ("ok",)
        if ok:
            _record_success(conn, checked_at)
        return IntegrityReport(path, ok, () if ok else problems, checked_at)
    except sqlite3.Error as error:
        return IntegrityReport(path, False, (_describe(error),), checked_at)
    finally:
        conn.close()


def _record_success(conn: sqlite3.Connection, checked_at: str) -> None:
    try:
        with conn:
            conn.execute(
                "INSERT INTO kiosk_meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (META_LAST_INTEGRITY_CHECK, checked_at),
            )
    except sqlite3.Error as error:
        # The check itself passed; failing to note the time (busy, disk full, no table yet) must not hide that.
        log.warning("could not record the integrity check time: %s", type(error).__name__)


def _describe(error: BaseException) -> str:
    if isinstance(error, StorageError):
        return str(error)
    name = getattr(error, "sqlite_errorname", None)
    return f"{error} ({name})" if name else f"{type(error).__name__}: {error}"
