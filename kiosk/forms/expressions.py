"""The form expression language of service definitions: `parse()` once at load time, then evaluate many times.

Show-if (`relevant`), required-if, constraints and calculations follow XLSForm/ODK conventions, e.g.
`${age} >= 18 and selected(${documents}, 'passport')`. Parsing checks everything that can be checked without answers
and raises `ExpressionError` with a position; evaluation never raises (see `expr_eval`). The language is written up
for service designers in docs/services.md. Our own parser, never Python's `eval`: definitions are data.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.forms.expr_eval import Scope, evaluate, truthy
from kiosk.forms.expr_parser import ARITY, MAX_DEPTH, MAX_SOURCE_LENGTH, parse_tree, too_deep
from kiosk.forms.expr_tokenizer import ExpressionError
from kiosk.forms.expr_tree import Current, Node, Reference, Value, children

__all__ = [
    "FUNCTION_NAMES",
    "MAX_DEPTH",
    "MAX_SOURCE_LENGTH",
    "Expression",
    "ExpressionError",
    "MappingScope",
    "Scope",
    "Value",
    "parse",
]

FUNCTION_NAMES: frozenset[str] = frozenset(ARITY)


@dataclass(frozen=True, repr=False)
class Expression:
    """A parsed expression: its `source` text and immutable syntax tree. Equal sources parse to equal expressions."""

    source: str
    root: Node
    _references: tuple[tuple[str, int], ...] = field(compare=False)
    _uses_current: bool = field(compare=False)

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"

    def references(self) -> frozenset[str]:
        """Every field name used as `${name}`."""
        return frozenset(name for name, _ in self._references)

    def reference_positions(self) -> tuple[tuple[str, int], ...]:
        """Each `${name}` as (name, position of its `$`), in source order, for pointing at unknown fields."""
        return self._references

    def uses_current(self) -> bool:
        """Whether `.` (the answer being validated) appears."""
        return self._uses_current

    def evaluate(self, scope: Scope) -> Value:
        """The value for these answers; never raises (a mismatch or missing answer gives None or false)."""
        return evaluate(self.root, scope)

    def is_true(self, scope: Scope) -> bool:
        """The value's truthiness, as show-if, required-if and constraints use it."""
        return truthy(self.evaluate(scope))


def parse(source: str) -> Expression:
    """Parse and check `source`; raises `ExpressionError` (and nothing else) for any text that is not valid."""
    root = parse_tree(source)
    # Iterative, so the depth check itself cannot recurse too deeply; evaluation then recurses at most MAX_DEPTH.
    references: list[tuple[str, int]] = []
    uses_current = False
    stack: list[tuple[Node, int]] = [(root, 0)]  # depth = number of enclosing nodes
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise too_deep(node.position, source)
        if isinstance(node, Reference):
            references.append((node.name, node.position))
        uses_current = uses_current or isinstance(node, Current)
        stack.extend((child, depth + 1) for child in children(node))
    references.sort(key=lambda item: item[1])
    return Expression(source, root, tuple(references), uses_current)


class MappingScope:
    """A `Scope` over a plain mapping of answers (for tests and the command line); unknown names are unanswered."""

    __slots__ = ("_answers", "_current", "_today")

    def __init__(self, answers: Mapping[str, Value], *, current: Value = None, today: datetime.date) -> None:
        self._answers = dict(answers)
        self._current = current
        self._today = today

    def value(self, name: str) -> Value:
        return self._answers.get(name)

    @property
    def current(self) -> Value:
        return self._current

    @property
    def today(self) -> datetime.date:
        return self._today
