"""The audit log's checkpoint: the chain head (record count and last MAC) kept in a file apart from the database.

The chain inside the table shows a changed or removed record, but not records cut off the end: a shorter chain is
still a valid chain. The checkpoint remembers how long the chain was and how it ended, so a table shorter than the
checkpoint (or ending differently) is detected. It is itself HMAC'd with the audit key, so it cannot be forged without
the key. It is written after the record's transaction commits, atomically (temporary file, fsync, rename, fsync of the
directory), under a file lock and only ever forwards: a power cut between commit and checkpoint leaves it one record
*behind*, which is harmless, never ahead, which would look like tampering.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from kiosk.durable import fsync_directory

CHECKPOINT_NAME = "audit.head"
_VERSION = 1
GENESIS = "0" * 64  # the "previous MAC" of record 1


class Checkpoint(NamedTuple):
    records: int  # records in the chain when it was written
    head: str  # the MAC (hex) of record `records`; GENESIS when count is 0


class CheckpointError(ValueError):
    """The checkpoint file exists but is unreadable, malformed or its MAC does not match (forged or another key)."""


def checkpoint_path(data_dir: Path) -> Path:
    return data_dir / CHECKPOINT_NAME


def _seal(key: bytes, count: int, head: str) -> str:
    message = f"citizen-kiosk audit checkpoint v{_VERSION}\n{count}\n{head}".encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def read_checkpoint(path: Path, key: bytes) -> Checkpoint | None:
    """The checkpoint, None when there is no file; CheckpointError when it cannot be trusted."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CheckpointError(f"cannot read {path.name}: {error.strerror or error}") from None
    try:
        data = json.loads(text)
        count, head, mac = data["count"], data["head"], data["mac"]
    except (ValueError, KeyError, TypeError):
        raise CheckpointError("the checkpoint file is malformed") from None
    valid = (
        isinstance(count, int)
        and not isinstance(count, bool)
        and count >= 0
        and isinstance(head, str)
        and isinstance(mac, str)
        and data.get("version") == _VERSION
    )
    if not valid or not hmac.compare_digest(mac, _seal(key, count, head)):
        raise CheckpointError("the checkpoint's own MAC does not match (forged, or sealed with another key)")
    return Checkpoint(count, head)


def write_checkpoint(path: Path, key: bytes, checkpoint: Checkpoint) -> None:
    """Replace the file atomically and durably (the rename is the commit point)."""
    document = {
        "version": _VERSION,
        "count": checkpoint.records,
        "head": checkpoint.head,
        "mac": _seal(key, checkpoint.records, checkpoint.head),
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, (json.dumps(document, sort_keys=True) + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)
    fsync_directory(path.parent)


@contextlib.contextmanager
def checkpoint_lock(path: Path) -> Iterator[None]:
    """Serialise checkpoint updates between processes: two writers must never move it backwards."""
    fd = os.open(path.with_name(f".{path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
