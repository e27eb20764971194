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

This module draws the pages; the state and what the buttons do are its base class's (ui.screens.trainer_actions), and
the progress table's learner panels and the new-code panel are built in ui.screens.trainer_panels.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.receipts import format_date
from tutorials.trainer_records import ProgressRow, TrainerError
from ui.forms.base import FormLineEdit
from ui.forms.painted import CheckOption
from ui.forms.text_inputs import BOX_STYLES, BoxStyle, leading, style_box
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage
from ui.screens.entry import EntryButton
from ui.screens.form_parts import FormPage, replace_page
from ui.screens.learn_home import CODE_BOX
from ui.screens.trainer_actions import TrainerSessionActions
from ui.screens.trainer_panels import code_panel, learner_panel
from ui.tutorials.trainer_parts import TrainerDesk

NAME_BOX = BoxStyle(30, BOX_STYLES["text"].hints, False, 80)
DATE_BOX = BoxStyle(12, BOX_STYLES["postcode"].hints, True, 20)
FIRST_NAME_BOX = BoxStyle(20, BOX_STYLES["text"].hints, False, 40)


class TrainerSessionScreen(TrainerSessionActions):
    """The trainer's three pages (the list, a new session, one session), drawn from the state its base keeps."""

    idle_kind = "reading"

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

    # One session -----------------------------------------------------------------------------------------------------
    def _session_page(self, page: FormPage, session_id: int) -> None:
        session = self.desk.session(session_id)
        page.label(session.name, "h1")
        page.label(self.t("trainer.session_line", day=self.day_text(session.day), n=session.enrolled), "muted")
        self._message(page)
        if self.new_code is not None:
            page.column.addWidget(code_panel(self.context, *self.new_code))
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

    def _learner_panel(self, page: FormPage, rows: list[ProgressRow]) -> None:
        made = learner_panel(
            self.context,
            page,
            rows,
            self.desk.tutorials_by_id(),
            mark=self.mark,
            helped=self.helped,
            print_slip=self.print_slip,
        )
        position = rows[0].position
        self.options[f"present-{position}"] = made.present
        self.controls[f"present-{position}"] = made.present
        if made.helped is not None:
            self.controls[f"helped-{position}"] = made.helped
        self.controls[f"slip-{position}"] = made.slip


def trainer_session_factory(desk: TrainerDesk) -> Callable[[ScreenContext], Screen]:
    """A registry factory: `registry.register("trainer-session", trainer_session_factory(desk), staff_only=True,
    replace=True)`."""
    return lambda context: TrainerSessionScreen(context, desk)
