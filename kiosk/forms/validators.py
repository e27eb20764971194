"""Answer validators: turn what a citizen typed into one normalised value, or say precisely what is wrong.

Citizens type at a kiosk, often on a touch keyboard: stray spaces, hyphens and dots are accepted wherever they cannot
change the meaning, and digits from any script (an Arabic-Indic keyboard, full-width digits) count as digits. A problem
raises `Invalid(code, **params)`: `code` is a stable dotted key for the UI's message catalog (all of them are in
`INVALID_CODES`) and `params` holds limits only, never the input, so an error can be shown or logged without leaking
personal data. Every validator is idempotent on what it accepts: validating its own output returns it unchanged.
"""

import datetime
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Final

_CODES_BY_VALIDATOR = """
    text.control_chars text.too_long
    nif.format nif.length nif.prefix nif.check_digit
    cc.format cc.check_digit
    iban.format iban.country iban.length iban.check_digits
    postcode.format phone.format email.format
    number.format number.ambiguous number.integer number.min number.max
    date.missing date.invalid date.year_4_digits date.future date.past
"""
INVALID_CODES: Final = frozenset(_CODES_BY_VALIDATOR.split())


class Invalid(ValueError):  # noqa: N818 - the name the forms layer and the UI use
    """A rejected answer: `code` keys the message, `params` fill it (limits such as `max`, never what was typed)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params: dict[str, object] = params


# --- free text ---------------------------------------------------------------------------------------------------

_CONTROLS_SINGLE_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")  # C0, DEL, C1, lone surrogates
_CONTROLS_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # the same, newline allowed
_SPACE_RUN = re.compile(r"[^\S\n]+")  # any whitespace except a newline: tabs, no-break and other Unicode spaces


def normalise_text(raw: str, *, max_length: int = 500, multiline: bool = False) -> str:
    """Trimmed NFC text with runs of spaces collapsed; markup, emoji and bidi marks are kept verbatim."""
    text = unicodedata.normalize("NFC", raw)
    if multiline:  # pasted text may carry Windows or Unicode line ends: one newline character everywhere
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.strip()  # first, so a pasted trailing newline is not refused in a single-line answer
    controls = _CONTROLS_MULTILINE if multiline else _CONTROLS_SINGLE_LINE
    if controls.search(text):  # checked before collapsing: some controls count as whitespace and would vanish
        raise Invalid("text.control_chars")
    text = _SPACE_RUN.sub(" ", text)
    if multiline:
        text = "\n".join(line.strip() for line in text.split("\n")).strip()
    if len(text) > max_length:
        raise Invalid("text.too_long", max=max_length)
    return text


# --- identifiers -------------------------------------------------------------------------------------------------

_MAX_IDENTIFIER_INPUT = 100  # the longest identifier (an IBAN) is 34 symbols; this leaves room for separators


def _ascii_digits(text: str) -> str:
    # A citizen may type on an Arabic or full-width keyboard: every decimal digit counts as its ASCII digit.
    if text.isascii():
        return text
    return "".join(str(value) if (value := unicodedata.decimal(ch, -1)) >= 0 else ch for ch in text)


def _compact(raw: str, code: str, *, also_drop: str = ".") -> str:
    """The input with ASCII digits, without whitespace, dashes of any kind and `also_drop`; else ASCII or `code`."""
    if len(raw) > _MAX_IDENTIFIER_INPUT:
        raise Invalid(code)
    text = _ascii_digits(raw)
    text = "".join(ch for ch in text if not (ch.isspace() or ch in also_drop or unicodedata.category(ch) == "Pd"))
    if not text.isascii():  # checked before upper(), which turns a few non-ASCII letters into ASCII ones
        raise Invalid(code)
    return text


# First digits the Autoridade Tributária assigns: 1-3 people; 45 non-resident people; 5 companies; 6 public bodies;
# 70, 74, 75 undivided estates; 71 non-resident companies; 72 investment funds; 77 and 78 assigned ex officio (78: VAT
# refunds of non-residents); 79 Expo 98; 90, 91 condominiums and irregular partnerships; 98 non-residents without a
# permanent establishment; 99 civil partnerships. 8 (sole traders) is obsolete and no longer valid, so it is refused.
_NIF_PREFIX_LIST = "1 2 3 45 5 6 70 71 72 74 75 77 78 79 90 91 98 99"
NIF_PREFIXES: Final = tuple(_NIF_PREFIX_LIST.split())


def _nif_check_digit(first_eight: str) -> str:
    """Mod-11 check digit of a NIF: weights 9..2; a result of 10 or 11 gives 0."""
    check = 11 - sum(int(digit) * (9 - i) for i, digit in enumerate(first_eight)) % 11
    return "0" if check >= 10 else str(check)


def nif(raw: str) -> str:
    """Portuguese tax number as nine digits; the "PT" of the VAT form printed on invoices is accepted."""
    digits = _compact(raw, "nif.format").upper().removeprefix("PT")
    if not digits.isdigit():
        raise Invalid("nif.format")
    if len(digits) != 9:
        raise Invalid("nif.length", expected=9)
    if not digits.startswith(NIF_PREFIXES):
        raise Invalid("nif.prefix")
    if digits[8] != _nif_check_digit(digits[:8]):
        raise Invalid("nif.check_digit")
    return digits


_CITIZEN_CARD = re.compile("[0-9]{9}[0-9A-Z]{2}[0-9]")


def _citizen_card_checksum(symbols: str) -> int:
    """The card's Luhn variant over 0-9, A=10..Z=35: from the right, every second value doubled (minus 9 if >= 10)."""
    total = 0
    for position, symbol in enumerate(reversed(symbols)):
        value = int(symbol, 36)
        if position % 2:
            value *= 2
            value -= 9 if value >= 10 else 0
        total += value
    return total % 10  # 0 for a valid document number


def citizen_card(raw: str) -> str:
    """Cartão de Cidadão document number as "DDDDDDDD D AAD": civil id, its check digit, version, check digit."""
    text = _compact(raw, "cc.format").upper()
    if not _CITIZEN_CARD.fullmatch(text):
        raise Invalid("cc.format")
    if _citizen_card_checksum(text) != 0:
        raise Invalid("cc.check_digit")
    return f"{text[:8]} {text[8]} {text[9:]}"


# ISO 13616 lengths from the SWIFT IBAN registry: every EU/EEA country, Switzerland, the United Kingdom and the rest.
_IBAN_LENGTH_TABLE = """
    AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 EE20 EG29
    ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20
    LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29
    PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20
    YE30
"""
IBAN_LENGTHS: Final = MappingProxyType({entry[:2]: int(entry[2:]) for entry in _IBAN_LENGTH_TABLE.split()})


def _iban_remainder(symbols: str) -> int:
    """ISO 7064 mod 97-10 of an IBAN (country and check digits moved to the end, letters A=10..Z=35): 1 if valid."""
    rearranged = symbols[4:] + symbols[:4]
    return int("".join(str(int(symbol, 36)) for symbol in rearranged)) % 97


def iban(raw: str) -> str:
    """IBAN in groups of four ("PT50 0002 0123 1234 5678 9015 4"); a pasted leading "IBAN" is ignored."""
    text = _compact(raw, "iban.format").upper().removeprefix("IBAN")
    if not text.isalnum():
        raise Invalid("iban.format")
    expected = IBAN_LENGTHS.get(text[:2])
    if expected is None:
        raise Invalid("iban.country")
    if len(text) != expected:
        raise Invalid("iban.length", expected=expected)
    # 00, 01 and 99 are never issued: 00 and 01 would pass mod 97 exactly where 97 and 98 do.
    if not (text[2:4].isdigit() and 2 <= int(text[2:4]) <= 98) or _iban_remainder(text) != 1:
        raise Invalid("iban.check_digits")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


_POSTCODE = re.compile("[1-9][0-9]{6}")


def postcode_pt(raw: str) -> str:
    """Portuguese postcode as "NNNN-NNN"; "NNNNNNN" and "NNNN NNN" are accepted."""
    digits = _compact(raw, "postcode.format", also_drop="")
    if not _POSTCODE.fullmatch(digits):
        raise Invalid("postcode.format")
    return f"{digits[:4]}-{digits[4:]}"


_TRUNK_IN_PARENTHESES = re.compile(r"^((?:\+|00)[1-9][0-9]{0,2})\(0\)")  # "+44 (0)20...": that 0 is not dialled


def _portuguese_national(digits: str) -> bool:
    # Nine digits: 2 fixed lines, 30 nomadic (VoIP) numbers, 9 mobiles; service numbers (707, 800...) are no contact.
    return len(digits) == 9 and (digits[0] in "29" or digits.startswith("30"))


def phone_e164(raw: str, *, default_country: str = "351") -> str:
    """Phone number in E.164 ("+351912345678"); a national number gets `default_country`."""
    if not (default_country.isascii() and default_country.isdigit() and default_country[0] != "0"):
        raise ValueError(f"default_country must be a country calling code without '+', not {default_country!r}")
    text = _compact(raw, "phone.format")
    text = _TRUNK_IN_PARENTHESES.sub(r"\1", text, count=1).replace("(", "").replace(")", "")
    national = not text.startswith(("+", "00"))
    digits = text if national else text.removeprefix("+") if text[0] == "+" else text[2:]
    if not digits.isdigit() or digits.startswith("0"):  # a national trunk "0" is ambiguous: ask for "+" instead
        raise Invalid("phone.format")
    if national and default_country == "351":
        if _portuguese_national(digits):
            digits = "351" + digits
        elif not digits.startswith("351"):  # "351912345678" is the international form without its "+"
            raise Invalid("phone.format")
    elif national:
        digits = default_country + digits
    if digits.startswith("351") and not _portuguese_national(digits[3:]):
        raise Invalid("phone.format")
    if not 8 <= len(digits) <= 15:
        raise Invalid("phone.format")
    return "+" + digits


_EMAIL_LOCAL_FORBIDDEN: Final = frozenset('"(),:;<>[\\]@')  # legal only inside quotes, which no citizen types


def _email_label(label: str) -> bool:
    if not (1 <= len(label) <= 63) or label[0] == "-" or label[-1] == "-":
        return False
    if not all(ch.isalnum() or ch == "-" for ch in label):
        return False
    if label.isascii():
        return True
    try:  # an internationalised label must have an ASCII form (punycode) of at most 63 characters
        return len(label.encode("idna")) <= 63
    except UnicodeError:
        return False


def email(raw: str) -> str:
    """E-mail address, checked pragmatically; only the domain is lowercased (the local part may be case-sensitive)."""
    text = raw.strip()
    if len(text) > 254 or text.count("@") != 1:
        raise Invalid("email.format")
    local, domain = text.split("@")
    domain = domain.lower()
    if (
        not 1 <= len(local) <= 64
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
        or any(ch in _EMAIL_LOCAL_FORBIDDEN or ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in local)
    ):
        raise Invalid("email.format")
    labels = domain.split(".")
    if len(labels) < 2 or labels[-1].isdigit() or not all(_email_label(label) for label in labels):
        raise Invalid("email.format")
    address = f"{local}@{domain}"
    if len(address) > 254:
        raise Invalid("email.format")
    return address


# --- numbers and dates -------------------------------------------------------------------------------------------

_MAX_NUMBER_INPUT = 64  # also keeps int() far below Python's limit on the digits it converts
_WHOLE_PLAIN = re.compile("[0-9]+")
_WHOLE_GROUPED = re.compile(r"[0-9]{1,3}([ .,])[0-9]{3}(?:\1[0-9]{3})*")
_FRACTION = re.compile("[0-9]+")
_LOOKS_GROUPED = re.compile("[1-9][0-9]{0,2}")  # "1.500": one separator, three digits after, no leading zero


def _parse_number(raw: str) -> tuple[Decimal, bool]:
    """The value and whether it was written with a decimal separator."""
    if len(raw) > _MAX_NUMBER_INPUT:
        raise Invalid("number.format")
    text = " ".join(_ascii_digits(raw).split())  # no-break and thin spaces group thousands in pt-PT
    negative = text[:1] in ("-", "\u2212")
    if text[:1] in ("+", "-", "\u2212"):
        text = text[1:].lstrip()
    # The decimal mark is the last comma or dot if it occurs once ("1.234.567" only groups); the other one groups.
    last = max(text.rfind(","), text.rfind("."))
    mark = text[last] if last >= 0 and text.count(text[last]) == 1 else ""
    whole, fraction = (text[:last], text[last + 1 :]) if mark else (text, "")
    grouped = _WHOLE_GROUPED.fullmatch(whole)
    if not (_WHOLE_PLAIN.fullmatch(whole) or (grouped and grouped.group(1) != mark)):
        raise Invalid("number.format")
    if mark and not _FRACTION.fullmatch(fraction):
        raise Invalid("number.format")
    if fraction and len(fraction) == 3 and _LOOKS_GROUPED.fullmatch(whole):
        raise Invalid("number.ambiguous")  # 1.500 or 1,500: a thousand and a half, or one and a half?
    digits = whole.replace(" ", "").replace(".", "").replace(",", "")
    value = Decimal(f"{'-' if negative else ''}{digits}.{fraction or '0'}")
    return value, bool(fraction)


def number(
    raw: str, *, minimum: float | None = None, maximum: float | None = None, integer: bool = False
) -> int | float:
    """A number as typed in pt-PT ("1 234,5") or with a decimal point ("1234.5"); int unless it has decimals."""
    value, has_fraction = _parse_number(raw)
    if integer and value != value.to_integral_value():
        raise Invalid("number.integer")
    # Compare in decimal: the float 0.1 is slightly more than the typed "0,1", which must still meet a minimum of 0.1.
    if minimum is not None and value < Decimal(str(minimum)):
        raise Invalid("number.min", min=minimum)
    if maximum is not None and value > Decimal(str(maximum)):
        raise Invalid("number.max", max=maximum)
    if integer or not has_fraction:
        return int(value)
    return float(value)


def date_parts(
    day: str, month: str, year: str, *, today: datetime.date, not_future: bool = False, not_past: bool = False
) -> datetime.date:
    """A date typed in three boxes (GOV.UK's memorable-date pattern): numbers only, a four-digit year."""
    if max(len(day), len(month), len(year)) > 20:
        raise Invalid("date.invalid")
    typed = {"day": day, "month": month, "year": year}
    parts = {name: "".join(_ascii_digits(value).split()) for name, value in typed.items()}
    for name, value in parts.items():
        if not value:
            raise Invalid("date.missing", part=name)
    if not all(value.isascii() and value.isdigit() for value in parts.values()):
        raise Invalid("date.invalid")
    if len(parts["year"]) != 4:
        raise Invalid("date.year_4_digits")  # never guess the century of a two-digit year
    if len(parts["day"]) > 2 or len(parts["month"]) > 2:
        raise Invalid("date.invalid")
    try:
        date = datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        raise Invalid("date.invalid") from None
    if not_future and date > today:
        raise Invalid("date.future")
    if not_past and date < today:
        raise Invalid("date.past")
    return date


# Keyed by the catalog question type each one checks (kiosk.catalog.model.QUESTION_TYPES).
VALIDATORS: Final[Mapping[str, Callable[[str], object]]] = MappingProxyType(
    {
        "nif": nif,
        "citizen-card": citizen_card,
        "iban": iban,
        "postcode": postcode_pt,
        "phone": phone_e164,
        "email": email,
    }
)
