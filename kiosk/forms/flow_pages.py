"""The pages of one service's form as its answers make them: `Step`, the expression scope, and `FlowPages`.

Which pages exist is worked out from the answers every time (`steps()`): show-if conditions, one set of pages per repeat
item, and an "add another?" page after the last item; calculated values are worked out the same way. None of this
depends on where the citizen is, so it is kept apart from the stage machine in `flow` (Start, Continue, Back, Change),
which builds on it.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from kiosk.catalog.model import Question, Repeat, Service
from kiosk.forms.answers import Answer, expression_value
from kiosk.forms.expressions import Expression, Value

ADD_ANOTHER = "add-another"


class Step(NamedTuple):
    """One page: a question (in a repeat item or not) or the "add another?" page after a repeat's last item."""

    kind: str  # "question" or ADD_ANOTHER
    question: Question | None
    repeat: Repeat | None = None
    item: int | None = None  # 0-based item of the repeat

    @property
    def key(self) -> tuple[str, str, str, int]:
        qid = self.question.id if self.question else ""
        return (self.kind, self.repeat.id if self.repeat else "", qid, -1 if self.item is None else self.item)


class CheckRow(NamedTuple):
    step: Step
    value: Answer | None  # None: "Not provided"
    changeable: bool  # calculated values are shown but worked out, not changed


class FlowScope:
    """The expression scope of one page: its repeat item's answers first, then the top-level ones."""

    def __init__(self, flow: FlowPages, step_repeat: Repeat | None, item: int | None, current: Value) -> None:
        self._flow, self._repeat, self._item, self._current = flow, step_repeat, item, current

    def value(self, name: str) -> Value:
        flow = self._flow
        if self._repeat is not None and self._item is not None:
            items = flow.items(self._repeat.id)
            if self._item < len(items) and name in items[self._item]:
                return expression_value(items[self._item][name])
            inner = next((q for q in self._repeat.pages if q.id == name and q.type == "calculated"), None)
            if inner is not None:
                return expression_value(flow.calculate(inner, self._repeat, self._item))
        if name in flow.calculations:  # worked out when asked: it always reflects the answers as they are now
            return expression_value(flow.calculate(flow.calculations[name], None, None))
        if name in flow.repeat_ids:  # count(${children}) counts the items
            return tuple(str(n + 1) for n in range(len(flow.items(name))))
        return expression_value(flow.top_answers.get(name))

    @property
    def current(self) -> Value:
        return self._current

    @property
    def today(self) -> datetime.date:
        return self._flow.today


class FlowPages:
    """The answers of one service and the pages they make; `Flow` adds the stage and the citizen's moves."""

    def __init__(self, service: Service, *, today: datetime.date) -> None:
        self.service = service
        self.today = today
        self.top_answers: dict[str, Answer] = {}
        self._items: dict[str, list[dict[str, Answer]]] = {}
        self.repeat_ids = frozenset(p.id for p in service.pages if isinstance(p, Repeat))
        self.calculations = {p.id: p for p in service.pages if isinstance(p, Question) and p.type == "calculated"}

    def items(self, repeat_id: str) -> list[dict[str, Answer]]:
        return self._items.setdefault(repeat_id, [])

    def steps(self) -> list[Step]:
        """The pages as they stand now, in order (recomputed from the answers)."""
        found: list[Step] = []
        for page in self.service.pages:
            if isinstance(page, Repeat):
                if not self._shown(page.show_if, None, None):
                    continue
                count = max(len(self.items(page.id)), 1)
                for item in range(count):
                    found += [
                        Step("question", q, page, item)
                        for q in page.pages
                        if q.type != "calculated" and self._shown(q.show_if, page, item)
                    ]
                if count < page.max_items:
                    found.append(Step(ADD_ANOTHER, None, page, count - 1))
            elif page.type != "calculated" and self._shown(page.show_if, None, None):
                found.append(Step("question", page))
        return found

    def answer(self, step: Step) -> Answer | None:
        if step.question is None:
            return None
        if step.repeat is not None and step.item is not None:
            items = self.items(step.repeat.id)
            return items[step.item].get(step.question.id) if step.item < len(items) else None
        return self.top_answers.get(step.question.id)

    def scope(self, step: Step, current: Value = None) -> FlowScope:
        return FlowScope(self, step.repeat, step.item, current)

    def item_label(self, step: Step, lang: str) -> str | None:
        if step.repeat is None or step.item is None:
            return None
        return step.repeat.item_label.t(lang).replace("{n}", str(step.item + 1))

    def _shown(self, condition: Expression | None, repeat: Repeat | None, item: int | None) -> bool:
        return condition is None or condition.is_true(FlowScope(self, repeat, item, None))

    def _asks(self, step: Step) -> bool:
        return step.question is not None and step.question.asks

    def _store(self, step: Step, value: Answer | None) -> None:
        assert step.question is not None
        if step.repeat is not None and step.item is not None:
            items = self.items(step.repeat.id)
            while len(items) <= step.item:
                items.append({})
            target = items[step.item]
        else:
            target = self.top_answers
        if value is None:
            target.pop(step.question.id, None)
        else:
            target[step.question.id] = value

    def _all_question_steps(self) -> list[Step]:
        """Every question slot in page order, calculated ones included (for ordering the check page)."""
        found: list[Step] = []
        for page in self.service.pages:
            if isinstance(page, Repeat):
                for item in range(max(len(self.items(page.id)), 1)):
                    found += [Step("question", q, page, item) for q in page.pages]
            else:
                found.append(Step("question", page))
        return found

    def _calculated(self) -> list[tuple[Question, Repeat | None, int | None, Answer | None]]:
        """Calculated values of the shown pages, worked out from the answers now."""
        results: list[tuple[Question, Repeat | None, int | None, Answer | None]] = []
        for page in self.service.pages:
            if isinstance(page, Repeat):
                if not self._shown(page.show_if, None, None):
                    continue
                for item in range(len(self.items(page.id))):
                    for q in page.pages:
                        if q.type == "calculated" and self._shown(q.show_if, page, item):
                            results.append((q, page, item, self.calculate(q, page, item)))
            elif page.type == "calculated" and self._shown(page.show_if, None, None):
                results.append((page, None, None, self.calculate(page, None, None)))
        return results

    def calculate(self, question: Question, repeat: Repeat | None, item: int | None) -> Answer | None:
        assert question.calculation is not None
        value = question.calculation.evaluate(FlowScope(self, repeat, item, None))
        return value if value is not None and value != "" else None
