"""Pieces the save-and-come-back-later screens share: the date of birth in three boxes, and how a code is shown.

The date of birth is the draft's second factor: GOV.UK's memorable date (Day, Month, Year), never a secret to invent
and remember (WCAG 3.3.8: no memory test beyond a fact the citizen knows). It is read with
`kiosk.forms.validators.date_parts` (not in the future) and its errors are the form's own date messages, so it reads
exactly like a date question. The date lives in the boxes only: screens hand it to the desk and keep no copy.
"""

from __future__ import annotations

import datetime

from PySide6.QtWidgets import QLabel

from kiosk.codes import for_speech
from kiosk.forms.answers import DateInput, FieldError
from kiosk.forms.validators import Invalid, date_parts
from ui.forms.base import AnswerSpec
from ui.forms.messages import error_text
from ui.forms.parts_inputs import DateAnswer
from ui.screens.base import ScreenContext
from ui.screens.browse_parts import definition_text

LEFT_TO_RIGHT_ISOLATE, POP_ISOLATE = "\u2066", "\u2069"
FIELD_ID = "date_of_birth"  # the FieldError's question id: only a name for the message, never stored


def date_of_birth_boxes(context: ScreenContext, heading: QLabel, label: str, hint: str) -> DateAnswer:
    """Day, Month and Year boxes described by `label` and `hint` (the question page's date widget, no question)."""
    return DateAnswer(AnswerSpec(context, None, label, hint, heading))


def read_date_of_birth(boxes: DateAnswer, today: datetime.date) -> datetime.date | FieldError:
    """The date typed, or the error to show (its code and the box it is about, never what was typed)."""
    raw = boxes.raw()
    typed = raw if isinstance(raw, DateInput) else DateInput("", "", "")
    try:
        return date_parts(*typed, today=today, not_future=True)
    except Invalid as invalid:
        params = dict(invalid.params)
        part = params.pop("part", None)
        return FieldError(FIELD_ID, invalid.code, params, str(part) if part else None)


def date_error_text(context: ScreenContext, error: FieldError) -> str:
    """The form's own message for a date error ("Enter the year", "The date must be today or in the past")."""
    return error_text(error, "date", t=context.t, definition=lambda text: definition_text(text, context.language))


def ltr(text: str, rtl: bool) -> str:
    """`text` (a code, a date) kept left to right inside a right-to-left page."""
    return f"{LEFT_TO_RIGHT_ISOLATE}{text}{POP_ISOLATE}" if rtl else text


def code_text(code: str, rtl: bool) -> str:
    """A code in its groups, as the confirmation shows a reference."""
    return ltr("-".join(for_speech(code)), rtl)


def code_for_speech(code: str) -> str:
    """Read group by group, with a pause between groups."""
    return ", ".join(for_speech(code))


def without_isolates(text: str) -> str:
    return text.replace(LEFT_TO_RIGHT_ISOLATE, "").replace(POP_ISOLATE, "")
