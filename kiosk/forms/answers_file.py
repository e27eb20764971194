"""Answers files: a whole service's answers as JSON, checked by driving the same flow the screens drive.

`fill` walks a fresh `Flow` page by page, feeding each page the file's value (as raw input, `answers.raw_from_json`),
so a file passes exactly when a citizen typing those values would. `example_answers` builds a valid file for any
definition by trying plausible values on each page in turn (the first one the page accepts wins), which also proves
every shipped service can be completed. The format is described by docs/answers.schema.json.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from kiosk.catalog.model import Question, Service
from kiosk.forms.answers import UNKNOWN, AddressInput, DateInput, FieldError, Raw, check_answer, raw_from_json
from kiosk.forms.flow import ADD_ANOTHER, Flow, Stage, Step

MAX_PAGES = 2000  # a flow longer than this is a definition bug (each repeat is bounded); stop rather than loop


class FillResult(NamedTuple):
    flow: Flow
    errors: list[tuple[str, FieldError]]  # (where: "child_name" or "children[2].child_name", error)

    @property
    def ok(self) -> bool:
        return not self.errors and self.flow.stage is Stage.CHECK


def place(step: Step) -> str:
    qid = step.question.id if step.question else "add_another"
    return f"{step.repeat.id}[{step.item}].{qid}" if step.repeat and step.item is not None else qid


def file_value(answers: Mapping[str, object], step: Step) -> object:
    """The value an answers file gives for a page (None when absent)."""
    if step.repeat is None:
        return answers.get(step.question.id) if step.question else None
    items = answers.get(step.repeat.id)
    if not isinstance(items, list) or step.item is None:
        return None
    if step.kind == ADD_ANOTHER:  # more items in the file than answered so far: add another
        return "yes" if step.item + 1 < len(items) else "no"
    item = items[step.item] if step.item < len(items) else None
    return item.get(step.question.id) if isinstance(item, dict) and step.question else None


def fill(service: Service, answers: Mapping[str, object], *, today: datetime.date) -> FillResult:
    flow = Flow(service, today=today)
    flow.start()
    errors: list[tuple[str, FieldError]] = []
    for _ in range(MAX_PAGES):
        step = flow.current
        if step is None:
            break
        value = file_value(answers, step)
        raw: Raw = str(value) if step.kind == ADD_ANOTHER else _raw(step.question, value)
        found = flow.submit_page(raw)
        if found:
            errors += [(place(step), error) for error in found]
            break  # later pages may depend on this answer: report it, do not guess further
    return FillResult(flow, errors)


def resume(service: Service, answers: Mapping[str, object], *, today: datetime.date) -> Flow:
    """A flow replayed from a draft's answers (Flow.draft_answers), stopped at the first page the draft has no entry
    for, or at a page whose saved answer no longer fits the service (it may have changed): that page is shown."""
    flow = Flow(service, today=today)
    flow.start()
    for _ in range(MAX_PAGES):
        step = flow.current
        if step is None or not _has_entry(service, answers, step):
            break
        value = file_value(answers, step)
        raw: Raw = str(value) if step.kind == ADD_ANOTHER else _raw(step.question, value)
        if flow.submit_page(raw):
            break
    return flow


def _has_entry(service: Service, answers: Mapping[str, object], step: Step) -> bool:
    """Whether the draft records this page (notes and empty optional answers are recorded as null)."""
    if step.kind == ADD_ANOTHER:
        assert step.repeat is not None and step.item is not None
        items = answers.get(step.repeat.id)
        if isinstance(items, list) and step.item + 1 < len(items):
            return True  # a further item: "yes, add another"
        later = [p.id for p in service.pages[service.pages.index(step.repeat) + 1 :]]
        return any(page_id in answers for page_id in later)  # the citizen went past the repeat: "no"
    assert step.question is not None
    if step.repeat is None:
        return step.question.id in answers
    items = answers.get(step.repeat.id)
    if not isinstance(items, list) or step.item is None or step.item >= len(items):
        return False
    item = items[step.item]
    return isinstance(item, dict) and step.question.id in item


def _raw(question: Question | None, value: object) -> Raw:
    return raw_from_json(question, value) if question is not None else None


def example_answers(service: Service, *, today: datetime.date) -> dict[str, object]:
    """A valid answers file for `service` (every shipped service must have one: a test completes each)."""
    flow = Flow(service, today=today)
    flow.start()
    for _ in range(MAX_PAGES):
        step = flow.current
        if step is None:
            break
        for raw in _candidates(flow, step):
            if not flow.submit_page(raw):
                break
        else:
            raise ValueError(f"{service.id}: no example value is accepted on page {place(step)}")
    return flow.final_answers()


def _candidates(flow: Flow, step: Step) -> Iterator[Raw]:
    """Plausible raw answers for a page, most ordinary first."""
    question = step.question
    if step.kind == ADD_ANOTHER:
        assert step.repeat is not None
        items = len(flow.items(step.repeat.id))
        yield "yes" if items < max(step.repeat.min_items, 1) else "no"
        yield "yes"
        return
    assert question is not None
    if question.type == "note":
        yield None
        return
    yield from _typed_candidates(question, flow.today)
    if question.allow_unknown:
        yield UNKNOWN
    yield None  # an optional page may stay empty


def _typed_candidates(question: Question, today: datetime.date) -> Iterator[Raw]:
    kind = question.type
    if kind in ("choice", "yes-no", "multiple-choice"):
        values = [c.value for c in question.choices] if question.choices else ["yes", "no"]
        for value in values:
            yield (value,) if kind == "multiple-choice" else value
    elif kind == "date":
        for delta in (-365 * 35, -365 * 2, -30, 0, 30, 365, 365 * 2):
            day = today + datetime.timedelta(days=delta)
            yield _date_input(day)
    elif kind == "number":
        low, high = question.minimum, question.maximum
        for number in (1, 2, 10, 0, 100, 1000, low, high, (low + high) / 2 if low is not None and high else None):
            if number is not None:
                yield str(int(number) if question.integer or float(number).is_integer() else number)
    elif kind == "address":
        yield AddressInput("Rua das Flores", "12", "2.º Esq.", "1000-100", "Lisboa")
    elif kind == "consent":
        yield True
    else:
        yield from _SAMPLES.get(kind, ("Maria Silva", "Exemplo", "Um texto de exemplo com algumas palavras."))


def _date_input(day: datetime.date) -> Raw:
    return DateInput(str(day.day), str(day.month), str(day.year))


_SAMPLES: dict[str, tuple[str, ...]] = {
    "email": ("maria.silva@example.pt",),
    "phone": ("+351 912 345 678",),
    "nif": ("123456789", "501442600", "999999990"),
    "citizen-card": ("00000000 0 ZZ4",),
    "iban": ("PT50 0002 0123 1234 5678 9015 4",),
    "postcode": ("1000-100",),
    # Names first, then the shapes of common identifiers and codes (constraints often ask for one of them).
    "text": ("Maria Silva", "Exemplo", "5678", "123456", "123456789", "12345678901", "09:30", "AA-12-BB"),
    "long-text": ("Um texto de exemplo com algumas palavras.", "Exemplo"),
}


def check_all(service: Service, answers: Mapping[str, object], *, today: datetime.date) -> list[str]:
    """Human-readable per-field problems of an answers file (empty when it completes the service)."""
    result = fill(service, answers, today=today)
    lines = [f"{where}: {error.code}" + (f" ({error.part})" if error.part else "") for where, error in result.errors]
    if not lines and result.flow.stage is not Stage.CHECK:
        lines.append("the answers do not reach the end of the service")
    if not lines:
        lines += [f"{place(step)}: {error.code}" for step, error in result.flow.missing()]
    return lines


__all__ = ["FillResult", "check_all", "check_answer", "example_answers", "fill", "place"]
