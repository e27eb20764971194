"""Codes read aloud: tolerant parsing, the check symbol's exact guarantee, kinds, lengths, display and fresh draws."""

import itertools
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.codes import ALPHABET, CodeError, CodeKind, check_symbol, for_speech, new_code, parse_code

FIXED = {  # one code of each kind from a fixed rng, for examples that must not change between runs
    kind: new_code(kind, rng=lambda bits: 0x1F3A5C7E9B2D4F6 % (1 << bits)) for kind in CodeKind
}


def _symbols(code: str) -> str:
    return code.replace("-", "")


def _reference_luhn_mod_32(data: str) -> str:
    # Written from the textbook description (Luhn mod N, N = 32), independently of the module's loop.
    factor, total = 2, 0
    for symbol in reversed(data):
        addend = factor * ALPHABET.index(symbol)
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def test_alphabet_is_crockford_base32() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert set(ALPHABET) == set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") - set("ILOU")
    assert all(kind.value in ALPHABET for kind in CodeKind)
    assert len({kind.value for kind in CodeKind}) == len(CodeKind)


@pytest.mark.parametrize(
    ("kind", "layout"),
    [(CodeKind.SUBMISSION, [1, 4, 4, 4, 1]), (CodeKind.DRAFT, [1, 4, 4, 2, 1]), (CodeKind.LEARNER, [1, 4, 4, 1])],
)
def test_display_layout_is_prefix_groups_of_four_then_check(kind: CodeKind, layout: list[int]) -> None:
    code = FIXED[kind]
    groups = code.split("-")
    assert [len(group) for group in groups] == layout
    assert groups[0] == kind.value
    assert groups[-1] == check_symbol(_symbols(code)[:-1])
    assert for_speech(code) == groups
    assert kind.data_length * 5 == {CodeKind.SUBMISSION: 60, CodeKind.DRAFT: 50, CodeKind.LEARNER: 40}[kind]


def test_check_symbol_matches_the_textbook_algorithm() -> None:
    rng = random.Random(7)
    for _ in range(500):
        data = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 20)))
        assert check_symbol(data) == _reference_luhn_mod_32(data)


def test_check_symbol_rejects_symbols_outside_the_alphabet() -> None:
    with pytest.raises(CodeError) as caught:
        check_symbol("R12U")
    assert caught.value.reason == "alphabet"


@pytest.mark.parametrize("kind", list(CodeKind))
def test_parsing_ignores_case_spaces_and_dashes(kind: CodeKind) -> None:
    code = FIXED[kind]
    compact = _symbols(code)
    assert parse_code(code, kind) == code
    assert parse_code(compact.lower(), kind) == code
    assert parse_code("  " + " ".join(compact) + "\n", kind) == code
    assert parse_code(compact[:5] + "\u2013" + compact[5:], kind) == code  # an en dash pasted from a document
    assert parse_code("".join(chr(ord(ch) + 0xFEE0) for ch in compact), kind) == code  # full-width characters


def test_look_alikes_are_read_as_digits() -> None:
    canonical = "R0101" + "1010" + "0110"
    code = parse_code(canonical + check_symbol(canonical), CodeKind.SUBMISSION)
    assert code.startswith("R-0101-1010-0110-")
    for typed in ("ROIOL LOIO OLIO", "roiol-loio-olio", "R0i0l 1o1o 0Ll0"):
        assert parse_code(typed + code[-1], CodeKind.SUBMISSION) == code


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        (" - - ", "empty"),
        ("R-7KQ2-M9XH-4B3U-P", "alphabet"),
        ("R-7KQ2-M9XH-4B3C-P!", "alphabet"),
        ("R-7KQ2-M9XH-4B3C-Pé", "alphabet"),
    ],
)
def test_empty_and_foreign_symbols(text: str, reason: str) -> None:
    with pytest.raises(CodeError) as caught:
        parse_code(text, CodeKind.SUBMISSION)
    assert caught.value.reason == reason


def test_a_code_of_another_kind_is_named() -> None:
    with pytest.raises(CodeError) as caught:
        parse_code(FIXED[CodeKind.DRAFT], CodeKind.SUBMISSION)
    assert (caught.value.reason, caught.value.found) == ("kind", CodeKind.DRAFT)
    assert "draft resume code" in str(caught.value)
    with pytest.raises(CodeError) as caught:
        parse_code(FIXED[CodeKind.SUBMISSION], CodeKind.LEARNER)
    assert (caught.value.reason, caught.value.found) == ("kind", CodeKind.SUBMISSION)


def test_a_missing_or_unknown_prefix_is_a_kind_error() -> None:
    without_prefix = _symbols(FIXED[CodeKind.SUBMISSION])[1:]
    for text in (without_prefix, "Z" + without_prefix):
        with pytest.raises(CodeError) as caught:
            parse_code(text, CodeKind.SUBMISSION)
        assert (caught.value.reason, caught.value.found) == ("kind", None)
    with pytest.raises(CodeError) as caught:
        for_speech("Z" + without_prefix)
    assert caught.value.reason == "kind"


@pytest.mark.parametrize("kind", list(CodeKind))
def test_a_deleted_or_inserted_symbol_is_a_length_error(kind: CodeKind) -> None:
    compact = _symbols(FIXED[kind])
    for position in range(1, len(compact)):
        for text in (compact[:position] + compact[position + 1 :], compact[:position] + "7" + compact[position:]):
            with pytest.raises(CodeError) as caught:
                parse_code(text, kind)
            assert caught.value.reason == "length"


@pytest.mark.parametrize("kind", list(CodeKind))
def test_every_single_substitution_is_detected(kind: CodeKind) -> None:
    compact = _symbols(FIXED[kind])
    tried = 0
    for position, symbol in itertools.product(range(len(compact)), ALPHABET):
        if symbol == compact[position]:
            continue
        changed = compact[:position] + symbol + compact[position + 1 :]
        with pytest.raises(CodeError) as caught:
            parse_code(changed, kind)
        assert caught.value.reason == ("kind" if position == 0 else "check")
        tried += 1
    assert tried == len(compact) * 31


def test_adjacent_transpositions_are_detected_except_0_and_z() -> None:
    # Exhaustive over every ordered pair of distinct symbols at both parities (doubled symbol left or right), and over
    # swaps of the last random symbol with the check symbol itself.
    undetected: set[frozenset[str]] = set()

    def swap_at(compact: str, i: int) -> None:
        a, b = compact[i], compact[i + 1]
        if a == b:
            return
        try:
            parse_code(compact[:i] + b + a + compact[i + 2 :], CodeKind.SUBMISSION)
        except CodeError as error:
            assert error.reason == "check"
        else:
            undetected.add(frozenset((a, b)))

    for a, b in itertools.permutations(ALPHABET, 2):
        for data in ("7KQ2M9XH4B" + a + b, "7KQ2M9XH4" + a + b + "C"):
            compact = "R" + data + check_symbol("R" + data)
            swap_at(compact, compact.index(a + b, 10))  # index 11 or 10: both parities
    for a, b in itertools.product(ALPHABET, repeat=2):
        compact = "R7KQ2M9XH4B" + a + b
        compact += check_symbol(compact)
        swap_at(compact, len(compact) - 2)
    assert undetected == {frozenset("0Z")}


def test_the_0_z_swap_is_the_documented_blind_spot() -> None:
    data = "R7KQ2M9XH4B0Z"
    assert check_symbol(data) == check_symbol("R7KQ2M9XH4BZ0")
    code = data + check_symbol(data)
    swapped = code[:-3] + "Z0" + code[-1]
    assert parse_code(swapped, CodeKind.SUBMISSION) != parse_code(code, CodeKind.SUBMISSION)  # accepted, wrongly


def test_new_code_redraws_while_the_code_exists() -> None:
    draws = iter([5, 5, 9])
    asked: list[str] = []

    def exists(code: str) -> bool:
        asked.append(code)
        return len(asked) <= 2  # the first two draws are taken here already

    code = new_code(CodeKind.LEARNER, exists=exists, rng=lambda bits: next(draws))
    assert asked == [asked[0], asked[0], code] and asked[0] != code
    assert _symbols(asked[0])[1:-1] == "00000005" and _symbols(code)[1:-1] == "00000009"
    assert parse_code(code, CodeKind.LEARNER) == code


def test_new_code_gives_up_when_every_draw_exists() -> None:
    calls = 0

    def always(code: str) -> bool:
        nonlocal calls
        calls += 1
        return True

    with pytest.raises(RuntimeError, match="random source"):
        new_code(CodeKind.DRAFT, exists=always, rng=lambda bits: 0)
    assert calls == 100


def test_new_code_refuses_an_rng_out_of_range() -> None:
    with pytest.raises(ValueError, match="rng"):
        new_code(CodeKind.SUBMISSION, rng=lambda bits: 1 << bits)
    with pytest.raises(ValueError, match="rng"):
        new_code(CodeKind.SUBMISSION, rng=lambda bits: -1)


def test_new_code_uses_all_the_random_bits() -> None:
    top = new_code(CodeKind.SUBMISSION, rng=lambda bits: (1 << bits) - 1)
    assert _symbols(top)[1:-1] == "Z" * 12
    assert len({new_code(CodeKind.SUBMISSION) for _ in range(1000)}) == 1000


def test_errors_never_contain_the_typed_code() -> None:
    code = FIXED[CodeKind.SUBMISSION]
    damaged = code[:-1] + ("0" if code[-1] != "0" else "1")
    for text, kind in ((damaged, CodeKind.SUBMISSION), (code, CodeKind.DRAFT), (code[:-3], CodeKind.SUBMISSION)):
        with pytest.raises(CodeError) as caught:
            parse_code(text, kind)
        assert _symbols(code)[1:6] not in repr(caught.value.args)


@settings(max_examples=400, deadline=None)
@given(st.text(st.characters(exclude_categories=()), max_size=40) | st.text(ALPHABET + "-oil u", max_size=20))
def test_parse_raises_only_code_errors(text: str) -> None:
    for kind in CodeKind:
        try:
            parsed = parse_code(text, kind)
        except CodeError as error:
            assert error.reason in {"empty", "alphabet", "kind", "length", "check"}
        else:
            assert parse_code(parsed, kind) == parsed
            assert "".join(for_speech(parsed)) == _symbols(parsed)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(CodeKind)), st.data())
def test_every_new_code_parses_back_and_rejects_each_substitution(kind: CodeKind, data: st.DataObject) -> None:
    value = data.draw(st.integers(0, (1 << (5 * kind.data_length)) - 1))
    code = new_code(kind, rng=lambda bits: value)
    assert parse_code(code, kind) == code
    assert parse_code(code.lower().replace("-", " "), kind) == code
    compact = _symbols(code)
    position = data.draw(st.integers(1, len(compact) - 1))
    symbol = data.draw(st.sampled_from(ALPHABET).filter(lambda s: s != compact[position]))
    with pytest.raises(CodeError):
        parse_code(compact[:position] + symbol + compact[position + 1 :], kind)


def test_the_documented_examples_are_real_codes() -> None:
    page = (Path(__file__).resolve().parents[1] / "docs" / "codes.md").read_text(encoding="utf-8")
    for kind, code in FIXED.items():
        assert f"| `{kind.value}` |" in page
        assert f"`{code}`" in page
    assert check_symbol("R3WX5RZMV5N7P") == "6" and '"6"' in page
