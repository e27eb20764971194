"""The question flow of one service, GOV.UK style, as a Qt-free state machine the screens only render.

Start page -> one question per page (Back, Continue; validation on Continue) -> check your answers (Change returns to
the check page) -> submitted. Which pages exist is worked out from the answers every time (`steps()`): show-if
conditions, one set of pages per repeat item, and an "add another?" page after the last item. Answers on pages that are
no longer shown are kept while the citizen moves around but never submitted. After submission Back goes nowhere.
The pages themselves, and what the answers make of them, are `kiosk.forms.flow_pages`; this module is the stage machine
and what it hands over (the answers to send or save, tell-us-once values).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from enum import Enum

from kiosk.catalog.model import Service
from kiosk.forms.answers import Answer, FieldError, Raw, check_answer, to_json
from kiosk.forms.expressions import Value
from kiosk.forms.flow_pages import ADD_ANOTHER, CheckRow, FlowPages, FlowScope, Step

# The page types are part of the flow's own vocabulary (`Flow.current` is a `Step`): the screens import them from here.
__all__ = ["ADD_ANOTHER", "CheckRow", "Flow", "Stage", "Step"]


class Stage(Enum):
    START = "start"
    QUESTION = "question"
    CHECK = "check"
    SUBMITTED = "submitted"


class Flow(FlowPages):
    """One citizen's way through a service's pages: the stage, the current page, and what each button does."""

    def __init__(self, service: Service, *, today: datetime.date, profile: Mapping[str, Answer] | None = None) -> None:
        super().__init__(service, today=today)
        self.stage = Stage.START
        self._no_more: set[str] = set()  # repeats where the citizen answered "no" to "add another?"
        self._profile = dict(profile or {})
        self._current: Step | None = None
        self._return_to_check = False
        self._answered: set[tuple[str, str, str, int]] = set()  # pages Continued past, even when left empty

    # Reading ---------------------------------------------------------------------------------------------------------
    @property
    def current(self) -> Step | None:
        return self._current if self.stage is Stage.QUESTION else None

    def suggestion(self, step: Step) -> Answer | None:
        """Tell us once: an earlier answer of this session for the same profile key, while this page has none."""
        question = step.question
        if question is None or question.profile_key is None or self.answer(step) is not None:
            return None
        return self._profile.get(question.profile_key)

    def position(self) -> tuple[int, int]:
        """(1-based number of the current page, pages as they stand now) for "Question 3 of 8"."""
        steps = self.steps()
        keys = [s.key for s in steps]
        current = self._current.key if self._current else None
        return (keys.index(current) + 1 if current in keys else 0), len(steps)

    # Moving ----------------------------------------------------------------------------------------------------------
    def start(self) -> None:
        self._require(Stage.START)
        self._go_to_first(self.steps())

    def submit_page(self, raw: Raw) -> list[FieldError]:
        """Continue on the current page: check and keep the answer, then move on; errors keep the citizen here."""
        self._require(Stage.QUESTION)
        step = self._current
        assert step is not None
        if step.kind == ADD_ANOTHER:
            errors = self._add_another(step, raw)
            if not errors and raw == "yes":
                self._current = self._first_step_of_item(step)
                return []
        elif step.question is not None and step.question.type == "note":
            errors = []
            self._answered.add(step.key)
        else:
            assert step.question is not None
            value, errors = check_answer(
                step.question, raw, lambda current: self.scope(step, current), today=self.today
            )
            if not errors:
                self._store(step, value)
                self._answered.add(step.key)
        if not errors:
            self._advance(step)
        return errors

    def back(self) -> bool:
        """One page back; False when there is nowhere to go (leaving the start page, or after submission)."""
        if self.stage is Stage.START or self.stage is Stage.SUBMITTED:
            return False
        steps = self.steps()
        if self.stage is Stage.CHECK:
            self._return_to_check = False
            self._set_step(steps[-1] if steps else None)
            return True
        keys = [s.key for s in steps]
        index = keys.index(self._current.key) if self._current and self._current.key in keys else 0
        if index == 0:
            self.stage, self._current, self._return_to_check = Stage.START, None, False
        else:
            self._current = steps[index - 1]
        return True

    def change(self, step: Step) -> None:
        """From the check page to one answer's page; Continue there comes back to the check page."""
        self._require(Stage.CHECK)
        self._return_to_check = True
        self._set_step(step)

    def check_rows(self) -> list[CheckRow]:
        rows = [CheckRow(s, self.answer(s), True) for s in self.steps() if s.kind == "question" and self._asks(s)]
        rows += [CheckRow(Step("question", q, r, i), v, False) for q, r, i, v in self._calculated()]
        order = {s.key: n for n, s in enumerate(self._all_question_steps())}
        return sorted(rows, key=lambda row: order.get(row.step.key, len(order)))

    def missing(self) -> list[tuple[Step, FieldError]]:
        """Required pages without an answer (an answer to a page shown later may make an earlier one required)."""
        found = []
        for step in self.steps():
            if step.question is None or not self._asks(step) or self.answer(step) is not None:
                continue
            found += [(step, error) for error in self._errors_if_empty(step)]
        return found

    def _errors_if_empty(self, step: Step) -> list[FieldError]:
        assert step.question is not None

        def scope(current: Value) -> FlowScope:
            return self.scope(step, current)

        return check_answer(step.question, None, scope, today=self.today)[1]

    def go_to_missing(self) -> list[FieldError]:
        """Before sending: if anything required is missing, show its page (Continue returns to the check page)."""
        missing = self.missing()
        if missing:
            self._require(Stage.CHECK)
            self.change(missing[0][0])
        return [error for _, error in missing[:1]]

    def mark_submitted(self) -> None:
        """Called once the submission is committed: from now on Back never reaches the form."""
        self._require(Stage.CHECK)
        self.stage, self._current = Stage.SUBMITTED, None

    # Results ---------------------------------------------------------------------------------------------------------
    def final_answers(self) -> dict[str, object]:
        """The answers of the pages as they stand (hidden pages left out), calculated values included, as JSON."""
        answers = self._answers_json(self.steps())
        for question, repeat, item, value in self._calculated():
            if repeat is None:
                answers[question.id] = to_json(value)
            elif item is not None:
                items = answers.setdefault(repeat.id, [])
                assert isinstance(items, list)
                while len(items) <= item:
                    items.append({})
                items[item][question.id] = to_json(value)
        return answers

    def draft_answers(self) -> dict[str, object]:
        """For save and come back later: only the pages the citizen has already been through (an empty optional
        answer included), so resuming continues at the first page they have not seen (answers_file.resume)."""
        answers = self._answers_json([s for s in self.steps() if s.key in self._answered], notes=True)
        for repeat_id in self.repeat_ids:  # an item added but not yet answered still says "yes, add another"
            items = answers.get(repeat_id)
            if isinstance(items, list):
                items.extend({} for _ in range(len(self.items(repeat_id)) - len(items)))
        return answers

    def _answers_json(self, steps: list[Step], *, notes: bool = False) -> dict[str, object]:
        answers: dict[str, object] = {}
        for step in steps:
            if step.question is None or not (self._asks(step) or (notes and step.question.type == "note")):
                continue
            value = self.answer(step)
            if step.repeat is None:
                answers[step.question.id] = to_json(value)
            else:
                assert step.item is not None
                items = answers.setdefault(step.repeat.id, [])
                assert isinstance(items, list)
                while len(items) <= step.item:
                    items.append({})
                items[step.item][step.question.id] = to_json(value)
        return answers

    def consents(self) -> dict[str, bool]:
        return {cid: self.top_answers.get(cid) is True for cid in self.service.consents}

    def profile_values(self) -> dict[str, Answer]:
        """Top-level answers with a profile key, for later services of this session (tell us once)."""
        values: dict[str, Answer] = {}
        for step in self.steps():
            question = step.question
            value = self.answer(step)
            if question and question.profile_key and step.repeat is None and value is not None:
                values[question.profile_key] = value
        return values

    # Inside ----------------------------------------------------------------------------------------------------------
    def _require(self, stage: Stage) -> None:
        if self.stage is not stage:
            raise RuntimeError(f"the flow is at {self.stage.value}, not {stage.value}")

    def _add_another(self, step: Step, raw: Raw) -> list[FieldError]:
        assert step.repeat is not None
        repeat, count = step.repeat, max(len(self.items(step.repeat.id)), 1)
        if raw == "yes":
            while len(self.items(repeat.id)) < count + 1:
                self.items(repeat.id).append({})
            self._no_more.discard(repeat.id)
            return []
        if raw == "no":
            if count < repeat.min_items:
                return [FieldError(repeat.id, "repeat.min", {"min": repeat.min_items})]
            self._no_more.add(repeat.id)
            return []
        return [FieldError(repeat.id, "required", {})]

    def _advance(self, done: Step) -> None:
        steps = self.steps()
        keys = [s.key for s in steps]
        index = keys.index(done.key) if done.key in keys else -1
        later = steps[index + 1 :]
        if self._return_to_check:
            # After a change, newly shown pages that still need an answer are asked before returning.
            pending = [s for s in later if self._unanswered(s)]
            if pending:
                self._current = pending[0]
                return
            self._to_check()
            return
        if later:
            self._current = later[0]
        else:
            self._to_check()

    def _first_step_of_item(self, add_another: Step) -> Step:
        """The first page of the item just added (the pages after the "add another?" page that led to it)."""
        assert add_another.repeat is not None
        new_item = len(self.items(add_another.repeat.id)) - 1
        return next(s for s in self.steps() if s.repeat is add_another.repeat and s.item == new_item)

    def _unanswered(self, step: Step) -> bool:
        if step.kind == ADD_ANOTHER:
            return step.repeat is not None and step.repeat.id not in self._no_more
        return self._asks(step) and self.answer(step) is None

    def _to_check(self) -> None:
        self.stage, self._current, self._return_to_check = Stage.CHECK, None, False

    def _go_to_first(self, steps: list[Step]) -> None:
        if steps:
            self.stage, self._current = Stage.QUESTION, steps[0]
        else:
            self._to_check()

    def _set_step(self, step: Step | None) -> None:
        if step is None:
            self._to_check()
        else:
            self.stage, self._current = Stage.QUESTION, step
