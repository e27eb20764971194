"""The confirmation (GOV.UK): a green panel "Application sent" with the reference in large type, what happens next,
whom to contact, a printed receipt, and Finish.

It shows the journey's `last_submission` and nothing else: no answers. The reference is shown in its groups
("R-3WX5-RZMV-5N7P-6", kept left to right inside Arabic) and read out group by group. "Print a receipt" spools the
receipt's PDF (wiped when the session ends) and prints it without a dialog; without a printer the citizen is told to
note the reference. Finish ends the session: everything personal is wiped and the kiosk returns home. The shell opens
this screen with its history cleared, so Back and Escape lead home, never into the sent form.

When a tutorial is linked to the service just sent, or to its life event (`tutorials.links`), the page offers "Learn to
do this yourself next time" under the reference and the receipt (never before the citizen has seen their reference):
it gives this session's learner a learner code (a new one, printed as learn-home does) and opens the tutorial's first
step (`tutorial-step`); Back from the lesson returns here. In an assisted session the mediator's slip
(`ui.forms.slip`) names that lesson and carries the same learner code. The `Learning` is the learning screens' own
(`ui.screens.registry.register_learning` registers this screen with it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
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
    from tutorials.model import Tutorial
    from ui.tutorials.learning import Learning

LEFT_TO_RIGHT_ISOLATE, FIRST_STRONG_ISOLATE, POP_ISOLATE = "\u2066", "\u2068", "\u2069"


def reference_text(reference: str, rtl: bool) -> str:
    """The reference in its spoken groups; isolated left to right inside a right-to-left page."""
    text = "-".join(for_speech(reference))
    return f"{LEFT_TO_RIGHT_ISOLATE}{text}{POP_ISOLATE}" if rtl else text


class ConfirmationScreen(Screen):
    """`learning`: the learning screens' `Learning` (built at first use); None on a kiosk without lessons."""

    def __init__(self, context: ScreenContext, learning: Callable[[], Learning] | None = None) -> None:
        super().__init__(context)
        self._learning = learning
        self.learn_button: KioskButton | None = None  # "Learn to do this yourself next time" (a linked tutorial)
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

    def learning(self) -> Learning | None:
        if self._learning is None:
            return None
        learning = self._learning()
        learning.follow(self.context.session)  # the learner is forgotten when this session ends
        return learning

    def linked_tutorial(self) -> Tutorial | None:
        """The tutorial that teaches the service just sent (or its life event), if this kiosk has one."""
        from tutorials.links import first_tutorial_for
        from ui.forms.slip import life_event_of

        learning, service = self.learning(), self.service()
        if learning is None or service is None:
            return None
        try:
            tutorials = learning.tutorials()
        except (OSError, ValueError):  # the lessons cannot be read: the page simply makes no offer
            return None
        event = life_event_of(self.context, service)
        return first_tutorial_for(service.id, event.id if event is not None else None, tutorials)

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
        self._learn_part(page)
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

    def _learn_part(self, page: FormPage) -> None:
        """The offer of the linked lesson, after the reference and the receipt: what it is, then the button."""
        t = self.context.t
        self.learn_button = None
        tutorial = self.linked_tutorial()
        if tutorial is None:
            return
        title, minutes = self._text(tutorial.title), tutorial.estimated_minutes
        shown = f"{FIRST_STRONG_ISOLATE}{title}{POP_ISOLATE}" if self.context.rtl else title  # may fall back to Latin
        page.label(t("confirmation.learn_about", title=shown, minutes=minutes))
        self.learn_button = page.button(t("confirmation.learn"), self.learn_next_time)
        self.learn_button.setAccessibleDescription(t("confirmation.learn_about", title=title, minutes=minutes))
        page.row(self.learn_button)

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
        """The "learn to do this yourself next time" slip: the service, how to start it and the linked lesson with a
        learner code for this citizen (its run is opened, so the code continues that lesson); nothing personal."""
        service = self.service()
        if service is None:
            return
        from ui.forms.slip import print_learning_slip  # loaded only in assisted sessions

        tutorial, code = self.linked_tutorial(), None
        learning = self.learning()
        if tutorial is not None and learning is not None:
            code = self._open_lesson(learning, tutorial)
        printed = print_learning_slip(self.context, service, tutorial=tutorial, code=code)
        self._show_status("assist.slip.printed" if printed else "confirmation.no_printer")

    def learn_next_time(self) -> None:
        """Open the linked lesson's first step for this session's learner (their new code printed, as learn-home does);
        the reference stays one Back away."""
        tutorial, learning = self.linked_tutorial(), self.learning()
        if tutorial is None or learning is None:
            return
        had_code = learning.code is not None
        code = self._open_lesson(learning, tutorial)
        if code is None:
            self._show_status("learn.unavailable")
            return
        if not had_code:  # a new code: its slip, so the lesson can be continued another day
            from ui.tutorials.slips import print_learner_slip

            print_learner_slip(self.context, code)
        self.context.navigate("tutorial-step")

    @staticmethod
    def _open_lesson(learning: Learning, tutorial: Tutorial) -> str | None:
        """Start (or continue) the lesson for the session's learner, made now if there is none; their code, or None
        when learners cannot be made on this kiosk now."""
        from tutorials.progress import LearnerError
        from ui.tutorials.learning import LearningUnavailableError

        try:
            learning.start(tutorial.id)
        except (LearningUnavailableError, LearnerError, OSError, sqlite3.Error):
            return None
        return learning.code

    def _show_status(self, key: str) -> None:
        context = self.context
        self._status_key = key
        if self.print_status is not None:
            self.print_status.set_text(context.t(self._status_key))
            self.print_status.setVisible(True)
            context.announce(self.print_status, context.t(self._status_key))

    def finish(self) -> None:
        self.context.session.end("finished")  # wipes the journey, the screens, the clipboard and the spool
