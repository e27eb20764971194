"""The trainer's screen's state and what its buttons do: create a session, enrol, attendance, help, slips, export.

`TrainerSessionActions` holds what the trainer has typed, chosen and been told, and runs each action through the
`TrainerDesk`, then asks for the page again (`render_page`). The pages themselves are drawn by its subclass,
`ui.screens.trainer_session.TrainerSessionScreen`; the two are apart so neither the drawing nor the acting runs to
several hundred lines. A missing key or database becomes the plain "not available" message, never a crash.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable
from typing import Literal

from PySide6.QtWidgets import QWidget

from tutorials.progress import LearnerError
from tutorials.trainer_records import ProgressRow, TrainerError
from ui.forms.base import FormLineEdit
from ui.forms.painted import CheckOption
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage
from ui.screens.form_parts import FormPage
from ui.screens.learn_home import REASONS
from ui.tutorials.trainer_parts import TrainerDesk, completion_receipt

Mode = Literal["list", "create", "session"]
_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
PROBLEMS = {
    "bad-name": "trainer.create.bad_name",
    "no-tutorials": "trainer.create.no_tutorials",
    "unknown-tutorial": "trainer.create.no_tutorials",
    "no-key": "trainer.unavailable",
    "no-session": "trainer.unavailable",
    "not-enrolled": "trainer.unavailable",
}


def parse_day(text: str) -> dt.date | None:
    """ "28/11/2026", "28-11-2026", "28.11.2026" or "2026-11-28"; None if it is not a date."""
    text = text.strip()
    found = _ISO_DAY.fullmatch(text)
    parts = (found[1], found[2], found[3]) if found else None
    if parts is None and (found := _DAY.fullmatch(text)) is not None:
        parts = (found[3], found[2], found[1])
    if parts is None:
        return None
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


class TrainerSessionActions(Screen):
    """The state of the trainer's screen and its actions; a subclass draws the pages (`render_page`)."""

    def __init__(self, context: ScreenContext, desk: TrainerDesk) -> None:
        super().__init__(context)
        self.desk = desk
        self.page: FormPage | None = None
        self.mode: Mode = "list"
        self.session_id: int | None = None
        self.message: tuple[str, dict[str, object], bool] | None = None  # (key, params, is a problem)
        self.new_code: tuple[str, str] | None = None  # (who, code) of the learner just enrolled with a new code
        self.typed: dict[str, str] = {}
        self.chosen: set[str] = set()
        self.fields: dict[str, FormLineEdit] = {}
        self.controls: dict[str, QWidget] = {}  # what a render may give the focus to, by name
        self.options: dict[str, CheckOption] = {}
        self.message_box: InlineMessage | None = None
        self.rows: list[ProgressRow] = []
        self.exported: str | None = None

    def t(self, key: str, **params: object) -> str:
        return self.context.t(key, **params)

    def render_page(self, *, keep: bool = False, focus: str | None = None) -> None:
        """Draw the page for the state now (`keep`: take what is typed along; `focus`: a control's name)."""
        raise NotImplementedError

    def _tick(self, tutorial_id: str, on: bool) -> None:
        (self.chosen.add if on else self.chosen.discard)(tutorial_id)

    # Acting ----------------------------------------------------------------------------------------------------------
    def _do(self, act: Callable[[], object], focus: str | None = None) -> None:
        """Run a desk action; a missing key or database becomes the plain "not available" message."""
        try:
            act()
        except (TrainerError, OSError, sqlite3.Error):
            self.message = ("trainer.unavailable", {}, True)
        self.render_page(keep=True, focus=focus)
        self._announce()

    def _announce(self) -> None:
        box = self.message_box
        if box is not None and self.message is not None:
            self.context.announce(box, box.text.text(), assertive=self.message[2])

    def _say(self, key: str, focus: str | None = None, *, problem: bool = False, **params: object) -> None:
        self.message = (key, params, problem)
        self.render_page(keep=True, focus=focus)
        self._announce()

    def show_list(self) -> None:
        self.mode, self.session_id, self.message, self.new_code = "list", None, None, None
        self.render_page(focus="new-session")

    def start_create(self) -> None:
        self.mode, self.message, self.chosen = "create", None, set()
        self.typed = {}
        self.render_page(focus="name")

    def open_session(self, session_id: int) -> None:
        self.mode, self.session_id, self.message, self.new_code = "session", session_id, None, None
        self.typed = {}
        self.render_page(focus="new-learner")

    def create_session(self) -> None:
        self.typed |= {name: field.text() for name, field in self.fields.items()}
        day = parse_day(self.typed.get("date", ""))
        if day is None:
            self._say("trainer.create.bad_date", "date", problem=True)
            return
        chosen = [t.id for t in self.desk.tutorials() if t.id in self.chosen]
        try:
            session = self.desk.create(self.typed.get("name", ""), day, chosen)
        except TrainerError as error:
            self._say(PROBLEMS[error.reason], "name" if error.reason == "bad-name" else "create", problem=True)
            return
        except (OSError, sqlite3.Error):
            self._say("trainer.unavailable", "create", problem=True)
            return
        self.mode, self.session_id, self.typed = "session", session.id, {}
        self._say("trainer.create.done", "new-learner", name=session.name)

    def _typed(self, name: str) -> str:
        field = self.fields.get(name)
        return field.text() if field is not None else ""

    def enrol(self) -> None:
        sid, code, first_name = self.session_id, self._typed("code"), self._typed("first-name").strip() or None
        if sid is None:
            return
        try:
            enrolment = self.desk.enrol(sid, code, first_name)
        except LearnerError as error:
            self.typed |= {"code": code, "first-name": first_name or ""}
            self._say(REASONS.get(error.reason, "tutorial.code.not_found"), "code", problem=True)
            return
        except (TrainerError, OSError, sqlite3.Error):
            self._say("trainer.unavailable", "enrol", problem=True)
            return
        self.typed, self.new_code = {}, None
        who = enrolment.first_name or self.t("trainer.learner", n=enrolment.position)
        self._say("trainer.enrol.done", "code", who=who)

    def enrol_new(self) -> None:
        sid, first_name = self.session_id, self._typed("first-name").strip() or None
        if sid is None:
            return
        try:
            made = self.desk.enrol_new(sid, first_name)
        except (TrainerError, OSError, sqlite3.Error):
            self._say("trainer.unavailable", "new-learner", problem=True)
            return
        from ui.tutorials.slips import print_learner_slip

        who = made.enrolment.first_name or self.t("trainer.learner", n=made.enrolment.position)
        printed = print_learner_slip(self.context, made.code, self.desk.clock())
        self.typed, self.new_code = {}, (who, made.code)
        self._say("trainer.enrol.new_printed" if printed else "trainer.enrol.new_no_printer", "new-learner", who=who)

    def mark(self, learner_uuid: str, present: bool) -> None:
        sid = self.session_id
        if sid is not None:
            position = next((r.position for r in self.rows if r.learner_uuid == learner_uuid), 0)
            self.message = None
            self._do(lambda: self.desk.mark_attendance(sid, learner_uuid, present), f"present-{position}")

    def helped(self, learner_uuid: str, position: int) -> None:
        sid = self.session_id
        if sid is not None:
            self.message = None
            self._do(lambda: self.desk.clear_help(sid, learner_uuid), f"slip-{position}")

    def print_slip(self, learner_uuid: str, position: int) -> None:
        sid = self.session_id
        if sid is None:
            return
        context = self.context
        try:
            session = self.desk.session(sid)
            slip = self.desk.completion_slip(
                sid, learner_uuid, context.language, context.t, site_name=context.site.name
            )
        except (TrainerError, OSError, sqlite3.Error):
            self._say("trainer.unavailable", f"slip-{position}", problem=True)
            return
        receipt = completion_receipt(slip, session.day, context.t, printed_at=self.desk.clock())
        printed = context.print_receipt(receipt)
        who = slip.first_name or self.t("trainer.learner", n=position)
        key = "trainer.slip.printed" if printed else "trainer.slip.no_printer"
        self._say(key, f"slip-{position}", problem=not printed, who=who)

    def export(self) -> None:
        sid = self.session_id
        if sid is None:
            return
        try:
            path, rows = self.desk.export(sid, self.context.language)
        except (TrainerError, OSError, sqlite3.Error):
            self._say("trainer.export_failed", "export", problem=True)
            return
        self.exported = str(path)
        self._say(
            "trainer.exported", "export", rows=rows, path=f"\u2066{path}\u2069" if self.context.rtl else str(path)
        )

    def refresh(self) -> None:
        self.message = None
        self.render_page(keep=True, focus="refresh")

    def go_back(self) -> None:
        if self.mode == "list":
            self.context.back()
        else:
            self.show_list()
