"""What the trainer's group sessions hand out: the sessions, the roster's enrolments, progress rows, completion slips.

Plain records (and the one error the sessions raise), kept apart from `tutorials.trainer.GroupSessions`, which reads
and writes them, so the trainer's screen, the command line and the CSV and slip builders can share them without the
database code.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple

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
