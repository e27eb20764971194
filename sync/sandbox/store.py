"""The sandbox's own SQLite store: registered clients, the submissions it keeps and every attempt it was sent.

Separate from the kiosk's database on purpose: the sandbox plays the government back-end, so what it received can be
compared with what the kiosk believes it delivered. Each request does one short transaction on a pooled connection
(threads of the HTTP server share a small pool instead of opening a connection per keep-alive connection).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

STORE_FILE = "sandbox.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS clients (
    client_id TEXT PRIMARY KEY, salt BLOB NOT NULL, secret_sha256 BLOB NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
    submission_uuid TEXT PRIMARY KEY, body_sha256 TEXT NOT NULL, service TEXT, receipt TEXT NOT NULL,
    status INTEGER NOT NULL, response BLOB NOT NULL, served INTEGER NOT NULL, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY, submission_uuid TEXT NOT NULL, service TEXT, received_at TEXT NOT NULL,
    body_sha256 TEXT NOT NULL, status INTEGER, fault TEXT);
CREATE INDEX IF NOT EXISTS attempts_by_submission ON attempts (submission_uuid, id);
"""


class Attempt(NamedTuple):
    submission_uuid: str
    service: str | None
    received_at: str
    body_sha256: str
    status: int | None  # None: the connection was closed without an answer (--drop-rate)
    fault: str | None  # the injected fault, if any: "fail-first", "fail-rate" or "drop"


class Record(NamedTuple):
    """One row of `citizen-kiosk sandbox records`: a submission and how often it was sent."""

    submission_uuid: str
    service: str | None
    received_at: str  # the first attempt
    attempts: int


class Kept(NamedTuple):
    """A kept submission as one attempt finds it: its original answer and which attempt this is (1 = the first)."""

    status: int
    response: bytes
    attempt: int


class Received(NamedTuple):
    kept: Kept | None  # None: the key was used before with another body (422; nothing kept)
    status: int | None  # the status to answer; None: close the connection without answering
    fault: str | None


# Decides the status to answer (None: drop the connection) and the fault injected, from what is kept.
Decide = Callable[[Kept], tuple[int | None, str | None]]
# The original answer (status, body) of a new submission, from its receipt and arrival time.
FirstAnswer = Callable[[str, str], tuple[int, bytes]]


def utc_stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class SandboxStore:
    def __init__(self, directory: Path) -> None:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = directory / STORE_FILE
        self._pool: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        with self._db() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=10.0)
        # A test server: NORMAL in WAL mode skips the fsync at each commit; a power cut may lose the last few
        # attempts, never corrupt the file. The kiosk's own database uses FULL.
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = self._pool.pop() if self._pool else None
        db = db or self._connect()
        try:
            yield db
        finally:
            with self._lock:
                closed = self._closed
                if not closed:
                    self._pool.append(db)
            if closed:
                db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, []
        for db in pool:
            db.close()

    # Clients (OAuth2 client credentials). The secrets are 256-bit random values, so a salted SHA-256 is enough to
    # keep them out of the file; a slow password hash would only slow every token request.

    def register_client(self, client_id: str, secret: str) -> None:
        salt = os.urandom(16)
        digest = hashlib.sha256(salt + secret.encode()).digest()
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO clients (client_id, salt, secret_sha256, created_at) VALUES (?, ?, ?, ?)",
                (client_id, salt, digest, utc_stamp()),
            )

    def remove_client(self, client_id: str) -> bool:
        with self._transaction() as db:
            return db.execute("DELETE FROM clients WHERE client_id = ?", (client_id,)).rowcount > 0

    def verify_client(self, client_id: str, secret: str) -> bool:
        with self._db() as db:
            row = db.execute("SELECT salt, secret_sha256 FROM clients WHERE client_id = ?", (client_id,)).fetchone()
        if row is None:
            return False
        return hmac.compare_digest(hashlib.sha256(row[0] + secret.encode()).digest(), row[1])

    def has_clients(self) -> bool:
        with self._db() as db:
            found: int = db.execute("SELECT EXISTS (SELECT 1 FROM clients)").fetchone()[0]
        return found == 1

    # Submissions and attempts

    def receive(self, attempt: Attempt, first_answer: FirstAnswer, decide: Decide) -> Received:
        """Keep a submission (first attempt) or find it (a retry) and record the attempt, in one transaction."""
        with self._transaction() as db:
            row = db.execute(
                "SELECT body_sha256, status, response, served FROM submissions WHERE submission_uuid = ?",
                (attempt.submission_uuid,),
            ).fetchone()
            if row is not None and row[0] != attempt.body_sha256:
                self._insert_attempt(db, attempt._replace(status=422))
                return Received(None, 422, None)
            if row is None:
                number = db.execute("SELECT COALESCE(MAX(rowid), 0) + 1 FROM submissions").fetchone()[0]
                receipt = f"SBX-{number:06d}"
                original, response = first_answer(receipt, attempt.received_at)
                kept = Kept(original, response, 1)
                db.execute(
                    "INSERT INTO submissions (submission_uuid, body_sha256, service, receipt, status, response, "
                    "served, received_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
                    (
                        attempt.submission_uuid,
                        attempt.body_sha256,
                        attempt.service,
                        receipt,
                        original,
                        response,
                        attempt.received_at,
                    ),
                )
            else:
                kept = Kept(row[1], row[2], row[3] + 1)
                db.execute(
                    "UPDATE submissions SET served = served + 1 WHERE submission_uuid = ?", (attempt.submission_uuid,)
                )
            answer, fault = decide(kept)
            self._insert_attempt(db, attempt._replace(status=answer, fault=fault))
        return Received(kept, answer, fault)

    def record_attempt(self, attempt: Attempt) -> None:
        """An attempt answered without keeping anything (400, 409, 422 before the submission is looked up)."""
        with self._transaction() as db:
            self._insert_attempt(db, attempt)

    @staticmethod
    def _insert_attempt(db: sqlite3.Connection, attempt: Attempt) -> None:
        db.execute(
            "INSERT INTO attempts (submission_uuid, service, received_at, body_sha256, status, fault) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            attempt,
        )

    def attempts(self, submission_uuid: str | None = None) -> list[Attempt]:
        """Every recorded attempt in arrival order, of one submission or of all."""
        query = "SELECT submission_uuid, service, received_at, body_sha256, status, fault FROM attempts"
        with self._db() as db:
            if submission_uuid is None:
                rows = db.execute(query + " ORDER BY id").fetchall()
            else:
                rows = db.execute(query + " WHERE submission_uuid = ? ORDER BY id", (submission_uuid,)).fetchall()
        return [Attempt(*row) for row in rows]

    def submission_count(self) -> int:
        with self._db() as db:
            count: int = db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        return count

    def records(self) -> list[Record]:
        """One row per submission that was sent at least once, in order of first arrival."""
        with self._db() as db:
            rows = db.execute(
                "SELECT submission_uuid, "
                "(SELECT service FROM attempts s WHERE s.submission_uuid = a.submission_uuid "
                " AND s.service IS NOT NULL ORDER BY s.id LIMIT 1), "
                "MIN(received_at), COUNT(*) FROM attempts a GROUP BY submission_uuid ORDER BY MIN(id)"
            ).fetchall()
        return [Record(*row) for row in rows]


def read_records(directory: Path) -> list[Record]:
    """The records of the store in `directory`; none when there is no store yet (nothing is created)."""
    if not (directory / STORE_FILE).exists():
        return []
    store = SandboxStore(directory)
    try:
        return store.records()
    finally:
        store.close()
