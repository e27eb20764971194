"""Which widget answers which question type: one factory per type of `kiosk.catalog.model.QUESTION_TYPES`, plus
the flow's "add another?" page.

A calculated value is never a page (the flow works it out and the check page shows it), so it has no widget.

Adding a question type: add it to the catalog's schema and `QUESTION_TYPES`, give it a converter in
`kiosk.forms.answers`, then register a factory here: an `AnswerWidget` subclass whose `read()` returns the raw input
the converter expects and whose `write()` puts it back (see docs/ui.md, "Adding a question type").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from kiosk.forms.flow import ADD_ANOTHER
from ui.forms.base import AnswerSpec, AnswerWidget
from ui.forms.choices import (
    AddAnotherAnswer,
    ChoiceAnswer,
    ConsentAnswer,
    MultipleChoiceAnswer,
    NoteAnswer,
    YesNoAnswer,
)
from ui.forms.parts_inputs import AddressAnswer, DateAnswer
from ui.forms.text_inputs import LineAnswer, LongTextAnswer

WidgetFactory = Callable[[AnswerSpec], AnswerWidget]
NEVER_A_PAGE = frozenset({"calculated"})

WIDGETS: Mapping[str, WidgetFactory] = MappingProxyType(
    {
        "text": LineAnswer,
        "long-text": LongTextAnswer,
        "number": LineAnswer,
        "date": DateAnswer,
        "yes-no": YesNoAnswer,
        "choice": ChoiceAnswer,
        "multiple-choice": MultipleChoiceAnswer,
        "address": AddressAnswer,
        "email": LineAnswer,
        "phone": LineAnswer,
        "nif": LineAnswer,
        "citizen-card": LineAnswer,
        "iban": LineAnswer,
        "postcode": LineAnswer,
        "consent": ConsentAnswer,
        "note": NoteAnswer,
        ADD_ANOTHER: AddAnotherAnswer,
    }
)


def answer_widget(kind: str, spec: AnswerSpec) -> AnswerWidget:
    """The widget for a page of `kind` (a question type, or "add-another"); KeyError for a type with no page."""
    return WIDGETS[kind](spec)
