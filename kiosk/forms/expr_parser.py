"""Tokenizer, recursive-descent parser and immutable syntax tree of the form expression language.

Service definitions are parsed once, at load time: every syntax problem, unknown function, wrong argument count, bad
date literal or bad literal regex pattern is an `ExpressionError` with the offending character position, so a broken
definition is refused before any citizen sees it. The grammar is in docs/services.md. No Python `eval` is used.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass

Value = None | bool | int | float | str | datetime.date | tuple[str, ...]

MAX_SOURCE_LENGTH = 4000
MAX_DEPTH = 50
MAX_INTEGER_DIGITS = 300  # numbers stay far inside float range, so no conversion can overflow

# Lowest to highest precedence; every level is left-associative and parsed into one flat `Chain`.
BINARY_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"or"}),
    frozenset({"and"}),
    frozenset({"=", "!="}),
    frozenset({"<", "<=", ">", ">="}),
    frozenset({"+", "-"}),
    frozenset({"*", "div", "mod"}),
)
KEYWORDS = frozenset({"or", "and", "div", "mod"})
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

_DIGITS = frozenset("0123456789")
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
# A hyphen continues a word only before a letter, so `5 mod-1` is `5 mod -1` while `count-selected` stays one word.
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
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


# --- the syntax tree: frozen, so an Expression can be shared and compared ---------------------------------------------


class _Node:
    """Pickles as (class, field values): the catalog cache (kiosk/catalog/cache.py) rebuilds tens of thousands of
    nodes per start, and the generic dataclass state restore looks its fields up again for every one of them."""

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        fields: tuple[str, ...] = self.__slots__  # a dataclass's slots are its fields, in order
        return (self.__class__, tuple(getattr(self, name) for name in fields))


@dataclass(frozen=True, slots=True)
class Literal(_Node):
    value: Value
    position: int


@dataclass(frozen=True, slots=True)
class Reference(_Node):
    name: str
    position: int


@dataclass(frozen=True, slots=True)
class Current(_Node):
    position: int


@dataclass(frozen=True, slots=True)
class Negate(_Node):
    operand: Node
    position: int


@dataclass(frozen=True, slots=True)
class Chain(_Node):
    """`operands[0] operators[0] operands[1] ...`, evaluated left to right; all operators share one precedence level."""

    operands: tuple[Node, ...]
    operators: tuple[str, ...]
    position: int


@dataclass(frozen=True, slots=True)
class Call(_Node):
    name: str
    args: tuple[Node, ...]
    position: int
    pattern: re.Pattern[str] | None = None  # regex() with a literal pattern, compiled once here


Node = Literal | Reference | Current | Negate | Chain | Call


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-expressions of `node`."""
    if isinstance(node, Negate):
        return (node.operand,)
    if isinstance(node, Chain):
        return node.operands
    if isinstance(node, Call):
        return node.args
    return ()


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
