"""Evaluation of parsed expressions with XLSForm-like value semantics that never raise.

A show-if, required-if or constraint is evaluated on every answer change of a citizen's session; an exception there
would stop the kiosk mid-form. So every operation is total: a missing answer, a type mismatch, a division by zero, an
overflowing number or a bad runtime regex pattern gives None (or false), as ODK gives NaN or false. The semantics are
documented for service designers in docs/services.md.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Context, Decimal, DecimalException
from typing import Protocol

from kiosk.forms.expr_parser import compile_pattern, parse_iso_date
from kiosk.forms.expr_tokenizer import MAX_INTEGER_DIGITS
from kiosk.forms.expr_tree import Call, Chain, Current, Literal, Negate, Node, Reference, Value

Number = int | float

_INT_LIMIT = 10**MAX_INTEGER_DIGITS  # keeps int -> float and int -> str conversions safe
_NUMERIC_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")  # [0-9], not \d: no Unicode digits
_EPOCH = datetime.date(1970, 1, 1)
_DECIMAL = Context(prec=400)  # enough digits for any bounded number rounded to 15 places
_MAX_ROUND_PLACES = 15  # a float has no more significant decimals than this


class Scope(Protocol):
    """Where an expression finds answers: by field name, the answer being validated (`.`), and today's date."""

    def value(self, name: str) -> Value: ...

    @property
    def current(self) -> Value: ...

    @property
    def today(self) -> datetime.date: ...


def evaluate(node: Node, scope: Scope) -> Value:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Reference):
        return normalise(scope.value(node.name))
    if isinstance(node, Current):
        return normalise(scope.current)
    if isinstance(node, Negate):
        return arithmetic("-", 0, evaluate(node.operand, scope))
    if isinstance(node, Chain):
        return _chain(node, scope)
    return _call(node, scope)


# --- values ----------------------------------------------------------------------------------------------------------


def normalise(raw: object) -> Value:
    """A scope's answer as a `Value`: datetimes become dates, lists tuples of texts, out-of-range numbers None."""
    if raw is None or isinstance(raw, bool | str):
        return raw
    if isinstance(raw, int | float):
        return _bounded(raw)
    if isinstance(raw, datetime.datetime):  # a datetime is a date, but cannot be compared with one
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, tuple | list):
        return tuple(item for item in raw if isinstance(item, str))
    return None


def _bounded(number: Number) -> Number | None:
    if isinstance(number, int):
        return number if -_INT_LIMIT < number < _INT_LIMIT else None
    return number if math.isfinite(number) else None


def truthy(value: Value) -> bool:
    if value is None:
        return False
    if isinstance(value, bool | int | float):
        return value != 0
    if isinstance(value, str | tuple):
        return len(value) > 0
    return True  # a date


def text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)  # 4 div 2 shows as "2", not "2.0"
    if isinstance(value, tuple):
        return " ".join(value)  # how ODK stores a multiple choice
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def as_number(value: Value) -> Number | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        stripped = value.strip()
        if len(stripped) > MAX_INTEGER_DIGITS or not _NUMERIC_TEXT.fullmatch(stripped):
            return None
        return _bounded(float(stripped)) if "." in stripped else int(stripped)
    return None


def as_date(value: Value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return parse_iso_date(value)
    return None


def _empty(value: Value) -> bool:
    return value is None or value in ("", ())


# --- operators -------------------------------------------------------------------------------------------------------


def _chain(node: Chain, scope: Scope) -> Value:
    first = node.operators[0]
    if first in ("or", "and"):  # short-circuit; the whole chain has one operator
        stop_at = first == "or"
        for operand in node.operands:
            if truthy(evaluate(operand, scope)) is stop_at:
                return stop_at
        return not stop_at
    result = evaluate(node.operands[0], scope)
    for operator, operand in zip(node.operators, node.operands[1:], strict=True):
        right = evaluate(operand, scope)
        if operator == "=":
            result = equal(result, right)
        elif operator == "!=":
            result = not equal(result, right)
        elif operator in _RELATIONS:
            order = _order(result, right)
            result = order is not None and _RELATIONS[operator](order)
        else:
            result = arithmetic(operator, result, right)
    return result


_RELATIONS: dict[str, Callable[[int], bool]] = {
    "<": lambda order: order < 0,
    "<=": lambda order: order <= 0,
    ">": lambda order: order > 0,
    ">=": lambda order: order >= 0,
}


def equal(left: Value, right: Value) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        if isinstance(left, str) or isinstance(right, str):  # ${agree} = 'no' must not be true (XPath says it is)
            return text(left) == text(right)
        return truthy(left) == truthy(right)
    if isinstance(left, int | float) or isinstance(right, int | float):
        x, y = as_number(left), as_number(right)
        return x is not None and y is not None and x == y
    if isinstance(left, datetime.date) or isinstance(right, datetime.date):
        d, e = as_date(left), as_date(right)
        return d is not None and d == e
    return text(left) == text(right)  # None equals '' and an empty selection


def _order(left: Value, right: Value) -> int | None:
    """-1, 0 or 1 when the two values can be ordered, else None (the comparison is then false)."""
    if _empty(left) or _empty(right) or isinstance(left, tuple) or isinstance(right, tuple):
        return None
    if isinstance(left, datetime.date) or isinstance(right, datetime.date):
        d, e = as_date(left), as_date(right)
        return None if d is None or e is None else (d > e) - (d < e)
    x, y = as_number(left), as_number(right)
    if x is not None and y is not None:
        return (x > y) - (x < y)
    if isinstance(left, str) and isinstance(right, str):
        return (left > right) - (left < right)
    return None  # a number against a text that is not a number


def arithmetic(operator: str, left: Value, right: Value) -> Value:
    if isinstance(left, datetime.date) or isinstance(right, datetime.date):
        return _date_arithmetic(operator, left, right)
    x, y = as_number(left), as_number(right)
    if x is None or y is None:
        return None
    try:
        result = _NUMBER_OPERATIONS[operator](x, y)
    except ArithmeticError:  # ZeroDivisionError, OverflowError
        return None
    return None if result is None else _bounded(result)


def _divide(x: Number, y: Number) -> Number | None:
    if y == 0:
        return None
    if isinstance(x, int) and isinstance(y, int) and x % y == 0:
        return x // y  # keep exact whole numbers whole
    return x / y


def _remainder(x: Number, y: Number) -> Number | None:
    if y == 0:
        return None
    if isinstance(x, int) and isinstance(y, int):
        remainder = abs(x) % abs(y)
        return -remainder if x < 0 else remainder  # sign of the left value, as XPath (and unlike Python's %)
    return math.fmod(x, y)


_NUMBER_OPERATIONS: dict[str, Callable[[Number, Number], Number | None]] = {
    "+": lambda x, y: x + y,
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
    "div": _divide,
    "mod": _remainder,
}


def _date_arithmetic(operator: str, left: Value, right: Value) -> Value:
    if operator == "-":
        d, e = as_date(left), as_date(right)
        if d is not None and e is not None:
            return (d - e).days
    if operator in ("+", "-") and isinstance(left, datetime.date) and not isinstance(right, datetime.date):
        return _shift(left, right, 1 if operator == "+" else -1)
    if operator == "+" and isinstance(right, datetime.date) and not isinstance(left, datetime.date):
        return _shift(right, left, 1)
    return None


def _shift(day: datetime.date, days: Value, sign: int) -> datetime.date | None:
    n = as_number(days)
    if n is None or (isinstance(n, float) and not n.is_integer()):
        return None
    try:
        return day + datetime.timedelta(days=sign * int(n))
    except OverflowError:  # before year 1 or after year 9999
        return None


# --- functions -------------------------------------------------------------------------------------------------------


def _call(node: Call, scope: Scope) -> Value:
    if node.name == "if":  # only the chosen branch is evaluated
        condition, then, otherwise = node.args
        return evaluate(then if truthy(evaluate(condition, scope)) else otherwise, scope)
    if node.name == "today":
        today = normalise(scope.today)
        return today if isinstance(today, datetime.date) else None
    args = [evaluate(arg, scope) for arg in node.args]
    if node.name == "regex":
        return _regex(args[0], node.pattern if node.pattern is not None else args[1])
    return FUNCTIONS[node.name](args)


def _regex(subject: Value, pattern: re.Pattern[str] | Value) -> bool | None:
    compiled = pattern if isinstance(pattern, re.Pattern) else compile_pattern(text(pattern))
    return None if isinstance(compiled, str) else compiled.search(text(subject)) is not None


def _selected(selection: Value, choice: Value) -> bool:
    if isinstance(selection, tuple):
        return text(choice) in selection
    return not _empty(selection) and text(selection) == text(choice)


def _count_selected(selection: Value) -> int:
    return len(selection) if isinstance(selection, tuple) else len(text(selection).split())


def _to_date(value: Value) -> datetime.date | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _shift(_EPOCH, value, 1)  # days since 1970-01-01, as in ODK
    return as_date(value)


def _integer(value: Value) -> int | None:
    number = as_number(value)
    if number is None:
        return None
    whole = _bounded(int(number))  # int() truncates towards zero
    return whole if isinstance(whole, int) else None


def _round(value: Value, digits: Value) -> Number | None:
    number, places = as_number(value), as_number(digits)
    if number is None or places is None:
        return None
    places = max(int(places), -MAX_INTEGER_DIGITS)
    if places > _MAX_ROUND_PLACES or (places >= 0 and isinstance(number, int)):
        return number
    exact = Decimal(repr(number)) if isinstance(number, float) else Decimal(number)
    try:  # Decimal rounds half away from zero (2.5 -> 3, 2.675 -> 2.68); Python's round() rounds half to even
        rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_DECIMAL)
    except DecimalException:
        return None
    return _bounded(int(rounded) if places <= 0 else float(rounded))


def _count(value: Value) -> int:
    if isinstance(value, tuple):
        return len(value)
    return 0 if value is None else 1


# Every function of `ARITY` except `if`, `today` and `regex`, which `_call` handles itself.
FUNCTIONS: dict[str, Callable[[list[Value]], Value]] = {
    "not": lambda args: not truthy(args[0]),
    "selected": lambda args: _selected(args[0], args[1]),
    "count-selected": lambda args: _count_selected(args[0]),
    "string-length": lambda args: len(text(args[0])),
    "date": lambda args: _to_date(args[0]),
    "coalesce": lambda args: args[1] if _empty(args[0]) else args[0],
    "concat": lambda args: "".join(text(arg) for arg in args),
    "int": lambda args: _integer(args[0]),
    "number": lambda args: as_number(args[0]),
    "round": lambda args: _round(args[0], args[1]),
    "count": lambda args: _count(args[0]),
    "true": lambda args: True,
    "false": lambda args: False,
}
