"""Progress without accounts: a printed learner code, a pseudonymous learner, saved runs and learning statements.

- A learner is a random uuid. Their learner code (kiosk.codes, prefix A, with a check symbol) is printed on a slip
  and never stored: the row is found by a keyed hash of it (PayloadCipher.lookup_token), as drafts are.
- The optional first name (for a trainer's roster, only if the learner chooses to give one) is sealed.
- Progress is the run's snapshot: step reached, practice steps done, the option first chosen per check question. No
  typed text, no form answers. Statements (tutorials.statements) name the learner only by uuid.
- Guessing codes is rate-limited with the drafts' log of resume attempts (one window for the whole kiosk, so probing
  either kind of code counts). A code whose check symbol is wrong is refused without counting: it never reaches the
  database, so it reveals nothing, and a learner's typo should not lock others out.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any, Literal, NamedTuple

from sqlite_utils import Database

from kiosk.codes import CodeError, CodeKind, new_code, parse_code
from kiosk.crypto import PayloadCipher
from kiosk.drafts import MAX_FAILED_PER_WINDOW
from kiosk.drafts import recent_resume_failures as recent_failures
from kiosk.drafts import record_resume_attempt as record_attempt
from kiosk.storage.clock import iso_utc
from tutorials.engine import Snapshot, TutorialRun
from tutorials.model import Tutorial
from tutorials.statements import statement

_PURPOSE = "learner"
MAX_FIRST_NAME = 40

LearnerProblem = Literal["malformed", "unknown", "too-many-attempts"]


class LearnerError(Exception):
    """Why a learner code cannot be resumed; `reason` picks the learner's message."""

    def __init__(self, reason: LearnerProblem) -> None:
        super().__init__(reason)
        self.reason: LearnerProblem = reason


class Learner(NamedTuple):
    uuid: str
    first_name: str | None = None

    def __repr__(self) -> str:  # the name stays out of logs and tracebacks
        return f"Learner(uuid={self.uuid!r})"


class NewLearner(NamedTuple):
    code: str  # to print on the learner's slip; kept nowhere
    learner: Learner


def new_learner(db: Database, cipher: PayloadCipher, *, now: dt.datetime, first_name: str | None = None) -> NewLearner:
    """A new pseudonymous learner and the code that finds them again."""
    name = (first_name or "").strip()[:MAX_FIRST_NAME] or None

    def taken(code: str) -> bool:
        lookup = cipher.lookup_token(code, purpose=_PURPOSE)
        return db.execute("SELECT 1 FROM learners WHERE lookup = ?", [lookup]).fetchone() is not None

    code = new_code(CodeKind.LEARNER, exists=taken)
    learner_uuid = str(uuid.uuid4())
    sealed = cipher.seal(name.encode("utf-8"), context=_name_context(learner_uuid)) if name else None
    with db.conn:
        db.execute(
            "INSERT INTO learners (uuid, lookup, first_name, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
            [learner_uuid, cipher.lookup_token(code, purpose=_PURPOSE), sealed, iso_utc(now), iso_utc(now)],
        )
    return NewLearner(code, Learner(learner_uuid, name))


def resume(db: Database, cipher: PayloadCipher, code_text: str, *, now: dt.datetime) -> Learner:
    """The learner a typed code belongs to, or LearnerError."""
    if recent_failures(db, now) >= MAX_FAILED_PER_WINDOW:
        raise LearnerError("too-many-attempts")
    try:
        code = parse_code(code_text, CodeKind.LEARNER)
    except CodeError:
        raise LearnerError("malformed") from None
    row = db.execute(
        "SELECT uuid, first_name FROM learners WHERE lookup = ?", [cipher.lookup_token(code, purpose=_PURPOSE)]
    ).fetchone()
    if row is None:
        record_attempt(db, now, "unknown-code")
        raise LearnerError("unknown")
    learner_uuid, sealed = row
    record_attempt(db, now, "opened")
    with db.conn:
        db.execute("UPDATE learners SET last_seen_at = ? WHERE uuid = ?", [iso_utc(now), learner_uuid])
    name = cipher.open(sealed, context=_name_context(learner_uuid)).decode("utf-8") if sealed is not None else None
    return Learner(learner_uuid, name)


def saved_progress(db: Database, learner: Learner, tutorial_id: str) -> Snapshot | None:
    row = db.execute(
        "SELECT tutorial_version, step_id, step_index, practice_done, check_answers, finished, outcome, score "
        "FROM learner_progress WHERE learner_uuid = ? AND tutorial_id = ?",
        [learner.uuid, tutorial_id],
    ).fetchone()
    if row is None:
        return None
    version, step_id, step_index, practice, answers, finished, outcome, score = row
    return Snapshot(
        tutorial_id,
        version,
        step_id,
        step_index,
        tuple(json.loads(practice)),
        json.loads(answers),
        bool(finished),
        outcome,
        score,
    )


def start_run(
    db: Database, learner: Learner, tutorial: Tutorial, *, today: dt.date | None = None, seed: int | None = None
) -> TutorialRun:
    """Continue the learner's unfinished run of this tutorial where they stopped, or start a new attempt."""
    saved = saved_progress(db, learner, tutorial.id)
    resume_from = saved if saved is not None and not saved.finished else None
    return TutorialRun(tutorial, today=today, seed=seed, resume_from=resume_from)


def record(db: Database, learner: Learner, run: TutorialRun, *, site: str, now: dt.datetime) -> list[dict[str, Any]]:
    """Save the run's progress and store a statement for each event since the last call, in one transaction."""
    snap = run.snapshot()
    made = [
        statement(event, tutorial=run.tutorial, learner_uuid=learner.uuid, site=site, now=now)
        for event in run.drain_events()
    ]
    with db.conn:
        db.execute(
            "INSERT OR REPLACE INTO learner_progress (learner_uuid, tutorial_id, tutorial_version, step_id, "
            "step_index, practice_done, check_answers, finished, outcome, score, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                learner.uuid,
                snap.tutorial_id,
                snap.version,
                snap.step_id,
                snap.step_index,
                json.dumps(list(snap.practice_done)),
                json.dumps(dict(snap.answers), sort_keys=True),
                int(snap.finished),
                snap.outcome,
                snap.score,
                iso_utc(now),
            ],
        )
        insert_statements(db, learner, made)
    return made


def insert_statements(db: Database, learner: Learner, made: list[dict[str, Any]]) -> None:
    """Store statements of this learner (inside the caller's transaction)."""
    for body in made:
        db.execute(
            "INSERT INTO learning_statements (id, learner_uuid, verb, object_id, at, statement) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                body["id"],
                learner.uuid,
                body["verb"]["display"]["en-US"],
                body["object"]["id"],
                body["timestamp"],
                json.dumps(body, ensure_ascii=False, sort_keys=True),
            ],
        )


def statements_for(db: Database, learner: Learner) -> list[dict[str, Any]]:
    """The learner's statements, oldest first."""
    rows = db.execute(
        "SELECT statement FROM learning_statements WHERE learner_uuid = ? ORDER BY at, rowid", [learner.uuid]
    ).fetchall()
    return [json.loads(text) for (text,) in rows]


def forget_learner(db: Database, learner: Learner) -> None:
    """Erase a learner with their progress and statements (they asked, or a trainer removed them)."""
    with db.conn:
        for table, column in (
            ("learning_statements", "learner_uuid"),
            ("learner_progress", "learner_uuid"),
            ("learners", "uuid"),
        ):
            db.execute(f"DELETE FROM {table} WHERE {column} = ?", [learner.uuid])  # fixed table names, no input


def _name_context(learner_uuid: str) -> str:
    return f"learner:{learner_uuid}:first-name"
