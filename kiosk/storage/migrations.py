"""Numbered schema migrations; `PRAGMA user_version` holds the number of the last one applied.

To change the schema, append a Migration with the next number — never edit or reorder a released one. A step is
either SQL (one or more statements) or a function that receives the sqlite-utils Database. Each migration runs in
its own transaction together with its user_version bump, so a crash leaves the schema at a whole version.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from sqlite_utils import Database

from kiosk.storage.connection import SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB, result_code
from kiosk.storage.errors import MigrationError, SchemaTooNewError


class Migration(NamedTuple):
    number: int
    name: str
    step: str | Callable[[Database], None]


_INITIAL_SCHEMA = """
CREATE TABLE staff_alerts (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,            -- ISO-8601 UTC, e.g. 2025-03-01T09:30:00.123Z
    kind TEXT NOT NULL,                  -- machine-readable, e.g. 'database-recovered'
    summary TEXT NOT NULL,               -- English, for staff and logs; never personal data
    details_json TEXT NOT NULL DEFAULT '{}',
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
);
CREATE INDEX staff_alerts_open ON staff_alerts (id) WHERE acknowledged_at IS NULL;
CREATE TABLE kiosk_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO kiosk_meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
"""

# Submissions and their delivery queue. Only metadata that names no person is in clear columns (so the outbox and
# staff views can query it); the citizen's answers are in `payload`, sealed by kiosk.crypto (docs/storage.md).
# `NOT NULL` on the TEXT primary keys: SQLite otherwise accepts NULL there in rowid tables.
_SUBMISSIONS_SCHEMA = """
CREATE TABLE submissions (
    uuid TEXT NOT NULL PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,      -- canonical display form, e.g. R-3WX5-RZMV-5N7P-6
    service_id TEXT NOT NULL,
    service_version TEXT NOT NULL,
    target TEXT NOT NULL,                -- where the sync layer delivers it
    created_at TEXT NOT NULL,            -- ISO-8601 UTC, e.g. 2025-03-01T09:30:00.123Z
    retention_days INTEGER NOT NULL CHECK (retention_days > 0),
    assisted INTEGER NOT NULL CHECK (assisted IN (0, 1)),
    payload BLOB NOT NULL CHECK (typeof(payload) = 'blob')  -- sealed canonical JSON; text here would be plaintext
);
CREATE INDEX submissions_created ON submissions (created_at);
CREATE TABLE outbox (
    submission_uuid TEXT NOT NULL PRIMARY KEY REFERENCES submissions (uuid),
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'delivered', 'quarantined')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT,                -- ISO-8601 UTC; NULL when no further attempt is planned
    last_error TEXT,                     -- for staff; never personal data
    updated_at TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
"""

# Saved drafts ("save and come back later") and the log of resume attempts that rate-limits guessing. The resume
# code is never stored: `lookup` is a keyed hash of it (kiosk.crypto.PayloadCipher.lookup_token). Each draft is sealed
# twice: bound to the citizen's date of birth (their second factor), and bound to a mediator's check.
_DRAFTS_SCHEMA = """
CREATE TABLE drafts (
    lookup TEXT NOT NULL PRIMARY KEY,
    service_id TEXT NOT NULL,
    service_version TEXT NOT NULL,
    created_at TEXT NOT NULL,            -- ISO-8601 UTC
    expires_at TEXT NOT NULL,            -- purged after this
    failed_checks INTEGER NOT NULL DEFAULT 0 CHECK (failed_checks >= 0),
    locked_until TEXT,                   -- too many wrong dates of birth: no attempts until then
    payload BLOB NOT NULL CHECK (typeof(payload) = 'blob'),
    mediator_payload BLOB NOT NULL CHECK (typeof(mediator_payload) = 'blob')
);
CREATE INDEX drafts_expiry ON drafts (expires_at);
CREATE TABLE resume_attempts (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,                    -- ISO-8601 UTC
    outcome TEXT NOT NULL CHECK (outcome IN ('unknown-code', 'wrong-check', 'locked', 'opened'))
);
CREATE INDEX resume_attempts_at ON resume_attempts (at);
"""

# The delivery bookkeeping of the sync issue. SQLite cannot change a CHECK constraint, so the outbox is rebuilt with
# the full set of states, a lease (so the worker and `sync now` never send the same item at once), the last error's
# class, the server's message (sealed: servers echo answers) and its receipt. `payload_sha256` is the hash of the
# canonical bytes every attempt must send. `outbox_history` is append-only: triggers refuse UPDATE and DELETE.
_DELIVERY_SCHEMA = """
ALTER TABLE submissions ADD COLUMN payload_sha256 TEXT;
CREATE TABLE outbox_new (
    submission_uuid TEXT NOT NULL PRIMARY KEY REFERENCES submissions (uuid),
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'delivered', 'retry-scheduled', 'auth-paused',
                                         'quarantined')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT,
    last_error TEXT,                     -- plain words for staff; never personal data
    last_error_class TEXT,               -- retry, auth-pause or quarantine
    server_message BLOB CHECK (server_message IS NULL OR typeof(server_message) = 'blob'),
    receipt TEXT,                        -- the server's reference, once delivered
    delivered_at TEXT,
    lease_owner TEXT,
    lease_until TEXT,
    updated_at TEXT NOT NULL
);
INSERT INTO outbox_new (submission_uuid, state, attempts, next_attempt_at, last_error, updated_at)
    SELECT submission_uuid, state, attempts, next_attempt_at, last_error, updated_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE TABLE outbox_history (
    id INTEGER PRIMARY KEY,
    submission_uuid TEXT NOT NULL,
    at TEXT NOT NULL,
    from_state TEXT,                     -- NULL for the first entry (queued at finalise)
    to_state TEXT NOT NULL,
    detail TEXT                          -- plain words for staff; never personal data
);
CREATE INDEX outbox_history_submission ON outbox_history (submission_uuid, id);
CREATE TRIGGER outbox_history_no_update BEFORE UPDATE ON outbox_history
    BEGIN SELECT RAISE(ABORT, 'outbox_history is append-only'); END;
CREATE TRIGGER outbox_history_no_delete BEFORE DELETE ON outbox_history
    BEGIN SELECT RAISE(ABORT, 'outbox_history is append-only'); END;
INSERT INTO outbox_history (submission_uuid, at, from_state, to_state, detail)
    SELECT submission_uuid, updated_at, NULL, state, 'recorded when delivery bookkeeping was added' FROM outbox;
"""

# One row per delivery endpoint: its circuit breaker, kept in the database so that a restart neither forgets an open
# breaker nor lets a rebooted kiosk burst requests at an endpoint that was failing.
_ENDPOINTS_SCHEMA = """
CREATE TABLE endpoint_state (
    endpoint TEXT NOT NULL PRIMARY KEY,
    breaker TEXT NOT NULL DEFAULT 'closed' CHECK (breaker IN ('closed', 'open', 'half-open')),
    failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),  -- consecutive, while closed
    opened_at TEXT,
    next_probe_at TEXT,                  -- while open: the earliest time for the single probe
    last_success_at TEXT,
    last_failure TEXT,                   -- plain words for staff
    updated_at TEXT NOT NULL
);
"""

# Staff can re-route one submission (`outbox.endpoint`; NULL: the configuration's routing decides at each attempt,
# so a corrected routing reaches items already queued). A delivered submission's payload is purged once its service's
# retention period ends (`payload` becomes an empty blob, `payload_purged_at` says when); the receipt stays. An endpoint
# whose credentials were refused is paused (not sent to) until staff act or its automatic probe succeeds.
_ROUTING_SCHEMA = """
ALTER TABLE outbox ADD COLUMN endpoint TEXT;
ALTER TABLE submissions ADD COLUMN payload_purged_at TEXT;
ALTER TABLE endpoint_state ADD COLUMN paused_reason TEXT;  -- credentials refused (401/403): plain words for staff
ALTER TABLE endpoint_state ADD COLUMN paused_until TEXT;   -- while paused: the earliest time for one automatic probe
"""

# The staff audit log (docs/audit.md): append-only (triggers refuse UPDATE and DELETE) and chained, each row's `mac`
# being HMAC-SHA256 over the previous row's mac and this row's canonical form, keyed by the `audit-key` secret.
# `seq` is assigned by kiosk.audit as 1, 2, 3… so that a deleted row shows as a gap. Never citizen answers.
_AUDIT_SCHEMA = """
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY CHECK (seq > 0),
    at TEXT NOT NULL,                    -- ISO-8601 UTC
    actor TEXT NOT NULL,                 -- a staff member's name, or 'system'
    kind TEXT NOT NULL,                  -- e.g. 'sign-in', 'queue-retry' (docs/audit.md)
    detail_json TEXT NOT NULL DEFAULT '{}',  -- canonical JSON of short checked values; never personal data
    mac TEXT NOT NULL                    -- hex HMAC-SHA256 chaining this row to the previous one
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
"""

# Staff accounts (kiosk/staff.py): the PIN or passphrase only as a salted scrypt hash with its parameters, never the
# secret itself; the consecutive failures and the lock they caused are kept here so a restart does not reset them.
_STAFF_SCHEMA = """
CREATE TABLE staff_accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('site-manager', 'mediator', 'trainer')),
    secret_hash TEXT NOT NULL CHECK (secret_hash LIKE 'scrypt$%'),  -- scrypt$n$r$p$salt$key (kiosk/staff_secret.py)
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL,            -- ISO-8601 UTC
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),  -- consecutive, since the last success
    last_failure_at TEXT,                -- ISO-8601 UTC
    locked_until TEXT                    -- no attempt is checked before this (ISO-8601 UTC)
);
"""

# Today's citizen sessions for the staff console (kiosk/session_counts.py): counts only, one row per local day and kind
# of end (finished, timeout, staff, shutdown, other); nothing about who, what or when within the day.
_SESSION_COUNTS_SCHEMA = """
CREATE TABLE session_counts (
    day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),  -- the kiosk's local date
    kind TEXT NOT NULL CHECK (kind GLOB '[a-z]*'),  -- how the sessions ended, e.g. 'finished', 'timeout'
    count INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0),
    PRIMARY KEY (day, kind)
) WITHOUT ROWID;
"""

# Tutorials without accounts (tutorials/progress.py): a learner is a random uuid found by a keyed hash of their printed
# learner code (the code itself is never stored); the optional first name, for a trainer's roster, is sealed. Progress
# keeps where the learner stopped, the practice steps done and the option first chosen per check question (ids from the
# tutorial, never typed text); statements are the xAPI-shaped learning records, with the learner uuid as the actor.
_TUTORIALS_SCHEMA = """
CREATE TABLE learners (
    uuid TEXT NOT NULL PRIMARY KEY,
    lookup TEXT NOT NULL UNIQUE,         -- keyed hash of the learner code (PayloadCipher.lookup_token)
    first_name BLOB CHECK (first_name IS NULL OR typeof(first_name) = 'blob'),  -- sealed; only if the learner chose
    created_at TEXT NOT NULL,            -- ISO-8601 UTC
    last_seen_at TEXT NOT NULL
);
CREATE TABLE learner_progress (
    learner_uuid TEXT NOT NULL REFERENCES learners (uuid),
    tutorial_id TEXT NOT NULL,
    tutorial_version TEXT NOT NULL,
    step_id TEXT NOT NULL,               -- where to continue
    step_index INTEGER NOT NULL CHECK (step_index >= 0),
    practice_done TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(practice_done)),  -- step ids
    check_answers TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(check_answers)),  -- question id -> option id
    finished INTEGER NOT NULL DEFAULT 0 CHECK (finished IN (0, 1)),
    outcome TEXT CHECK (outcome IN ('passed', 'failed')),
    score REAL CHECK (score IS NULL OR score BETWEEN 0 AND 1),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (learner_uuid, tutorial_id)
) WITHOUT ROWID;
CREATE TABLE learning_statements (
    id TEXT NOT NULL PRIMARY KEY,        -- the statement's uuid
    learner_uuid TEXT NOT NULL REFERENCES learners (uuid),
    verb TEXT NOT NULL CHECK (verb IN ('attempted', 'answered', 'completed', 'passed', 'failed')),
    object_id TEXT NOT NULL,             -- urn:citizen-kiosk:tutorial:<id>@<version>[/<question id>]
    at TEXT NOT NULL,                    -- ISO-8601 UTC, the statement's timestamp
    statement TEXT NOT NULL CHECK (json_valid(statement))
);
CREATE INDEX learning_statements_learner ON learning_statements (learner_uuid, at);
"""

# Trainer-led group sessions (tutorials/trainer.py): a session lives on the kiosk where it was created; learners are
# enrolled by their uuid (never their code). The roster's first name is sealed, as learners' first names are; a learner
# who is forgotten (tutorials.progress.forget_learner) leaves every roster with them (ON DELETE CASCADE).
_TRAINING_SCHEMA = """
CREATE TABLE training_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: an exported CSV's session number stays unambiguous
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),  -- the trainer's label, e.g. 'Tuesday group'
    day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),  -- the session's local date
    trainer TEXT NOT NULL,               -- the staff account name of the trainer who created it
    tutorials TEXT NOT NULL CHECK (json_valid(tutorials) AND json_type(tutorials) = 'array'),  -- tutorial ids, in order
    created_at TEXT NOT NULL             -- ISO-8601 UTC
);
CREATE TABLE training_enrolments (
    session_id INTEGER NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    learner_uuid TEXT NOT NULL REFERENCES learners (uuid) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position > 0),  -- 1, 2, 3… in the order of enrolment: the roster's numbering
    first_name BLOB CHECK (first_name IS NULL OR typeof(first_name) = 'blob'),  -- sealed; only if the learner chose
    enrolled_at TEXT NOT NULL,           -- ISO-8601 UTC
    attended INTEGER NOT NULL DEFAULT 0 CHECK (attended IN (0, 1)),
    help_requested_at TEXT,              -- ISO-8601 UTC while the learner waits for the trainer; NULL otherwise
    PRIMARY KEY (session_id, learner_uuid),
    UNIQUE (session_id, position)
) WITHOUT ROWID;
CREATE INDEX training_enrolments_learner ON training_enrolments (learner_uuid);
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "staff alerts and kiosk meta", _INITIAL_SCHEMA),
    Migration(2, "submissions and outbox", _SUBMISSIONS_SCHEMA),
    Migration(3, "drafts and resume attempts", _DRAFTS_SCHEMA),
    Migration(4, "delivery bookkeeping: outbox states, lease, receipt, history", _DELIVERY_SCHEMA),
    Migration(5, "endpoint circuit breakers", _ENDPOINTS_SCHEMA),
    Migration(6, "re-routing by staff and payload purge after retention", _ROUTING_SCHEMA),
    Migration(7, "tamper-evident staff audit log", _AUDIT_SCHEMA),
    Migration(8, "staff accounts with hashed PINs and lockout", _STAFF_SCHEMA),
    Migration(9, "counts of today's citizen sessions for the staff console", _SESSION_COUNTS_SCHEMA),
    Migration(10, "tutorial learners, progress and learning statements", _TUTORIALS_SCHEMA),
    Migration(11, "trainer group sessions and their enrolments", _TRAINING_SCHEMA),
)


def newest_version(migrations: Sequence[Migration]) -> int:
    return migrations[-1].number if migrations else 0


def validate(migrations: Sequence[Migration]) -> None:
    """Migrations must be numbered 1, 2, 3… in order; a gap or duplicate is a programming error."""
    numbers = [m.number for m in migrations]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"migrations must be numbered 1..{len(numbers)} in order, got {numbers}")


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def refuse_if_too_new(conn: sqlite3.Connection, path: Path, migrations: Sequence[Migration]) -> int:
    """Read the schema version without writing anything; raise SchemaTooNewError if a newer kiosk wrote the file."""
    found = user_version(conn)
    newest = newest_version(migrations)
    if found > newest:
        raise SchemaTooNewError(path, found, newest)
    return found


def migrate(db: Database, path: Path, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Apply every migration newer than the file's user_version; returns the numbers applied."""
    validate(migrations)
    conn = db.conn
    applied: list[int] = []
    for migration in migrations:
        if migration.number <= user_version(conn):
            continue
        conn.execute("BEGIN IMMEDIATE")
        # Re-read under the write lock: another process may have migrated between our check and BEGIN.
        current = user_version(conn)
        try:
            if current > newest_version(migrations):
                raise SchemaTooNewError(path, current, newest_version(migrations))
            if migration.number > current:
                _run_step(db, migration)
                conn.execute(f"PRAGMA user_version = {int(migration.number)}")
                applied.append(migration.number)
            conn.execute("COMMIT")
        except BaseException as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            # Disk full and corruption are the caller's to handle (clear message / recovery); anything else is a bug.
            if isinstance(error, sqlite3.Error) and result_code(error) in (SQLITE_FULL, SQLITE_CORRUPT, SQLITE_NOTADB):
                raise
            if isinstance(error, Exception) and not isinstance(error, SchemaTooNewError):
                raise MigrationError(path, migration.number, migration.name, current, error) from error
            raise
    return applied


def _run_step(db: Database, migration: Migration) -> None:
    if isinstance(migration.step, str):
        # Inside a transaction sqlite-utils runs the script statement by statement instead of committing first.
        db.executescript(migration.step)
    else:
        migration.step(db)
