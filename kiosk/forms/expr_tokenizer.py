"""The tokenizer of the form expression language, and `ExpressionError`, the one error every parsing stage raises.

Turning text into tokens is the first stage of parsing and the first that can refuse a definition; it is kept apart
from the recursive-descent parser (`expr_parser`) so each reads on its own. Its hints answer the slips designers used
to other languages make (`==`, `&&`, `/`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_INTEGER_DIGITS = 300  # numbers stay far inside float range, so no conversion can overflow

KEYWORDS = frozenset({"or", "and", "div", "mod"})

_DIGITS = frozenset("0123456789")
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
# A hyphen continues a word only before a letter, so `5 mod-1` is `5 mod -1` while `count-selected` stays one word.
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*")
_TWO_CHAR_OPERATORS = frozenset({"!=", "<=", ">="})
_ONE_CHAR_TOKENS = frozenset("=<>+-*(),")
_HINTS = {
    "==": "use '=' to compare, not '=='",
    "=>": "use '>=', not '=>'",
    "=<": "use '<=', not '=<'",
    "<>": "use '!=', not '<>'",
    "&&": "use 'and' instead of '&&'",
    "||": "use 'or' instead of '||'",
}
_CHAR_HINTS = {"/": " (use 'div' to divide)", "%": " (use 'mod' for the remainder)", "!": " (use 'not(...)' or '!=')"}


class ExpressionError(ValueError):
    """A syntax or static error: `message`, `position` (0-based character offset into `source`) and `source`."""

    def __init__(self, message: str, position: int, source: str) -> None:
        super().__init__(message, position, source)
        self.message = message
        self.position = position
        self.source = source

    def __str__(self) -> str:
        return f"{self.message} at position {self.position}"

    def pointer(self) -> str:
        """The source on one line and a caret under the error position, for error reports."""
        shown = "".join(" " if ch.isspace() else ch for ch in self.source)
        return f"{shown}\n{' ' * self.position}^"


# --- tokens ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # number, string, ref, current, word, op, (, ), ",", end
    text: str  # the lexeme; for a string its contents, for a ref the field name
    position: int


def tokenize(source: str) -> list[Token]:
    """The tokens of `source`, ending with an "end" token; raises `ExpressionError` for text that is no token."""
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        pair = source[i : i + 2]
        if ch.isspace():
            i += 1
        elif ch in _DIGITS or (ch == "." and source[i + 1 : i + 2] in _DIGITS):
            i = _number(source, i, tokens)
        elif ch == ".":
            tokens.append(Token("current", ".", i))
            i += 1
        elif ch in "'\"":
            end = source.find(ch, i + 1)
            if end < 0:
                raise ExpressionError(f"text in quotes is missing its closing {ch}", i, source)
            tokens.append(Token("string", source[i + 1 : end], i))
            i = end + 1
        elif ch == "$":
            i = _reference(source, i, tokens)
        elif pair in _HINTS:
            raise ExpressionError(_HINTS[pair], i, source)
        elif pair in _TWO_CHAR_OPERATORS:
            tokens.append(Token("op", pair, i))
            i += 2
        elif ch in _ONE_CHAR_TOKENS:
            tokens.append(Token("op" if ch in "=<>+-*" else ch, ch, i))
            i += 1
        elif match := _WORD.match(source, i):
            word = match.group()
            tokens.append(Token("op" if word in KEYWORDS else "word", word, i))
            i = match.end()
        else:
            raise ExpressionError(f"unexpected character {ch!r}{_CHAR_HINTS.get(ch, '')}", i, source)
    tokens.append(Token("end", "", n))
    return tokens


def _number(source: str, start: int, tokens: list[Token]) -> int:
    i = start
    while i < len(source) and source[i] in _DIGITS:
        i += 1
    if i - start > MAX_INTEGER_DIGITS:
        raise ExpressionError(f"number is too large (more than {MAX_INTEGER_DIGITS} digits)", start, source)
    if i < len(source) and source[i] == ".":
        i += 1
        digits_start = i
        while i < len(source) and source[i] in _DIGITS:
            i += 1
        if i == digits_start:
            raise ExpressionError("a number needs digits after its decimal point", start, source)
    tokens.append(Token("number", source[start:i], start))
    return i


def _reference(source: str, start: int, tokens: list[Token]) -> int:
    if source[start + 1 : start + 2] != "{":
        raise ExpressionError("'$' must start a field reference like ${name}", start, source)
    end = source.find("}", start + 2)
    if end < 0:
        raise ExpressionError("field reference is missing its closing '}'", start, source)
    name = source[start + 2 : end]
    if not name:
        raise ExpressionError("empty field reference '${}'", start, source)
    if not _FIELD_NAME.fullmatch(name):
        raise ExpressionError(f"invalid field name {name!r}", start, source)
    tokens.append(Token("ref", name, start))
    return end + 1
