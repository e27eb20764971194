"""Trainer-led group sessions: a named, dated session of tutorials, its roster, live progress, completion slips, CSV.

A session lives on the kiosk where it was created (tables `training_sessions` and `training_enrolments`, migration
11); learners take turns on that kiosk, signing in with their learner code (tutorials.progress). The trainer enrols
a learner by code (`enrol`) or issues new codes to print as slips (`enrol_new`); the code is never stored, the roster
keeps the learner's uuid and, only if the learner gives one, a first name, sealed. Progress is read, never copied,
from what the learners' runs saved (learner_progress) and their statements (learning_statements), so the trainer's
view and the learner's own record cannot disagree.

Trainer actions are staff actions: creating a session, enrolling, attendance and exports go to the `audit` sink with
the session number and a few machine words, never a learner's name, uuid or code. Nothing here touches the outbox.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Literal, NamedTuple

from sqlite_utils import Database

from kiosk.crypto import PayloadCipher
from kiosk.i18n import is_rtl
from kiosk.receipts import format_date
from kiosk.staff import AuditSink, no_audit
from kiosk.storage.clock import iso_utc, utc_now
from tutorials.assessment import slip_site_line, tutorial_id_of
from tutorials.assessment_file import Assessment, load_assessment, parse_tag
from tutorials.model import Tutorial
from tutorials.progress import Learner, new_learner, resume

MAX_SESSION_NAME: Final = 80
CSV_COLUMNS: Final = (
    "kiosk", "session", "date", "learner", "first_name", "tutorial", "tutorial_title", "step_reached", "steps",
    "finished", "passed", "score_percent", "attended", "help_requested",
)  # fmt: skip
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")

# The completion slip's own strings (kiosk/locales/*.json), with the shared "receipt.site" and "receipt.kiosk".
COMPLETION_SLIP_LABEL_KEYS: Final = (
    "trainer.slip.title",  # "Record of learning"
    "trainer.slip.tutorials",  # "Tutorials done"
    "trainer.slip.none",  # "No tutorial finished yet."
    "trainer.slip.competences",  # "Digital skills practised"
    "trainer.slip.not_certificate",  # "A record of learning, not a certificate."
    "receipt.site",
    "receipt.kiosk",
)

TrainerProblem = Literal["no-session", "not-enrolled", "bad-name", "no-tutorials", "unknown-tutorial", "no-key"]


class TrainerError(Exception):
    def __init__(self, reason: TrainerProblem, message: str) -> None:
        super().__init__(message)
        self.reason: TrainerProblem = reason


class GroupSession(NamedTuple):
    id: int
    name: str
    day: dt.date
    trainer: str
    tutorials: tuple[str, ...]
    enrolled: int
    attended: int


class Enrolment(NamedTuple):
    session_id: int
    learner_uuid: str
    position: int  # the roster's number, 1, 2, 3… in the order of enrolment
    first_name: str | None
    attended: bool
    help_requested_at: str | None

    def __repr__(self) -> str:  # the name stays out of logs and tracebacks
        return f"Enrolment(session_id={self.session_id}, position={self.position})"


class NewEnrolment(NamedTuple):
    code: str  # to print on the learner's slip; kept nowhere
    enrolment: Enrolment


class ProgressRow(NamedTuple):
    position: int
    learner_uuid: str
    first_name: str | None
    tutorial_id: str
    step_reached: int  # 1-based; 0 = not started; the last step once finished
    steps: int
    finished: bool  # reached the recap at least once
    passed: bool  # met the mastery rule at least once
    score: float | None  # the best check score (0..1) of a finished attempt
    attended: bool
    help_requested: bool


class CompletionSlip(NamedTuple):
    """One learner's record of learning in one language, in print order."""

    title: str
    first_name: str | None  # only if the learner gave one for the roster
    session_line: str  # "Tuesday group · 28/11/2026"
    tutorials_heading: str
    tutorials: tuple[str, ...]  # titles of the session's tutorials the learner finished
    none_note: str | None  # instead of the list when nothing was finished
    competences_heading: str
    framework: str  # "DigComp 2.2"
    competences: tuple[str, ...]  # "4.2 Protecting personal data and privacy"
    note: str  # a record of learning, not a certificate
    site_line: str
    lang: str
    rtl: bool


class GroupSessions:
    """The group sessions of one kiosk database. `actor` is the signed-in trainer's account name (or `cli:USER`)."""

    def __init__(
        self,
        db: Database,
        cipher: PayloadCipher | None,
        tutorials: Mapping[str, Tutorial],
        *,
        actor: str,
        audit: AuditSink = no_audit,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.db, self._cipher, self.tutorials = db, cipher, tutorials
        self.actor, self._audit, self._clock = actor, audit, clock

    # Sessions --------------------------------------------------------------------------------------------------------
    def create_session(self, name: str, date: dt.date, tutorials: Sequence[str], trainer: str) -> GroupSession:
        clean = " ".join(name.split())
        if not 0 < len(clean) <= MAX_SESSION_NAME:
            raise TrainerError("bad-name", f"a session name has 1 to {MAX_SESSION_NAME} characters")
        ids = tuple(dict.fromkeys(tutorials))
        if not ids:
            raise TrainerError("no-tutorials", "a session needs at least one tutorial")
        unknown = [t for t in ids if t not in self.tutorials]
        if unknown:
            raise TrainerError("unknown-tutorial", f"no tutorial {', '.join(unknown)} on this kiosk")
        with self.db.conn:
            cursor = self.db.execute(
                "INSERT INTO training_sessions (name, day, trainer, tutorials, created_at) VALUES (?, ?, ?, ?, ?)",
                [clean, date.isoformat(), trainer, json.dumps(ids), iso_utc(self._clock())],
            )
        session_id = int(cursor.lastrowid or 0)
        self._audit("training-session-created", trainer, {"training_session": session_id, "count": len(ids)})
        return self.session(session_id)

    def sessions(self) -> list[GroupSession]:
        """Every session on this kiosk, the latest day first."""
        return [
            _session(row)
            for row in self.db.execute(_SESSIONS + " GROUP BY s.id ORDER BY s.day DESC, s.id DESC").fetchall()
        ]

    def session(self, session_id: int) -> GroupSession:
        row = self.db.execute(_SESSIONS + " WHERE s.id = ? GROUP BY s.id", [session_id]).fetchone()
        if row is None:
            raise TrainerError("no-session", f"no group session {session_id} on this kiosk")
        return _session(row)

    # The roster ------------------------------------------------------------------------------------------------------
    def enrol(self, session_id: int, code: str, *, first_name: str | None = None) -> Enrolment:
        """Enrol the learner whose code this is (tutorials.progress.LearnerError if it is not one); a learner already
        on the roster stays as they are. The roster shows `first_name`, else the name the learner gave with the code."""
        self.session(session_id)
        learner = resume(self.db, self._need_cipher(), code, now=self._clock())
        found = self._enrolment(session_id, learner.uuid)
        if found is not None:
            return found
        return self._add(session_id, learner, first_name or learner.first_name, "existing-code")

    def enrol_new(self, session_id: int, first_name: str | None = None) -> NewEnrolment:
        """A new learner with a new code to print, on the roster."""
        self.session(session_id)
        made = new_learner(self.db, self._need_cipher(), now=self._clock(), first_name=first_name)
        return NewEnrolment(made.code, self._add(session_id, made.learner, made.learner.first_name, "new-code"))

    def roster(self, session_id: int) -> list[Enrolment]:
        rows = self.db.execute(
            "SELECT session_id, learner_uuid, position, first_name, attended, help_requested_at "
            "FROM training_enrolments WHERE session_id = ? ORDER BY position",
            [session_id],
        ).fetchall()
        return [self._row(row) for row in rows]

    def mark_attendance(self, session_id: int, learner_uuid: str, present: bool = True) -> None:
        self._update(session_id, learner_uuid, "attended = ?", int(present))
        self._audit(
            "training-attendance",
            self.actor,
            {"training_session": session_id, "outcome": "present" if present else "absent"},
        )

    def request_help(self, learner: Learner, *, day: dt.date | None = None) -> int:
        """The learner asks for the trainer (a button on their screen): flags them in today's sessions; how many."""
        today = (day or self._clock().astimezone().date()).isoformat()
        with self.db.conn:
            cursor = self.db.execute(
                "UPDATE training_enrolments SET help_requested_at = ? WHERE learner_uuid = ? AND session_id IN "
                "(SELECT id FROM training_sessions WHERE day = ?)",
                [iso_utc(self._clock()), learner.uuid, today],
            )
        return cursor.rowcount

    def clear_help(self, session_id: int, learner_uuid: str) -> None:
        """The trainer has come to help."""
        self._update(session_id, learner_uuid, "help_requested_at = ?", None)

    # Progress --------------------------------------------------------------------------------------------------------
    def progress(self, session_id: int) -> list[ProgressRow]:
        """One row per learner (roster order) and tutorial (session order) still shipped on this kiosk."""
        session = self.session(session_id)
        saved = {
            (learner, tutorial): (step_id, index)
            for learner, tutorial, step_id, index in self.db.execute(
                "SELECT p.learner_uuid, p.tutorial_id, p.step_id, p.step_index FROM learner_progress p "
                "JOIN training_enrolments e ON e.learner_uuid = p.learner_uuid WHERE e.session_id = ?",
                [session_id],
            ).fetchall()
        }
        results: dict[tuple[str, str], tuple[bool, float | None]] = {}  # -> (passed, best score)
        for learner, verb, object_id, scaled in self.db.execute(
            "SELECT s.learner_uuid, s.verb, s.object_id, json_extract(s.statement, '$.result.score.scaled') "
            "FROM learning_statements s JOIN training_enrolments e ON e.learner_uuid = s.learner_uuid "
            "WHERE e.session_id = ? AND s.verb IN ('completed', 'passed', 'failed') "
            "AND s.object_id LIKE 'urn:citizen-kiosk:tutorial:%'",
            [session_id],
        ).fetchall():
            key = (learner, tutorial_id_of(object_id))
            passed, best = results.get(key, (False, None))
            if scaled is not None:
                best = max(best, float(scaled)) if best is not None else float(scaled)
            results[key] = (passed or verb == "passed", best)
        rows = []
        for enrolment in self.roster(session_id):
            for tutorial_id in session.tutorials:
                tutorial = self.tutorials.get(tutorial_id)
                if tutorial is None:
                    continue
                key = (enrolment.learner_uuid, tutorial_id)
                steps, result = len(tutorial.steps), results.get(key)
                reached = 0
                if key in saved:
                    step_id, index = saved[key]
                    found = tutorial.step_index(step_id)
                    reached = (found if found is not None else min(index, steps - 1)) + 1
                rows.append(
                    ProgressRow(
                        enrolment.position,
                        enrolment.learner_uuid,
                        enrolment.first_name,
                        tutorial_id,
                        steps if result is not None else reached,
                        steps,
                        result is not None,
                        result is not None and result[0],
                        result[1] if result is not None else None,
                        enrolment.attended,
                        enrolment.help_requested_at is not None,
                    )
                )
        return rows

    def completion_slip(
        self,
        session_id: int,
        learner_uuid: str,
        lang: str,
        labels: Callable[[str], str],
        *,
        site_name: str,
        kiosk_id: str,
        framework: Assessment | None = None,
    ) -> CompletionSlip:
        """The learner's record of learning: the session's tutorials they finished and the DigComp competences those
        cover, named in `lang` (names from the self-assessment file). `labels` must know COMPLETION_SLIP_LABEL_KEYS."""
        session = self.session(session_id)
        enrolment = self._enrolment(session_id, learner_uuid)
        if enrolment is None:
            raise TrainerError("not-enrolled", "this learner is not on the session's roster")
        names = framework or load_assessment()
        rows = self.progress(session_id)
        done = [self.tutorials[r.tutorial_id] for r in rows if r.finished and r.position == enrolment.position]
        tags = sorted({tag.competence for t in done for tag in map(parse_tag, t.digcomp) if tag is not None})
        competences = tuple(
            f"{cid} {c.name.t(lang)}" if (c := names.competence(cid)) is not None else cid for cid in tags
        )
        rtl = is_rtl(lang)
        name = f"\u2068{session.name}\u2069" if rtl else session.name
        day = format_date(dt.datetime.combine(session.day, dt.time(12), dt.UTC), lang, dt.UTC)
        return CompletionSlip(
            title=labels("trainer.slip.title"),
            first_name=enrolment.first_name,
            session_line=f"{name} · {day}",
            tutorials_heading=labels("trainer.slip.tutorials"),
            tutorials=tuple(t.title.t(lang) for t in done),
            none_note=None if done else labels("trainer.slip.none"),
            competences_heading=labels("trainer.slip.competences"),
            framework=f"DigComp {names.framework}",
            competences=competences,
            note=labels("trainer.slip.not_certificate"),
            site_line=slip_site_line(labels, site_name, kiosk_id, lang),
            lang=lang,
            rtl=rtl,
        )

    # Export ----------------------------------------------------------------------------------------------------------
    def export_csv(
        self, session_id: int, path: Path, *, lang: str = "pt-PT", kiosk_id: str = "", via: str = "screen"
    ) -> int:
        """Write the session's progress to `path` (UTF-8 with a BOM, for spreadsheets; mode 0600: it may hold first
        names), all or nothing; the number of rows. No codes and no uuids leave: learners are their roster number.
        `kiosk_id` fills the first column, so the exports of a classroom's kiosks can be put in one sheet."""
        session = self.session(session_id)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        rows = self.progress(session_id)
        for r in rows:
            writer.writerow(
                [
                    safe_cell(kiosk_id),
                    session.id,
                    session.day.isoformat(),
                    r.position,
                    safe_cell(r.first_name or ""),
                    r.tutorial_id,
                    safe_cell(self.tutorials[r.tutorial_id].title.t(lang)),
                    r.step_reached,
                    r.steps,
                    _yes(r.finished),
                    _yes(r.passed),
                    "" if r.score is None else round(r.score * 100),
                    _yes(r.attended),
                    _yes(r.help_requested),
                ]
            )
        write_private(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
        self._audit("training-export", self.actor, {"training_session": session_id, "count": len(rows), "via": via})
        return len(rows)

    # Helpers ---------------------------------------------------------------------------------------------------------
    def _need_cipher(self) -> PayloadCipher:
        if self._cipher is None:
            raise TrainerError("no-key", "learner codes and names need the payload key")
        return self._cipher

    def _add(self, session_id: int, learner: Learner, first_name: str | None, how: str) -> Enrolment:
        name = " ".join((first_name or "").split())[:40] or None
        sealed = (
            self._need_cipher().seal(name.encode("utf-8"), context=_context(session_id, learner.uuid)) if name else None
        )
        with self.db.conn:
            self.db.execute(
                "INSERT INTO training_enrolments (session_id, learner_uuid, position, first_name, enrolled_at) "
                "VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM training_enrolments WHERE session_id = ?), "
                "?, ?)",
                [session_id, learner.uuid, session_id, sealed, iso_utc(self._clock())],
            )
        self._audit("training-enrol", self.actor, {"training_session": session_id, "outcome": how})
        enrolment = self._enrolment(session_id, learner.uuid)
        assert enrolment is not None  # just inserted
        return enrolment

    def _enrolment(self, session_id: int, learner_uuid: str) -> Enrolment | None:
        return next((e for e in self.roster(session_id) if e.learner_uuid == learner_uuid), None)

    def _update(self, session_id: int, learner_uuid: str, assignment: str, value: object) -> None:
        with self.db.conn:
            cursor = self.db.execute(
                f"UPDATE training_enrolments SET {assignment} WHERE session_id = ? AND learner_uuid = ?",  # fixed SQL
                [value, session_id, learner_uuid],
            )
        if cursor.rowcount == 0:
            raise TrainerError("not-enrolled", "this learner is not on the session's roster")

    def _row(self, row: tuple[Any, ...]) -> Enrolment:
        session_id, learner_uuid, position, sealed, attended, help_at = row
        name = None
        if isinstance(sealed, bytes) and self._cipher is not None:
            name = self._cipher.open(sealed, context=_context(session_id, learner_uuid)).decode("utf-8")
        return Enrolment(session_id, learner_uuid, position, name, bool(attended), help_at)


_SESSIONS = (
    "SELECT s.id, s.name, s.day, s.trainer, s.tutorials, COUNT(e.learner_uuid), COALESCE(SUM(e.attended), 0) "
    "FROM training_sessions s LEFT JOIN training_enrolments e ON e.session_id = s.id"
)


def _session(row: tuple[Any, ...]) -> GroupSession:
    session_id, name, day, trainer, tutorials, enrolled, attended = row
    return GroupSession(
        session_id, name, dt.date.fromisoformat(day), trainer, tuple(json.loads(tutorials)), enrolled, attended
    )


def _context(session_id: int, learner_uuid: str) -> str:
    return f"training:{session_id}:{learner_uuid}:first-name"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def safe_cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP CSV injection): a leading quote disarms it."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_private(path: Path, data: bytes) -> None:
    """Write `path` readable by the kiosk user only, all or nothing (temporary file in the same folder, fsync,
    rename), as kiosk.export writes its files; the folder must exist."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".export-", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
