"""What the trainer and self-assessment screens reach the database through, and their slips as receipts. Qt-free.

`TrainerDesk` is the trainer-session screen's one object: the group sessions of this kiosk (tutorials.trainer), each
call on a connection of its own (the screen never holds the database open), the payload key read at each use, the
trainer's name read from who is signed in, every action audited by the core. `sample_desk()` is the same desk on a
database in memory with a sample session (pictures, the accessibility checks): nothing is written to disk.

`LearnerRecords` is what the learning screens need beyond `ui.tutorials.learning.Learning`: whether the learner of this
session is in a group session today (only then does a tutorial step offer "Ask the trainer for help"), raising their
help flag, and keeping a self-assessment result as statements (only for a learner with a code).

The completion slip and the assessment slip are Qt-free descriptions (tutorials.trainer / tutorials.assessment); here
they become `kiosk.receipts.Receipt`s so the receipt printer path prints them. The "reference" a receipt needs (it is
also its QR code) is a date: nothing on either slip names or identifies the learner beyond a first name they gave.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kiosk.receipts import Receipt, format_date, format_date_time
from kiosk.staff import AuditSink, no_audit
from tutorials.trainer import GroupSessions
from tutorials.trainer_records import GroupSession

if TYPE_CHECKING:
    from sqlite_utils import Database

    from kiosk.crypto import PayloadCipher
    from tutorials.assessment import AssessmentResult, AssessmentSlip
    from tutorials.assessment_file import Assessment
    from tutorials.model import Tutorial
    from tutorials.progress import Learner
    from tutorials.trainer_records import CompletionSlip, Enrolment, NewEnrolment, ProgressRow

OpenDb = Callable[[], AbstractContextManager["Database"]]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class TrainerDesk:
    """The group sessions of one kiosk, for the trainer-session screen."""

    def __init__(
        self,
        open_db: OpenDb,
        cipher: Callable[[], PayloadCipher | None],
        tutorials: Callable[[], Mapping[str, Tutorial]],
        *,
        actor: Callable[[], str],
        export_dir: Path,
        kiosk_id: str,
        audit: AuditSink = no_audit,
        clock: Callable[[], dt.datetime] = _now,
    ) -> None:
        self._open_db, self._cipher, self._load = open_db, cipher, tutorials
        self.actor, self.export_dir, self.kiosk_id = actor, export_dir, kiosk_id
        self._audit, self.clock = audit, clock
        self._tutorials: Mapping[str, Tutorial] | None = None

    @contextmanager
    def _core(self) -> Iterator[GroupSessions]:
        with self._open_db() as db:
            yield GroupSessions(db, self._cipher(), self.tutorials_by_id(), actor=self.actor(), audit=self._audit)

    def today(self) -> dt.date:
        return self.clock().astimezone().date()

    # Tutorials -------------------------------------------------------------------------------------------------------
    def tutorials_by_id(self) -> Mapping[str, Tutorial]:
        if self._tutorials is None:
            self._tutorials = self._load()
        return self._tutorials

    def tutorials(self) -> list[Tutorial]:
        """In the order learners meet them on learn-home: the shortest first, then by id."""
        return sorted(self.tutorials_by_id().values(), key=lambda t: (t.estimated_minutes, t.id))

    # Sessions and roster ---------------------------------------------------------------------------------------------
    def sessions(self) -> list[GroupSession]:
        with self._core() as core:
            return core.sessions()

    def session(self, session_id: int) -> GroupSession:
        with self._core() as core:
            return core.session(session_id)

    def create(self, name: str, day: dt.date, tutorial_ids: Sequence[str]) -> GroupSession:
        with self._core() as core:
            return core.create_session(name, day, tutorial_ids, self.actor())

    def enrol(self, session_id: int, code: str, first_name: str | None) -> Enrolment:
        with self._core() as core:
            return core.enrol(session_id, code, first_name=first_name)

    def enrol_new(self, session_id: int, first_name: str | None) -> NewEnrolment:
        with self._core() as core:
            return core.enrol_new(session_id, first_name)

    def roster(self, session_id: int) -> list[Enrolment]:
        with self._core() as core:
            return core.roster(session_id)

    def progress(self, session_id: int) -> list[ProgressRow]:
        with self._core() as core:
            return core.progress(session_id)

    def mark_attendance(self, session_id: int, learner_uuid: str, present: bool) -> None:
        with self._core() as core:
            core.mark_attendance(session_id, learner_uuid, present)

    def clear_help(self, session_id: int, learner_uuid: str) -> None:
        with self._core() as core:
            core.clear_help(session_id, learner_uuid)

    def completion_slip(
        self, session_id: int, learner_uuid: str, lang: str, labels: Callable[[str], str], *, site_name: str
    ) -> CompletionSlip:
        with self._core() as core:
            return core.completion_slip(
                session_id, learner_uuid, lang, labels, site_name=site_name, kiosk_id=self.kiosk_id
            )

    def export(self, session_id: int, lang: str) -> tuple[Path, int]:
        """The session's CSV in the kiosk's exports folder (made 0700 if missing); the path and the number of rows."""
        self.export_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        with self._core() as core:
            session = core.session(session_id)
            path = self.export_dir / f"group-session-{session.id}-{session.day.isoformat()}.csv"
            return path, core.export_csv(session_id, path, lang=lang, kiosk_id=self.kiosk_id)


# The learners' side --------------------------------------------------------------------------------------------------
class LearnerRecords(Protocol):
    def in_group_today(self, learner: Learner) -> bool: ...

    def ask_for_help(self, learner: Learner) -> int:
        """Raise the learner's help flag in today's group sessions; how many (never resets anything)."""
        ...

    def keep_assessment(
        self, learner: Learner, assessment: Assessment, result: AssessmentResult, answers: Mapping[str, bool]
    ) -> None: ...


class DatabaseLearnerRecords:
    """`LearnerRecords` in the kiosk's database (migrations 10 and 11), a connection per call."""

    def __init__(self, open_db: OpenDb, *, site: str, clock: Callable[[], dt.datetime] = _now) -> None:
        self._open_db, self.site, self.clock = open_db, site, clock

    def in_group_today(self, learner: Learner) -> bool:
        today = self.clock().astimezone().date().isoformat()
        with self._open_db() as db:
            row = db.execute(
                "SELECT 1 FROM training_enrolments e JOIN training_sessions s ON s.id = e.session_id "
                "WHERE e.learner_uuid = ? AND s.day = ? LIMIT 1",
                [learner.uuid, today],
            ).fetchone()
        return row is not None

    def ask_for_help(self, learner: Learner) -> int:
        with self._open_db() as db:
            return GroupSessions(db, None, {}, actor="learner", clock=self.clock).request_help(learner)

    def keep_assessment(
        self, learner: Learner, assessment: Assessment, result: AssessmentResult, answers: Mapping[str, bool]
    ) -> None:
        from tutorials.assessment import record_assessment

        with self._open_db() as db:
            record_assessment(db, learner, assessment, result, answers, site=self.site, now=self.clock())


class SampleLearnerRecords:
    """For pictures: the learner is in today's group; nothing is kept anywhere."""

    def __init__(self) -> None:
        self.help_asked = 0

    def in_group_today(self, learner: Learner) -> bool:
        return True

    def ask_for_help(self, learner: Learner) -> int:
        self.help_asked += 1
        return 1

    def keep_assessment(
        self, learner: Learner, assessment: Assessment, result: AssessmentResult, answers: Mapping[str, bool]
    ) -> None:
        return None


# Slips as receipts ---------------------------------------------------------------------------------------------------
def completion_receipt(
    slip: CompletionSlip, day: dt.date, labels: Callable[[str], str], *, printed_at: dt.datetime
) -> Receipt:
    """The trainer's completion slip on the receipt printer: the session's date is its reference (and QR code)."""
    heading = slip.first_name + " · " + slip.session_line if slip.first_name else slip.session_line
    return Receipt(
        title=slip.title,
        service_title=heading,
        reference=_day(day, slip.lang),
        reference_label=labels("trainer.slip.date"),
        sent_at_label=labels("tutorial.slip.printed"),
        sent_at_text=_isolated(format_date_time(printed_at, slip.lang), slip.rtl),
        next_steps_heading=slip.tutorials_heading,
        next_steps=slip.none_note or "\n".join(f"• {title}" for title in slip.tutorials),
        contact_heading=f"{slip.competences_heading} ({slip.framework})",
        contact_lines=tuple(f"• {line}" for line in slip.competences) or (slip.none_note or "",),
        site_line=slip.site_line,
        keep_note=slip.note,
        lang=slip.lang,
        rtl=slip.rtl,
    )


def assessment_receipt(
    slip: AssessmentSlip, service_title: str, labels: Callable[[str], str], *, printed_at: dt.datetime
) -> Receipt:
    """The self-assessment result on the receipt printer: the day it was done is its reference (and QR code)."""
    return Receipt(
        title=slip.title,
        service_title=service_title,
        reference=_day(printed_at.astimezone().date(), slip.lang),
        reference_label=labels("assessment.slip.date"),
        sent_at_label=labels("tutorial.slip.printed"),
        sent_at_text=_isolated(format_date_time(printed_at, slip.lang), slip.rtl),
        next_steps_heading=slip.areas_heading,
        next_steps="\n".join(f"{line.title}: {line.level_text}" for line in slip.areas),
        contact_heading=slip.next_heading,
        contact_lines=tuple(f"• {title}" for title in slip.recommended) or (slip.nothing_next or "",),
        site_line=slip.site_line,
        keep_note=slip.keep_note,
        lang=slip.lang,
        rtl=slip.rtl,
    )


def _day(day: dt.date, lang: str) -> str:
    """The day, as receipts write dates."""
    return format_date(dt.datetime.combine(day, dt.time(12), dt.UTC), lang, dt.UTC)


def _isolated(text: str, rtl: bool) -> str:
    return f"\u2066{text}\u2069" if rtl else text


# Sample data ---------------------------------------------------------------------------------------------------------
SAMPLE_DAY = dt.date(2026, 11, 28)
SAMPLE_NOW = dt.datetime(2026, 11, 28, 10, 30, tzinfo=dt.UTC)
SAMPLE_TUTORIALS = ("touch-tap-scroll-type", "spot-the-scam")


def sample_desk(tutorials: Callable[[], Mapping[str, Tutorial]] | None = None) -> TrainerDesk:
    """A desk on a database in memory: "Tuesday group" with three learners part-way through, one asking for help."""
    from sqlite_utils import Database

    from kiosk.crypto import PayloadCipher
    from kiosk.storage.migrations import migrate
    from tutorials.progress import Learner, record, start_run
    from ui.tutorials.learning import load_shipped

    db = Database(sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False))
    migrate(db, Path(":memory:"))
    cipher = PayloadCipher(b"s" * 32)

    @contextmanager
    def open_db() -> Iterator[Database]:
        yield db

    desk = TrainerDesk(
        open_db,
        lambda: cipher,
        tutorials or load_shipped,
        actor=lambda: "Teresa",
        export_dir=Path("/nonexistent/exports"),  # a picture never writes a file: export is not offered twice
        kiosk_id="kiosk-01",
        clock=lambda: SAMPLE_NOW,
    )
    known = [t for t in SAMPLE_TUTORIALS if t in desk.tutorials_by_id()]
    if not known:
        return desk
    session = desk.create("Tuesday group", SAMPLE_DAY, known)
    core = GroupSessions(db, cipher, desk.tutorials_by_id(), actor="Teresa", clock=lambda: SAMPLE_NOW)
    for name, steps, attended in (("Ana", 4, True), ("Rui", 2, True), (None, 0, False)):
        made = core.enrol_new(session.id, name)
        if attended:
            core.mark_attendance(session.id, made.enrolment.learner_uuid, True)
        learner = Learner(made.enrolment.learner_uuid)
        if steps:
            run = start_run(db, learner, desk.tutorials_by_id()[known[0]], today=SAMPLE_DAY)
            for _ in range(steps - 1):
                run.next()
            record(db, learner, run, site="demo-site", now=SAMPLE_NOW)
        if name == "Rui":  # waiting for the trainer
            core.request_help(learner, day=SAMPLE_DAY)
    return desk
