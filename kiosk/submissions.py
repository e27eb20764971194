"""Durable submissions: what the citizen sent, sealed at rest, and its place in the delivery queue (the outbox).

`new_submission` fixes a submission's identity (uuid, reference, time); `finalise` stores it and queues it in ONE
transaction and returns only after COMMIT, because the confirmation screen tells the citizen "saved" once it returns.
The citizen's data (answers, consents, locale, site and kiosk) is stored only inside the sealed canonical JSON; the
clear columns hold what the outbox and staff views must query and what names no person. docs/storage.md lists every
field of the canonical JSON and explains the encryption.

Nothing here logs answers or consents: log lines name the reference and service id only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Final, NamedTuple
from uuid import UUID, uuid4

from sqlite_utils import Database

from kiosk.codes import CodeKind, new_code, parse_code
from kiosk.crypto import PayloadCipher, PayloadError
from kiosk.storage.clock import Clock, iso_utc, utc_now
from kiosk.storage.storage import full_disk_as_error

log = logging.getLogger(__name__)

SCHEMA_VERSION: Final = 2  # of the canonical JSON; bump it when a field is added, renamed or changes meaning
# 2: "assistance" (a mediator's help: the citizen's consent and the mediator's first name), present only when offered
OUTBOX_STATES: Final = ("queued", "sending", "delivered", "retry-scheduled", "auth-paused", "quarantined")
STATE_UNKNOWN: Final = "unknown"  # lookup's state for a submission whose outbox row was lost in a recovery
_MAX_DEPTH: Final = 32  # answers are shallow; this also stops a structure that contains itself


class UnknownSubmissionError(LookupError):
    """No submission with that uuid in this database."""


@dataclass(frozen=True)
class Submission:
    """One citizen's submission as sent; make one with `new_submission` (which also copies the mappings)."""

    uuid: str
    reference: str
    service_id: str
    service_version: str
    site_id: str
    kiosk_id: str
    created_at: datetime  # aware; UTC with millisecond precision when made by new_submission
    locale: str
    assisted: bool
    consents: Mapping[str, bool]  # consent question id -> given
    answers: Mapping[str, object]  # question id -> JSON-able value (already normalised by the form layer)
    # A mediator offered help (kiosk.assist): {"consent": given, "mediator": first name}; None when nobody did.
    assistance: Mapping[str, str | bool] | None = None

    def __post_init__(self) -> None:
        # Refuse a malformed submission here, on the form's screen, not later at finalise or in the sync layer.
        if str(UUID(self.uuid)) != self.uuid:
            raise ValueError("a submission uuid must be in canonical lower-case form")
        if parse_code(self.reference, CodeKind.SUBMISSION) != self.reference:
            raise ValueError("a submission reference must be in canonical display form (as new_code returns it)")
        for name in ("service_id", "service_version", "site_id", "kiosk_id", "locale"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name):
                raise ValueError(f"a submission needs a non-empty {name}")
        if self.created_at.tzinfo is None or self.created_at.utcoffset() is None:
            raise ValueError("a submission's created_at must be timezone-aware")
        if not isinstance(self.assisted, bool):
            raise TypeError("assisted must be a bool")
        _plain_consents(self.consents)
        _plain_answers(self.answers)
        if self.assistance is not None:
            _plain_assistance(self.assistance)

    def canonical_bytes(self) -> bytes:
        """The exact bytes that are sealed and delivered: sorted keys, no spaces, UTF-8; ValueError for NaN."""
        document = {
            "schema_version": SCHEMA_VERSION,
            "uuid": self.uuid,
            "reference": self.reference,
            "service_id": self.service_id,
            "service_version": self.service_version,
            "site_id": self.site_id,
            "kiosk_id": self.kiosk_id,
            "created_at": iso_utc(self.created_at),
            "locale": self.locale,
            "assisted": self.assisted,
            "consents": _plain_consents(self.consents),
            "answers": _plain_answers(self.answers),
        }
        if self.assistance is not None:  # absent (not null) when nobody offered help
            document["assistance"] = _plain_assistance(self.assistance)
        text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        return text.encode("utf-8")


class SubmissionStatus(NamedTuple):
    """What the citizen (or staff) may see by reference: no answers, no consents, no personal data."""

    reference: str
    service_id: str
    service_version: str
    created_at: datetime
    state: str  # one of OUTBOX_STATES, or STATE_UNKNOWN
    attempts: int
    last_error: str | None


def new_submission(
    *,
    service_id: str,
    service_version: str,
    site_id: str,
    kiosk_id: str,
    locale: str,
    assisted: bool,
    consents: Mapping[str, bool],
    answers: Mapping[str, object],
    now: datetime,
    reference_exists: Callable[[str], bool],
    assistance: Mapping[str, str | bool] | None = None,
) -> Submission:
    """A new submission with a random uuid and a reference not yet used here (re-drawn while `reference_exists`)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    moment = now.astimezone(UTC)
    # Truncated to what the database and the JSON hold, so the object equals what is stored and read back.
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    return Submission(
        uuid=str(uuid4()),
        reference=new_code(CodeKind.SUBMISSION, exists=reference_exists),
        service_id=service_id,
        service_version=service_version,
        site_id=site_id,
        kiosk_id=kiosk_id,
        created_at=moment,
        locale=locale,
        assisted=assisted,
        # Private copies: a caller changing its dicts afterwards must not change what gets sealed.
        consents=MappingProxyType(_plain_consents(consents)),
        answers=MappingProxyType(_plain_answers(answers)),
        assistance=None if assistance is None else MappingProxyType(_plain_assistance(assistance)),
    )


def payload_context(uuid: str) -> str:
    """The associated data a submission's payload is sealed under: it ties the ciphertext to its own row."""
    return f"submission:{uuid}"


def finalise(
    db: Database,
    submission: Submission,
    cipher: PayloadCipher,
    *,
    target: str,
    retention_days: int,
    clock: Clock = utc_now,
) -> None:
    """Store the sealed submission and queue it, both or neither, and return only after COMMIT.

    Raises StorageFullError when the disk is full (nothing was stored; the caller can retry once space is freed);
    any other SQLite error (e.g. IntegrityError for a reference already stored) passes through unchanged.
    """
    if not target:
        raise ValueError("a submission needs a delivery target")
    if isinstance(retention_days, bool) or not isinstance(retention_days, int) or retention_days < 1:
        raise ValueError("retention_days must be a positive whole number of days")
    conn = db.conn
    if conn.in_transaction:
        # Inside someone else's transaction our COMMIT would be theirs to make, and "saved" could be a lie.
        raise RuntimeError("finalise must run outside any transaction: it commits on its own")
    # Sealing is CPU work: done before taking the write lock.
    canonical = submission.canonical_bytes()
    payload = cipher.seal(canonical, context=payload_context(submission.uuid))
    digest = hashlib.sha256(canonical).hexdigest()  # every delivery attempt must send exactly these bytes
    created_at = iso_utc(submission.created_at)
    with full_disk_as_error(lambda: _database_file(conn)):
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "INSERT INTO submissions (uuid, reference, service_id, service_version, target, created_at, "
                "retention_days, assisted, payload, payload_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    submission.uuid,
                    submission.reference,
                    submission.service_id,
                    submission.service_version,
                    target,
                    created_at,
                    retention_days,
                    int(submission.assisted),
                    payload,
                    digest,
                ],
            )
            queued_at = iso_utc(clock())
            conn.execute(
                "INSERT INTO outbox (submission_uuid, state, attempts, next_attempt_at, last_error, updated_at) "
                "VALUES (?, 'queued', 0, ?, NULL, ?)",
                [submission.uuid, created_at, queued_at],
            )
            conn.execute(
                "INSERT INTO outbox_history (submission_uuid, at, from_state, to_state, detail) "
                "VALUES (?, ?, NULL, 'queued', 'saved at the kiosk')",
                [submission.uuid, queued_at],
            )
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:  # an insert or COMMIT failed; SQLITE_FULL may have rolled back already
                conn.execute("ROLLBACK")
    log.info("submission %s for service %s saved and queued", submission.reference, submission.service_id)


def reference_exists(db: Database, reference: str) -> bool:
    """Whether a submission with this canonical reference is stored here (for new_submission's re-draw)."""
    return db.conn.execute("SELECT 1 FROM submissions WHERE reference = ?", [reference]).fetchone() is not None


def lookup(db: Database, reference_text: str) -> SubmissionStatus | None:
    """The status of the submission a typed reference names, or None; CodeError if the text is not a reference.

    The text is parsed tolerantly first ("r 3wx5 rzmv 5n7p 6" finds R-3WX5-RZMV-5N7P-6).
    """
    reference = parse_code(reference_text, CodeKind.SUBMISSION)
    row = db.conn.execute(
        "SELECT s.reference, s.service_id, s.service_version, s.created_at, o.state, o.attempts, o.last_error "
        "FROM submissions AS s LEFT JOIN outbox AS o ON o.submission_uuid = s.uuid WHERE s.reference = ?",
        [reference],
    ).fetchone()
    if row is None:
        return None
    found, service_id, service_version, created_at, state, attempts, last_error = row
    return SubmissionStatus(
        reference=str(found),
        service_id=str(service_id),
        service_version=str(service_version),
        created_at=datetime.fromisoformat(str(created_at)).astimezone(UTC),
        state=str(state) if state is not None else STATE_UNKNOWN,
        attempts=int(attempts) if attempts is not None else 0,
        last_error=str(last_error) if last_error is not None else None,
    )


def read_payload(db: Database, uuid: str, cipher: PayloadCipher) -> bytes:
    """The canonical bytes of a stored submission, for the sync layer; PayloadError if they cannot be opened."""
    row = db.conn.execute("SELECT payload FROM submissions WHERE uuid = ?", [uuid]).fetchone()
    if row is None:
        raise UnknownSubmissionError(f"no submission {uuid} in this database")
    payload = row[0]
    if not isinstance(payload, bytes):  # e.g. a salvaged row: the CHECK constraint keeps text out of new ones
        raise PayloadError("not-sealed", f"the payload of submission {uuid} is not a sealed payload")
    return cipher.open(payload, context=payload_context(uuid))


def _database_file(conn: sqlite3.Connection) -> Path | None:
    """The main database file, so a disk-full check can look at its file system ('' for an in-memory database)."""
    for _seq, name, file in conn.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    return None


def _plain_consents(consents: Mapping[str, bool]) -> dict[str, bool]:
    plain: dict[str, bool] = {}
    for question, given in consents.items():
        if not isinstance(question, str) or not question:
            raise TypeError("consent question ids must be non-empty text")
        if not isinstance(given, bool):
            raise TypeError(f"consent {question!r} must be True or False")
        plain[question] = given
    return plain


def _plain_assistance(assistance: Mapping[str, str | bool]) -> dict[str, str | bool]:
    """Exactly {"consent": bool, "mediator": a first name}: staff data, never the citizen's."""
    if set(assistance) != {"consent", "mediator"}:
        raise ValueError("assistance holds exactly 'consent' and 'mediator'")
    consent, mediator = assistance["consent"], assistance["mediator"]
    if not isinstance(consent, bool):
        raise TypeError("assistance consent must be True or False")
    if not isinstance(mediator, str) or not mediator or len(mediator) > 64 or not mediator.isprintable():
        raise ValueError("assistance mediator must be a short, non-empty first name")
    return {"consent": consent, "mediator": mediator}


def _plain_answers(answers: Mapping[str, object]) -> dict[str, object]:
    plain: dict[str, object] = {}
    for question, value in answers.items():
        if not isinstance(question, str) or not question:
            raise TypeError("answer question ids must be non-empty text")
        plain[question] = _plain(value, question, 0)
    return plain


def _plain(value: object, question: str, depth: int) -> object:
    """`value` as plain JSON data (dict, list, str, int, float, bool, None), or an error naming only the question.

    Messages name the question id and a type, never the value: it is the citizen's answer.
    """
    if depth > _MAX_DEPTH:
        raise ValueError(f"answer {question!r} is nested too deeply (or contains itself)")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)  # an IntEnum would otherwise serialise by its own rules
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"answer {question!r} holds NaN or infinity, which JSON cannot represent")
        return float(value)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"answer {question!r} holds text that is not valid Unicode") from None
        return str(value)
    if isinstance(value, Mapping):
        plain: dict[str, object] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                # json.dumps would turn 1 into "1" silently, so two different answers could serialise alike.
                raise TypeError(f"answer {question!r} has a {type(key).__name__} key; only text keys are JSON")
            plain[str(key)] = _plain(item, question, depth + 1)
        return plain
    if isinstance(value, list | tuple):
        return [_plain(item, question, depth + 1) for item in value]
    raise TypeError(f"answer {question!r} holds a {type(value).__name__}, which is not JSON")
