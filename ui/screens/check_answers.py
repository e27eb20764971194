"""Check your answers before sending (GOV.UK): every answer with a Change button, grouped by repeat item, the tell-us-
once choice, and one button that names the action: "Send your application".

Sending first asks the flow for a required answer that is still missing (`Flow.go_to_missing`): if there is one, its
question page opens with the error. Otherwise the submission desk seals and stores the answers on a worker thread
(`BackgroundCall`): the page shows "Sending…" with its controls disabled, and the outcome comes back on the GUI thread.
Sent: the flow is marked submitted, the journey keeps the submission and the confirmation opens with the history
cleared, so Back never leads into the form again; a form resumed from a saved draft also deletes that draft, in the
same worker call after COMMIT. Refused (no key, no database, a full disk): a polite message asks for a member of
staff, and every answer stays as it was. "Save and come back later" has its own row, away from the send button.

Answers are shown as plain text whatever they contain; a private answer is shown as "Hidden", never its value.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.forms.flow import CheckRow, Flow, Stage, Step
from kiosk.logs import safe_exception_summary
from ui.forms.answer_text import ZERO_WIDTH_SPACE, answer_text, breakable
from ui.forms.background_call import BackgroundCall
from ui.forms.painted import CheckOption
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage, definition_text, plain_label
from ui.screens.form_parts import FormPage, replace_page
from ui.widgets import KioskButton

if TYPE_CHECKING:
    from kiosk.catalog.model import Text
    from kiosk.desk import SubmissionDesk
    from kiosk.submissions import Submission

log = logging.getLogger(__name__)


def forget_draft(desk: SubmissionDesk, code: str) -> None:
    """Delete the draft a sent form was resumed from; a failure is logged for staff (expiry deletes it anyway)."""
    try:
        desk.forget_draft(code)
    except Exception as exc:  # noqa: BLE001 - the form was sent: the citizen must see the confirmation regardless
        log.warning("a sent form's draft was not deleted: %s", safe_exception_summary(exc))


class SummaryRow(QFrame):
    """One answer: the question, the answer (plain text, several lines allowed) and, unless calculated, Change."""

    def __init__(self, context: ScreenContext, question: str, answer: str, change: KioskButton | None) -> None:
        super().__init__()
        self.setProperty("role", "summary-row")
        body = context.px()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, body // 2, 0, body // 2)
        column.setSpacing(body // 4)
        self.question = plain_label("title")
        self.question.setText(question)
        column.addWidget(self.question)
        line = QHBoxLayout()
        line.setSpacing(body)
        self.answer = plain_label("body")
        self.answer.setText(breakable(answer))  # plain text, whatever it holds; a very long word still wraps
        line.addWidget(self.answer, 1)
        self.change = change
        if change is not None:
            line.addWidget(change, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(line)


class CheckAnswersScreen(Screen):
    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        self.page: FormPage | None = None
        self.rows: list[SummaryRow] = []
        self.back_button: KioskButton | None = None
        self.send_button: KioskButton | None = None
        self.save_button: KioskButton | None = None
        self.remember: CheckOption | None = None
        self.refused: InlineMessage | None = None
        self.call = BackgroundCall(self)
        self.call.finished.connect(self._sent)
        self._refused_shown = False

    @property
    def flow(self) -> Flow | None:
        return self.context.journey.flow

    def can_show(self) -> bool:
        flow = self.flow
        return flow is not None and flow.stage is Stage.CHECK

    @property
    def sending(self) -> bool:
        return self.call.running or (self.send_button is not None and not self.send_button.isEnabled())

    def on_shown(self) -> None:
        self._refused_shown = False
        self.render_page()

    def on_retranslate(self) -> None:
        if self.can_show() and not self.sending:
            self.render_page()

    def on_restyle(self) -> None:
        self.on_retranslate()

    def first_focus(self) -> QWidget | None:
        return self.back_button

    def _text(self, text: Text) -> str:
        return definition_text(text, self.context.language)

    # Rendering -------------------------------------------------------------------------------------------------------
    def render_page(self) -> None:
        flow = self.flow
        if flow is None:
            return
        context, t = self.context, self.context.t
        remembered = self.remember.isChecked() if self.remember is not None else False
        page = FormPage(context)
        self.back_button = page.back_row(self.go_back)
        page.label(t("check.title"), "h1")
        self.set_page_title(t("check.title"))
        self.rows = []
        group: tuple[str, int] | None = None
        for row in flow.check_rows():
            step = row.step
            if step.repeat is not None and step.item is not None and (step.repeat.id, step.item) != group:
                if group is None or group[0] != step.repeat.id:
                    page.label(self._text(step.repeat.label), "h2")
                group = (step.repeat.id, step.item)
                page.label(flow.item_label(step, context.language) or "", "title")
            elif step.repeat is None:
                group = None
            self.rows.append(self._row(page, row))
        if flow.profile_values():
            self.remember = CheckOption()
            self.remember.set_texts(t("check.remember"), t("check.remember_hint"))
            self.remember.apply_metrics(context)
            self.remember.setChecked(remembered)
            page.column.addWidget(self.remember)
        else:
            self.remember = None
        page.label(t("check.declaration_title"), "h2")
        page.label(t("check.declaration"))
        self.refused = InlineMessage(context, icon="warning")
        self.refused.set_text(t("check.refused"))
        page.column.addWidget(self.refused)  # parented before it is shown: a parentless shown widget is a window
        self.refused.setVisible(self._refused_shown)
        self.send_button = page.button(t("check.send"), self.send, kind="primary")
        page.row(self.send_button)
        # A separate row: never beside the button that sends.
        self.save_button = page.button(t("draft.save_later"), self.save_for_later)
        page.row(self.save_button)
        page.finish()
        replace_page(self.body, self.page, page)
        self.page = page

    def _row(self, page: FormPage, row: CheckRow) -> SummaryRow:
        context = self.context
        question = row.step.question
        assert question is not None
        label = self._text(question.label)
        shown = answer_text(question, row.value, lang=context.language, t=context.t, definition=self._text)
        change = None
        if row.changeable:
            change = page.button(context.t("check.change"), self._changer(row.step))
            # "Change" alone is ambiguous when read out of context: the name says which answer (WCAG 2.4.4).
            change.setAccessibleName(context.t("check.change_name", question=label))
        summary = SummaryRow(context, label, shown, change)
        page.column.addWidget(summary)
        return summary

    def row_texts(self) -> list[tuple[str, str]]:
        """(question, answer) as shown, without the invisible break opportunities."""
        return [(row.question.text(), row.answer.text().replace(ZERO_WIDTH_SPACE, "")) for row in self.rows]

    # Acting ----------------------------------------------------------------------------------------------------------
    def _changer(self, step: Step) -> Callable[[], None]:
        return lambda: self.change(step)

    def change(self, step: Step) -> None:
        flow = self.flow
        if flow is None or self.sending or not self.can_show():
            return
        flow.change(step)
        self.context.navigate("question")

    def go_back(self) -> None:
        flow = self.flow
        if self.sending:
            return
        if flow is None or not self.can_show() or not flow.back():
            self.context.back()
            return
        self.context.navigate("question")

    def save_for_later(self) -> None:
        if self.can_show() and not self.sending:
            self.context.navigate("save-draft")

    def send(self) -> None:
        flow = self.flow
        if flow is None or self.sending or not self.can_show():
            return
        missing = flow.go_to_missing()
        if missing:
            self.context.journey.page_errors = missing
            self.context.navigate("question")
            return
        desk = self.context.desk()
        if desk is None:
            self._refuse()
            return
        service, journey = flow.service, self.context.journey
        answers, consents = flow.final_answers(), flow.consents()  # read here: the worker never touches the flow
        language, assisted, draft_code = self.context.language, journey.assisted, journey.draft_code

        def work() -> Submission:
            submission = desk.submit(service, answers=answers, consents=consents, language=language, assisted=assisted)
            if draft_code is not None:
                forget_draft(desk, draft_code)  # after COMMIT: the sent form's draft has done its job
            return submission

        self._busy(True)
        self.call.start(work, name="kiosk-submit")

    def _busy(self, busy: bool) -> None:
        if self.page is not None:
            for widget in self.page.findChildren(QWidget):
                if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget is not self.send_button:
                    widget.setEnabled(not busy)
        if self.send_button is not None:
            self.send_button.set_label(self.context.t("check.sending" if busy else "check.send"))
            self.send_button.setEnabled(not busy)

    def _sent(self, outcome: object) -> None:
        self._busy(False)
        flow = self.flow
        if isinstance(outcome, BaseException) or flow is None or flow.stage is not Stage.CHECK:
            self._refuse()
            return
        flow.mark_submitted()
        journey = self.context.journey
        journey.last_submission = outcome  # type: ignore[assignment]
        if self.remember is not None and self.remember.isChecked():
            journey.remember_profile(flow.profile_values())
        self.context.navigate("confirmation", clear_history=True)

    def _refuse(self) -> None:
        """Nothing was stored: say so politely, keep every answer, and leave the citizen where they are."""
        self._refused_shown = True
        if self.refused is not None:
            self.refused.setVisible(True)
            self.scroll_area.ensureWidgetVisible(self.refused)
        if self.send_button is not None:
            self.send_button.setFocus()
