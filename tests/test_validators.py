"""Answer validators: known-good and known-bad samples, tolerance of stray separators, and properties over any text."""

import datetime
import string
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.forms.validators import (
    IBAN_LENGTHS,
    INVALID_CODES,
    NIF_PREFIXES,
    VALIDATORS,
    Invalid,
    citizen_card,
    date_parts,
    email,
    iban,
    nif,
    normalise_text,
    number,
    phone_e164,
    postcode_pt,
)

TODAY = datetime.date(2025, 6, 15)
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=300)  # every code point, lone surrogates too


def _code(call: Callable[[], object]) -> str:
    with pytest.raises(Invalid) as caught:
        call()
    assert caught.value.code in INVALID_CODES
    return caught.value.code


# --- independent reference implementations, written from the specifications --------------------------------------


def _nif_with_check(first_eight: str) -> str:
    remainder = sum(int(d) * w for d, w in zip(first_eight, range(9, 1, -1), strict=True)) % 11
    return first_eight + ("0" if remainder < 2 else str(11 - remainder))


def _citizen_card_with_check(first_eleven: str) -> str:
    for last in string.digits:
        values = [int(ch, 36) for ch in first_eleven + last][::-1]
        doubled = [v if i % 2 == 0 else (2 * v - 9 if 2 * v >= 10 else 2 * v) for i, v in enumerate(values)]
        if sum(doubled) % 10 == 0:
            return first_eleven + last
    raise AssertionError("no check digit")


def _iban_with_check(country: str, bban: str) -> str:
    numeric = int("".join(str(int(ch, 36)) for ch in bban + country + "00"))
    return f"{country}{98 - numeric % 97:02d}{bban}"


NIFS = st.builds(
    lambda prefix, rest: _nif_with_check((prefix + rest)[:8]),
    st.sampled_from(NIF_PREFIXES),
    st.text(string.digits, min_size=8, max_size=8),
)
CARDS = st.builds(
    lambda civil, version: _citizen_card_with_check(civil + version),
    st.text(string.digits, min_size=9, max_size=9),
    st.text(string.digits + string.ascii_uppercase, min_size=2, max_size=2),
)
IBANS = st.sampled_from(sorted(IBAN_LENGTHS)).flatmap(
    lambda country: st.builds(
        lambda bban: _iban_with_check(country, bban),
        st.text(
            string.digits + string.ascii_uppercase,
            min_size=IBAN_LENGTHS[country] - 4,
            max_size=IBAN_LENGTHS[country] - 4,
        ),
    )
)


def _decorated(value: str, separators: str) -> st.SearchStrategy[str]:
    """`value` with stray separators between its characters (often none), perhaps in lower case."""
    choices = ["", "", "", " ", "\u00a0", *separators]
    gaps = st.lists(st.sampled_from(choices), min_size=len(value) + 1, max_size=len(value) + 1)

    def build(gaps: list[str], lower: bool) -> str:
        text = "".join(gap + ch for gap, ch in zip(gaps, value, strict=False)) + gaps[-1]
        return text.lower() if lower else text

    return st.builds(build, gaps, st.booleans())


# --- free text -----------------------------------------------------------------------------------------------------


def test_text_is_trimmed_and_runs_of_spaces_collapse() -> None:
    assert normalise_text("  Maria \t da\u00a0\u00a0Silva  ") == "Maria da Silva"
    assert normalise_text("Maria\n") == "Maria"  # a pasted trailing newline is only trimmed
    assert normalise_text("Jose\u0301") == "Jos\u00e9"  # NFC: one code point for é, whatever the keyboard sent


def test_text_keeps_markup_emoji_and_bidi_marks_verbatim() -> None:
    for text in (
        "<b>Maria</b> & <script>x</script>",
        "\u200fمرحبا\u200e 123",
        "Olá 😀👍🏽",
        "\u202eevil\u202c",
        "a\u200bb",
    ):
        assert normalise_text(text) == text


@pytest.mark.parametrize(
    "text", ["a\x00b", "\x1b[31mred", "a\x85b", "a\x7fb", "a\rb", "a\nb", "a\x0bb", "a\ud800b", "a\x1cb"]
)
def test_single_line_text_refuses_control_characters(text: str) -> None:
    assert _code(lambda: normalise_text(text)) == "text.control_chars"


def test_multiline_text_keeps_newlines_and_unifies_line_ends() -> None:
    assert normalise_text("  first  line \r\n\r\n second\rthird\u2028fourth  ", multiline=True) == (
        "first line\n\nsecond\nthird\nfourth"
    )
    assert _code(lambda: normalise_text("a\n\x00", multiline=True)) == "text.control_chars"


def test_text_length_is_limited_after_normalising() -> None:
    assert normalise_text("  " + "x" * 500 + "  ") == "x" * 500
    with pytest.raises(Invalid) as caught:
        normalise_text("x" * 501)
    assert (caught.value.code, caught.value.params) == ("text.too_long", {"max": 500})
    assert _code(lambda: normalise_text("abcd", max_length=3)) == "text.too_long"


# --- identifiers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("123456789", "123456789"),
        ("501442600", "501442600"),
        ("501 442 600", "501442600"),
        ("501-442-600", "501442600"),
        ("PT501442600", "501442600"),
        ("pt 501.442.600", "501442600"),
        ("999999990", "999999990"),
        ("451234561", "451234561"),
        ("\u0665\u0660\u0661\u0664\u0664\u0662\u0666\u0660\u0660", "501442600"),  # Arabic-Indic digits
    ],
)
def test_valid_nifs(raw: str, expected: str) -> None:
    assert nif(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("123456780", "nif.check_digit"),
        ("501442601", "nif.check_digit"),
        ("12345678", "nif.length"),
        ("1234567890", "nif.length"),
        ("", "nif.format"),
        ("12345678O", "nif.format"),
        ("ES123456789", "nif.format"),
        ("812345670", "nif.prefix"),  # 8: sole traders, obsolete
        ("412345670", "nif.prefix"),
        ("012345670", "nif.prefix"),
        ("731234567", "nif.prefix"),
    ],
)
def test_invalid_nifs(raw: str, code: str) -> None:
    assert _code(lambda: nif(raw)) == code


def test_every_official_prefix_is_accepted_and_8_is_not() -> None:
    for prefix in (
        "1",
        "2",
        "3",
        "45",
        "5",
        "6",
        "70",
        "71",
        "72",
        "74",
        "75",
        "77",
        "78",
        "79",
        "90",
        "91",
        "98",
        "99",
    ):
        assert nif(_nif_with_check((prefix + "1234567")[:8]))
    for prefix in ("0", "4", "40", "46", "73", "76", "8", "92", "97"):
        assert _code(lambda p=prefix: nif(_nif_with_check((p + "1234567")[:8]))) == "nif.prefix"


CARD_A = _citizen_card_with_check("123456789ZX")
CARD_B = _citizen_card_with_check("1433928270A")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("00000000 0 ZZ4", "00000000 0 ZZ4"),
        ("000000000zz4", "00000000 0 ZZ4"),
        ("00000000-0-ZZ4", "00000000 0 ZZ4"),
        (CARD_A, f"12345678 9 ZX{CARD_A[-1]}"),
        (CARD_B.lower(), f"14339282 7 0A{CARD_B[-1]}"),
    ],
)
def test_valid_citizen_cards(raw: str, expected: str) -> None:
    assert citizen_card(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("00000000 0 ZZ5", "cc.check_digit"),
        ("00000000 1 ZZ4", "cc.check_digit"),
        ("00000000 0 ZZ", "cc.format"),
        ("0000000 0 ZZ4", "cc.format"),
        ("00000000 A ZZ4", "cc.format"),
        ("00000000 0 ZZA", "cc.format"),
        ("00000000 0 Z_4", "cc.format"),
        ("", "cc.format"),
    ],
)
def test_invalid_citizen_cards(raw: str, code: str) -> None:
    assert _code(lambda: citizen_card(raw)) == code


def test_citizen_card_letter_blind_spot_is_the_algorithms() -> None:
    # A=10 and K=20 have the same value mod 10, so the card's own algorithm cannot tell them apart: accepted as typed.
    valid = citizen_card(_citizen_card_with_check("123456789AA"))
    assert citizen_card(valid[:11] + "K" + valid[12:]) == valid[:11] + "K" + valid[12:]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PT50 0002 0123 1234 5678 9015 4", "PT50 0002 0123 1234 5678 9015 4"),
        ("pt50000201231234567890154", "PT50 0002 0123 1234 5678 9015 4"),
        ("IBAN: PT50-0002-0123-1234-5678-9015-4".replace(":", ""), "PT50 0002 0123 1234 5678 9015 4"),
        ("DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"),
        ("GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32"),
        ("NL91ABNA0417164300", "NL91 ABNA 0417 1643 00"),
        ("FR14 2004 1010 0505 0001 3M02 606", "FR14 2004 1010 0505 0001 3M02 606"),
        ("CH93 0076 2011 6238 5295 7", "CH93 0076 2011 6238 5295 7"),
        ("NO93 8601 1117 947", "NO93 8601 1117 947"),
        ("MT84 MALT 0110 0001 2345 MTLC AST0 01S", "MT84 MALT 0110 0001 2345 MTLC AST0 01S"),
    ],
)
def test_valid_ibans(raw: str, expected: str) -> None:
    assert iban(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("PT50 0002 0123 1234 5678 9015 5", "iban.check_digits"),
        ("PT51 0002 0123 1234 5678 9015 4", "iban.check_digits"),
        ("DE89 3704 0044 0532 0103 00", "iban.check_digits"),  # two adjacent digits swapped
        ("GB82 WEST 1234 5698 7654 3", "iban.length"),
        ("PT50 0002 0123 1234 5678 9015 40", "iban.length"),
        ("XX82 WEST 1234 5698 7654 32", "iban.country"),
        ("US12 3456 7890", "iban.country"),
        ("GB82 WEST 1234 5698 7654 3!", "iban.format"),
        ("", "iban.format"),
        ("GBXX WEST 1234 5698 7654 32", "iban.check_digits"),
    ],
)
def test_invalid_ibans(raw: str, code: str) -> None:
    assert _code(lambda: iban(raw)) == code


def test_iban_check_digits_00_01_and_99_are_refused_even_when_mod_97_passes() -> None:
    # 00 is congruent to 97 and 01 to 98 modulo 97: find BBANs whose true check digits are 97 and 98.
    found = {}
    for n in range(10_000):
        candidate = _iban_with_check("DE", f"{n:018d}")
        found.setdefault(candidate[2:4], candidate)
    for true_check, alias in (("97", "00"), ("98", "01")):
        valid = found[true_check]
        assert iban(valid).replace(" ", "") == valid
        assert _code(lambda v=valid, a=alias: iban(v[:2] + a + v[4:])) == "iban.check_digits"
    assert _code(lambda: iban(found["02"][:2] + "99" + found["02"][4:])) == "iban.check_digits"


def test_the_length_table_covers_the_eu_eea_switzerland_and_the_uk() -> None:
    eu_eea = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO"
    assert set(eu_eea.split()) | {"CH", "GB"} <= set(IBAN_LENGTHS)
    assert (IBAN_LENGTHS["PT"], IBAN_LENGTHS["DE"], IBAN_LENGTHS["NO"], IBAN_LENGTHS["MT"]) == (25, 22, 15, 31)
    assert all(15 <= length <= 34 for length in IBAN_LENGTHS.values())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1000-001", "1000-001"),
        ("1000001", "1000-001"),
        ("1000 001", "1000-001"),
        (" 4700 - 123 ", "4700-123"),
        ("9500\u2013321", "9500-321"),
    ],
)
def test_valid_postcodes(raw: str, expected: str) -> None:
    assert postcode_pt(raw) == expected


@pytest.mark.parametrize(
    "raw", ["0100-001", "1000-01", "1000-0011", "1000", "1000.001", "1OOO-001", "1000-001 Lisboa", ""]
)
def test_invalid_postcodes(raw: str) -> None:
    assert _code(lambda: postcode_pt(raw)) == "postcode.format"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("912 345 678", "+351912345678"),
        ("21 123 4567", "+351211234567"),
        ("300 123 456", "+351300123456"),
        ("+351 912-345-678", "+351912345678"),
        ("00351 912 345 678", "+351912345678"),
        ("351912345678", "+351912345678"),
        ("(+351) 912.345.678", "+351912345678"),
        ("+44 (0)20 7946 0000", "+442079460000"),
        ("+1 (202) 555-0100", "+12025550100"),
        ("0034 612 345 678", "+34612345678"),
    ],
)
def test_valid_phones(raw: str, expected: str) -> None:
    assert phone_e164(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "+",
        "12345",
        "812 345 678",
        "91234567",
        "9123456789",
        "+351 91234567",
        "+351 812 345 678",
        "+0 123 456 789",
        "0912345678",
        "+351 912 345 678 ext 2",
        "++351912345678",
        "+1234567",
        "+1234567890123456",
        "912 345 678/9",
    ],
)
def test_invalid_phones(raw: str) -> None:
    assert _code(lambda: phone_e164(raw)) == "phone.format"


def test_another_default_country_prefixes_national_numbers_but_refuses_a_trunk_zero() -> None:
    assert phone_e164("7700 900123", default_country="44") == "+447700900123"
    assert phone_e164("+351 912 345 678", default_country="44") == "+351912345678"
    assert _code(lambda: phone_e164("07700 900123", default_country="44")) == "phone.format"
    with pytest.raises(ValueError, match="default_country"):
        phone_e164("912345678", default_country="+351")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ana.silva@example.pt", "ana.silva@example.pt"),
        ("  Ana.Silva+news@Example.COM ", "Ana.Silva+news@example.com"),
        ("joão@exemplo.pt", "joão@exemplo.pt"),
        ("a@münchen.de", "a@münchen.de"),
        ("a@xn--mnchen-3ya.de", "a@xn--mnchen-3ya.de"),
        ("o'neil_1@mail.co.uk", "o'neil_1@mail.co.uk"),
    ],
)
def test_valid_emails(raw: str, expected: str) -> None:
    assert email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ana",
        "ana@",
        "@example.pt",
        "ana@example",
        "ana@@example.pt",
        "ana@b@example.pt",
        "ana silva@example.pt",
        "ana@exa mple.pt",
        ".ana@example.pt",
        "ana.@example.pt",
        "an..a@example.pt",
        "ana@-example.pt",
        "ana@example-.pt",
        "ana@example..pt",
        "ana@example.pt.",
        "ana@example,pt",
        "ana,silva@example.pt",
        "ana@1.2.3.4",
        "a\x00b@example.pt",
        "a\u200bb@example.pt",
        "x" * 65 + "@example.pt",
        "ana@" + "x" * 64 + ".pt",
        "ana@" + ("x" * 60 + ".") * 5 + "pt",
    ],
)
def test_invalid_emails(raw: str) -> None:
    assert _code(lambda: email(raw)) == "email.format"


# --- numbers and dates -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 234,5", 1234.5),
        ("1234.5", 1234.5),
        ("1234,5", 1234.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1\u202f234\u00a0567,25", 1234567.25),
        ("1.234.567", 1234567),
        ("-12", -12),
        ("+3", 3),
        ("\u2212 4,25", -4.25),
        ("0,500", 0.5),
        ("1234,567", 1234.567),
        ("٤٢", 42),
        ("007", 7),
    ],
)
def test_valid_numbers(raw: str, expected: float) -> None:
    value = number(raw)
    assert value == expected
    assert isinstance(value, int) == isinstance(expected, int)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "number.format"),
        ("abc", "number.format"),
        ("1e5", "number.format"),
        ("5,", "number.format"),
        (",5", "number.format"),
        ("1 23", "number.format"),
        ("1,2,3", "number.format"),
        ("1.234.5", "number.format"),
        ("1 234.567,5.5", "number.format"),
        ("--5", "number.format"),
        ("9" * 70, "number.format"),
        ("1.500", "number.ambiguous"),
        ("1,500", "number.ambiguous"),
        ("-250.000", "number.ambiguous"),
    ],
)
def test_invalid_numbers(raw: str, code: str) -> None:
    assert _code(lambda: number(raw)) == code


def test_number_limits_and_integers() -> None:
    assert number("0,1", minimum=0.1) == 0.1  # compared in decimal: the float 0.1 is a hair above 0.1
    assert number("5,0", integer=True) == 5 and isinstance(number("5,0", integer=True), int)
    with pytest.raises(Invalid) as caught:
        number("0,09", minimum=0.1)
    assert (caught.value.code, caught.value.params) == ("number.min", {"min": 0.1})
    with pytest.raises(Invalid) as caught:
        number("1 000 001", maximum=1_000_000)
    assert (caught.value.code, caught.value.params) == ("number.max", {"max": 1_000_000})
    assert _code(lambda: number("2,5", integer=True)) == "number.integer"
    assert number("-3", minimum=-3, maximum=-3) == -3


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("1", "2", "2000"), datetime.date(2000, 2, 1)),
        ((" 01 ", "02", "2000"), datetime.date(2000, 2, 1)),
        (("29", "2", "2024"), datetime.date(2024, 2, 29)),
        (("15", "6", "2025"), TODAY),
        (("١٥", "٦", "٢٠٢٥"), TODAY),
    ],
)
def test_valid_dates(parts: tuple[str, str, str], expected: datetime.date) -> None:
    assert date_parts(*parts, today=TODAY, not_future=True) == expected


@pytest.mark.parametrize(
    ("parts", "code"),
    [
        (("", "2", "2000"), "date.missing"),
        (("1", " ", "2000"), "date.missing"),
        (("1", "2", ""), "date.missing"),
        (("1", "2", "99"), "date.year_4_digits"),
        (("1", "2", "20000"), "date.year_4_digits"),
        (("29", "2", "2023"), "date.invalid"),
        (("31", "4", "2000"), "date.invalid"),
        (("0", "4", "2000"), "date.invalid"),
        (("1", "13", "2000"), "date.invalid"),
        (("001", "1", "2000"), "date.invalid"),
        (("1", "Jan", "2000"), "date.invalid"),
        (("1.5", "1", "2000"), "date.invalid"),
        (("16", "6", "2025"), "date.future"),
    ],
)
def test_invalid_dates(parts: tuple[str, str, str], code: str) -> None:
    assert _code(lambda: date_parts(*parts, today=TODAY, not_future=True)) == code


def test_missing_date_part_is_named_and_not_past_is_checked() -> None:
    with pytest.raises(Invalid) as caught:
        date_parts("1", "", "2000", today=TODAY)
    assert caught.value.params == {"part": "month"}
    assert date_parts("1", "1", "2030", today=TODAY) == datetime.date(2030, 1, 1)
    assert _code(lambda: date_parts("14", "6", "2025", today=TODAY, not_past=True)) == "date.past"
    assert date_parts("15", "6", "2025", today=TODAY, not_past=True, not_future=True) == TODAY


# --- the registry, privacy and robustness ------------------------------------------------------------------------


def test_registry_names_and_defaults() -> None:
    assert set(VALIDATORS) == {"nif", "citizen-card", "iban", "postcode", "phone", "email"}
    assert VALIDATORS["phone"]("912345678") == "+351912345678"
    with pytest.raises(TypeError):
        VALIDATORS["nif"] = nif  # type: ignore[index]


def test_errors_carry_no_personal_data() -> None:
    samples = {
        "nif": "501442601",
        "citizen-card": "14339282 7 0A0",
        "iban": "PT50000201231234567890155",
        "phone": "812345678",
        "email": "maria.silva@@mail.pt",
        "postcode": "4700-12",
    }
    for name, raw in samples.items():
        with pytest.raises(Invalid) as caught:
            VALIDATORS[name](raw)
        shown = str(caught.value) + repr(caught.value) + repr(caught.value.params)
        assert raw[2:7] not in shown, name


@pytest.mark.parametrize("name", sorted(VALIDATORS))
def test_huge_input_is_refused_quickly(name: str) -> None:
    for raw in ("1" * 1_000_000, " " * 1_000_000 + "1", "\u0661" * 1_000_000):
        assert _code(lambda r=raw: VALIDATORS[name](r)).split(".")[0] in {
            "nif",
            "cc",
            "iban",
            "postcode",
            "phone",
            "email",
        }
    assert _code(lambda: normalise_text("x" * 1_000_000)) == "text.too_long"
    assert _code(lambda: number("1" * 1_000_000)) == "number.format"
    assert _code(lambda: date_parts("1" * 1_000_000, "1", "2000", today=TODAY)) == "date.invalid"


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT | st.text(string.digits + " -.+()@,", max_size=40))
def test_validators_raise_only_invalid_with_a_known_code(raw: str) -> None:
    calls = [*VALIDATORS.values(), normalise_text, lambda r: normalise_text(r, multiline=True), number]
    calls += [
        lambda r: number(r, minimum=0, maximum=10, integer=True),
        lambda r: date_parts(r, r[:2], r[-4:], today=TODAY),
    ]
    for call in calls:
        try:
            call(raw)
        except Invalid as error:
            assert error.code in INVALID_CODES
            assert all(isinstance(value, int | float | str) and len(str(value)) < 10 for value in error.params.values())


# --- properties of the check digits ------------------------------------------------------------------------------


def _single_digit_changes(value: str, positions: range) -> list[str]:
    return [
        value[:i] + d + value[i + 1 :] for i in positions if value[i].isdigit() for d in string.digits if d != value[i]
    ]


def _nif_remainder(value: str) -> int:
    return sum(int(d) * w for d, w in zip(value[:8], range(9, 1, -1), strict=True)) % 11


@settings(max_examples=300, deadline=None)
@given(NIFS)
def test_generated_nifs_are_valid_and_single_digit_changes_are_caught_as_mod_11_allows(value: str) -> None:
    # Remainders 0 and 1 both give the check digit 0, so when the check digit is 0 a change that moves the remainder
    # from one to the other cannot be seen. Every other single-digit change is caught.
    assert nif(value) == value
    for changed in _single_digit_changes(value, range(9)):
        try:
            nif(changed)
        except Invalid:
            continue
        assert value[8] == "0" and {_nif_remainder(value), _nif_remainder(changed)} == {0, 1}, changed


def test_the_nif_check_digit_blind_spot() -> None:
    assert nif("200000020") == "200000020"  # remainder 0: check digit 0
    assert nif("700000020") == "700000020"  # one digit changed, remainder 1: check digit 0 as well
    assert {_nif_remainder("200000020"), _nif_remainder("700000020")} == {0, 1}


@settings(max_examples=300, deadline=None)
@given(IBANS)
def test_generated_ibans_are_valid_and_any_single_substitution_is_not(value: str) -> None:
    assert iban(value).replace(" ", "") == value
    for i, symbol in enumerate(value):
        alphabet = string.digits if symbol.isdigit() else string.ascii_uppercase
        for other in alphabet.replace(symbol, ""):
            with pytest.raises(Invalid):
                iban(value[:i] + other + value[i + 1 :])


@settings(max_examples=300, deadline=None)
@given(CARDS)
def test_generated_citizen_cards_are_valid_and_any_single_digit_change_is_not(value: str) -> None:
    normalised = citizen_card(value)
    assert normalised.replace(" ", "") == value
    for changed in _single_digit_changes(value, range(12)):
        with pytest.raises(Invalid):
            citizen_card(changed)


# --- tolerance and idempotence -----------------------------------------------------------------------------------

SEPARATORS = {"nif": "-.", "citizen-card": "-.", "iban": "-.", "postcode": "-", "phone": "-.()", "email": ""}
VALID_SAMPLES = {
    "nif": NIFS,
    "citizen-card": CARDS,
    "iban": IBANS,
    "postcode": st.from_regex(r"[1-9][0-9]{3}-[0-9]{3}", fullmatch=True),
    "phone": st.from_regex(r"(9[1236]|2[1-9])[0-9]{7}", fullmatch=True),
    "email": st.sampled_from(["ana.silva@example.pt", "Ana+x@Mail.Example.COM", "joão@exemplo.pt", "a@b.co"]),
}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(VALID_SAMPLES)), st.data())
def test_stray_separators_and_case_are_tolerated_and_normalising_is_idempotent(name: str, data: st.DataObject) -> None:
    validator = VALIDATORS[name]
    value = data.draw(VALID_SAMPLES[name])
    normalised = validator(value)
    assert validator(normalised) == normalised
    if name != "email":
        decorated = data.draw(_decorated(value, SEPARATORS[name]))
        assert validator(decorated) == normalised


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT, st.booleans())
def test_accepted_input_normalises_to_a_fixed_point(raw: str, multiline: bool) -> None:
    for validator in [*VALIDATORS.values(), lambda r: normalise_text(r, multiline=multiline)]:
        try:
            once = validator(raw)
        except Invalid:
            continue
        assert isinstance(once, str)
        assert validator(once) == once


@settings(max_examples=300, deadline=None)
@given(
    st.integers(-(10**12), 10**12),
    st.integers(0, 99),
    st.sampled_from([",", "."]),
    st.sampled_from(["", " ", "\u00a0"]),
)
def test_numbers_written_with_grouping_and_either_mark_read_back(whole: int, cents: int, mark: str, group: str) -> None:
    digits = f"{abs(whole):,}".replace(",", group)
    text = f"{'-' if whole < 0 else ''}{digits}{mark}{cents:02d}"
    assert number(text) == float(f"{whole}.{cents:02d}")
    assert number(f"{whole}") == whole
