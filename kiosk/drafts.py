"""Save and come back later: a form's answers sealed as a draft, found again with a printed resume code plus a second
factor the citizen has without memorising a secret — their date of birth — or a mediator's check.

- The resume code (kiosk.codes, prefix D) is printed, never stored: the row is found by a keyed hash of it.
- The answers are sealed twice with the payload key: once bound to the code and the date of birth (a wrong date cannot
  open it, and the date is stored nowhere), once bound to the code and "mediator" (a signed-in mediator who has checked
  the citizen's identity in person opens it without the date).
- Guessing is rate-limited: a draft locks for `LOCK_MINUTES` after `MAX_WRONG_CHECKS` wrong dates, and the kiosk refuses
  every resume for a while after `MAX_FAILED_PER_WINDOW` failed attempts of any kind in `WINDOW_MINUTES`.
- Drafts expire after the configured number of days and `purge_expired` deletes them (with their answers).
Resuming replays the saved answers through the service's current flow (kiosk.forms.answers_file.fill), so a draft
saved under an older version of a service keeps what still fits and asks again for the rest.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Literal, NamedTuple

from sqlite_utils import Database

from kiosk.codes import CodeError, CodeKind, new_code, parse_code
from kiosk.crypto import PayloadCipher, PayloadError
from kiosk.storage.clock import iso_utc

log = logging.getLogger(__name__)

MAX_WRONG_CHECKS = 5
LOCK_MINUTES = 60
MAX_FAILED_PER_WINDOW = 10
WINDOW_MINUTES = 15
_PURPOSE = "draft"

DraftProblem = Literal["malformed", "unknown", "wrong-check", "locked", "too-many-attempts"]


class DraftError(Exception):
    """Why a draft cannot be resumed; `reason` picks the citizen's message (never says whether a code exists when
    the kiosk is being probed: "unknown" and "wrong-check" read alike on screen)."""

    def __init__(self, reason: DraftProblem) -> None:
        super().__init__(reason)
        self.reason: DraftProblem = reason


class SavedDraft(NamedTuple):
    code: str  # to print for the citizen; not kept anywhere
    expires_at: dt.datetime


class ResumedDraft(NamedTuple):
    service_id: str
    service_version: str
    answers: dict[str, object]
    language: str


def save_draft(
    db: Database,
    cipher: PayloadCipher,
    *,
    service_id: str,
    service_version: str,
    answers: dict[str, object],
    language: str,
    date_of_birth: dt.date,
    now: dt.datetime,
    retention_days: int,
) -> SavedDraft:
    """Seal and store the answers; returns the resume code to print and when the draft will be deleted."""
    body = json.dumps(
        {"service_id": service_id, "service_version": service_version, "answers": answers, "language": language},
        ensure_ascii=False,
        sort_keys=True,
        allow_nan=False,
    ).encode("utf-8")

    def taken(code: str) -> bool:
        lookup = cipher.lookup_token(code, purpose=_PURPOSE)
        return db.execute("SELECT 1 FROM drafts WHERE lookup = ?", [lookup]).fetchone() is not None

    code = new_code(CodeKind.DRAFT, exists=taken)
    lookup = cipher.lookup_token(code, purpose=_PURPOSE)
    expires = now + dt.timedelta(days=retention_days)
    with db.conn:
        db.execute(
            "INSERT INTO drafts (lookup, service_id, service_version, created_at, expires_at, payload, "
            "mediator_payload) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                lookup,
                service_id,
                service_version,
                iso_utc(now),
                iso_utc(expires),
                cipher.seal(body, context=_citizen_context(lookup, date_of_birth)),
                cipher.seal(body, context=_mediator_context(lookup)),
            ],
        )
    log.info("draft saved for service %s (expires %s)", service_id, expires.date().isoformat())
    return SavedDraft(code, expires)


def resume_draft(
    db: Database,
    cipher: PayloadCipher,
    code_text: str,
    *,
    date_of_birth: dt.date | None,
    now: dt.datetime,
    mediator_checked: bool = False,
) -> ResumedDraft:
    """The draft's answers, with the citizen's date of birth or (date None) after a mediator's check; else DraftError.

    A draft stays until it expires or the service is sent, so a citizen can stop again after resuming.
    """
    if recent_resume_failures(db, now) >= MAX_FAILED_PER_WINDOW:
        raise DraftError("too-many-attempts")
    try:
        code = parse_code(code_text, CodeKind.DRAFT)
    except CodeError:
        record_resume_attempt(db, now, "unknown-code")
        raise DraftError("malformed") from None
    lookup = cipher.lookup_token(code, purpose=_PURPOSE)
    row = db.execute(
        "SELECT payload, mediator_payload, locked_until, failed_checks FROM drafts WHERE lookup = ? AND expires_at > ?",
        [lookup, iso_utc(now)],
    ).fetchone()
    if row is None:
        record_resume_attempt(db, now, "unknown-code")
        raise DraftError("unknown")
    payload, mediator_payload, locked_until, failed = row
    if locked_until is not None and locked_until > iso_utc(now):
        record_resume_attempt(db, now, "locked")
        raise DraftError("locked")
    try:
        if mediator_checked and date_of_birth is None:
            body = cipher.open(mediator_payload, context=_mediator_context(lookup))
        elif date_of_birth is not None:
            body = cipher.open(payload, context=_citizen_context(lookup, date_of_birth))
        else:
            raise DraftError("wrong-check")
    except PayloadError as error:
        if error.reason != "damaged":
            raise  # another key: a staff problem, not a wrong date
        _wrong_check(db, lookup, failed + 1, now)
        raise DraftError("wrong-check") from None
    record_resume_attempt(db, now, "opened")
    with db.conn:
        db.execute("UPDATE drafts SET failed_checks = 0, locked_until = NULL WHERE lookup = ?", [lookup])
    data = json.loads(body)
    return ResumedDraft(data["service_id"], data["service_version"], data["answers"], data["language"])


def delete_draft(db: Database, cipher: PayloadCipher, code: str) -> bool:
    """Forget a draft (its service was sent, or the citizen asked); True if there was one."""
    lookup = cipher.lookup_token(parse_code(code, CodeKind.DRAFT), purpose=_PURPOSE)
    with db.conn:
        return db.execute("DELETE FROM drafts WHERE lookup = ?", [lookup]).rowcount > 0


def purge_expired(db: Database, now: dt.datetime) -> int:
    """Delete expired drafts and resume attempts older than a day; returns the number of drafts deleted."""
    with db.conn:
        deleted = db.execute("DELETE FROM drafts WHERE expires_at <= ?", [iso_utc(now)]).rowcount
        db.execute("DELETE FROM resume_attempts WHERE at < ?", [iso_utc(now - dt.timedelta(days=1))])
    if deleted:
        log.info("%d expired drafts deleted", deleted)
    return int(deleted)


def _citizen_context(lookup: str, date_of_birth: dt.date) -> str:
    return f"draft:{lookup}:dob:{date_of_birth.isoformat()}"


def _mediator_context(lookup: str) -> str:
    return f"draft:{lookup}:mediator"


def _wrong_check(db: Database, lookup: str, failed: int, now: dt.datetime) -> None:
    locked = iso_utc(now + dt.timedelta(minutes=LOCK_MINUTES)) if failed >= MAX_WRONG_CHECKS else None
    with db.conn:
        db.execute(
            "UPDATE drafts SET failed_checks = ?, locked_until = ? WHERE lookup = ?",
            [0 if locked else failed, locked, lookup],
        )
    record_resume_attempt(db, now, "wrong-check")


def record_resume_attempt(db: Database, now: dt.datetime, outcome: str) -> None:
    """One try at a resume code (a draft's or a learner's): they share the kiosk-wide limit on wrong tries."""
    with db.conn:
        db.execute("INSERT INTO resume_attempts (at, outcome) VALUES (?, ?)", [iso_utc(now), outcome])


def recent_resume_failures(db: Database, now: dt.datetime) -> int:
    """Failed tries at any resume code in the last WINDOW_MINUTES."""
    since = iso_utc(now - dt.timedelta(minutes=WINDOW_MINUTES))
    row = db.execute("SELECT count(*) FROM resume_attempts WHERE at > ? AND outcome != 'opened'", [since]).fetchone()
    return int(row[0])
