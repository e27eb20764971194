"""The immutable syntax tree of the form expression language: `Value`, the node types and `children()`.

The parser (`expr_parser`) builds these nodes and the evaluator (`expr_eval`) walks them; keeping them apart from both
lets the evaluator depend on the tree alone, not on tokenizing and parsing. The nodes are also what the catalog cache
pickles, so their module is part of its code digest (kiosk/catalog/cache.py).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

Value = None | bool | int | float | str | datetime.date | tuple[str, ...]


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
