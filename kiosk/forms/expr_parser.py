"""Recursive-descent parser of the form expression language: text in, immutable syntax tree (`expr_tree`) out.

Service definitions are parsed once, at load time: every syntax problem, unknown function, wrong argument count, bad
date literal or bad literal regex pattern is an `ExpressionError` with the offending character position, so a broken
definition is refused before any citizen sees it. The grammar is in docs/services.md. No Python `eval` is used. The
tokens come from `expr_tokenizer`; the parser is one recursive unit, one method per precedence level, so it stays whole.
"""

from __future__ import annotations

import datetime
import difflib
import re

from kiosk.forms.expr_tokenizer import KEYWORDS, ExpressionError, Token, tokenize
from kiosk.forms.expr_tree import Call, Chain, Current, Literal, Negate, Node, Reference

MAX_SOURCE_LENGTH = 4000
MAX_DEPTH = 50

# Lowest to highest precedence; every level is left-associative and parsed into one flat `Chain`.
BINARY_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"or"}),
    frozenset({"and"}),
    frozenset({"=", "!="}),
    frozenset({"<", "<=", ">", ">="}),
    frozenset({"+", "-"}),
    frozenset({"*", "div", "mod"}),
)
# name -> (fewest, most) arguments; None = no upper limit.
ARITY: dict[str, tuple[int, int | None]] = {
    "not": (1, 1),
    "selected": (2, 2),
    "count-selected": (1, 1),
    "string-length": (1, 1),
    "regex": (2, 2),
    "today": (0, 0),
    "if": (3, 3),
    "date": (1, 1),
    "coalesce": (2, 2),
    "concat": (1, None),
    "int": (1, 1),
    "number": (1, 1),
    "round": (2, 2),
    "count": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
}

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(text: str) -> datetime.date | None:
    """A 'YYYY-MM-DD' string (surrounding spaces allowed) as a date, else None."""
    text = text.strip()
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:  # e.g. 2023-02-30
        return None


def compile_pattern(pattern: str) -> re.Pattern[str] | str:
    """The compiled regular expression, or the reason it cannot be compiled; never raises."""
    try:
        return re.compile(pattern)
    except re.error as err:
        return err.msg
    except (OverflowError, RecursionError):  # a huge repeat count, or groups nested thousands deep
        return "too large or too deeply nested"
    except Warning as warning:  # only when warnings are errors, e.g. FutureWarning "Possible nested set"
        return str(warning)


# --- parser ----------------------------------------------------------------------------------------------------------


def parse_tree(source: str) -> Node:
    """The syntax tree of `source`; raises `ExpressionError` and nothing else. The caller checks the depth."""
    if not isinstance(source, str):  # definitions come from JSON, where a number or list may stand in by mistake
        raise ExpressionError(f"an expression must be text, not {type(source).__name__}", 0, "")
    if len(source) > MAX_SOURCE_LENGTH:
        message = f"expression is too long ({len(source)} characters; the limit is {MAX_SOURCE_LENGTH})"
        raise ExpressionError(message, MAX_SOURCE_LENGTH, source)
    return _Parser(source, tokenize(source)).parse()


def too_deep(position: int, source: str) -> ExpressionError:
    """The error for nesting beyond `MAX_DEPTH`: the parser's bracket count and the caller's depth check share it."""
    return ExpressionError(f"expression is nested too deeply (more than {MAX_DEPTH} levels)", position, source)


class _Parser:
    """Recursive descent, one method per precedence level; `nesting` bounds the recursion (brackets, calls, `-`)."""

    def __init__(self, source: str, tokens: list[Token]) -> None:
        self.source = source
        self.tokens = tokens
        self.index = 0
        self.nesting = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def error(self, message: str, position: int) -> ExpressionError:
        return ExpressionError(message, position, self.source)

    def enter(self, position: int) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise too_deep(position, self.source)

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise self.error("empty expression", 0)
        node = self.binary(0)
        token = self.token
        if token.kind == "end":
            return node
        if token.kind == ")":
            raise self.error("unmatched ')'", token.position)
        if token.kind == ",":
            raise self.error("unexpected ',' outside a function call", token.position)
        if token.kind == "word" and token.text.lower() in KEYWORDS:
            hint = f"operators are written in lower case: {token.text.lower()!r}"
            raise self.error(f"expected an operator before {token.text!r} ({hint})", token.position)
        raise self.error(f"expected an operator before {_describe(token)}", token.position)

    def binary(self, level: int) -> Node:
        if level == len(BINARY_LEVELS):
            return self.unary()
        operands = [self.binary(level + 1)]
        operators: list[str] = []
        position = self.token.position
        while self.token.kind == "op" and self.token.text in BINARY_LEVELS[level]:
            operators.append(self.advance().text)
            operands.append(self.binary(level + 1))
        return Chain(tuple(operands), tuple(operators), position) if operators else operands[0]

    def unary(self) -> Node:
        token = self.token
        if token.kind == "op" and token.text == "-":
            self.advance()
            self.enter(token.position)
            operand = self.unary()
            self.nesting -= 1
            return Negate(operand, token.position)
        return self.primary()

    def primary(self) -> Node:
        token = self.advance()
        kind, text, position = token.kind, token.text, token.position
        if kind == "number":
            return Literal(float(text) if "." in text else int(text), position)
        if kind == "string":
            return Literal(text, position)
        if kind == "ref":
            return Reference(text, position)
        if kind == "current":
            return Current(position)
        if kind == "(":
            self.enter(position)
            node = self.binary(0)
            if self.token.kind != ")":
                raise self.error("expected ')' to close the bracket", self.token.position)
            self.advance()
            self.nesting -= 1
            return node
        if kind == "word":
            if self.token.kind == "(":
                return self.call(token)
            raise self.error(_lone_word(text), position)
        if kind == "op":
            raise self.error(f"{text!r} needs a value on its left", position)
        if kind == "end":
            raise self.error("unexpected end of expression", position)
        raise self.error(f"expected a value before {text!r}", position)

    def call(self, name_token: Token) -> Node:
        name, position = name_token.text, name_token.position
        if name not in ARITY:
            raise self.error(_unknown_function(name), position)
        self.advance()  # the "("
        self.enter(position)
        args: list[Node] = []
        if self.token.kind != ")":
            args.append(self.binary(0))
            while self.token.kind == ",":
                self.advance()
                args.append(self.binary(0))
        if self.token.kind != ")":
            raise self.error(f"expected ')' to close the call of {name!r}", self.token.position)
        self.advance()
        self.nesting -= 1
        fewest, most = ARITY[name]
        if len(args) < fewest or (most is not None and len(args) > most):
            raise self.error(f"{name!r} takes {_arguments(fewest, most)}, not {len(args)}", position)
        return self.fold(name, tuple(args), position)

    def fold(self, name: str, args: tuple[Node, ...], position: int) -> Node:
        """Turn constant calls into literals and compile literal regex patterns, reporting bad ones now."""
        if name in ("true", "false"):
            return Literal(name == "true", position)
        last = args[-1] if args else None
        if name == "date" and isinstance(last, Literal) and isinstance(last.value, str):
            day = parse_iso_date(last.value)
            if day is None:
                raise self.error(f"invalid date {last.value!r}: write it as 'YYYY-MM-DD'", last.position)
            return Literal(day, position)
        if name == "regex" and isinstance(last, Literal) and isinstance(last.value, str):
            pattern = compile_pattern(last.value)
            if isinstance(pattern, str):
                raise self.error(f"invalid regular expression: {pattern}", last.position)
            return Call(name, args, position, pattern)
        return Call(name, args, position)


def _describe(token: Token) -> str:
    if token.kind == "string":
        return f"the text {token.text!r}"
    if token.kind == "ref":
        return "${" + token.text + "}"
    return repr(token.text)


def _lone_word(word: str) -> str:
    if word in ARITY:
        return f"{word!r} is a function: write {word}({'' if ARITY[word][1] == 0 else '...'})"
    if word.lower() in KEYWORDS:
        return f"{word!r} is not known (operators are written in lower case: {word.lower()!r})"
    return f"unknown word {word!r} (write ${{{word}}} for a field, '{word}' for a text)"


def _unknown_function(name: str) -> str:
    close = difflib.get_close_matches(name.lower(), ARITY, n=1, cutoff=0.75)
    return f"unknown function {name!r}" + (f" (did you mean {close[0]!r}?)" if close else "")


def _arguments(fewest: int, most: int | None) -> str:
    if most is None:
        return f"at least {fewest} argument" + ("s" if fewest != 1 else "")
    if most == 0:
        return "no arguments"
    return f"{most} argument" + ("s" if most != 1 else "")
