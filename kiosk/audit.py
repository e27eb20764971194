"""The staff audit log: append-only records of what staff did, chained with a keyed HMAC (docs/audit.md).

Each record is (seq, time, actor, kind, detail) in table `audit_log`; its MAC is
`HMAC-SHA256(audit-key, previous MAC || canonical(record))`, so changing or removing a record breaks the chain from
there on, and rewriting the whole chain needs the key. The chain head also goes to a checkpoint file outside the
database (kiosk.audit_checkpoint), which shows records cut off the end. `verify()` finds all four.

What a record may hold (kinds, actors, and detail keys that leave citizen answers nowhere to go) is checked by
kiosk.audit_rules before anything is written.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import NamedTuple, Protocol

from sqlite_utils import Database

from kiosk.audit_checkpoint import (
    GENESIS,
    Checkpoint,
    CheckpointError,
    checkpoint_lock,
    checkpoint_path,
    read_checkpoint,
    write_checkpoint,
)
from kiosk.audit_rules import (
    DETAIL_FIELDS,
    SYSTEM,
    AuditError,
    Detail,
    DetailValue,
    canonical_detail,
    check_actor,
    check_kind,
)
from kiosk.secrets.keys import AUDIT_KEY, decode_key, new_key
from kiosk.storage.clock import Clock, iso_utc, utc_now

# AuditError (what AuditLog.append raises) and DETAIL_FIELDS (which its message points to) are defined in
# kiosk.audit_rules and stay part of this module's API.
__all__ = [
    "DETAIL_FIELDS",
    "AuditError",
    "AuditLog",
    "AuditRecord",
    "KeyStore",
    "Recorder",
    "Verification",
    "audit_key",
    "canonical_record",
    "chain_mac",
    "is_empty",
    "list_records",
    "recorder",
]

log = logging.getLogger(__name__)


class AuditRecord(NamedTuple):
    seq: int
    at: str  # ISO-8601 UTC
    actor: str
    kind: str
    detail: dict[str, DetailValue]
    mac: str  # hex


class Verification(NamedTuple):
    records: int  # records read and found intact (up to the first break)
    broken_at: int | None  # the record where the chain breaks; None when intact
    reason: str  # why it is broken; a note (e.g. the checkpoint is behind) or "" when intact
    checkpoint: int | None = None  # the record count the checkpoint holds, if it could be read

    @property
    def ok(self) -> bool:
        return self.broken_at is None

    def line(self) -> str:
        if self.ok:
            return f"{self.records} records, chain intact"
        return f"broken at record {self.broken_at}: {self.reason}"


def canonical_record(seq: int, at: str, actor: str, kind: str, detail_json: str) -> bytes:
    """The bytes a record's MAC covers: its stored columns as a JSON array (unambiguous, no separators to forge)."""
    return json.dumps([seq, at, actor, kind, detail_json], separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def chain_mac(key: bytes, previous: str, record: bytes) -> str:
    return hmac.new(key, bytes.fromhex(previous) + record, hashlib.sha256).hexdigest()


class AuditLog:
    """The audit log of one kiosk database, with its checkpoint in `data_dir` and the key from the secrets module."""

    def __init__(self, db: Database, data_dir: Path, key: bytes, *, clock: Clock = utc_now) -> None:
        self._db, self._key, self._clock = db, key, clock
        self._head = checkpoint_path(data_dir)

    def append(self, kind: str, actor: str = SYSTEM, detail: Detail | None = None) -> AuditRecord:
        """Add one record at the end of the chain (its own BEGIN IMMEDIATE transaction), then move the checkpoint."""
        kind, actor, detail_json = check_kind(kind), check_actor(actor), canonical_detail(detail, kind)
        conn = self._db.conn
        if conn.in_transaction:
            # Inside the caller's write transaction (e.g. a failed sign-in and its counter): the record commits or
            # rolls back with it. The checkpoint must not run ahead of a commit, so it moves with the next append
            # outside a transaction, or when the caller calls advance_checkpoint() after committing.
            return self._insert(kind, actor, detail_json)
        conn.execute("BEGIN IMMEDIATE")  # the write lock: two writers never take the same seq or previous MAC
        try:
            record = self._insert(kind, actor, detail_json)
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        self._advance_checkpoint(record.seq, record.mac)
        return record

    def advance_checkpoint(self) -> None:
        """Move the checkpoint to the last committed record (after appending inside a transaction of one's own)."""
        row = self._db.conn.execute("SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        if row is not None:
            self._advance_checkpoint(int(row[0]), str(row[1]))

    def _insert(self, kind: str, actor: str, detail_json: str) -> AuditRecord:
        """One row at the end of the chain; the caller holds the write lock (BEGIN IMMEDIATE)."""
        conn = self._db.conn
        row = conn.execute("SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        seq, previous = (int(row[0]) + 1, str(row[1])) if row else (1, GENESIS)
        if seq == 1 and not self._head.exists():
            # A fresh log gets a count-0 checkpoint first, so the file is never missing once records exist.
            with checkpoint_lock(self._head):
                write_checkpoint(self._head, self._key, Checkpoint(0, GENESIS))
        at = iso_utc(self._clock())
        mac = chain_mac(self._key, previous, canonical_record(seq, at, actor, kind, detail_json))
        conn.execute(
            "INSERT INTO audit_log (seq, at, actor, kind, detail_json, mac) VALUES (?, ?, ?, ?, ?, ?)",
            [seq, at, actor, kind, detail_json, mac],
        )
        return AuditRecord(seq, at, actor, kind, json.loads(detail_json), mac)

    def _advance_checkpoint(self, seq: int, mac: str) -> None:
        """Move the checkpoint forward to `seq` unless it is ahead already, or shows tampering (kept as evidence)."""
        with checkpoint_lock(self._head):
            try:
                current = read_checkpoint(self._head, self._key)
            except CheckpointError:
                log.warning("audit checkpoint left as it is: it cannot be trusted (run `citizen-kiosk audit verify`)")
                return
            if current is None or current.records >= seq:
                return  # missing while records exist: evidence for verify; ahead: another writer moved it
            if current.records > 0 and self._mac_at(current.records) != current.head:
                log.warning("audit checkpoint left as it is: it does not match the log (run `audit verify`)")
                return
            write_checkpoint(self._head, self._key, Checkpoint(seq, mac))

    def _mac_at(self, seq: int) -> str | None:
        row = self._db.conn.execute("SELECT mac FROM audit_log WHERE seq = ?", [seq]).fetchone()
        return str(row[0]) if row else None

    def verify(self) -> Verification:
        """Check every MAC in order, the sequence for gaps, and the table against the checkpoint."""
        previous, expected = GENESIS, 1
        rows = self._db.conn.execute("SELECT seq, at, actor, kind, detail_json, mac FROM audit_log ORDER BY seq")
        for seq, at, actor, kind, detail_json, mac in rows:
            if seq != expected:
                reason = f"missing (the table goes from record {expected - 1} to {seq}: a record was deleted)"
                return Verification(expected - 1, expected, reason)
            record = canonical_record(seq, str(at), str(actor), str(kind), str(detail_json))
            if not hmac.compare_digest(str(mac), chain_mac(self._key, previous, record)):
                reason = "its MAC does not match (the record was changed, or the chain was written with another key)"
                return Verification(expected - 1, seq, reason)
            previous, expected = str(mac), expected + 1
        return self._against_checkpoint(expected - 1)

    def _against_checkpoint(self, count: int) -> Verification:
        try:
            checkpoint = read_checkpoint(self._head, self._key)
        except CheckpointError as error:
            return Verification(count, count, f"{self._head.name}: {error}")
        if checkpoint is None:
            if count == 0:
                return Verification(0, None, "")
            return Verification(count, count, f"the checkpoint file {self._head.name} is missing")
        if checkpoint.records > count:
            reason = f"missing: the checkpoint says {checkpoint.records} records, the table ends at {count} (tail cut)"
            return Verification(count, count + 1, reason, checkpoint.records)
        head = GENESIS if checkpoint.records == 0 else self._mac_at(checkpoint.records)
        if head != checkpoint.head:
            reason = "it differs from the checkpoint's head (the chain was rewritten after it)"
            return Verification(count, checkpoint.records, reason, checkpoint.records)
        note = "" if checkpoint.records == count else f"the checkpoint is at record {checkpoint.records} (behind)"
        return Verification(count, None, note, checkpoint.records)


def list_records(db: Database, *, limit: int | None = None) -> list[AuditRecord]:
    """The last `limit` records (all when None), oldest first. Listing needs no key; `verify` does."""
    query = "SELECT seq, at, actor, kind, detail_json, mac FROM audit_log ORDER BY seq DESC"
    rows = db.conn.execute(query + (" LIMIT ?" if limit is not None else ""), [limit] if limit is not None else [])
    records = [AuditRecord(int(r[0]), str(r[1]), str(r[2]), str(r[3]), _detail(str(r[4])), str(r[5])) for r in rows]
    return records[::-1]


def _detail(text: str) -> dict[str, DetailValue]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def is_empty(db: Database, data_dir: Path) -> bool:
    """No record and no checkpoint: the only state in which a missing audit key may be created afresh."""
    row = db.conn.execute("SELECT 1 FROM audit_log LIMIT 1").fetchone()
    return row is None and not checkpoint_path(data_dir).exists()


class KeyStore(Protocol):
    """What the audit key needs of kiosk.secrets.SecretStore."""

    def read(self, name: str) -> str | None: ...
    def set(self, name: str, value: str) -> None: ...


def audit_key(store: KeyStore, db: Database, data_dir: Path) -> bytes | None:
    """The audit key; created on first use when the log is still empty (set-ups from before the audit log lack it).

    With records already written, a missing key is never replaced: a new key would make the whole log fail to verify,
    so staff must restore it from the backup. None when there is no usable key (appends are then not written).
    """
    try:
        text = store.read(AUDIT_KEY)
        if text is None and is_empty(db, data_dir):
            store.set(AUDIT_KEY, new_key())
            text = store.read(AUDIT_KEY)
    except RuntimeError:  # SecretStoreError: no backend, or it cannot be read or written
        return None
    try:
        return decode_key(text) if text is not None else None
    except ValueError:
        return None


Recorder = Callable[[str, str, Detail | None], bool]


def recorder(
    open_db: Callable[[], AbstractContextManager[Database]],
    data_dir: Path,
    key: Callable[[Database], bytes | None],
    *,
    clock: Clock = utc_now,
) -> Recorder:
    """`record(kind, actor, detail) -> bool` for the screens and commands: never raises, so a failing audit write
    does not stop the staff action; the failure is logged (kind only) and the result is False."""

    def record(kind: str, actor: str, detail: Detail | None = None) -> bool:
        try:
            with open_db() as db:
                secret = key(db)
                if secret is None:
                    log.warning("audit record %s not written: no audit key", kind)
                    return False
                AuditLog(db, data_dir, secret, clock=clock).append(kind, actor, detail)
        except Exception as error:  # noqa: BLE001 - the staff action went through; the log says the audit failed
            log.warning("audit record %s not written: %s", kind, type(error).__name__)
            return False
        return True

    return record
