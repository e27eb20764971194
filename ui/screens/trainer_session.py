"""The trainer's screen (`trainer-session`, staff only: the "tutorials" area of trainers and site managers).

Reached from the staff console's "Tutorials". Three pages, rebuilt on each change (as the form pages are, so the focus
order is the order on screen):

- the list: this kiosk's group sessions, the latest day first, and "New group session";
- a new session: its name, its date (today unless changed) and the tutorials, ticked;
- one session: enrol a learner by the code on their slip or as a "New learner" (a new code, printed as a slip and
  shown once on the screen; a first name for the roster only if the learner gives one), the progress table (one panel
  per learner: the step reached in each tutorial, finished, check score, "Needs help" with "Helped", present), "Print
  completion slip" per learner, and "Export CSV" to the kiosk's exports folder.

Learners take turns on the kiosk between the trainer's visits: the screen reads everything afresh each time it is
shown, and "Refresh" reads it again. Everything goes through `ui.tutorials.trainer_parts.TrainerDesk` (the core audits
each action); nothing here logs a learner's name or code.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from accessibility.speech import grouped_for_listening
from kiosk.codes import for_speech
from kiosk.receipts import format_date
from tutorials.progress import LearnerError
from tutorials.trainer import ProgressRow, TrainerError
from ui.forms.base import FormLineEdit, plain_label
from ui.forms.painted import CheckOption
from ui.forms.text_inputs import BOX_STYLES, BoxStyle, leading, style_box
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage
from ui.screens.draft_parts import code_for_speech, code_text
from ui.screens.entry import EntryButton
from ui.screens.form_parts import FormPage, replace_page
from ui.screens.learn_home import CODE_BOX, REASONS
from ui.tutorials.trainer_parts import TrainerDesk, completion_receipt

if TYPE_CHECKING:
    from tutorials.model import Tutorial

Mode = Literal["list", "create", "session"]
NAME_BOX = BoxStyle(30, BOX_STYLES["text"].hints, False, 80)
DATE_BOX = BoxStyle(12, BOX_STYLES["postcode"].hints, True, 20)
FIRST_NAME_BOX = BoxStyle(20, BOX_STYLES["text"].hints, False, 40)
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


class TrainerSessionScreen(Screen):
    idle_kind = "reading"

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

    # Showing ---------------------------------------------------------------------------------------------------------
    def on_shown(self) -> None:
        self.message, self.new_code = None, None
        self.render_page()

    def on_retranslate(self) -> None:
        self.render_page(keep=True)

    def on_restyle(self) -> None:
        self.render_page(keep=True)

    def first_focus(self) -> QWidget | None:
        return self.controls.get("first")

    def t(self, key: str, **params: object) -> str:
        return self.context.t(key, **params)

    def day_text(self, day: dt.date) -> str:
        return format_date(dt.datetime.combine(day, dt.time(12), dt.UTC), self.context.language, dt.UTC)

    def render_page(self, *, keep: bool = False, focus: str | None = None) -> None:
        if keep:
            self.typed |= {name: field.text() for name, field in self.fields.items()}
        page = FormPage(self.context)
        self.fields, self.controls, self.options = {}, {}, {}
        back = page.back_row(self.go_back)
        try:
            if self.mode == "create":
                self._create_page(page)
            elif self.mode == "session" and self.session_id is not None:
                self._session_page(page, self.session_id)
            else:
                self.mode = "list"
                self._list_page(page)
        except (TrainerError, OSError, sqlite3.Error):  # the database or the key is missing: say so, stay usable
            self.message = ("trainer.unavailable", {}, True)
            self._message(page)
        self.controls.setdefault("first", back)
        page.finish()
        replace_page(self.body, self.page, page)
        self.page = page
        self.set_page_title(self.t("trainer.title"))
        target = self.controls.get(focus) if focus is not None else None
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll_area.ensureWidgetVisible(target)

    def _message(self, page: FormPage) -> None:
        self.message_box = InlineMessage(self.context, icon="warning" if self.message and self.message[2] else "info")
        page.column.addWidget(self.message_box)
        self.message_box.setVisible(self.message is not None)
        if self.message is not None:
            key, params, _problem = self.message
            self.message_box.set_text(self.t(key, **params))

    def _field(self, page: FormPage, name: str, label_key: str, hint_key: str, style: BoxStyle) -> FormLineEdit:
        label = page.label(self.t(label_key), "title")
        hint = self.t(hint_key) if hint_key else ""
        if hint:
            page.label(hint, "muted")
        field = FormLineEdit()
        style_box(field, style, context_px=self.context.px(), min_px=self.context.panel.min_target_px)
        label.setBuddy(field)
        field.setAccessibleName(label.text())
        field.setAccessibleDescription(hint)
        field.setText(self.typed.get(name, ""))
        page.column.addWidget(leading(field, style))
        self.fields[name] = field
        self.controls[name] = field
        return field

    # The list --------------------------------------------------------------------------------------------------------
    def _list_page(self, page: FormPage) -> None:
        page.label(self.t("trainer.title"), "h1")
        page.label(self.t("trainer.lead"), "lead")
        self._message(page)
        create = page.button(self.t("trainer.new_session"), self.start_create, kind="primary")
        page.row(create)
        self.controls["first"] = self.controls["new-session"] = create
        page.label(self.t("trainer.sessions"), "h2")
        sessions = self.desk.sessions()
        if not sessions:
            page.label(self.t("trainer.no_sessions"))
        for session in sessions:
            entry = EntryButton("learn", "accent")
            entry.setMinimumHeight(self.context.panel.min_target_px)
            hint = self.t("trainer.session_line", day=self.day_text(session.day), n=session.enrolled)
            entry.set_texts(session.name, hint)
            entry.setAccessibleName(session.name)
            entry.setAccessibleDescription(hint)
            entry.apply_metrics(self.context)
            entry.clicked.connect(lambda _=False, sid=session.id: self.open_session(sid))
            page.column.addWidget(entry)
            self.controls[f"session-{session.id}"] = entry

    # A new session ---------------------------------------------------------------------------------------------------
    def _create_page(self, page: FormPage) -> None:
        page.label(self.t("trainer.create.title"), "h1")
        self._message(page)
        self.controls["first"] = self._field(page, "name", "trainer.create.name", "trainer.create.name_hint", NAME_BOX)
        self.typed.setdefault("date", self.day_text(self.desk.today()))
        self._field(page, "date", "trainer.create.date", "trainer.create.date_hint", DATE_BOX)
        page.label(self.t("trainer.create.tutorials"), "h2")
        lang = self.context.language
        for tutorial in self.desk.tutorials():
            option = CheckOption()
            minutes = self.t("learn.minutes", minutes=tutorial.estimated_minutes)
            option.set_texts(tutorial.title.t(lang), minutes)
            option.setAccessibleDescription(minutes)
            option.apply_metrics(self.context)
            option.setChecked(tutorial.id in self.chosen)
            option.toggled.connect(lambda on, tid=tutorial.id: self._tick(tid, on))
            page.column.addWidget(option, 0, Qt.AlignmentFlag.AlignLeading)
            self.options[tutorial.id] = option
        create = page.button(self.t("trainer.create.button"), self.create_session, kind="primary")
        cancel = page.button(self.t("trainer.create.cancel"), self.show_list)
        page.row(create, cancel)
        self.controls["create"] = create

    def _tick(self, tutorial_id: str, on: bool) -> None:
        (self.chosen.add if on else self.chosen.discard)(tutorial_id)

    # One session -----------------------------------------------------------------------------------------------------
    def _session_page(self, page: FormPage, session_id: int) -> None:
        session = self.desk.session(session_id)
        page.label(session.name, "h1")
        page.label(self.t("trainer.session_line", day=self.day_text(session.day), n=session.enrolled), "muted")
        self._message(page)
        if self.new_code is not None:
            self._code_panel(page, *self.new_code)
        # The progress table first (what the trainer comes back for between turns), then enrolling.
        page.label(self.t("trainer.progress.title"), "h2")
        self.rows = self.desk.progress(session_id)
        if not self.rows:
            page.label(self.t("trainer.progress.nobody"))
        for position in dict.fromkeys(r.position for r in self.rows):
            self._learner_panel(page, [r for r in self.rows if r.position == position])
        refresh = page.button(self.t("trainer.refresh"), self.refresh)
        export = page.button(self.t("trainer.export"), self.export)
        page.row(refresh, export)
        page.label(self.t("trainer.enrol.title"), "h2")
        code = self._field(page, "code", "trainer.enrol.code", "trainer.enrol.code_hint", CODE_BOX)
        code.returnPressed.connect(self.enrol)
        self._field(page, "first-name", "trainer.enrol.first_name", "trainer.enrol.first_name_hint", FIRST_NAME_BOX)
        new = page.button(self.t("trainer.enrol.new"), self.enrol_new, kind="primary")
        enrol = page.button(self.t("trainer.enrol.button"), self.enrol)
        page.row(new, enrol)
        self.controls |= {"enrol": enrol, "new-learner": new, "export": export, "refresh": refresh}
        self.controls["first"] = refresh if self.rows else new

    def _code_panel(self, page: FormPage, who: str, code: str) -> None:
        body = self.context.px()
        panel = QFrame()
        panel.setProperty("role", "panel")
        column = QVBoxLayout(panel)
        column.setContentsMargins(body * 3 // 2, body, body * 3 // 2, body)
        heading = plain_label("title")
        heading.setText(self.t("trainer.enrol.code_for", who=who))
        column.addWidget(heading)
        shown = plain_label("reference")
        shown.setText(code_text(code, self.context.rtl))
        spoken = code_for_speech(code)
        shown.setAccessibleName(spoken)
        shown.setProperty("speechText", grouped_for_listening(for_speech(code)))
        column.addWidget(shown)
        panel.setAccessibleName(f"{heading.text()}: {spoken}")
        page.column.addWidget(panel)

    def who(self, row: ProgressRow) -> str:
        return f"{row.position}. {row.first_name}" if row.first_name else self.t("trainer.learner", n=row.position)

    def step_text(self, row: ProgressRow, tutorial: Tutorial | None) -> str:
        title = tutorial.title.t(self.context.language) if tutorial is not None else row.tutorial_id
        if row.finished:
            done = self.t("trainer.progress.passed" if row.passed else "trainer.progress.finished")
            score = "" if row.score is None else " " + self.t("trainer.progress.score", percent=round(row.score * 100))
            return f"{title}: {done}{score}"
        if row.step_reached == 0:
            return f"{title}: {self.t('trainer.progress.not_started')}"
        return f"{title}: {self.t('tutorial.step_of', number=row.step_reached, total=row.steps)}"

    def _learner_panel(self, page: FormPage, rows: list[ProgressRow]) -> None:
        context, first = self.context, rows[0]
        who = self.who(first)
        body = context.px()
        panel = QFrame()
        panel.setProperty("role", "summary-row")  # a row of the progress table, ruled off from the next
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, body * 3 // 4)
        column.setSpacing(max(context.panel.min_gap_px, body // 2))
        name = plain_label("h2")
        name.setText(who)
        column.addWidget(name)
        tutorials = self.desk.tutorials_by_id()
        for row in rows:
            line = plain_label("body")
            line.setText(self.step_text(row, tutorials.get(row.tutorial_id)))
            column.addWidget(line)
        key = first.learner_uuid
        if first.help_requested:
            flag = InlineMessage(context, icon="help")
            flag.set_text(self.t("trainer.progress.needs_help", who=who))
            column.addWidget(flag)
        present = CheckOption()
        present.set_texts(self.t("trainer.progress.present"))
        present.setAccessibleName(f"{self.t('trainer.progress.present')}: {who}")
        present.apply_metrics(context)
        present.setChecked(first.attended)
        present.toggled.connect(lambda on, uuid=key: self.mark(uuid, on))
        column.addWidget(present, 0, Qt.AlignmentFlag.AlignLeading)
        self.options[f"present-{first.position}"] = present
        self.controls[f"present-{first.position}"] = present
        buttons = []
        if first.help_requested:
            helped = page.button(
                self.t("trainer.progress.helped"), functools.partial(self._clicked, self.helped, key, first.position)
            )
            helped.setAccessibleName(f"{self.t('trainer.progress.helped')}: {who}")
            buttons.append(helped)
            self.controls[f"helped-{first.position}"] = helped
        slip = page.button(
            self.t("trainer.slip.print"), functools.partial(self._clicked, self.print_slip, key, first.position)
        )
        slip.setAccessibleName(f"{self.t('trainer.slip.print')}: {who}")
        buttons.append(slip)
        self.controls[f"slip-{first.position}"] = slip
        holder = page.row(*buttons)
        page.column.removeWidget(holder)  # page.row adds to the page; this row belongs in the panel
        column.addWidget(holder)
        page.column.addWidget(panel)

    # Acting ----------------------------------------------------------------------------------------------------------
    @staticmethod
    def _clicked(act: Callable[[str, int], None], learner_uuid: str, position: int, *_checked: object) -> None:
        """A button of one learner's row (`clicked` may pass its checked state: ignored)."""
        act(learner_uuid, position)

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


def trainer_session_factory(desk: TrainerDesk) -> Callable[[ScreenContext], Screen]:
    """A registry factory: `registry.register("trainer-session", trainer_session_factory(desk), staff_only=True,
    replace=True)`."""
    return lambda context: TrainerSessionScreen(context, desk)
