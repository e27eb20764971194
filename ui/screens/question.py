"""One question per page (GOV.UK): Back, "Question 3 of 8", the repeat item ("Child 2"), the question as the heading,
its hint, the answer, Continue.

The screen renders whatever page the journey's flow is on (`Flow.current`) and never decides anything itself: Continue
hands the raw answer to `Flow.submit_page`, which either moves on or returns errors. Errors re-render the same page
with an error summary at the top that takes focus, "Error: " first in the window title, a message beside the field,
and every value exactly as typed. Back steps back through the flow's pages, and from the first one to the service's
start page. A flow that is not on a question page (sent, or none at all) is never shown: the citizen goes home.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from kiosk.forms.answers import FieldError, Raw
from kiosk.forms.flow import ADD_ANOTHER, Flow, Stage, Step
from ui.forms.answer_text import raw_for_answer
from ui.forms.base import AnswerSpec, AnswerWidget
from ui.forms.messages import error_text
from ui.forms.registry import answer_widget
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage, definition_text
from ui.screens.form_parts import ErrorSummary, FormPage, replace_page

if TYPE_CHECKING:
    from kiosk.catalog.model import Text
    from ui.widgets import KioskButton


class QuestionScreen(Screen):
    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        self.page: FormPage | None = None
        self.answer: AnswerWidget | None = None
        self.summary: ErrorSummary | None = None
        self.errors: list[FieldError] = []
        self.back_button: KioskButton | None = None
        self.continue_button: KioskButton | None = None
        self.save_button: KioskButton | None = None
        self.progress: QLabel | None = None
        self.caption: QLabel | None = None
        self.hint: QLabel | None = None
        self.prefilled: InlineMessage | None = None
        self.heading_text = ""

    # What to show ----------------------------------------------------------------------------------------------------
    @property
    def flow(self) -> Flow | None:
        return self.context.journey.flow

    def can_show(self) -> bool:
        flow = self.flow
        return flow is not None and flow.stage is Stage.QUESTION and flow.current is not None

    def on_shown(self) -> None:
        self.render_page(errors=self.context.journey.take_page_errors())

    def first_focus(self) -> QWidget | None:
        if self.summary is not None:
            return self.summary
        if self.answer is not None and self.answer.first_field() is not None:
            return self.answer.first_field()
        return self.continue_button

    def on_retranslate(self) -> None:
        self._rerender()

    def on_restyle(self) -> None:
        self._rerender()

    def _rerender(self) -> None:
        """The same page in the new language or size, with what was typed and the errors (in the new language)."""
        if self.can_show() and self.page is not None:
            self.render_page(raw=self.answer.raw() if self.answer is not None else None, errors=self.errors, keep=True)

    def _text(self, text: Text) -> str:
        return definition_text(text, self.context.language)

    # Rendering -------------------------------------------------------------------------------------------------------
    def render_page(self, *, raw: Raw = None, errors: list[FieldError] | None = None, keep: bool = False) -> None:
        """Build the current page. `keep`: `raw` is what was typed (put back even when empty); otherwise the page
        shows the stored answer, or a tell-us-once suggestion."""
        flow = self.flow
        if flow is None or flow.current is None:
            return
        step = flow.current
        context, t = self.context, self.context.t
        self.errors = list(errors or [])
        page = FormPage(context)
        self.back_button = page.back_row(self.go_back)
        kind = step.question.type if step.question is not None else step.kind
        self.summary = None
        if self.errors:
            self.summary = ErrorSummary(context, self._error_entries(flow, step, kind))
            page.column.addWidget(self.summary)
        number, total = flow.position()
        self.progress = page.label(t("form.progress", number=number, total=total), "muted")
        item = flow.item_label(step, context.language)
        label, hint = self._texts(flow, step)
        caption = self._text(step.repeat.label) if step.kind == ADD_ANOTHER and step.repeat else item
        self.caption = page.label(caption, "title") if caption else None
        self.heading_text = label
        heading = page.label(label, "h1")
        self.hint = page.label(hint, "muted") if hint else None
        stored = flow.answer(step)
        suggestion = flow.suggestion(step) if stored is None and not keep else None
        self.prefilled = None
        if suggestion is not None:
            self.prefilled = InlineMessage(context)
            self.prefilled.set_text(t("form.prefilled"))
            page.column.addWidget(self.prefilled)
        self.answer = answer_widget(kind, AnswerSpec(context, step.question, label, hint, heading))
        self.answer.submitted.connect(self.submit)
        page.column.addWidget(self.answer)
        if keep:
            self.answer.set_raw(raw)
        elif stored is not None and not (step.question is not None and step.question.private):
            self.answer.set_raw(raw_for_answer(step.question, stored))
        elif suggestion is not None:
            self.answer.show_answer(suggestion)
        if self.errors:
            self.answer.set_errors([(error.part, self._message(error, kind)) for error in self.errors])
        self.continue_button = page.button(t("form.continue"), self.submit, kind="primary")
        page.row(self.continue_button)
        # Its own row under Continue, quieter: stopping is the exception, and Continue stays the obvious next step.
        self.save_button = page.button(t("draft.save_later"), self.save_for_later)
        page.row(self.save_button)
        page.finish()
        replace_page(self.body, self.page, page)
        self.page = page
        prefix = t("form.error_prefix") + " " if self.errors else ""
        self.set_page_title(prefix + label)

    def _texts(self, flow: Flow, step: Step) -> tuple[str, str]:
        """The heading ("(optional)" after an optional question) and the hint."""
        t = self.context.t
        if step.kind == ADD_ANOTHER or step.question is None:
            count = max(len(flow.items(step.repeat.id)), 1) if step.repeat is not None else 0
            items = [flow.item_label(step._replace(item=n), self.context.language) or "" for n in range(count)]
            return t("form.add_another.question"), t("form.add_another.count", items=", ".join(items))
        question = step.question
        label = self._text(question.label)
        needed = question.required
        if question.required_if is not None:
            needed = question.required_if.is_true(flow.scope(step))
        if question.asks and not needed:
            label = f"{label} {t('form.optional')}"
        return label, self._text(question.hint) if question.hint is not None else ""

    def _error_entries(self, flow: Flow, step: Step, kind: str) -> list[tuple[str, Callable[[], None], str]]:
        """The summary's entries; each names the question, so read aloud says "field. Error: problem and fix"."""
        field = self._texts(flow, step)[0]
        return [(self._message(error, kind), self._focus_part(error.part), field) for error in self.errors]

    def _message(self, error: FieldError, kind: str) -> str:
        return error_text(error, kind, t=self.context.t, definition=self._text)

    def _focus_part(self, part: str | None) -> Callable[[], None]:
        def go() -> None:
            if self.answer is not None:
                self.answer.focus_part(part)
                field = self.focusWidget()
                if field is not None:
                    self.scroll_area.ensureWidgetVisible(field)

        return go

    # Acting ----------------------------------------------------------------------------------------------------------
    def submit(self) -> None:
        """Continue: the flow checks the answer; errors keep the citizen here, with everything as typed."""
        flow = self.flow
        if flow is None or self.answer is None or not self.can_show():
            return
        raw = self.answer.raw()
        errors = flow.submit_page(raw)
        if errors:
            self.render_page(raw=raw, errors=errors, keep=True)
            self._focus_summary()
            return
        self._moved()

    def save_for_later(self) -> None:
        """Save and come back later: what was answered before this page is saved; this page is asked again."""
        if self.can_show():
            self.context.navigate("save-draft")

    def go_back(self) -> None:
        flow = self.flow
        if flow is None or not flow.back() or flow.stage is Stage.START:
            self.context.navigate("service-start")
            return
        self._moved()

    def _moved(self) -> None:
        flow = self.flow
        if flow is not None and flow.stage is Stage.CHECK:
            self.context.navigate("check-answers")
        elif self.can_show():
            self.render_page()
            self.scroll_area.verticalScrollBar().setValue(0)
            target = self.first_focus()
            if target is not None:
                target.setFocus()

    def _focus_summary(self) -> None:
        if self.summary is not None:
            self.scroll_area.verticalScrollBar().setValue(0)
            self.summary.setFocus()
