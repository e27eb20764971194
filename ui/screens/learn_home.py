"""Learn digital skills: the shipped tutorials, "Continue with my learner code", and the learner code itself.

Reached from the home screen's "Learn digital skills" entry. First "Check your digital skills" (the self-assessment,
which recommends tutorials), then the tutorials: each is a large entry (title, about how many minutes, what you will
learn). Starting one gives this session's learner a new learner code, shown in large grouped characters like a draft
code and printed as a slip with a QR code (`ui.tutorials.slips`; nothing personal on it); "Start the tutorial" then
opens its first step. A learner who has a code types it (loosely: lower case, spaces, O for 0) and continues the
tutorial they stopped in, at the step they reached. A code that cannot be a code, an unknown one and too many attempts
each get a plain message.

The tutorials load at first use, when this screen is first shown (never before the first paint); the database is
reached through `ui.tutorials.learning.Learning`, which the composition root builds (citizen_kiosk/learning_wiring.py).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from accessibility.speech import grouped_for_listening
from kiosk.codes import for_speech
from tutorials.progress import LearnerError
from ui.forms.base import FormLineEdit, plain_label, set_flag
from ui.forms.text_inputs import BOX_STYLES, BoxStyle, leading, style_box
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage
from ui.screens.draft_parts import code_for_speech, code_text, without_isolates
from ui.screens.entry import EntryButton
from ui.screens.form_parts import FormPage, replace_page
from ui.tutorials.learning import Learning, LearningUnavailableError

if TYPE_CHECKING:
    from ui.widgets import KioskButton

CODE_BOX = BoxStyle(20, BOX_STYLES["citizen-card"].hints, True, 100)  # "A-XXXX-XXXX-X" with some spaces
REASONS = {
    "malformed": "tutorial.code.invalid",
    "unknown": "tutorial.code.not_found",
    "too-many-attempts": "tutorial.code.locked",
}
TUTORIAL_STEP = "tutorial-step"
SELF_ASSESSMENT = "self-assessment"


class LearnHomeScreen(Screen):
    idle_kind = "reading"

    def __init__(self, context: ScreenContext, learning: Learning) -> None:
        super().__init__(context)
        self.learning = learning
        learning.follow(context.session)
        self.page: FormPage | None = None
        self.back_button: KioskButton | None = None
        self.entries: dict[str, EntryButton] = {}
        self.assessment_entry: EntryButton | None = None
        self.code_panel: QFrame | None = None
        self.code_label: QLabel | None = None
        self.start_button: KioskButton | None = None
        self.print_button: KioskButton | None = None
        self.code_field: FormLineEdit | None = None
        self.continue_button: KioskButton | None = None
        self.message: InlineMessage | None = None
        self.message_key: str | None = None
        self.print_key: str | None = None
        self.chosen: str | None = None  # the tutorial a new code was just made for
        self._typed = ""

    # Showing ---------------------------------------------------------------------------------------------------------
    def on_shown(self) -> None:
        self.message_key, self.print_key, self._typed, self.chosen = None, None, "", None
        self.render_page()

    def on_retranslate(self) -> None:
        self.render_page(keep=True)

    def on_restyle(self) -> None:
        self.render_page(keep=True)

    def first_focus(self) -> QWidget | None:
        if self.start_button is not None:
            return self.start_button
        return next(iter(self.entries.values()), None)

    def render_page(self, *, keep: bool = False) -> None:
        context, t = self.context, self.context.t
        if keep and self.code_field is not None:
            self._typed = self.code_field.text()
        page = FormPage(context)
        self.back_button = page.back_row(self.go_back)
        self.code_panel = self.code_label = None
        self.start_button = self.print_button = None
        title = t("learn.title")
        page.label(title, "h1")
        page.label(t("learn.lead"), "lead")
        self.message = InlineMessage(context, icon="warning")
        page.column.addWidget(self.message)
        self.message.setVisible(self.message_key is not None)
        if self.message_key is not None:
            self.message.set_text(t(self.message_key))
        code = self.learning.code
        if self.chosen is not None and code is not None:
            self._code_part(page, code)
        elif code is not None:  # a learner of this session: their code, to note or to find their slip by
            page.label(t("tutorial.recap.code", code=code_text(code, context.rtl)), "muted")
        self._assessment_entry(page)
        self._tutorial_list(page)
        self._resume_part(page)
        page.finish()
        replace_page(self.body, self.page, page)
        self.page = page
        self.set_page_title(title)

    def _assessment_entry(self, page: FormPage) -> None:
        """ "Check your digital skills": a few questions, then the tutorials that suit the learner."""
        context, t = self.context, self.context.t
        entry = EntryButton("check", "primary")
        entry.setMinimumHeight(context.panel.min_target_px)
        entry.set_texts(t("assessment.entry"), t("assessment.entry_hint"))
        entry.setAccessibleName(t("assessment.entry"))
        entry.setAccessibleDescription(t("assessment.entry_hint"))
        entry.apply_metrics(context)
        entry.clicked.connect(lambda _=False: self.context.navigate(SELF_ASSESSMENT))
        page.column.addWidget(entry)
        self.assessment_entry = entry

    def _tutorial_list(self, page: FormPage) -> None:
        context, t = self.context, self.context.t
        page.label(t("learn.tutorials"), "h2")
        self.entries = {}
        tutorials = self.learning.tutorials()
        if not tutorials:
            page.label(t("learn.none"))
        lang = context.language
        for tutorial in tutorials:
            entry = EntryButton("learn", "accent")
            entry.setMinimumHeight(context.panel.min_target_px)
            minutes = t("learn.minutes", minutes=tutorial.estimated_minutes)
            entry.set_texts(tutorial.title.t(lang), f"{minutes}. {tutorial.summary.t(lang)}")
            entry.setAccessibleName(tutorial.title.t(lang))
            entry.setAccessibleDescription(f"{minutes}. {tutorial.summary.t(lang)}")
            entry.apply_metrics(context)
            entry.clicked.connect(lambda _=False, tid=tutorial.id: self.choose(tid))
            page.column.addWidget(entry)
            self.entries[tutorial.id] = entry

    def _code_part(self, page: FormPage, code: str) -> None:
        """The new learner code in large groups, "Print my code again" and "Start the tutorial"."""
        context, t, body = self.context, self.context.t, self.context.px()
        panel = QFrame()
        panel.setProperty("role", "panel")
        panel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        column = QVBoxLayout(panel)
        column.setContentsMargins(body * 3 // 2, body, body * 3 // 2, body)
        column.setSpacing(body // 2)
        tutorial = self.learning.tutorial(self.chosen or "")
        heading = plain_label("title")
        heading.setText(t("learn.code.title"))
        heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(heading)
        self.code_label = plain_label("reference")
        self.code_label.setText(code_text(code, context.rtl))
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        spoken = code_for_speech(code)
        self.code_label.setAccessibleName(spoken)
        self.code_label.setProperty("speechText", grouped_for_listening(for_speech(code)))
        column.addWidget(self.code_label)
        panel.setAccessibleName(f"{t('learn.code.title')}: {spoken}")
        page.column.addWidget(panel)
        self.code_panel = panel
        page.label(t("learn.code.keep"))
        status = InlineMessage(context, icon="receipt")
        page.column.addWidget(status)
        status.setVisible(self.print_key is not None)
        if self.print_key is not None:
            status.set_text(t(self.print_key))
        self.print_button = page.button(t("learn.code.print"), self.print_code)
        title = tutorial.title.t(context.language) if tutorial is not None else ""
        self.start_button = page.button(t("learn.code.start", title=title), self.open_chosen, kind="primary")
        page.row(self.start_button, self.print_button)

    def _resume_part(self, page: FormPage) -> None:
        context, t = self.context, self.context.t
        label = page.label(t("learn.resume.title"), "h2")
        hint = t("learn.resume.hint")
        page.label(hint, "muted")
        self.code_field = FormLineEdit()
        style_box(self.code_field, CODE_BOX, context_px=context.px(), min_px=context.panel.min_target_px)
        label.setBuddy(self.code_field)
        self.code_field.setAccessibleName(label.text())  # its visible label (the heading it is the buddy of)
        self.code_field.setAccessibleDescription(hint)
        set_flag(self.code_field, "error", self.message_key in REASONS.values())
        self.code_field.setText(self._typed)
        self.code_field.returnPressed.connect(self.resume)
        page.column.addWidget(leading(self.code_field))
        self.continue_button = page.button(t("learn.resume.button"), self.resume)
        page.row(self.continue_button)

    @property
    def code_shown(self) -> str:
        return without_isolates(self.code_label.text()) if self.code_label is not None else ""

    # Acting ----------------------------------------------------------------------------------------------------------
    def choose(self, tutorial_id: str) -> None:
        """A tutorial was chosen: a learner who has a code goes straight in; a new learner gets their code first."""
        if self.learning.learner is not None:
            self._open(tutorial_id)
            return
        try:
            self.learning.ensure_learner()
        except (LearningUnavailableError, OSError, sqlite3.Error):
            self._say("learn.unavailable")
            return
        self.chosen = tutorial_id
        self.message_key = None
        self.print_code(render=False)
        self.render_page()
        self.scroll_area.verticalScrollBar().setValue(0)
        if self.start_button is not None and self.code_panel is not None:
            self.start_button.setFocus(Qt.FocusReason.OtherFocusReason)
            self.context.announce(self.code_panel, self.code_panel.accessibleName())

    def open_chosen(self) -> None:
        if self.chosen is not None:
            self._open(self.chosen)

    def _open(self, tutorial_id: str) -> None:
        try:
            self.learning.start(tutorial_id)
        except (LearningUnavailableError, LearnerError, OSError, sqlite3.Error):
            self._say("learn.unavailable")
            return
        self.context.navigate(TUTORIAL_STEP)

    def print_code(self, *, render: bool = True) -> None:
        code = self.learning.code
        if code is None:
            return
        from ui.tutorials.slips import print_learner_slip

        printed = print_learner_slip(self.context, code)
        self.print_key = "learn.code.printed" if printed else "learn.code.no_printer"
        if render:
            self.render_page(keep=True)
            if self.print_button is not None:
                self.print_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def resume(self) -> None:
        field = self.code_field
        if field is None:
            return
        try:
            opened = self.learning.resume(field.text())
        except LearnerError as error:
            self._say(REASONS.get(error.reason, "tutorial.code.not_found"), focus_field=True)
            return
        except (LearningUnavailableError, OSError, sqlite3.Error):
            self._say("learn.unavailable")
            return
        self._typed, self.message_key = "", None
        if opened is not None:
            self.context.navigate(TUTORIAL_STEP)
            return
        self.chosen = None
        self._say("learn.resume.all_done")

    def _say(self, key: str, *, focus_field: bool = False) -> None:
        self.message_key = key
        self.render_page(keep=True)
        if self.message is not None:
            self.context.announce(self.message, self.message.text.text(), assertive=True)
            self.scroll_area.ensureWidgetVisible(self.message)
        target = self.code_field if focus_field else next(iter(self.entries.values()), None)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
