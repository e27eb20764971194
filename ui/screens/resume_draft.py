"""Continue a saved form: the code from the slip and the date of birth open a draft saved on this kiosk.

The code is read tolerantly (lower case, spaces, O for 0: `kiosk.codes.parse_code`) and the date like the save page
reads it; what cannot be a code or a date gets an error summary that takes focus. The desk opens the draft on a worker
thread. Opened: the form is replayed from the saved answers (`kiosk.forms.answers_file.resume`), becomes the journey's
form (`Journey.resume_flow`) and opens on the first page not yet answered, or on the check page, with the history
cleared: Back from there leads to the service's start page or home, never to this form with its date of birth.

An unknown code and a wrong date read the SAME ("we could not find saved answers with this code and date of birth"),
so the kiosk never tells someone probing it which one was wrong; a locked code (too many wrong dates) or a kiosk that
saw too many failed attempts asks for a member of staff. Nothing typed here is logged or kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.codes import CodeError, CodeKind, parse_code
from kiosk.forms.answers import FieldError
from ui.forms.background_call import BackgroundCall
from ui.forms.base import FormLineEdit, plain_label, set_flag
from ui.forms.parts_inputs import DateAnswer
from ui.forms.text_inputs import BOX_STYLES, BoxStyle, leading, style_box
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage
from ui.screens.draft_parts import date_error_text, date_of_birth_boxes, read_date_of_birth
from ui.screens.form_parts import ErrorSummary, FormPage, replace_page

if TYPE_CHECKING:
    import datetime

    from kiosk.drafts import ResumedDraft
    from ui.widgets import KioskButton

CODE_BOX = BoxStyle(20, BOX_STYLES["citizen-card"].hints, True, 100)  # "D-XXXX-XXXX-XX-X" and some spaces
# DraftError reasons -> the message; "unknown" and "wrong-check" alike on purpose (see the module docstring).
REASON_MESSAGES = {
    "unknown": "draft.resume.not_found",
    "wrong-check": "draft.resume.not_found",
    "locked": "draft.resume.locked",
    "too-many-attempts": "draft.resume.locked",
    "malformed": "draft.resume.invalid",
}
CODE_PART = "code"  # the error summary's link target for the code box


class ResumeDraftScreen(Screen):
    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        self.page: FormPage | None = None
        self.back_button: KioskButton | None = None
        self.summary: ErrorSummary | None = None
        self.code_field: FormLineEdit | None = None
        self.code_error: QLabel | None = None
        self.date: DateAnswer | None = None
        self.continue_button: KioskButton | None = None
        self.message: InlineMessage | None = None
        self.code_invalid = False
        self.date_error: FieldError | None = None
        self.message_key: str | None = None
        self.call = BackgroundCall(self)
        self.call.finished.connect(self._opened)
        self._typed_code = ""  # only to rebuild the page (language, text size): gone with the page or the session

    @property
    def busy(self) -> bool:
        return self.call.running or (self.continue_button is not None and not self.continue_button.isEnabled())

    def on_shown(self) -> None:
        self.code_invalid, self.date_error, self.message_key, self._typed_code = False, None, None, ""
        self.render_page()

    def on_retranslate(self) -> None:
        if not self.busy:
            self.render_page(keep=True)

    def on_restyle(self) -> None:
        self.on_retranslate()

    def first_focus(self) -> QWidget | None:
        return self.summary if self.summary is not None else self.code_field

    # Rendering -------------------------------------------------------------------------------------------------------
    def render_page(self, *, keep: bool = False) -> None:
        context, t = self.context, self.context.t
        typed_date = self.date.raw() if keep and self.date is not None else None
        if keep and self.code_field is not None:
            self._typed_code = self.code_field.text()
        page = FormPage(context)
        self.back_button = page.back_row(self.go_back)
        invalid = t("draft.resume.invalid")
        date_message = date_error_text(context, self.date_error) if self.date_error is not None else ""
        entries: list[tuple[str, Callable[[], None], str]] = []  # message, its field, the field's label
        if self.code_invalid:
            entries.append((invalid, self._focus_code, t("draft.resume.code")))
        if self.date_error is not None:
            entries.append((date_message, self._focus_date, t("draft.resume.dob")))
        self.summary = ErrorSummary(context, entries) if entries else None
        if self.summary is not None:
            page.column.addWidget(self.summary)
        title = t("draft.resume.title")
        page.label(title, "h1")
        page.label(t("draft.resume.lead"))
        self._code_part(page)
        date_label = page.label(t("draft.resume.dob"), "h2")
        self.date = date_of_birth_boxes(context, date_label, date_label.text(), "")
        self.date.submitted.connect(self.resume)
        page.column.addWidget(self.date)
        if typed_date is not None:
            self.date.set_raw(typed_date)
        if self.date_error is not None:
            self.date.set_errors([(self.date_error.part, date_message)])
        self.message = InlineMessage(context, icon="warning")
        page.column.addWidget(self.message)
        self.message.setVisible(self.message_key is not None)
        if self.message_key is not None:
            self.message.set_text(t(self.message_key))
        self.continue_button = page.button(t("form.continue"), self.resume, kind="primary")
        page.row(self.continue_button)
        page.finish()
        replace_page(self.body, self.page, page)
        self.page = page
        self.set_page_title((t("form.error_prefix") + " " if entries else "") + title)

    def _code_part(self, page: FormPage) -> None:
        """The code's label, hint, inline error and box (a one-box answer, like the lookup page's)."""
        context, t = self.context, self.context.t
        invalid, prefix = t("draft.resume.invalid"), t("form.error_prefix")
        code_label = page.label(t("draft.resume.code"), "h2")
        hint = t("draft.resume.code_hint")
        page.label(hint, "muted")
        self.code_error = plain_label("error")
        self.code_error.setText(invalid)
        page.column.addWidget(self.code_error)  # parented before it is shown: a parentless shown label is a window
        self.code_error.setVisible(self.code_invalid)
        self.code_field = FormLineEdit()
        style_box(self.code_field, CODE_BOX, context_px=context.px(), min_px=context.panel.min_target_px)
        code_label.setBuddy(self.code_field)
        self.code_field.setAccessibleName(code_label.text())
        self.code_field.setAccessibleDescription(f"{prefix} {invalid} {hint}" if self.code_invalid else hint)
        set_flag(self.code_field, "error", self.code_invalid)
        self.code_field.setText(self._typed_code)
        self.code_field.returnPressed.connect(self.resume)
        page.column.addWidget(leading(self.code_field))

    @property
    def message_shown(self) -> str:
        """The polite message on the page ("" when none), for tests."""
        return self.message.text.text() if self.message is not None and self.message_key is not None else ""

    # Acting ----------------------------------------------------------------------------------------------------------
    def resume(self) -> None:
        if self.busy or self.code_field is None or self.date is None:
            return
        try:
            code: str | None = parse_code(self.code_field.text(), CodeKind.DRAFT)
        except CodeError:
            code = None
        outcome = read_date_of_birth(self.date, self.context.today())
        self.code_invalid = code is None
        self.date_error = outcome if isinstance(outcome, FieldError) else None
        self.message_key = None
        if code is None or isinstance(outcome, FieldError):
            self.render_page(keep=True)
            if self.summary is not None:
                self.scroll_area.verticalScrollBar().setValue(0)
                self.summary.setFocus()
            return
        desk = self.context.desk()
        if desk is None:
            self._say("draft.resume.unavailable", keep=True)
            return
        self.render_page(keep=True)  # the error marks go; what was typed stays
        self._busy(True)
        date_of_birth: datetime.date = outcome
        self.call.start(lambda: (code, desk.resume_draft(code, date_of_birth=date_of_birth)), name="kiosk-resume")

    def _busy(self, busy: bool) -> None:
        if self.page is not None:
            for widget in self.page.findChildren(QWidget):
                if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget is not self.continue_button:
                    widget.setEnabled(not busy)
        if self.continue_button is not None:
            self.continue_button.set_label(self.context.t("draft.resume.opening" if busy else "form.continue"))
            self.continue_button.setEnabled(not busy)

    def _opened(self, outcome: object) -> None:
        self._busy(False)
        if isinstance(outcome, BaseException):
            reason = getattr(outcome, "reason", None)
            from kiosk.drafts import DraftError  # loaded by the worker already

            key = REASON_MESSAGES.get(str(reason)) if isinstance(outcome, DraftError) else None
            self._say(key or "draft.resume.unavailable", keep=True)
            return
        code, resumed = outcome if isinstance(outcome, tuple) else (None, None)
        if isinstance(code, str) and resumed is not None:
            self._continue(code, resumed)

    def _continue(self, code: str, resumed: ResumedDraft) -> None:
        from kiosk.forms.answers_file import resume
        from kiosk.forms.flow import Stage

        context = self.context
        service = context.services.service(resumed.service_id)
        if service is None:
            self._say("draft.resume.no_service", keep=True)
            return
        flow = resume(service, resumed.answers, today=context.today())
        context.journey.resume_flow(service, flow, code)
        self._typed_code = ""
        self.render_page()  # nothing typed stays on this page once the form is open
        context.navigate("check-answers" if flow.stage is Stage.CHECK else "question", clear_history=True)

    def _say(self, key: str, *, keep: bool) -> None:
        self.message_key = key
        self.render_page(keep=keep)
        if self.message is not None:
            self.scroll_area.ensureWidgetVisible(self.message)
        if self.continue_button is not None:
            self.continue_button.setFocus()

    def _focus_code(self) -> None:
        if self.code_field is not None:
            self.code_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _focus_date(self) -> None:
        if self.date is not None:
            self.date.focus_part(self.date_error.part if self.date_error is not None else None)
