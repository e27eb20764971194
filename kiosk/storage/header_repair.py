"""Rebuild a destroyed 100-byte database header on a scratch copy, so the intact pages behind it can be salvaged.

The header only describes the file (page size, encoding, counters); the tables live in the pages after it. When it
is garbage SQLite refuses the whole file ("file is not a database"), so salvage tries again on a copy whose header
is rebuilt from safe defaults: the page size that makes page 1 look like a table b-tree page, UTF-8, no free list.
The moved-aside original is never modified; the scratch copy is removed after salvage.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import struct
from pathlib import Path

HEADER_SIZE = 100
MAGIC = b"SQLite format 3\x00"
PAGE_SIZES = (4096, 1024, 2048, 8192, 16384, 32768, 65536, 512)
_BTREE_PAGE_TYPES = (0x05, 0x0D)  # interior / leaf table b-tree: page 1 always holds sqlite_master
_SQLITE_VERSION = 3_040_000


def has_valid_magic(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(len(MAGIC)) == MAGIC


def rebuilt_header(page_size: int, pages: int) -> bytes:
    """A header for a rollback-journal UTF-8 database of `pages` pages with no free list and no reserved bytes."""
    header = bytearray(HEADER_SIZE)
    header[0:16] = MAGIC
    struct.pack_into(">H", header, 16, 1 if page_size == 65536 else page_size)
    header[18:24] = bytes([1, 1, 0, 64, 32, 32])  # journal versions, reserved bytes, payload fractions
    struct.pack_into(">IIII", header, 24, 1, pages, 0, 0)  # change counter, size, free list trunk, free pages
    struct.pack_into(">II", header, 40, 1, 4)  # schema cookie, schema format 4
    struct.pack_into(">I", header, 56, 1)  # UTF-8
    struct.pack_into(">II", header, 92, 1, _SQLITE_VERSION)  # version-valid-for (= change counter), writer version
    return bytes(header)


def repaired_copy(damaged: Path, scratch: Path) -> Path | None:
    """Write `scratch` = `damaged` with a rebuilt header if some page size makes its schema readable; else None."""
    size = damaged.stat().st_size
    with damaged.open("rb") as f:
        f.seek(HEADER_SIZE)
        page1_type = f.read(1)
    if not page1_type or page1_type[0] not in _BTREE_PAGE_TYPES:
        return None
    for page_size in PAGE_SIZES:
        if size < page_size or size % page_size:
            continue
        _copy_private(damaged, scratch)
        with scratch.open("r+b") as f:
            f.write(rebuilt_header(page_size, size // page_size))
        if _schema_readable(scratch):
            return scratch
    remove_scratch(scratch)
    return None


def remove_scratch(scratch: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        scratch.unlink()


def _copy_private(source: Path, target: Path) -> None:
    # The copy holds the same personal data as the original: readable by the kiosk user only.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out, source.open("rb") as src:
        shutil.copyfileobj(src, out)


def _schema_readable(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return False
    try:
        conn.execute("SELECT name, sql FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()
    return True
