"""Find a submission by its reference: the service, when it was sent and where it is now, and a receipt again.

The reference is read tolerantly (lower case, spaces, O for 0: `kiosk.codes.parse_code`). A text that is not a
reference gets an error summary saying what one looks like; a reference that was never sent from this kiosk gets a
polite message. The desk looks the reference up on a worker thread. Only what `SubmissionStatus` holds is shown:
never an answer, a consent or anything personal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.codes import CodeError, CodeKind, parse_code
from kiosk.receipts import build_receipt, format_date_time, label_separator
from ui.forms.background_call import BackgroundCall
from ui.forms.base import FormLineEdit, set_flag
from ui.forms.text_inputs import BOX_STYLES, BoxStyle, leading, style_box
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage, definition_text, plain_label
from ui.screens.form_parts import ErrorSummary

if TYPE_CHECKING:
    from kiosk.catalog.model import Service
    from kiosk.submissions import SubmissionStatus

LEFT_TO_RIGHT_ISOLATE, POP_ISOLATE = "\u2066", "\u2069"
STATES = ("queued", "sending", "delivered", "quarantined")
# States the citizen need not tell apart: a retry, or an endpoint paused for staff, is still "waiting to be sent".
CITIZEN_STATE = {"retry-scheduled": "queued", "auth-paused": "queued"}
REFERENCE_BOX = BoxStyle(22, BOX_STYLES["citizen-card"].hints, True, 100)  # "R-XXXX-XXXX-XXXX-X" and some spaces


class LookupScreen(Screen):
    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        self.back_button = self.add_back_button()
        self.summary_slot = QVBoxLayout()
        self.summary_slot.setContentsMargins(0, 0, 0, 0)
        self.body.addLayout(self.summary_slot)
        self.summary: ErrorSummary | None = None
        self.add_heading("lookup.title")
        self.label = self.add_label("lookup.label", role="title")
        self.hint = self.add_label("lookup.hint", role="muted")
        self.error = plain_label("error")
        self.error.hide()
        self.body.addWidget(self.error)
        self.field = FormLineEdit()
        style_box(self.field, REFERENCE_BOX, context_px=context.px(), min_px=context.panel.min_target_px)
        self.label.setBuddy(self.field)
        self.bind(self.field.setAccessibleName, "lookup.label")
        self.bind(self.field.setAccessibleDescription, "lookup.hint")
        self.field.returnPressed.connect(self.find_submission)
        self.body.addWidget(leading(self.field))
        self.find_button = self.add_button("lookup.find", self.find_submission, kind="primary")
        self.body.addWidget(self.find_button, 0, Qt.AlignmentFlag.AlignLeading)
        self.message = InlineMessage(context)
        self.message.hide()
        self.body.addWidget(self.message)
        self.result = QFrame()
        result_column = QVBoxLayout(self.result)
        result_column.setContentsMargins(0, 0, 0, 0)
        self.result_service = plain_label("h2")
        self.result_sent = plain_label()
        self.result_state = plain_label()
        for label in (self.result_service, self.result_sent, self.result_state):
            result_column.addWidget(label)
        self.reprint_button = self.add_button("lookup.reprint", self.reprint)
        result_column.addWidget(self.reprint_button, 0, Qt.AlignmentFlag.AlignLeading)
        self.result.hide()
        self.body.addWidget(self.result)
        self.call = BackgroundCall(self)
        self.call.finished.connect(self._found)
        self.status: SubmissionStatus | None = None
        self._message_key: str | None = None
        self._invalid = False
        self.set_page_title(context.t("lookup.title"))

    def first_focus(self) -> QWidget | None:
        return self.field

    # Acting ----------------------------------------------------------------------------------------------------------
    def find_submission(self) -> None:
        if self.call.running:
            return
        self.status = None
        self.result.hide()
        try:
            reference = parse_code(self.field.text(), CodeKind.SUBMISSION)
        except CodeError:
            self._show_invalid(True)
            return
        self._show_invalid(False)
        desk = self.context.desk()
        if desk is None:
            self._say("lookup.unavailable")
            return
        self._say("lookup.searching")
        self.find_button.setEnabled(False)
        self.call.start(lambda: desk.lookup(reference), name="kiosk-lookup")

    def _found(self, outcome: object) -> None:
        self.find_button.setEnabled(True)
        if isinstance(outcome, BaseException):
            self._say("lookup.unavailable")
        elif outcome is None:
            self._say("lookup.not_found")
        else:
            self.status = outcome  # type: ignore[assignment]
            self._say(None)
            self._show_result()
        if self.find_button.isVisible():
            self.find_button.setFocus()

    def reprint(self) -> None:
        status = self.status
        service = self._service()
        if status is None or service is None:
            return
        context = self.context
        receipt = build_receipt(
            service,
            status.reference,
            status.created_at,
            context.language,
            context.t,
            site_name=context.site.name,
            kiosk_id=context.site.kiosk_id,
        )
        self._say("confirmation.printed" if context.print_receipt(receipt) else "confirmation.no_printer")

    # Showing ---------------------------------------------------------------------------------------------------------
    def _say(self, key: str | None) -> None:
        self._message_key = key
        self.message.setVisible(key is not None)
        if key is not None:
            self.message.set_text(self.context.t(key))

    def _show_invalid(self, invalid: bool, *, focus: bool = True) -> None:
        self._invalid = invalid
        text = self.context.t("lookup.invalid")
        set_flag(self.field, "error", invalid)
        self.error.setText(text)
        self.error.setVisible(invalid)
        prefix = self.context.t("form.error_prefix")
        hint = self.context.t("lookup.hint")
        self.field.setAccessibleDescription(f"{prefix} {text} {hint}" if invalid else hint)
        if self.summary is not None:
            self.summary_slot.removeWidget(self.summary)
            self.summary.hide()
            self.summary.deleteLater()
            self.summary = None
        title = self.context.t("lookup.title")
        self.set_page_title(f"{prefix} {title}" if invalid else title)
        if not invalid:
            return
        self.summary = ErrorSummary(self.context, [(text, self._focus_field, self.context.t("lookup.label"))])
        self.summary_slot.addWidget(self.summary)
        self.summary.show()  # now, not by Qt's queued call: it takes focus below
        QWidget.setTabOrder(self.back_button, self.summary.links[0])  # in screen order: the summary comes first
        QWidget.setTabOrder(self.summary.links[0], self.field)
        if focus:
            self.summary.setFocus()

    def _focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _service(self) -> Service | None:
        return self.context.services.service(self.status.service_id) if self.status is not None else None

    def _show_result(self) -> None:
        status = self.status
        if status is None:
            return
        context, t, lang = self.context, self.context.t, self.context.language
        service = self._service()
        separator = label_separator(lang)
        title = definition_text(service.title, lang) if service is not None else status.service_id
        self.result_service.setText(title)
        sent = format_date_time(status.created_at, lang)
        if context.rtl:
            sent = f"{LEFT_TO_RIGHT_ISOLATE}{sent}{POP_ISOLATE}"
        self.result_sent.setText(t("lookup.sent_at") + separator + sent)
        self.result_state.setText(t("lookup.state") + separator + self._state_text(status, service))
        self.reprint_button.setVisible(service is not None)
        self.result.show()

    def _state_text(self, status: SubmissionStatus, service: Service | None) -> str:
        t = self.context.t
        state = CITIZEN_STATE.get(status.state, status.state)
        if state not in STATES:
            return t("lookup.state.unknown")
        if state != "delivered":
            return t(f"lookup.state.{state}")
        catalog = self.context.services.catalog
        target = catalog.targets.get(service.target) if catalog is not None and service is not None else None
        name = definition_text(target.name, self.context.language) if target is not None else ""
        return t("lookup.state.delivered", target=name) if name else t("lookup.state.sent")

    def on_retranslate(self) -> None:
        if self._invalid:
            self._show_invalid(True, focus=False)
        else:
            self.set_page_title(self.context.t("lookup.title"))
        self._say(self._message_key)
        if self.status is not None:
            self._show_result()

    def on_restyle(self) -> None:
        style_box(self.field, REFERENCE_BOX, context_px=self.context.px(), min_px=self.context.panel.min_target_px)
        self.message.restyle()
        if self._invalid:
            self._show_invalid(True, focus=False)
