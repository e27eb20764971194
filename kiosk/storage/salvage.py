"""Copy whatever can still be read from a damaged database into a fresh one, row by row.

Only tables and columns that exist in the fresh schema are copied, so salvage works for whatever tables the current
migrations define. For rowid tables the reader walks rowids in order; when a damaged page stops a scan it probes the
following rowids one at a time, counts each unreadable one as lost, and resumes the scan after the next readable row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

# Rowids probed one by one per damaged stretch, and in all per table, before the reader gives up on the rest: keeps a
# damaged table with huge rowid gaps from stalling the kiosk's start-up (a probe takes microseconds).
PROBE_WINDOW = 100_000
PROBE_BUDGET = 1_000_000


@dataclass(frozen=True)
class TableSalvage:
    table: str
    salvaged: int
    lost: int  # rows that could not be read or no longer fit the schema
    complete: bool = True  # False when part of the table could not even be counted (e.g. an unreadable index tree)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def open_read_only(path: Path, *, has_wal: bool) -> sqlite3.Connection:
    """Open the moved-aside copy without ever writing to it.

    With a -wal beside it, SQLite must read that too (mode=ro); without one the file is opened as immutable, so
    SQLite creates no -wal/-shm next to the evidence.
    """
    mode = "mode=ro" if has_wal else "mode=ro&immutable=1"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)
    conn.execute("PRAGMA cell_size_check = ON")  # detect more damage instead of returning garbage
    return conn


def readable_tables(source: sqlite3.Connection) -> set[str]:
    """Names of the tables in the damaged file; raises sqlite3.DatabaseError when its schema is unreadable."""
    rows = source.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {str(row[0]) for row in rows}


def salvage_order(candidates: set[str], priority: Sequence[str], skip: Sequence[str]) -> list[str]:
    wanted = candidates - set(skip) - {name for name in candidates if name.startswith("sqlite_")}
    first = [name for name in priority if name in wanted]
    return first + sorted(wanted - set(first))


def copy_table(source: sqlite3.Connection, target: sqlite3.Connection, table: str) -> TableSalvage:
    """Copy one table's readable rows (the columns both schemas share) inside the caller's transaction."""
    source_columns = set(_columns(source, table))
    columns = [c for c in _columns(target, table) if c in source_columns]
    if not columns:
        return TableSalvage(table, 0, 0)
    names = ", ".join(quote(c) for c in columns)
    insert = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join('?' for _ in columns)})"
    salvaged = lost = 0
    complete = True
    items = _rowid_rows(source, table, names) if _has_rowid(source, table) else _plain_rows(source, table, names)
    for item in items:
        if isinstance(item, Gap):
            lost += item.lost
            complete = complete and item.complete
            continue
        try:
            target.execute(insert, item)
            salvaged += 1
        except sqlite3.IntegrityError:  # garbage that breaks a constraint of the fresh schema
            lost += 1
    return TableSalvage(table, salvaged, lost, complete)


class Gap(NamedTuple):
    """A stretch of the table that could not be read: `lost` rows counted, `complete` False if not even countable."""

    lost: int
    complete: bool


def _rowid_rows(source: sqlite3.Connection, table: str, names: str) -> Iterator[tuple[object, ...] | Gap]:
    select = f"SELECT rowid, {names} FROM {quote(table)}"
    upper = _try_scalar(source, f"SELECT max(rowid) FROM {quote(table)}")
    lower = _try_scalar(source, f"SELECT min(rowid) FROM {quote(table)}")
    last: int | None = None
    budget = PROBE_BUDGET
    while True:
        try:
            if last is None:
                cursor = source.execute(f"{select} ORDER BY rowid")
            else:
                cursor = source.execute(f"{select} WHERE rowid > ? ORDER BY rowid", (last,))
            for row in cursor:
                last = int(row[0])
                yield tuple(row[1:])
            return
        except sqlite3.DatabaseError:
            pass
        # A damaged page follows `last`: probe rowid by rowid until one reads again.
        start = last + 1 if last is not None else (lower if lower is not None else 1)
        window_end = start + min(PROBE_WINDOW, budget) - 1
        stop = window_end if upper is None else min(upper, window_end)
        if budget <= 0:
            yield Gap(0, False)
            return
        probed, unreadable, row = _probe(source, select, start, stop)
        budget -= probed
        if row is not None:
            # Unreadable rowids between two readable rows were rows of this table: count them as lost.
            yield Gap(unreadable, True)
            last = int(row[0])
            yield tuple(row[1:])
        elif upper is None:
            # Past the last readable row with no known end: the errors may be rows or merely the damaged page.
            yield Gap(0, False)
            return
        else:
            # Every rowid up to `stop` was probed; carry on scanning after it (a long gap inside the known range).
            yield Gap(unreadable, True)
            if stop >= upper:
                return
            last = stop


def _probe(source: sqlite3.Connection, select: str, start: int, stop: int) -> tuple[int, int, tuple[Any, ...] | None]:
    """Read rowids start..stop one at a time; returns (probed, unreadable, first readable row or None)."""
    unreadable = 0
    for rowid in range(start, stop + 1):
        try:
            row: tuple[Any, ...] | None = source.execute(f"{select} WHERE rowid = ?", (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            unreadable += 1
            continue
        if row is not None:
            return rowid - start + 1, unreadable, row
    return max(stop - start + 1, 0), unreadable, None


def _plain_rows(source: sqlite3.Connection, table: str, names: str) -> Iterator[tuple[object, ...] | Gap]:
    """WITHOUT ROWID tables cannot be probed by rowid: read in order until the first damaged page."""
    try:
        for row in source.execute(f"SELECT {names} FROM {quote(table)}"):
            yield tuple(row)
    except sqlite3.DatabaseError:
        yield Gap(0, False)


def _has_rowid(source: sqlite3.Connection, table: str) -> bool:
    try:
        source.execute(f"SELECT rowid FROM {quote(table)} LIMIT 0")
    except sqlite3.OperationalError:
        return False
    return True


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(row[1]) for row in conn.execute(f"PRAGMA table_info({quote(table)})").fetchall()]


def _try_scalar(conn: sqlite3.Connection, sql: str) -> int | None:
    try:
        value = conn.execute(sql).fetchone()[0]
    except sqlite3.DatabaseError:
        return None
    return int(value) if isinstance(value, int) else None
