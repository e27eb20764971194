"""The `form` simulation: a practice government form, one question per page, on the kiosk's real form parts.

The pages are the question screen's (`ui/screens/question.py`) made small: "Question 2 of 3", the question as the
heading, its hint, the real answer widget for its type (`ui/forms/registry.py`), *Back* and *Continue*. They are driven
by the practice's own in-memory `Flow` (`FormPractice.new_flow()`, of a `practice-*` or inline service that is never in
the catalog): the form engine decides what comes next and what is wrong, and its errors show exactly as on a real page
(the error summary that takes focus and links to the field, the red bar and the message beside it, "Error: " in the
field's description). Nothing here touches the journey, the submission desk or the outbox: the flow is this widget's.

What is reported to the engine (`tutorials.practice.FormPractice`), which judges and gives the tutorial's feedback:
- a page the form engine refuses: `FormSubmitted(the answers so far + this page's input)`, so the tutorial's
  `mistakes` for that question and error code are said (the engine replays them through the same form engine);
- the last page accepted: `FormSubmitted(flow.final_answers())` (filling the pages in is the task). Done: the page
  says the form is filled in and nothing was sent, with the answers. Otherwise (an answer accepted but not the one the
  task asked for, `form-expect`): the check page, every answer with *Change* ("Change: <question>"), the engine's
  focus on the Change of the answer it is about; Continue on a changed page comes back and the form is judged again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from kiosk.forms.answers import UNKNOWN, AddressInput, DateInput, FieldError, Raw
from kiosk.forms.flow import ADD_ANOTHER, Flow, Stage, Step
from tutorials.actions import Feedback, FormSubmitted
from tutorials.model import FormSimulation, Frame, Simulation
from tutorials.practice import FormPractice
from ui.forms.answer_text import answer_text
from ui.forms.base import AnswerSpec, AnswerWidget
from ui.forms.messages import error_text
from ui.forms.registry import answer_widget
from ui.screens.browse_parts import definition_text
from ui.screens.check_answers import SummaryRow
from ui.screens.form_parts import ErrorSummary, FormPage, replace_page
from ui.tutorials.simulations import Act, SimulatedScreen, SimulationContext, register

if TYPE_CHECKING:
    from kiosk.catalog.model import Text
    from ui.widgets import KioskButton


class PracticeErrorSummary(ErrorSummary):
    """The real page's error summary; its announcement waits for the tutorial's feedback instead of cutting it off
    (the step renderer says the feedback first, then the summary takes focus and is read)."""

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        QFrame.focusInEvent(self, event)
        self.context.announce(self, self.speech_script(), assertive=True, interrupt=False)


def json_value(raw: Raw) -> object:
    """A page's raw input as an answers file writes it (the inverse of `kiosk.forms.answers.raw_from_json`), so the
    engine's replay meets exactly what was typed."""
    if raw is UNKNOWN:
        return {"unknown": True}
    if isinstance(raw, DateInput):
        return f"{raw.year}-{raw.month}-{raw.day}"
    if isinstance(raw, AddressInput):
        return raw._asdict()
    if isinstance(raw, tuple):
        return list(raw)
    return raw


def with_page(answers: dict[str, object], step: Step, raw: Raw) -> dict[str, object]:
    """`answers` (Flow.final_answers) with the current page's input in its place, a repeat's item included."""
    if step.question is None:
        return answers
    value = json_value(raw)
    if step.repeat is None or step.item is None:
        return {**answers, step.question.id: value}
    items = answers.get(step.repeat.id)
    listed = [dict(i) if isinstance(i, dict) else {} for i in items] if isinstance(items, list) else []
    while len(listed) <= step.item:
        listed.append({})
    listed[step.item][step.question.id] = value
    return {**answers, step.repeat.id: listed}


class FormScreen(SimulatedScreen):
    simulation: FormSimulation

    def __init__(self, simulation: Simulation, context: SimulationContext, act: Act) -> None:
        assert isinstance(simulation, FormSimulation)
        super().__init__(simulation, context, act)
        practice = context.practice
        today = context.screen.today()
        self.flow: Flow = (
            practice.new_flow() if isinstance(practice, FormPractice) else Flow(simulation.service, today=today)
        )
        self.flow.start()
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.page: FormPage | None = None
        self.step: Step | None = None  # the page shown (a demo may show any)
        self.answer: AnswerWidget | None = None
        self.summary: ErrorSummary | None = None
        self.errors: list[FieldError] = []
        self.continue_button: KioskButton | None = None
        self.back_button: KioskButton | None = None
        self.finished = False
        self._applied: Feedback | None = None
        self.show_page()

    # Rendering -------------------------------------------------------------------------------------------------------
    def _text(self, text: Text) -> str:
        return definition_text(text, self.context.screen.language)

    def show_page(self, step: Step | None = None, *, raw: Raw = None, errors: list[FieldError] | None = None) -> None:
        """Build a page: `step` (default: the flow's current one), with `raw` as typed and `errors` when refused; the
        check page when the flow is there; the end when the form is done."""
        screen = self.context.screen
        step = step or self.flow.current
        page = FormPage(screen)
        self.step, self.errors, self.summary, self.answer = step, list(errors or []), None, None
        self.back_button = self.continue_button = None
        self.controls = {}
        if self.finished:
            self._end_page(page)
        elif step is None:
            self._check_page(page)
        else:
            self._question_page(page, step, raw)
        page.finish()
        replace_page(self.column, self.page, page)
        self.page = page
        for name, widget in (("continue", self.continue_button), ("back", self.back_button)):
            if widget is not None:
                self.controls[name] = widget
        for control_id, widget in self.controls.items():
            widget.setObjectName(f"sim-{control_id}")
            widget.setProperty("control", control_id)

    def _end_page(self, page: FormPage) -> None:
        t = self.context.t
        page.label(t("tutorial.form.done_heading"), "h2")
        page.label(t("tutorial.form.done_text"), "body")
        self._summary_rows(page, changeable=False)

    def _check_page(self, page: FormPage) -> None:
        """The check page (after an answer the task did not ask for): each answer with Change, and Send again."""
        t = self.context.t
        self.back_button = page.back_row(self.go_back)
        page.label(t("check.title"), "h2")
        self._summary_rows(page, changeable=True)
        self.continue_button = page.button(t("check.send"), self.send, kind="primary")
        page.row(self.continue_button)

    def _summary_rows(self, page: FormPage, *, changeable: bool) -> None:
        screen, t = self.context.screen, self.context.t
        for row in self.flow.check_rows():
            question = row.step.question
            if question is None:
                continue
            label = self._text(question.label)
            shown = answer_text(question, row.value, lang=screen.language, t=t, definition=self._text)
            change = None
            if changeable and row.changeable:
                change = page.button(t("check.change"), self._changer(row.step))
                change.setAccessibleName(t("check.change_name", question=label))
                self.controls.setdefault(question.id, change)
            page.column.addWidget(SummaryRow(screen, label, shown, change))

    def _question_page(self, page: FormPage, step: Step, raw: Raw) -> None:
        t = self.context.t
        steps = [s.key for s in self.flow.steps()]
        if step.key not in steps:  # a demo's page that an earlier answer would show: counted after the others
            steps.append(step.key)
        first = steps[0] == step.key
        if not first or self.context.demo:  # the first page has nowhere to go back to: no start page here
            self.back_button = page.back_row(self.go_back)
        kind = step.question.type if step.question is not None else step.kind
        label, hint = self._texts(step)
        if self.errors:
            self.summary = PracticeErrorSummary(self.context.screen, self._error_entries(label, kind))
            page.column.addWidget(self.summary)
        number = steps.index(step.key) + 1 if step.key in steps else 0
        page.label(t("form.progress", number=number, total=len(steps)), "muted")
        item = self.flow.item_label(step, self.context.screen.language)
        caption = self._text(step.repeat.label) if step.kind == ADD_ANOTHER and step.repeat else item
        if caption:
            page.label(caption, "title")
        heading = page.label(label, "h2")
        if hint:
            page.label(hint, "muted")
        self.answer = answer_widget(kind, AnswerSpec(self.context.screen, step.question, label, hint, heading))
        self.answer.submitted.connect(self.submit)
        page.column.addWidget(self.answer)
        stored = self.flow.answer(step)
        if raw is not None or self.errors:
            self.answer.set_raw(raw)
        elif stored is not None:
            self.answer.show_answer(stored)
        if self.errors:
            self.answer.set_errors([(e.part, self._message(e, kind)) for e in self.errors])
        if step.question is not None:
            self.controls[step.question.id] = self.answer.first_field() or self.answer
        self.continue_button = page.button(t("form.continue"), self.submit, kind="primary")
        page.row(self.continue_button)

    def _texts(self, step: Step) -> tuple[str, str]:
        t = self.context.t
        if step.kind == ADD_ANOTHER or step.question is None:
            return t("form.add_another.question"), ""
        question = step.question
        label = self._text(question.label)
        if question.asks and not question.required and question.required_if is None:
            label = f"{label} {t('form.optional')}"
        return label, self._text(question.hint) if question.hint is not None else ""

    def _message(self, error: FieldError, kind: str) -> str:
        return error_text(error, kind, t=self.context.t, definition=self._text)

    def _error_entries(self, label: str, kind: str) -> list[tuple[str, Callable[[], None], str]]:
        return [(self._message(e, kind), self._focus_part(e.part), label) for e in self.errors]

    def _focus_part(self, part: str | None) -> Callable[[], None]:
        def go() -> None:
            if self.answer is not None:
                self.answer.focus_part(part)

        return go

    def retranslate(self) -> None:
        """The same page in the new language or size, with what was typed and the errors."""
        raw = self.answer.raw() if self.answer is not None else None
        self.show_page(self.step, raw=raw if self.answer is not None else None, errors=self.errors)

    # Acting ----------------------------------------------------------------------------------------------------------
    def submit(self) -> None:
        """Continue: the form engine checks the page; a refusal shows its errors and asks the engine for feedback."""
        flow, step = self.flow, self.flow.current
        if self.context.demo or self.answer is None or step is None or step != self.step:
            return
        raw = self.answer.raw()
        errors = flow.submit_page(raw)
        if errors:
            self.show_page(step, raw=raw, errors=errors)
            if step.question is not None:
                self.show_feedback(self.act(FormSubmitted(with_page(flow.final_answers(), step, raw))))
            if self.summary is not None:  # as on a real page: the summary takes focus and says the errors
                self.summary.setFocus()
                _scroll_to(self.summary)
            return
        if flow.stage is Stage.CHECK:
            self.send()
            return
        self._moved()

    def send(self) -> None:
        """The whole form to the engine (the flow is at its check page): done, or the check page with Change."""
        if self.context.demo or self.flow.stage is not Stage.CHECK or self.finished:
            return
        feedback = self.act(FormSubmitted(self.flow.final_answers()))
        self.show_feedback(feedback)
        target = self.control(feedback.control) or self.continue_button
        if target is not None:
            target.setFocus()

    def _changer(self, step: Step) -> Callable[[], None]:
        return lambda: self.change(step)

    def change(self, step: Step) -> None:
        if self.context.demo or self.flow.stage is not Stage.CHECK:
            return
        self.flow.change(step)
        self._moved()

    def go_back(self) -> None:
        if self.context.demo or self.flow.stage not in (Stage.QUESTION, Stage.CHECK):
            return
        self.flow.back()
        if self.flow.current is None:  # left the first page (it has no Back; kept safe all the same): no start page
            self.flow.start()
        self._moved()

    def _moved(self) -> None:
        self.show_page()
        target = self.answer.first_field() if self.answer is not None else None
        (target or self.continue_button or self).setFocus()

    def show_feedback(self, feedback: Feedback) -> None:
        """After the whole form went to the engine: the end, or the check page. Idempotent (the step renderer may call
        it too); after a page error nothing more is needed (the page already shows it)."""
        if feedback is self._applied:
            return
        self._applied = feedback
        if self.flow.stage is not Stage.CHECK:
            return
        self.finished = feedback.done
        self.show_page()

    def show_frame(self, frame: Frame | None) -> None:
        """A demo frame: a question id shows that question's page (even one shown only after an earlier answer),
        with the frame's typed text in its box."""
        if frame is not None:
            step = self._step_of(frame.highlight)
            if step is not None and step != self.step:
                self.show_page(step)
            if step is not None and frame.typed is not None and self.answer is not None:
                self.answer.set_raw(frame.typed)
        super().show_frame(frame)

    def _step_of(self, question_id: str) -> Step | None:
        found = next((s for s in self.flow.steps() if s.question and s.question.id == question_id), None)
        if found is not None:
            return found
        for question, repeat in self.flow.service.questions():
            if question.id == question_id and question.type != "calculated":
                return Step("question", question, repeat, 0 if repeat is not None else None)
        return None


def _scroll_to(widget: QWidget) -> None:
    """Bring `widget` into view in the page's scroll area (the simulated screen is inside one)."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if isinstance(parent, QScrollArea):
        parent.ensureWidgetVisible(widget)


register("form", FormScreen)
