"""Save and come back later: the form's answers saved on this kiosk as a draft, found again with a printed code and
the citizen's date of birth (kiosk.drafts; docs/storage.md).

First the page says plainly what happens (the answers stay on THIS kiosk for N days; to continue you need the code and
your date of birth, or a member of staff can help) and asks for the date of birth in three boxes. "Save and print my
code" checks the date (errors through an error summary that takes focus, as on a question page), then the desk seals
the draft on a worker thread. Saved: the code in large type in its groups, the last day it can be used, a printed slip
(`kiosk.receipts.build_draft_slip`) and Finish, which ends the session. Refused (no key, no database, a full disk): a
polite message asks for a member of staff and the answers stay in the form. The date of birth is never kept here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from accessibility.speech import grouped_for_listening
from kiosk.codes import for_speech
from kiosk.forms.answers import FieldError
from kiosk.forms.flow import Flow, Stage
from kiosk.receipts import build_draft_slip, format_date
from ui.forms.background_call import BackgroundCall
from ui.forms.parts_inputs import DateAnswer
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage, plain_label
from ui.screens.draft_parts import (
    code_for_speech,
    code_text,
    date_error_text,
    date_of_birth_boxes,
    ltr,
    read_date_of_birth,
    without_isolates,
)
from ui.screens.form_parts import ErrorSummary, FormPage, replace_page

if TYPE_CHECKING:
    from kiosk.catalog.model import Service
    from kiosk.drafts import SavedDraft
    from ui.widgets import KioskButton


class SaveDraftScreen(Screen):
    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        self.page: FormPage | None = None
        self.back_button: KioskButton | None = None
        self.summary: ErrorSummary | None = None
        self.date: DateAnswer | None = None
        self.save_button: KioskButton | None = None
        self.refused: InlineMessage | None = None
        self.panel: QFrame | None = None
        self.code_label: QLabel | None = None
        self.print_status: InlineMessage | None = None
        self.finish_button: KioskButton | None = None
        self.saved: SavedDraft | None = None
        self.saved_service: Service | None = None  # the service the code was saved for (what the slip names)
        self.error: FieldError | None = None
        self._refused_shown = False
        self._print_key: str | None = None
        self.call = BackgroundCall(self)
        self.call.finished.connect(self._saved)

    @property
    def flow(self) -> Flow | None:
        return self.context.journey.flow

    def can_show(self) -> bool:
        flow = self.flow
        return self.saved is not None or (flow is not None and flow.stage in (Stage.QUESTION, Stage.CHECK))

    @property
    def saving(self) -> bool:
        return self.call.running or (self.save_button is not None and not self.save_button.isEnabled())

    def on_shown(self) -> None:
        self.saved, self.error, self._refused_shown, self._print_key = None, None, False, None
        self.render_page()

    def on_retranslate(self) -> None:
        if self.can_show() and not self.saving:
            self.render_page(keep=True)

    def on_restyle(self) -> None:
        self.on_retranslate()

    def first_focus(self) -> QWidget | None:
        if self.saved is not None:
            return self.panel
        if self.summary is not None:
            return self.summary
        return self.date.first_field() if self.date is not None else None

    # Rendering -------------------------------------------------------------------------------------------------------
    def render_page(self, *, keep: bool = False) -> None:
        typed = self.date.raw() if keep and self.date is not None else None
        page = FormPage(self.context)
        self.back_button = page.back_row(self.go_back)
        self.summary = self.date = self.save_button = self.refused = None
        self.panel = self.code_label = self.print_status = self.finish_button = None
        if self.saved is not None:
            self._render_saved(page, self.saved)
        else:
            self._render_form(page, typed)
        page.finish()
        replace_page(self.body, self.page, page)
        self.page = page

    def _render_form(self, page: FormPage, typed: object) -> None:
        context, t = self.context, self.context.t
        message = date_error_text(context, self.error) if self.error is not None else ""
        if self.error is not None:
            self.summary = ErrorSummary(context, [(message, self._focus_date, t("draft.save.dob"))])
            page.column.addWidget(self.summary)
        title = t("draft.save.title")
        heading = page.label(title, "h1")
        page.label(t("draft.save.where", days=context.draft_retention_days))
        page.label(t("draft.save.how"))
        label = page.label(t("draft.save.dob"), "h2")
        hint = t("draft.save.dob_hint")
        page.label(hint, "muted")
        self.date = date_of_birth_boxes(context, label, label.text(), hint)
        self.date.submitted.connect(self.save)
        page.column.addWidget(self.date)
        if typed is not None:
            self.date.set_raw(typed)  # type: ignore[arg-type]
        if self.error is not None:
            self.date.set_errors([(self.error.part, message)])
        self.refused = InlineMessage(context, icon="warning")
        self.refused.set_text(t("draft.save.refused"))
        page.column.addWidget(self.refused)  # parented before it is shown: a parentless shown widget is a window
        self.refused.setVisible(self._refused_shown)
        self.save_button = page.button(t("draft.save.button"), self.save, kind="primary")
        page.row(self.save_button)
        heading.setAccessibleName(title)
        self.set_page_title((t("form.error_prefix") + " " if self.error is not None else "") + title)

    def _render_saved(self, page: FormPage, saved: SavedDraft) -> None:
        context, t = self.context, self.context.t
        self.panel = self._panel(saved.code)
        page.column.addWidget(self.panel)
        page.label(t("draft.saved.keep", date=self._until(saved)))
        self.print_status = InlineMessage(context, icon="receipt")
        page.column.addWidget(self.print_status)
        self.print_status.setVisible(self._print_key is not None)
        if self._print_key is not None:
            self.print_status.set_text(t(self._print_key))
        page.row(page.button(t("draft.saved.print_again"), self.print_slip))
        self.finish_button = page.button(t("confirmation.finish"), self.finish, kind="primary")
        page.row(self.finish_button)
        page.label(t("draft.saved.finish_hint"), "muted")
        self.set_page_title(t("draft.saved.title"))

    def _panel(self, code: str) -> QFrame:
        t, body = self.context.t, self.context.px()
        panel = QFrame()
        panel.setProperty("role", "panel")
        panel.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # focused when the code appears, never a Tab stop
        column = QVBoxLayout(panel)
        column.setContentsMargins(body * 3 // 2, body, body * 3 // 2, body)
        column.setSpacing(body // 2)
        for text, role in ((t("draft.saved.title"), "h1"), (t("draft.saved.code"), "title")):
            label = plain_label(role)
            label.setText(text)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(label)
        self.code_label = plain_label("reference")
        self.code_label.setText(code_text(code, self.context.rtl))
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        spoken = code_for_speech(code)
        self.code_label.setAccessibleName(spoken)
        self.code_label.setProperty("speechText", grouped_for_listening(for_speech(code)))  # symbol by symbol
        column.addWidget(self.code_label)
        panel.setAccessibleName(f"{t('draft.saved.title')}. {t('draft.saved.code')}: {spoken}")
        return panel

    def _until(self, saved: SavedDraft) -> str:
        return ltr(format_date(saved.expires_at, self.context.language), self.context.rtl)

    @property
    def code_shown(self) -> str:
        """The code as drawn (without its layout marks), for tests and speech."""
        return without_isolates(self.code_label.text()) if self.code_label is not None else ""

    # Acting ----------------------------------------------------------------------------------------------------------
    def go_back(self) -> None:
        if not self.saving:
            self.context.back()

    def save(self) -> None:
        flow = self.flow
        if flow is None or self.date is None or self.saving or self.saved is not None:
            return
        outcome = read_date_of_birth(self.date, self.context.today())
        if isinstance(outcome, FieldError):
            self.error, self._refused_shown = outcome, False
            self.render_page(keep=True)
            if self.summary is not None:
                self.scroll_area.verticalScrollBar().setValue(0)
                self.summary.setFocus()
            return
        self.error = None
        desk = self.context.desk()
        if desk is None:
            self._refuse()
            return
        # Read here: the worker never touches the flow.
        service, answers, language = flow.service, flow.draft_answers(), self.context.language
        days = self.context.draft_retention_days
        self.saved_service = service
        self._busy(True)
        self.call.start(
            lambda: desk.save_draft(
                service, answers=answers, language=language, date_of_birth=outcome, retention_days=days
            ),
            name="kiosk-save-draft",
        )

    def _busy(self, busy: bool) -> None:
        if self.page is not None:
            for widget in self.page.findChildren(QWidget):
                if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget is not self.save_button:
                    widget.setEnabled(not busy)
        if self.save_button is not None:
            self.save_button.set_label(self.context.t("draft.save.saving" if busy else "draft.save.button"))
            self.save_button.setEnabled(not busy)

    def _saved(self, outcome: object) -> None:
        self._busy(False)
        if isinstance(outcome, BaseException) or outcome is None:
            self.render_page(keep=True)  # the error summary, if any, is gone: the date was fine
            self._refuse()
            return
        self.show_saved(outcome)  # type: ignore[arg-type]
        self.print_slip()

    def show_saved(self, saved: SavedDraft, service: Service | None = None) -> None:
        """Show the code (the answers are saved); the screenshots use it with a sample code."""
        self.saved = saved
        if service is not None:
            self.saved_service = service
        self.render_page()
        self.scroll_area.verticalScrollBar().setValue(0)
        if self.panel is not None:
            self.panel.setFocus()
            self.context.announce(self.panel, self.panel.accessibleName())

    def print_slip(self) -> None:
        saved, service = self.saved, self.saved_service
        if saved is None or service is None:
            return
        context = self.context
        slip = build_draft_slip(
            service,
            saved.code,
            saved.expires_at,
            context.language,
            context.t,
            site_name=context.site.name,
            kiosk_id=context.site.kiosk_id,
        )
        self._print_key = "draft.saved.printed" if context.print_receipt(slip) else "draft.saved.no_printer"
        if self.print_status is not None:
            self.print_status.set_text(context.t(self._print_key))
            self.print_status.setVisible(True)

    def _refuse(self) -> None:
        """Nothing was saved: say so politely, keep every answer and the date as typed."""
        self._refused_shown = True
        if self.refused is not None:
            self.refused.setVisible(True)
            self.scroll_area.ensureWidgetVisible(self.refused)
        if self.save_button is not None:
            self.save_button.setFocus()

    def _focus_date(self) -> None:
        if self.date is not None:
            self.date.focus_part(self.error.part if self.error is not None else None)

    def finish(self) -> None:
        self.context.session.end("finished")  # wipes the journey, the screens, the clipboard and the spool
