"""One answer: from what the citizen entered (raw) to a checked, normalised value, or the errors to show.

The screens and `citizen-kiosk submit` both go through `check_answer`, so an answers file is validated exactly as the
screens validate. Raw input per question type: a string for text-like types and numbers, `DateInput` for dates,
`AddressInput` for addresses, "yes"/"no" for yes-no, a value for choice, a tuple of values for multiple choice, True
for a given consent, `UNKNOWN` for "I do not know". Errors carry a message key (`errors.<code>` in the UI catalogs)
and never the input.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import NamedTuple

from kiosk.catalog.model import Question, Text
from kiosk.forms import validators
from kiosk.forms.expressions import Scope, Value
from kiosk.forms.validators import Invalid


class DateInput(NamedTuple):
    """The GOV.UK memorable-date pattern: three boxes, as typed."""

    day: str
    month: str
    year: str


class AddressInput(NamedTuple):
    street: str
    number: str
    floor: str
    postcode: str
    locality: str


class Address(NamedTuple):
    """A checked address (floor may be empty); `display()` is how the check page and expressions see it."""

    street: str
    number: str
    floor: str
    postcode: str
    locality: str

    def display(self) -> str:
        first = " ".join(part for part in (self.street, self.number) if part)
        return ", ".join(part for part in (first, self.floor, f"{self.postcode} {self.locality}") if part)


class Unknown:
    """The answer "I do not know" (only where a question allows it)."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = Unknown()
Raw = str | DateInput | AddressInput | tuple[str, ...] | bool | Unknown | None
Answer = str | int | float | bool | datetime.date | tuple[str, ...] | Address | Unknown
ADDRESS_PARTS = AddressInput._fields


class FieldError(NamedTuple):
    question_id: str
    code: str  # "required", "constraint", "choice.unknown", or a validators.INVALID_CODES code
    params: Mapping[str, object]
    part: str | None = None  # the box of a date or an address the error is about (focus goes there)
    message: Text | None = None  # the designer's constraint_message, for code "constraint"


def is_empty(raw: Raw) -> bool:
    if raw is None or raw is False:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, (DateInput, AddressInput)):
        return not any(part.strip() for part in raw)
    if isinstance(raw, tuple):
        return not raw
    return False


def check_answer(
    question: Question, raw: Raw, scope: Callable[[Value], Scope], *, today: datetime.date
) -> tuple[Answer | None, list[FieldError]]:
    """Validate one answer. `scope(current)` gives the page's expression scope, with `.` = current."""
    needed = question.required_if.is_true(scope(None)) if question.required_if is not None else question.required
    if is_empty(raw):
        code = "consent.required" if question.type == "consent" else "required"
        return None, [FieldError(question.id, code, {})] if needed and question.asks else []
    if raw is UNKNOWN:
        if question.allow_unknown:
            return UNKNOWN, []
        return None, [FieldError(question.id, "required", {})]
    try:
        value = convert(question, raw, today=today)
    except Invalid as invalid:
        part = invalid.params.pop("part", None)
        return None, [FieldError(question.id, invalid.code, invalid.params, str(part) if part else None)]
    if question.constraint is not None and not question.constraint.is_true(scope(expression_value(value))):
        return None, [FieldError(question.id, "constraint", {}, message=question.constraint_message)]
    return value, []


def convert(question: Question, raw: Raw, *, today: datetime.date) -> Answer:
    """The normalised value of a non-empty raw answer; raises `Invalid`."""
    if question.type in validators.VALIDATORS:
        return str(validators.VALIDATORS[question.type](_text(raw)))
    converter = _CONVERTERS.get(question.type)
    if converter is None:
        raise Invalid("required")  # note and calculated take no answer
    return converter(question, raw, today)


def _free_text(question: Question, raw: Raw, _today: datetime.date) -> Answer:
    multiline = question.type == "long-text"
    limit = question.max_length or (5000 if multiline else 500)
    return validators.normalise_text(_text(raw), max_length=limit, multiline=multiline)


def _number(question: Question, raw: Raw, _today: datetime.date) -> Answer:
    return validators.number(_text(raw), minimum=question.minimum, maximum=question.maximum, integer=question.integer)


def _date(question: Question, raw: Raw, today: datetime.date) -> Answer:
    if not isinstance(raw, DateInput):
        raise Invalid("date.invalid")
    return validators.date_parts(*raw, today=today, not_future=question.not_future, not_past=question.not_past)


def _yes_no(_question: Question, raw: Raw, _today: datetime.date) -> Answer:
    if raw not in ("yes", "no"):
        raise Invalid("choice.unknown")
    return str(raw)


def _choice(question: Question, raw: Raw, _today: datetime.date) -> Answer:
    if not isinstance(raw, str) or question.choice(raw) is None:
        raise Invalid("choice.unknown")
    return raw


def _choices(question: Question, raw: Raw, _today: datetime.date) -> Answer:
    chosen = set(raw) if isinstance(raw, tuple) else set()
    if not chosen or any(question.choice(value) is None for value in chosen):
        raise Invalid("choice.unknown")
    return tuple(c.value for c in question.choices if c.value in chosen)  # definition order, no repeats


def _consent(_question: Question, raw: Raw, _today: datetime.date) -> Answer:
    return True  # a non-empty consent is a given one: is_empty() treats False as not given


_CONVERTERS: dict[str, Callable[[Question, Raw, datetime.date], Answer]] = {
    "text": _free_text,
    "long-text": _free_text,
    "number": _number,
    "date": _date,
    "yes-no": _yes_no,
    "choice": _choice,
    "multiple-choice": _choices,
    "address": lambda _q, raw, _t: _address(raw),
    "consent": _consent,
}


def _text(raw: Raw) -> str:
    if not isinstance(raw, str):
        raise Invalid("text.format")
    return raw


def _address(raw: Raw) -> Address:
    if not isinstance(raw, AddressInput):
        raise Invalid("address.street.missing", part="street")
    for part in ("street", "number", "postcode", "locality"):
        if not getattr(raw, part).strip():
            raise Invalid(f"address.{part}.missing", part=part)
    try:
        postcode = validators.postcode_pt(raw.postcode)
    except Invalid as invalid:
        raise Invalid(invalid.code, part="postcode") from None
    parts = {}
    for part in ("street", "number", "floor", "locality"):
        try:
            parts[part] = validators.normalise_text(getattr(raw, part), max_length=200)
        except Invalid as invalid:
            raise Invalid(invalid.code, part=part, **invalid.params) from None
    return Address(parts["street"], parts["number"], parts["floor"], postcode, parts["locality"])


def expression_value(answer: Answer | None) -> Value:
    """How an answer looks to expressions: an address as its one-line text, "I do not know" as unanswered."""
    if answer is None or isinstance(answer, Unknown):
        return None
    if isinstance(answer, Address):
        return answer.display()
    return answer


def to_json(answer: Answer | None) -> object:
    """The answer in the answers-file and submission format (ISO dates, lists, address objects)."""
    if isinstance(answer, Unknown):
        return {"unknown": True}
    if isinstance(answer, Address):
        return answer._asdict()
    if isinstance(answer, datetime.date):
        return answer.isoformat()
    if isinstance(answer, tuple):
        return list(answer)
    return answer


def raw_from_json(question: Question, data: object) -> Raw:
    """An answers file's value as raw input, so files are checked exactly like typing (inverse of `to_json`)."""
    if data is None:
        return None
    if isinstance(data, dict) and data == {"unknown": True}:
        return UNKNOWN
    special = _FROM_JSON.get(question.type)
    raw = special(data) if special else None
    if raw is not None:
        return raw
    if isinstance(data, bool):  # a yes-no answer written as a boolean
        return "yes" if data else "no"
    return str(data) if isinstance(data, (int, float, str)) else None


def _date_from_json(data: object) -> Raw:
    if not isinstance(data, str):
        return None
    year, _, rest = data.partition("-")
    month, _, day = rest.partition("-")
    return DateInput(day, month, year)


_FROM_JSON: dict[str, Callable[[object], Raw]] = {
    "consent": lambda data: data is True,
    "date": _date_from_json,
    "address": lambda data: (
        AddressInput(*(str(data.get(part, "")) for part in ADDRESS_PARTS)) if isinstance(data, dict) else None
    ),
    "multiple-choice": lambda data: tuple(str(item) for item in data) if isinstance(data, list) else None,
}
