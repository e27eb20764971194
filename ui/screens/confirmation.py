"""The confirmation (GOV.UK): a green panel "Application sent" with the reference in large type, what happens next,
whom to contact, a printed receipt, and Finish.

It shows the journey's `last_submission` and nothing else: no answers. The reference is shown in its groups
("R-3WX5-RZMV-5N7P-6", kept left to right inside Arabic) and read out group by group. "Print a receipt" spools the
receipt's PDF (wiped when the session ends) and prints it without a dialog; without a printer the citizen is told to
note the reference. Finish ends the session: everything personal is wiped and the kiosk returns home. The shell opens
this screen with its history cleared, so Back and Escape lead home, never into the sent form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from accessibility.speech import grouped_for_listening
from kiosk.codes import for_speech
from kiosk.i18n import is_rtl
from kiosk.receipts import build_receipt, format_date_time, format_phone, format_web, label_separator
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage, definition_text, plain_label
from ui.screens.form_parts import FormPage, replace_page
from ui.widgets import KioskButton

if TYPE_CHECKING:
    from kiosk.catalog.model import Service, Text
    from kiosk.submissions import Submission

LEFT_TO_RIGHT_ISOLATE, POP_ISOLATE = "\u2066", "\u2069"


def reference_text(reference: str, rtl: bool) -> str:
    """The reference in its spoken groups; isolated left to right inside a right-to-left page."""
    text = "-".join(for_speech(reference))
    return f"{LEFT_TO_RIGHT_ISOLATE}{text}{POP_ISOLATE}" if rtl else text


class ConfirmationScreen(Screen):
    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        self.page: FormPage | None = None
        self.panel: QFrame | None = None
        self.reference_label: QLabel | None = None
        self.print_button: KioskButton | None = None
        self.slip_button: KioskButton | None = None  # assisted sessions: "learn to do it yourself" (ui.forms.slip)
        self.finish_button: KioskButton | None = None
        self.print_status: InlineMessage | None = None
        self._status_key: str | None = None

    @property
    def submission(self) -> Submission | None:
        return self.context.journey.last_submission

    def service(self) -> Service | None:
        submission, flow = self.submission, self.context.journey.flow
        if submission is None:
            return None
        if flow is not None and flow.service.id == submission.service_id:
            return flow.service  # the definition the form was filled in with
        return self.context.services.service(submission.service_id)

    def can_show(self) -> bool:
        return self.submission is not None and self.service() is not None

    def on_shown(self) -> None:
        self._status_key = None
        self.render_page()
        if self.panel is not None:  # "Application sent. Your reference: R, 3WX5, ..." (then the page is read)
            self.context.announce(self.panel, self.panel.accessibleName(), assertive=True)

    def on_retranslate(self) -> None:
        if self.can_show():
            self.render_page()

    def on_restyle(self) -> None:
        self.on_retranslate()

    def first_focus(self) -> QWidget | None:
        return self.panel  # read first: "Application sent", then the reference

    def _text(self, text: Text) -> str:
        return definition_text(text, self.context.language)

    def render_page(self) -> None:
        submission, service = self.submission, self.service()
        if submission is None or service is None:
            return
        context, t, lang = self.context, self.context.t, self.context.language
        rtl = is_rtl(lang)
        page = FormPage(context)
        self.panel = self._panel(submission, rtl)
        page.column.addWidget(self.panel)
        self.set_page_title(t("receipt.title"))
        separator = label_separator(lang)
        sent = format_date_time(submission.created_at, lang)
        page.label(t("receipt.sent_at") + separator + (f"{LEFT_TO_RIGHT_ISOLATE}{sent}{POP_ISOLATE}" if rtl else sent))
        page.label(t("confirmation.keep"))
        page.label(t("receipt.next_steps"), "h2")
        page.label(self._text(service.next_steps))
        page.label(t("receipt.contact"), "h2")
        page.label("\n".join(self._contact_lines(service, separator, rtl)))
        self.print_button = page.button(t("confirmation.print"), self.print_receipt)
        page.row(self.print_button)
        self.slip_button = None
        if context.journey.assisted:  # a mediator helped: they may print the slip for next time
            self.slip_button = page.button(t("assist.slip.print"), self.print_slip)
            page.row(self.slip_button)
        self.print_status = InlineMessage(context, icon="receipt")
        page.column.addWidget(self.print_status)  # parented before it is shown: a parentless shown widget is a window
        self.print_status.setVisible(self._status_key is not None)
        if self._status_key is not None:
            self.print_status.set_text(t(self._status_key))
        self.finish_button = page.button(t("confirmation.finish"), self.finish, kind="primary")
        page.row(self.finish_button)
        page.label(t("confirmation.finish_hint"), "muted")
        page.finish()
        replace_page(self.body, self.page, page)
        self.page = page

    def _panel(self, submission: Submission, rtl: bool) -> QFrame:
        context, t = self.context, self.context.t
        panel = QFrame()
        panel.setProperty("role", "panel")
        panel.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # focused when the page opens, never a Tab stop
        body = context.px()
        column = QVBoxLayout(panel)
        column.setContentsMargins(body * 3 // 2, body, body * 3 // 2, body)
        column.setSpacing(body // 2)
        for text, role in ((t("receipt.title"), "h1"), (t("receipt.reference"), "title")):
            label = plain_label(role)
            label.setText(text)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(label)
        reference = plain_label("reference")
        reference.setText(reference_text(submission.reference, rtl))
        reference.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        # Read out group by group, with a pause between groups (what a person reading it to a friend would do).
        spoken = ", ".join(for_speech(submission.reference))
        reference.setAccessibleName(spoken)
        reference.setProperty("speechText", grouped_for_listening(for_speech(submission.reference)))  # symbol by symbol
        column.addWidget(reference)
        self.reference_label = reference
        panel.setAccessibleName(f"{t('receipt.title')}. {t('receipt.reference')}: {spoken}")
        return panel

    def _contact_lines(self, service: Service, separator: str, rtl: bool) -> list[str]:
        t, contact = self.context.t, service.contact

        def ltr(text: str) -> str:
            return f"{LEFT_TO_RIGHT_ISOLATE}{text}{POP_ISOLATE}" if rtl else text

        lines = [self._text(contact.name)]
        if contact.phone:
            lines.append(t("receipt.phone") + separator + ltr(format_phone(contact.phone)))
        if contact.email:
            lines.append(t("receipt.email") + separator + ltr(contact.email))
        if contact.web:
            lines.append(t("receipt.web") + separator + ltr(format_web(contact.web)))
        if contact.hours is not None:
            lines.append(t("receipt.hours") + separator + self._text(contact.hours))
        return lines

    @property
    def reference_shown(self) -> str:
        """The reference as drawn (without its layout marks), for tests and speech."""
        text = self.reference_label.text() if self.reference_label is not None else ""
        return text.replace(LEFT_TO_RIGHT_ISOLATE, "").replace(POP_ISOLATE, "")

    # Acting ----------------------------------------------------------------------------------------------------------
    def print_receipt(self) -> None:
        submission, service = self.submission, self.service()
        if submission is None or service is None:
            return
        context = self.context
        receipt = build_receipt(
            service,
            submission.reference,
            submission.created_at,
            context.language,
            context.t,
            site_name=context.site.name,
            kiosk_id=context.site.kiosk_id,
        )
        printed = context.print_receipt(receipt)
        self._show_status("confirmation.printed" if printed else "confirmation.no_printer")

    def print_slip(self) -> None:
        """The "learn to do this yourself next time" slip: the service and how to start it, nothing personal."""
        service = self.service()
        if service is None:
            return
        from ui.forms.slip import print_learning_slip  # loaded only in assisted sessions

        printed = print_learning_slip(self.context, service)
        self._show_status("assist.slip.printed" if printed else "confirmation.no_printer")

    def _show_status(self, key: str) -> None:
        context = self.context
        self._status_key = key
        if self.print_status is not None:
            self.print_status.set_text(context.t(self._status_key))
            self.print_status.setVisible(True)
            context.announce(self.print_status, context.t(self._status_key))

    def finish(self) -> None:
        self.context.session.end("finished")  # wipes the journey, the screens, the clipboard and the spool
