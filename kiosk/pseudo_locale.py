"""A pseudo-locale for layout tests: English made longer, accented and bracketed, never offered to citizens.

Translations run longer than English (German and Portuguese often by 30-40 %); a screen that fits English can clip
in them. The pseudo-locale makes every UI string about 40 % longer while keeping it readable ("[Çôñţîñûé one two]"),
so a test or a screenshot shows at once where text would be cut off, and the brackets show where a string was
truncated or glued together in code. Placeholders (`{name}`) and Unicode isolates stay as they are, so the strings
still format. Every accented letter is in the bundled Noto Sans (tests/test_pseudo_locale.py checks).

The language is registered only where a test or a screenshot asks for it (`with_pseudo_locale`); the kiosk's own
catalog and language switch never contain it. Catalog content (services, life events, tutorials) has no pseudo-locale
texts: `kiosk.catalog.model.Text` answers a lookup in it with `pseudo_content` of the English, so long titles and
summaries are tested for truncation too.
"""

import math
import re
from collections.abc import Mapping
from functools import lru_cache
from string import Formatter

from kiosk.i18n import FALLBACK_LANGUAGE, Catalog

PSEUDO_LANGUAGE = "en-XA"  # the conventional private-use code for an accented, expanded English
EXPANSION = 0.4  # +40 % characters
_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# Padding is words, not one long run of letters: real translations are longer sentences that wrap, not longer words.
_PADDING = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_PADDING_AND_BRACKETS = re.compile(r"(?:\s(?:" + "|".join(_PADDING) + r"))*\]|\[")


def pseudo_text(text: str) -> str:
    """English -> the pseudo-locale: accented letters, ~40 % longer with padding words, in brackets.

    "{n} characters left" -> "[{n} çĥåŕåçţéŕš ļéƒţ one two]": the placeholder is kept for `str.format`.
    """
    if not text:
        return text
    parts: list[str] = []
    for literal, field, spec, conversion in Formatter().parse(text):
        parts.append(literal.translate(_ACCENTED).replace("{", "{{").replace("}", "}}"))
        if field is not None:
            parts.append("{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}")
    return _padded("".join(parts), len(text))


# Content is never `str.format`ted: only these placeholders are filled in, by `str.replace` ("Child {n}").
_CONTENT_PLACEHOLDER = re.compile(r"(\{\w+\})")


@lru_cache(maxsize=4096)  # every content text on every page asks again
def pseudo_content(text: str) -> str:
    """Catalog content (a service's title, a tutorial step) in the pseudo-locale: like `pseudo_text`, but braces stay
    single (content is never formatted) and a lone brace is just a letter: "Child {n}" -> "[Çĥîļđ {n} one]"."""
    if not text:
        return text
    parts = _CONTENT_PLACEHOLDER.split(text)  # odd items are the placeholders
    body = "".join(part if index % 2 else part.translate(_ACCENTED) for index, part in enumerate(parts))
    return _padded(body, len(text))


def _padded(body: str, original_length: int) -> str:
    """`body` padded with words to at least 40 % more than the original's length, in brackets."""
    target = math.ceil(original_length * (1 + EXPANSION))
    padding: list[str] = []
    length = len(body) + 2  # the brackets
    while length < target:
        word = _PADDING[len(padding) % len(_PADDING)]
        padding.append(word)
        length += len(word) + 1
    return "[" + " ".join([body, *padding]) + "]"


def pseudo_core(text: str) -> str:
    """A pseudo-locale text without its brackets and padding words, to compare texts built from each other: the
    button "[Çĥåñĝé one]" is named "[Çĥåñĝé: What is your name? one two]", whose core contains "Çĥåñĝé"."""
    return _PADDING_AND_BRACKETS.sub("", text)


def pseudo_messages(english: Mapping[str, str]) -> dict[str, str]:
    """Every key of an English catalog in the pseudo-locale."""
    return {key: pseudo_text(text) for key, text in english.items()}


def with_pseudo_locale(catalog: Catalog) -> Catalog:
    """A copy of `catalog` that also knows `PSEUDO_LANGUAGE` (made from its English texts)."""
    messages = catalog.all_texts()
    messages[PSEUDO_LANGUAGE] = pseudo_messages(messages.get(FALLBACK_LANGUAGE, {}))
    return Catalog(messages)
