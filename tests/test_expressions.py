"""The form expression language: parsing with exact error positions, and XLSForm-like evaluation that never raises."""

from __future__ import annotations

import dataclasses
import datetime
import math
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.forms.expressions import (
    FUNCTION_NAMES,
    MAX_DEPTH,
    MAX_SOURCE_LENGTH,
    ExpressionError,
    MappingScope,
    Value,
    parse,
)

ROOT = Path(__file__).resolve().parents[1]
TODAY = datetime.date(2024, 5, 1)
ANSWERS: dict[str, Value] = {
    "age": "19",  # typed in a text box: a string
    "age_n": 19,
    "name": "Ana",
    "empty": "",
    "docs": ("passport", "id"),
    "single": "passport",
    "none_selected": (),
    "birth": datetime.date(2000, 5, 1),
    "day": datetime.date(2024, 5, 20),
    "yes": True,
    "no": False,
    "price": 2.5,
    "num_text": "3.5",
    "text_date": "2024-02-29",
    "pattern": "n+",
    "bad_pattern": "[",
    "huge": 10**299,
    "big_float": 1e308,
}


def run(source: str, answers: dict[str, Value] | None = None, current: Value = None) -> Value:
    return parse(source).evaluate(MappingScope(ANSWERS if answers is None else answers, current=current, today=TODAY))


def same(actual: Value, expected: Value) -> bool:
    # True == 1 and 2 == 2.0 in Python: the type must match too.
    return type(actual) is type(expected) and actual == expected


# --- evaluation, table-driven ----------------------------------------------------------------------------------------

OPERATORS: list[tuple[str, Value]] = [
    ("1 or 0", True),
    ("0 or ''", False),
    ("${missing} or 1", True),
    ("1 and 'x'", True),
    ("1 and 0", False),
    ("1 = 1", True),
    ("1 = 2", False),
    ("1 != 1", False),
    ("'a' != 'b'", True),
    ("1 < 2", True),
    ("2 <= 2", True),
    ("3 > 2", True),
    ("2 >= 3", False),
    ("1 + 2", 3),
    ("5 - 7", -2),
    ("2 * 3.5", 7.0),
    ("7 div 2", 3.5),
    ("4 div 2", 2),
    ("7 mod 3", 1),
    ("-7 mod 3", -1),
    ("7 mod -3", 1),
    ("7.5 mod 2", 1.5),
    ("-(2)", -2),
    ("- - 3", 3),
    ("2 - -3", 5),
    ("5 mod-1", 0),
    ("${age_n}div 2", 9.5),
    (".5 + 1", 1.5),
]

PRECEDENCE: list[tuple[str, Value]] = [
    ("1 + 2 * 3", 7),
    ("(1 + 2) * 3", 9),
    ("10 - 3 - 2", 5),
    ("8 div 2 div 2", 2),
    ("2 * 3 mod 4", 2),
    ("-2 * 3", -6),
    ("- 2 + 3", 1),
    ("1 + 1 = 2", True),
    ("1 < 2 = 1", True),
    ("2 > 1 + 3", False),
    ("1 = 1 or 1 = 2 and 0", True),
    ("(1 = 1 or 1 = 2) and 0", False),
    ("0 and 1 or 1", True),
]

FUNCTIONS: list[tuple[str, Value]] = [
    ("not(0)", True),
    ("not('x')", False),
    ("not(${missing})", True),
    ("selected(${docs}, 'passport')", True),
    ("selected(${docs}, 'visa')", False),
    ("selected(${single}, 'passport')", True),
    ("selected(${missing}, 'passport')", False),
    ("selected(${none_selected}, '')", False),
    ("count-selected(${docs})", 2),
    ("count-selected(${single})", 1),
    ("count-selected(${missing})", 0),
    ("string-length(${name})", 3),
    ("string-length(${missing})", 0),
    ("string-length(12.50)", 4),
    ("string-length(${birth})", 10),
    ("regex(${name}, '^A')", True),
    ("regex(${name}, '^a')", False),
    ("regex(${missing}, '^$')", True),
    ("regex(12345, '^[0-9]{5}$')", True),
    ("regex(${name}, ${pattern})", True),
    ("regex(${name}, ${bad_pattern})", None),
    ("today()", TODAY),
    ("if(1, 'a', 'b')", "a"),
    ("if(${missing}, 'a', 'b')", "b"),
    ("if(1, 2, 1 div 0)", 2),
    ("date('2024-02-29')", datetime.date(2024, 2, 29)),
    ("date(${text_date})", datetime.date(2024, 2, 29)),
    ("date(${birth})", datetime.date(2000, 5, 1)),
    ("date(${name})", None),
    ("date(0)", datetime.date(1970, 1, 1)),
    ("date(31)", datetime.date(1970, 2, 1)),
    ("date(1.5)", None),
    ("date(true())", None),
    ("coalesce(${missing}, 'x')", "x"),
    ("coalesce('', 'x')", "x"),
    ("coalesce(${none_selected}, 0)", 0),
    ("coalesce(${name}, 'x')", "Ana"),
    ("concat('a')", "a"),
    ("concat(${name}, ' ', 1, true(), ${missing}, ${docs}, ' ', 4 div 2, 2.5)", "Ana 1truepassport id 22.5"),
    ("int(3.7)", 3),
    ("int(-3.7)", -3),
    ("int('12')", 12),
    ("int(true())", 1),
    ("int(${name})", None),
    ("number('3.5')", 3.5),
    ("number(' 7 ')", 7),
    ("number(false())", 0),
    ("number('abc')", None),
    ("number('')", None),
    ("number('1_000')", None),
    ("number('١٢')", None),  # Arabic-Indic digits are not numbers here, as in ODK
    ("round(2.5, 0)", 3),
    ("round(-2.5, 0)", -3),
    ("round(2.675, 2)", 2.68),
    ("round(1234, -2)", 1200),
    ("round(5, 2)", 5),
    ("round(1.23456, 99)", 1.23456),
    ("round('x', 1)", None),
    ("count(${docs})", 2),
    ("count(${none_selected})", 0),
    ("count(${missing})", 0),
    ("count(${name})", 1),
    ("true()", True),
    ("false()", False),
]

EMPTY_ANSWERS: list[tuple[str, Value]] = [
    ("${missing} = ''", True),
    ("${missing} != ''", False),
    ("${missing} = ${missing}", True),
    ("${none_selected} = ''", True),
    ("${missing} = false()", True),
    ("${missing} = 0", False),
    ("${missing} != 0", True),
    ("${missing} < 1", False),
    ("${missing} >= 1", False),
    ("${empty} < 'a'", False),
    ("${missing} + 1", None),
    ("-${missing}", None),
    ("${missing} * 0", None),
]

COERCION: list[tuple[str, Value]] = [
    ("${age} >= 18", True),
    ("${age} = 19", True),
    ("${age} = '19'", True),
    ("'19.0' = 19", True),
    ("'abc' = 0", False),
    ("'abc' != 0", True),
    ("'abc' < 1", False),
    ("'10' < '9'", False),
    ("'abc' < 'abd'", True),
    ("'10' < 'abc'", True),
    ("${num_text} * 2", 7.0),
    ("'2' + 3", 5),
    ("'a' + 1", None),
    ("true() + true()", 2),
    ("(${name} = 'Ana') + (${name} = 'x')", 1),
    ("${yes} = 'true'", True),
    ("${yes} = 'no'", False),
    ("${no} = false()", True),
    ("${yes} = 1", True),
    ("true() = ${docs}", True),
    ("${docs} = 'passport id'", True),
    ("${docs} = 'passport'", False),
    ("${docs} < 'z'", False),
    ("1 div 0", None),
    ("1 mod 0", None),
    ("1.5 div 0", None),
    ("${huge} + 1", 10**299 + 1),
    ("${huge} * ${huge}", None),
    ("${big_float} * 10", None),
    ("int(${big_float})", None),
]

DATES: list[tuple[str, Value]] = [
    ("${day} - ${birth}", 8785),
    ("${day} - today()", 19),
    ("today() + 30", datetime.date(2024, 5, 31)),
    ("30 + today()", datetime.date(2024, 5, 31)),
    ("today() - 1", datetime.date(2024, 4, 30)),
    ("today() + '2'", datetime.date(2024, 5, 3)),
    ("today() - '2024-04-01'", 30),
    ("'2024-05-02' - today()", 1),
    ("date('2024-03-01') - date('2024-02-01')", 29),
    ("today() + 1.5", None),
    ("today() * 2", None),
    ("today() + today()", None),
    ("5 - today()", None),
    ("-today()", None),
    ("today() + 10000000", None),
    ("today() = '2024-05-01'", True),
    ("today() > '2024-01-01'", True),
    ("today() < ${text_date}", False),
    ("today() < 'soon'", False),
    ("today() = 'soon'", False),
    ("today() > 5", False),
    ("today() = ${day}", False),
]


@pytest.mark.parametrize(("source", "expected"), OPERATORS + PRECEDENCE + FUNCTIONS + EMPTY_ANSWERS + COERCION + DATES)
def test_evaluates(source: str, expected: Value) -> None:
    actual = run(source)
    assert same(actual, expected), f"{source!r} gave {actual!r}, expected {expected!r}"


def test_every_function_has_a_case() -> None:
    called = {match for source, _ in FUNCTIONS for match in re.findall(r"([a-z-]+)\(", source)}
    assert called >= FUNCTION_NAMES


@pytest.mark.parametrize(
    ("source", "current", "expected"),
    [
        (". > 3", "5", True),
        (". = ''", None, True),
        ("regex(., '^[0-9]{9}$')", "12345678", False),
        ("regex(., '^[0-9]{9}$')", "123456789", True),
        (". <= today()", datetime.date(2030, 1, 1), False),
        ("string-length(.) + ${age_n}", "abc", 22),
        ("selected(., 'b')", ("a", "b"), True),
    ],
)
def test_current_answer(source: str, current: Value, expected: Value) -> None:
    assert same(run(source, current=current), expected)


@pytest.mark.parametrize(
    ("value", "truth"),
    [
        *[(None, False), ("", False), (0, False), (0.0, False), (False, False), ((), False)],
        *[("0", True), ("false", True), (1, True), (-0.5, True), (True, True), (("a",), True), (TODAY, True)],
    ],
)
def test_truthiness(value: Value, truth: bool) -> None:
    expression = parse("${v}")
    assert expression.is_true(MappingScope({"v": value}, today=TODAY)) is truth
    assert run("not(${v})", {"v": value}) is (not truth)
    assert run("if(${v}, 'y', 'n')", {"v": value}) == ("y" if truth else "n")


@pytest.mark.parametrize(
    ("raw", "is_today", "plus_one"),
    [
        # A datetime counts as its date: comparing a datetime with a date would raise TypeError.
        (datetime.datetime(2024, 5, 1, 10, 30), True, datetime.date(2024, 5, 2)),
        (float("nan"), False, None),
        (float("inf"), False, None),
        (10**400, False, None),
        (["a", 1, "b"], False, None),
        (object(), False, None),
    ],
)
def test_odd_scope_values_are_normalised(raw: object, is_today: bool, plus_one: Value) -> None:
    scope = MappingScope({"v": raw}, today=TODAY)  # type: ignore[dict-item]
    assert parse("${v} = today()").is_true(scope) is is_today
    assert same(parse("${v} + 1").evaluate(scope), plus_one)


def test_normalised_lists_keep_their_texts() -> None:
    scope = MappingScope({"v": ["a", 1, "b"]}, today=TODAY)  # type: ignore[dict-item]
    assert parse("count-selected(${v}) = 2 and selected(${v}, 'b')").is_true(scope)


DOC_EXAMPLES = [
    ("${age} >= 18", {"age": "17"}, None, False),
    ("${age} >= 18", {}, None, False),
    ("selected(${documents}, 'passport')", {"documents": ("passport", "id-card")}, None, True),
    ("regex(., '^[0-9]{9}$')", {}, "12345678", False),
    (". <= today()", {}, datetime.date(2030, 1, 1), False),
    ("today() - ${birth} >= 18 * 365.25", {"birth": datetime.date(2000, 5, 1)}, None, True),
    ("${day} - today() <= 30", {"day": datetime.date(2024, 5, 20)}, None, True),
    ("not(${exempt} = 'yes')", {}, None, True),
    ("concat(${first}, ' ', ${last})", {"first": "Ana", "last": "Silva"}, None, "Ana Silva"),
    ("if(${urgent} = 'yes', 30, 15) * count(${copies})", {"urgent": "yes", "copies": ("1", "2")}, None, 60),
    ("coalesce(${nickname}, ${first})", {"first": "Ana"}, None, "Ana"),
]


@pytest.mark.parametrize(("source", "answers", "current", "expected"), DOC_EXAMPLES)
def test_worked_examples_of_the_docs(source: str, answers: dict[str, Value], current: Value, expected: Value) -> None:
    assert f"`{source}`" in (ROOT / "docs" / "services.md").read_text(encoding="utf-8")
    assert same(run(source, answers, current), expected)


# --- references and the expression object ----------------------------------------------------------------------------


def test_references_and_their_positions() -> None:
    expression = parse("${a} + ${b.c} * ${a} - count(${d-e_1})")
    assert expression.references() == frozenset({"a", "b.c", "d-e_1"})
    assert expression.reference_positions() == (("a", 0), ("b.c", 7), ("a", 16), ("d-e_1", 29))
    assert not expression.uses_current()


@pytest.mark.parametrize(
    ("source", "uses"),
    [(". > 1", True), ("if(1, 2, .)", True), ("'.'", False), (".5 > 0", False), ("${a.b}", False)],
)
def test_uses_current(source: str, uses: bool) -> None:
    assert parse(source).uses_current() is uses


def test_expressions_are_immutable_values() -> None:
    first, second = parse("1 + ${a}"), parse("1 + ${a}")
    assert first == second and hash(first) == hash(second)
    assert first != parse("1+${a}")  # the source is part of the value
    assert parse("regex(., '^a')") == parse("regex(., '^a')")
    assert repr(first) == "Expression('1 + ${a}')"
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.source = "2"  # type: ignore[misc]


def test_mapping_scope_copies_its_answers() -> None:
    answers: dict[str, Value] = {"a": "x"}
    scope = MappingScope(answers, current="c", today=TODAY)
    answers["a"] = "changed"
    assert (scope.value("a"), scope.value("nope"), scope.current, scope.today) == ("x", None, "c", TODAY)


# --- errors ----------------------------------------------------------------------------------------------------------

ERRORS = [
    ("", "empty expression", 0),
    ("   ", "empty expression", 0),
    ("1 +", "unexpected end of expression", 3),
    ("1 <= ", "unexpected end of expression", 5),
    ("- ", "unexpected end of expression", 2),
    ("selectd(${a}, 'x')", "unknown function 'selectd' (did you mean 'selected'?)", 0),
    ("NOT(1)", "unknown function 'NOT' (did you mean 'not'?)", 0),
    ("${a} = 1 and frobnicate(2)", "unknown function 'frobnicate'", 13),
    ("if(1, 2)", "'if' takes 3 arguments, not 2", 0),
    ("1 + today(1)", "'today' takes no arguments, not 1", 4),
    ("concat()", "'concat' takes at least 1 argument, not 0", 0),
    ("round(1)", "'round' takes 2 arguments, not 1", 0),
    ("if(${a}, 1, 2", "expected ')' to close the call of 'if'", 13),
    ("if(1, 2 3)", "expected ')' to close the call of 'if'", 8),
    ("mod 3", "'mod' needs a value on its left", 0),
    ("1 + mod 3", "'mod' needs a value on its left", 4),
    ("and", "'and' needs a value on its left", 0),
    ("1 = = 2", "'=' needs a value on its left", 4),
    ("date('2020-13-01')", "invalid date '2020-13-01': write it as 'YYYY-MM-DD'", 5),
    ('1 < date("01/02/2020")', "invalid date '01/02/2020': write it as 'YYYY-MM-DD'", 9),
    ("regex(., '[')", "invalid regular expression: unterminated character set", 9),
    ("regex(., 'a{99999999999}')", "invalid regular expression: too large or too deeply nested", 9),
    ("regex(., '" + "(" * 1500 + ")" * 1500 + "')", "invalid regular expression: too large or too deeply nested", 9),
    ("1 2", "expected an operator before '2'", 2),
    ("${a} ${b}", "expected an operator before ${b}", 5),
    ("'a' 'b'", "expected an operator before the text 'b'", 4),
    (". .", "expected an operator before '.'", 2),
    ("1 AND 2", "expected an operator before 'AND' (operators are written in lower case: 'and')", 2),
    ("AND", "'AND' is not known (operators are written in lower case: 'and')", 0),
    ("(1", "expected ')' to close the bracket", 2),
    ("(1 + 2", "expected ')' to close the bracket", 6),
    (")", "expected a value before ')'", 0),
    ("()", "expected a value before ')'", 1),
    ("not(1,)", "expected a value before ')'", 6),
    ("1)", "unmatched ')'", 1),
    ("1, 2", "unexpected ',' outside a function call", 1),
    ("${}", "empty field reference '${}'", 0),
    ("1 + ${a", "field reference is missing its closing '}'", 4),
    ("${1a}", "invalid field name '1a'", 0),
    ("${a b}", "invalid field name 'a b'", 0),
    ("$a", "'$' must start a field reference like ${name}", 0),
    ("'abc", "text in quotes is missing its closing '", 0),
    ('x = "abc', 'text in quotes is missing its closing "', 4),
    ("a == b", "use '=' to compare, not '=='", 2),
    ("${a} => 1", "use '>=', not '=>'", 5),
    ("${a} =< 1", "use '<=', not '=<'", 5),
    ("${a} <> 1", "use '!=', not '<>'", 5),
    ("1 && 2", "use 'and' instead of '&&'", 2),
    ("1 || 2", "use 'or' instead of '||'", 2),
    ("today", "'today' is a function: write today()", 0),
    ("string-length", "'string-length' is a function: write string-length(...)", 0),
    ("foo", "unknown word 'foo' (write ${foo} for a field, 'foo' for a text)", 0),
    ("1/2", "unexpected character '/' (use 'div' to divide)", 1),
    ("5 % 2", "unexpected character '%' (use 'mod' for the remainder)", 2),
    ("!1", "unexpected character '!' (use 'not(...)' or '!=')", 0),
    ("#", "unexpected character '#'", 0),
    ("12.", "a number needs digits after its decimal point", 0),
    ("1 + 12.x", "a number needs digits after its decimal point", 4),
    ("9" * 301, "number is too large (more than 300 digits)", 0),
    ("(" * 51 + "1" + ")" * 51, "expression is nested too deeply (more than 50 levels)", 50),
    ("-" * 51 + "1", "expression is nested too deeply (more than 50 levels)", 50),
    ("not(" * 51 + "1" + ")" * 51, "expression is nested too deeply (more than 50 levels)", 200),
    ("1" * 4001, "expression is too long (4001 characters; the limit is 4000)", 4000),
]


@pytest.mark.parametrize(("source", "message", "position"), ERRORS)
def test_error_names_the_problem_and_position(source: str, message: str, position: int) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(source)
    error = info.value
    assert (error.message, error.position, error.source) == (message, position, source)
    assert str(error) == f"{message} at position {position}"


def test_docs_error_table_is_what_parse_says() -> None:
    docs = (ROOT / "docs" / "services.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|$", docs, flags=re.MULTILINE)
    assert len(rows) >= 5
    for source, shown in rows:
        with pytest.raises(ExpressionError) as info:
            parse(source)
        assert str(info.value) == shown


@pytest.mark.filterwarnings("error")
def test_regex_warnings_turned_into_errors_do_not_escape() -> None:
    # re warns (FutureWarning) about "[[" ; where warnings are errors that must still be an ExpressionError or None.
    with pytest.raises(ExpressionError, match="invalid regular expression: Possible nested set"):
        parse("regex(., '[[x]')")
    assert run("regex('a', ${p})", {"p": "[[y]"}) is None


def test_error_is_a_value_error_that_points_and_pickles() -> None:
    with pytest.raises(ValueError, match="unexpected end") as info:
        parse("1 +\t")
    error = info.value
    assert isinstance(error, ExpressionError)
    assert error.pointer() == "1 + \n    ^"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.position, copy.source, str(copy)) == (
        error.message,
        error.position,
        error.source,
        str(error),
    )


def test_non_text_is_an_expression_error() -> None:
    with pytest.raises(ExpressionError, match="must be text, not int"):
        parse(12)  # type: ignore[arg-type]


def test_limits_are_inclusive() -> None:
    assert run("9" * 300) == int("9" * 300)
    assert run("1" + " " * (MAX_SOURCE_LENGTH - 1)) == 1
    assert run("(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH) == 1
    assert run("-" * MAX_DEPTH + "1") == 1
    assert run("not(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH) is True  # an even number of not()s
    assert run(" or ".join(["0"] * 500) + " or 1") is True  # a long flat chain is not deep


def test_deep_mixed_nesting_is_an_error_not_a_recursion_error() -> None:
    source = "1"
    for _ in range(MAX_DEPTH):
        source = f"(1 or 1 and 1 = 1 < 1 + 1 * -{source})"
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse(source)


# --- properties ------------------------------------------------------------------------------------------------------

FIELDS = ("a", "b", "c")
TOKENS = [
    *("(", ")", ",", ".", "1", "0", "2.5", ".5", "-", "+", "*", "=", "!=", "<", "<=", ">", ">="),
    *("or", "and", "div", "mod", "${a}", "${b}", "'x'", "'2024-02-29'", "'['", "''", '"1"'),
    *("if(", "not(", "concat(", "regex(", "date(", "round(", "selected(", "count(", "today()", "true()"),
]


def _call(name: str, *args: str) -> str:
    return f"{name}({', '.join(args)})"


def _not_literal(argument: str) -> str:
    # date('...') with a quoted text is checked at parse time; keep the generated expressions valid.
    return f"concat({argument})" if argument[0] in "'\"" else argument


LEAVES = st.one_of(
    st.sampled_from(["${a}", "${b}", "${c}", ".", "today()", "true()", "false()", "date('2024-02-29')"]),
    st.integers(min_value=0, max_value=10**40).map(str),
    st.sampled_from(["9" * 300, "0.5", ".25", "12.125"]),
    st.sampled_from(["", "x", "0", "12", "-3.5", "2024-02-29", "2024-13-01", "true", " 7 ", "a b"]).map(repr),
)


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    operators = ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"]
    return st.one_of(
        st.tuples(inner, st.sampled_from(operators), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda x: f"-{x}"),
        st.tuples(
            st.sampled_from(["not", "count-selected", "string-length", "date", "int", "number", "count"]), inner
        ).map(lambda t: _call(t[0], _not_literal(t[1]) if t[0] == "date" else t[1])),
        st.tuples(st.sampled_from(["selected", "coalesce", "round", "regex"]), inner, inner).map(lambda t: _call(*t)),
        st.tuples(inner, st.sampled_from(["'^[0-9]+$'", "'a|b'", "'(x+)+y'"])).map(lambda t: _call("regex", *t)),
        st.tuples(inner, inner, inner).map(lambda t: _call("if", *t)),
        st.lists(inner, min_size=1, max_size=3).map(lambda args: _call("concat", *args)),
    )


EXPRESSIONS = st.recursive(LEAVES, _extend, max_leaves=12)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["", "0", "12", "-3.5", " 7 ", "2024-02-29", "2024-13-01", "9999-12-31", "true", "1" * 350]),
    st.dates(),
    st.datetimes(),
    st.lists(st.sampled_from(["a", "b", "passport", ""]), max_size=3).map(tuple),
)
SCOPES = st.builds(
    lambda values, current, today: MappingScope(dict(zip(FIELDS, values, strict=True)), current=current, today=today),
    st.tuples(VALUES, VALUES, VALUES),
    VALUES,
    st.dates(),
)
VALUE_TYPES = (type(None), bool, int, float, str, datetime.date, tuple)


def _check_value(value: Value) -> None:
    assert isinstance(value, VALUE_TYPES)
    assert not isinstance(value, datetime.datetime)
    if isinstance(value, int):
        assert abs(value) < 10**300
    if isinstance(value, float):
        assert math.isfinite(value)
    if isinstance(value, tuple):
        assert all(isinstance(item, str) for item in value)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=120))
def test_any_text_parses_or_raises_expression_error(source: str) -> None:
    try:
        parse(source)
    except ExpressionError as error:
        assert 0 <= error.position <= len(source) and error.source == source and error.message


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30), st.sampled_from([" ", ""]), SCOPES)
def test_token_soup_parses_or_raises_and_then_evaluates(tokens: list[str], joiner: str, scope: MappingScope) -> None:
    source = joiner.join(tokens)
    try:
        expression = parse(source)
    except ExpressionError as error:
        assert 0 <= error.position <= len(source)
        return
    _check_value(expression.evaluate(scope))


@settings(max_examples=400, deadline=None)
@given(EXPRESSIONS, SCOPES)
def test_generated_expressions_evaluate_without_raising(source: str, scope: MappingScope) -> None:
    try:
        expression = parse(source)
    except ExpressionError as error:  # the grammar only writes valid expressions, but may nest `-` deeply
        assert "nested too deeply" in error.message
        return
    _check_value(expression.evaluate(scope))
    assert isinstance(expression.is_true(scope), bool)


@settings(max_examples=300, deadline=None)
@given(EXPRESSIONS, SCOPES)
def test_parsing_twice_gives_equal_expressions_and_results(source: str, scope: MappingScope) -> None:
    try:
        first, second = parse(source), parse(source)
    except ExpressionError as error:
        assert "nested too deeply" in error.message
        return
    assert first == second
    assert first.references() == second.references() and first.reference_positions() == second.reference_positions()
    assert same(first.evaluate(scope), second.evaluate(scope))


@settings(max_examples=300, deadline=None)
@given(SCOPES)
def test_comparisons_are_consistent(scope: MappingScope) -> None:
    assert run_in(scope, "${a} = ${b}") is run_in(scope, "${b} = ${a}")
    assert run_in(scope, "${a} != ${b}") is (not run_in(scope, "${a} = ${b}"))
    assert run_in(scope, "${a} < ${b}") is run_in(scope, "${b} > ${a}")
    assert run_in(scope, "${a} <= ${b}") is run_in(scope, "${b} >= ${a}")
    assert not (run_in(scope, "${a} < ${b}") and run_in(scope, "${b} < ${a}"))


def run_in(scope: MappingScope, source: str) -> Value:
    return parse(source).evaluate(scope)


# --- the module stays in its lane ------------------------------------------------------------------------------------


def test_import_pulls_in_only_the_standard_library() -> None:
    code = (
        "import sys; before = set(sys.modules); import kiosk.forms.expressions; "
        "print('\\n'.join(sorted(set(sys.modules) - before)))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    added = {name.split(".")[0] for name in result.stdout.split()}
    assert "kiosk" in added
    assert added - {"kiosk"} <= sys.stdlib_module_names, added - {"kiosk"} - sys.stdlib_module_names


def test_no_python_evaluation_of_definitions() -> None:
    files = [ROOT / "kiosk" / "forms" / "expressions.py", *sorted((ROOT / "kiosk" / "forms").glob("expr_*.py"))]
    assert len(files) >= 5  # expressions, its tokenizer, tree, parser and evaluator
    for path in files:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"(?<![.\w])(eval|exec|compile|__import__)\(|import ast\b", source), path.name


def test_docs_describe_every_function_and_the_limits() -> None:
    docs = (ROOT / "docs" / "services.md").read_text(encoding="utf-8")
    for name in FUNCTION_NAMES:
        assert f"`{name}(" in docs, name
        assert f'"{name}"' in docs, f"{name} missing from the EBNF"
    assert f"{MAX_SOURCE_LENGTH} characters" in docs and f"{MAX_DEPTH} levels" in docs
