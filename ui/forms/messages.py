"""The text of a form error: `errors.<code>` from the UI catalog with its limits filled in.

`FieldError`s carry a code and limits only (never what was typed). A few codes need a more precise key: a missing
part of a date names the part (`errors.date.missing.day`), an unanswered choice asks to select rather than to type
(`errors.required.select`), and a failed constraint shows the service designer's `constraint_message` when there is
one. An unknown code (a validator newer than the catalog) falls back to a general message rather than failing.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.catalog.model import Text
from kiosk.forms.answers import FieldError
from kiosk.forms.validators import INVALID_CODES

# Question types answered by choosing, not typing (and the flow's "add another?" page).
SELECT_TYPES = frozenset({"yes-no", "choice", "multiple-choice", "add-another"})
DATE_PARTS = ("day", "month", "year")
ADDRESS_CODES = tuple(f"address.{part}.missing" for part in ("street", "number", "postcode", "locality"))
FLOW_CODES = ("required", "consent.required", "constraint", "choice.unknown", "repeat.min", "text.format")


def message_keys() -> list[str]:
    """Every key an error can be shown with (the locale tests check each exists in every language)."""
    keys = {f"errors.{code}" for code in (*INVALID_CODES, *FLOW_CODES, *ADDRESS_CODES) if code != "date.missing"}
    keys |= {f"errors.date.missing.{part}" for part in DATE_PARTS}
    keys |= {"errors.required.select", "errors.invalid"}
    return sorted(keys)


def message_key(error: FieldError, question_type: str) -> str:
    if error.code == "date.missing":
        return f"errors.date.missing.{error.part if error.part in DATE_PARTS else 'day'}"
    if error.code == "required" and question_type in SELECT_TYPES:
        return "errors.required.select"
    return f"errors.{error.code}"


def _param(value: object) -> object:
    # Limits come from definitions as floats ("max": 20.0): people read "20".
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def error_text(
    error: FieldError, question_type: str, *, t: Callable[..., str], definition: Callable[[Text], str]
) -> str:
    """The message for `error` on a page of `question_type` (`t(key, **params)` in the page's language)."""
    if error.code == "constraint" and error.message is not None:
        return definition(error.message)
    params = {name: _param(value) for name, value in error.params.items()}
    try:
        return t(message_key(error, question_type), **params)
    except (KeyError, IndexError):  # a code or a placeholder the catalog does not know yet
        return t("errors.invalid")
