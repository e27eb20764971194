"""Answers as people read them (the check page), and stored answers back as raw input (to fill a page again).

Qt-free. Dates read "2 March 1950" in each language (month names from the UI catalog, `date.month.1` ... `12`);
numbers use the language's decimal mark; yes/no, "I do not know", "Not provided" and "Hidden" are UI strings; choices
show their labels, an address its lines. Nothing here ever interprets an answer as markup: the screens show these
strings as plain text.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal

from kiosk.catalog.model import Question, Text
from kiosk.forms.answers import UNKNOWN, Address, AddressInput, Answer, DateInput, Raw, Unknown
from kiosk.receipts import format_phone

Translate = Callable[[str], str]  # a UI string in the page's language
Definition = Callable[[Text], str]  # a definition's text in the page's language (with its fallback)

# Day, month name, year; French writes the first day of a month "1er", Ukrainian ends with "р." (рік, year).
_DATE_PATTERNS = {
    "pt": "{d} de {m} de {y}",
    "es": "{d} de {m} de {y}",
    "en": "{d} {m} {y}",
    "fr": "{d} {m} {y}",
    "uk": "{d} {m} {y} р.",
    "ar": "{d} {m} {y}",
}
_DECIMAL_COMMA = frozenset({"pt", "es", "fr", "uk"})
MONTH_KEYS = tuple(f"date.month.{n}" for n in range(1, 13))
BREAK_EVERY = 16  # characters of a word after which a line may break


def _base(lang: str) -> str:
    return lang.split("-", maxsplit=1)[0]


def format_date(date: datetime.date, lang: str, t: Translate) -> str:
    day = "1er" if date.day == 1 and _base(lang) == "fr" else str(date.day)
    pattern = _DATE_PATTERNS.get(_base(lang), "{d} {m} {y}")
    return pattern.format(d=day, m=t(MONTH_KEYS[date.month - 1]), y=f"{date.year:04d}")


def format_number(value: float, lang: str) -> str:
    """Whole numbers as typed digits; decimals with the language's mark ("1234,5" in Portuguese), never an exponent."""
    text = _decimal_text(value)
    return text.replace(".", ",") if _base(lang) in _DECIMAL_COMMA else text


def _decimal_text(value: float, *, unambiguous: bool = False) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    whole, _, fraction = format(Decimal(repr(float(value))), "f").partition(".")
    fraction = fraction.rstrip("0")
    if unambiguous and len(fraction) == 3:
        fraction += "0"  # "1.001" could be read as a thousand and one: the validator would ask which
    return f"{whole}.{fraction}"


def raw_for_answer(question: Question | None, value: Answer) -> Raw:
    """A stored (normalised) answer as the raw input that gives it back, to show it on its page again."""
    raw: Raw = value if isinstance(value, str | tuple) else None
    if isinstance(value, Unknown):
        raw = UNKNOWN
    elif isinstance(value, datetime.date):
        raw = DateInput(str(value.day), str(value.month), f"{value.year:04d}")
    elif isinstance(value, Address):
        raw = AddressInput(*value)
    elif isinstance(value, bool):
        yes_no = question is not None and question.type == "yes-no"
        raw = ("yes" if value else "no") if yes_no else value
    elif isinstance(value, int | float):
        raw = _decimal_text(value, unambiguous=True)  # a decimal point: every keyboard and the validator accept it
    return raw


def answer_text(question: Question, value: Answer | None, *, lang: str, t: Translate, definition: Definition) -> str:
    """One answer for the check page (several lines for a multiple choice or an address)."""
    if question.private:
        return t("check.hidden")  # never shown, whatever was typed
    if value is None:
        return t("check.not_provided")
    if isinstance(value, str):
        return _text_answer(question, value, t, definition)
    text = t("form.unknown")
    if isinstance(value, Address):
        first = " ".join(part for part in (value.street, value.number) if part)
        text = "\n".join(part for part in (first, value.floor, f"{value.postcode} {value.locality}") if part)
    elif isinstance(value, datetime.date):
        text = format_date(value, lang, t)
    elif isinstance(value, bool):
        consent = question.type == "consent"
        text = t(("check.consent_given" if consent else "form.yes") if value else "form.no")
    elif isinstance(value, int | float):
        text = format_number(value, lang)
    elif isinstance(value, tuple):
        text = "\n".join(_choice_text(question, item, definition) for item in value)
    return text


def _text_answer(question: Question, value: str, t: Translate, definition: Definition) -> str:
    if question.type == "yes-no" and value in ("yes", "no"):
        return t(f"form.{value}")
    if question.type == "choice":
        return _choice_text(question, value, definition)
    if question.type == "phone":
        return format_phone(value)
    return value


ZERO_WIDTH_SPACE = "\u200b"
_LONG_RUN = re.compile(rf"\S{{{BREAK_EVERY + 1},}}")


def breakable(text: str) -> str:
    """`text` with invisible break opportunities inside very long words (a pasted link, a hostile answer), so a
    wrapping label never grows wider than the page. Display only: what was stored is unchanged."""
    return _LONG_RUN.sub(lambda run: ZERO_WIDTH_SPACE.join(_chunks(run.group(), BREAK_EVERY)), text)


def _chunks(word: str, size: int) -> list[str]:
    return [word[i : i + size] for i in range(0, len(word), size)]


def _choice_text(question: Question, value: str, definition: Definition) -> str:
    choice = question.choice(value)
    return definition(choice.label) if choice is not None else value
