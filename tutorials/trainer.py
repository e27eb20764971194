"""Trainer-led group sessions: a named, dated session of tutorials, its roster, live progress, completion slips, CSV.

A session lives on the kiosk where it was created (tables `training_sessions` and `training_enrolments`, migration
11); learners take turns on that kiosk, signing in with their learner code (tutorials.progress). The trainer enrols
a learner by code (`enrol`) or issues new codes to print as slips (`enrol_new`); the code is never stored, the roster
keeps the learner's uuid and, only if the learner gives one, a first name, sealed. Progress is read, never copied,
from what the learners' runs saved (learner_progress) and their statements (learning_statements), so the trainer's
view and the learner's own record cannot disagree.

Trainer actions are staff actions: creating a session, enrolling, attendance and exports go to the `audit` sink with
the session number and a few machine words, never a learner's name, uuid or code. Nothing here touches the outbox.

The records these methods return are in tutorials.trainer_records; the progress table and the completion slip are
built in tutorials.trainer_progress, the CSV file in tutorials.trainer_export.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from sqlite_utils import Database

from kiosk.crypto import PayloadCipher
from kiosk.staff import AuditSink, no_audit
from kiosk.storage.clock import iso_utc, utc_now
from tutorials.assessment_file import Assessment, load_assessment
from tutorials.model import Tutorial
from tutorials.progress import Learner, new_learner, resume
from tutorials.trainer_export import progress_csv
from tutorials.trainer_progress import build_completion_slip, read_progress
from tutorials.trainer_records import CompletionSlip, Enrolment, GroupSession, NewEnrolment, ProgressRow, TrainerError

MAX_SESSION_NAME: Final = 80


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
        return read_progress(self.db, session, self.roster(session_id), self.tutorials)

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
        cover, named in `lang` (names from the self-assessment file). `labels` must know
        tutorials.trainer_progress.COMPLETION_SLIP_LABEL_KEYS."""
        session = self.session(session_id)
        enrolment = self._enrolment(session_id, learner_uuid)
        if enrolment is None:
            raise TrainerError("not-enrolled", "this learner is not on the session's roster")
        names = framework or load_assessment()
        rows = self.progress(session_id)
        return build_completion_slip(
            session,
            enrolment,
            rows,
            self.tutorials,
            names=names,
            lang=lang,
            labels=labels,
            site_name=site_name,
            kiosk_id=kiosk_id,
        )

    # Export ----------------------------------------------------------------------------------------------------------
    def export_csv(
        self, session_id: int, path: Path, *, lang: str = "pt-PT", kiosk_id: str = "", via: str = "screen"
    ) -> int:
        """Write the session's progress to `path` (UTF-8 with a BOM, for spreadsheets; mode 0600: it may hold first
        names), all or nothing; the number of rows. No codes and no uuids leave: learners are their roster number.
        `kiosk_id` fills the first column, so the exports of a classroom's kiosks can be put in one sheet."""
        session = self.session(session_id)
        rows = self.progress(session_id)
        from kiosk.export import write_private  # with the export code (and its crypto), loaded only to export

        write_private(path, progress_csv(session, rows, self.tutorials, lang=lang, kiosk_id=kiosk_id))
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
