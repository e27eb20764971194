"""Codes people read aloud: submission references, draft resume codes and learner codes.

A citizen copies a code from the screen or a receipt, reads it over the phone, or types it at another kiosk, so codes
use Crockford's base-32 alphabet (no I, L, O, U), start with a one-letter prefix naming their kind, end with a Luhn
mod 32 check symbol, and are shown in short groups: "R-7KQ2-M9XH-4B3C-P". Kiosks work offline, so uniqueness comes
from randomness (`secrets`), not from a kiosk id or a counter; the caller re-draws on a local collision through
`new_code(..., exists=...)`. docs/codes.md has the arithmetic and the exact error-detection guarantee.
"""

import secrets
import unicodedata
from collections.abc import Callable
from enum import Enum
from typing import Final, Literal

ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
_VALUES: Final = {symbol: value for value, symbol in enumerate(ALPHABET)}
_READ_AS: Final = {"O": "0", "I": "1", "L": "1"}  # Crockford's decoding of the look-alikes; U stays an error
GROUP: Final = 4  # symbols per spoken group: short enough to hold in memory while typing
_MAX_DRAWS: Final = (
    100  # with 40+ random bits a second draw is already rare; 100 failures mean a broken rng or exists()
)

CodeErrorReason = Literal["empty", "alphabet", "kind", "length", "check"]


class CodeKind(Enum):
    """Kinds of code; the value is the prefix, a symbol of the alphabet, so it survives tolerant parsing."""

    SUBMISSION = "R"  # submission reference (Referência)
    DRAFT = "D"  # draft resume code
    LEARNER = "A"  # learner code (Aprendente); not "L", which Crockford reads as the digit 1

    @property
    def data_length(self) -> int:
        """Random symbols in a code of this kind (5 bits each)."""
        return _DATA_LENGTHS[self]

    @property
    def label(self) -> str:
        """Plain English name, for error messages and logs (the UI has its own strings)."""
        return _LABELS[self]


_DATA_LENGTHS: Final = {CodeKind.SUBMISSION: 12, CodeKind.DRAFT: 10, CodeKind.LEARNER: 8}  # 60, 50 and 40 bits
_LABELS: Final = {
    CodeKind.SUBMISSION: "submission reference",
    CodeKind.DRAFT: "draft resume code",
    CodeKind.LEARNER: "learner code",
}
_KINDS_BY_PREFIX: Final = {kind.value: kind for kind in CodeKind}


class CodeError(ValueError):
    """A code that cannot be accepted; `reason` keys the UI message, `found` is the kind it belongs to, if known.

    The message never contains the typed text: a reference leads to a citizen's submission.
    """

    def __init__(self, reason: CodeErrorReason, message: str, *, found: CodeKind | None = None) -> None:
        super().__init__(message)
        self.reason: CodeErrorReason = reason
        self.found = found


def check_symbol(data: str) -> str:
    """Luhn mod 32 check symbol over canonical symbols (for a code: its prefix followed by its random symbols)."""
    total = 0
    # The rightmost data symbol is doubled: once the check symbol is appended, every second one from the right is.
    for position, symbol in enumerate(reversed(data)):
        value = _VALUES.get(symbol)
        if value is None:
            raise CodeError("alphabet", "a code symbol must be one of " + ALPHABET)
        if position % 2 == 0:
            value = 2 * value // 32 + 2 * value % 32  # the "digit sum" of the doubled value in base 32
        total += value
    return ALPHABET[-total % 32]


def _display(symbols: str) -> str:
    """Prefix, the random symbols in groups of four, the check symbol: "R-7KQ2-M9XH-4B3C-P"."""
    data = symbols[1:-1]
    groups = [data[i : i + GROUP] for i in range(0, len(data), GROUP)]
    return "-".join([symbols[0], *groups, symbols[-1]])


def _canonical_symbols(text: str) -> str:
    """The typed text as canonical symbols: case, spaces and dashes ignored, O read as 0, I and L as 1."""
    symbols: list[str] = []
    for ch in unicodedata.normalize("NFKC", text):  # full-width letters and digits become ASCII
        if ch.isspace() or unicodedata.category(ch) == "Pd":
            continue
        if not ch.isascii():
            raise CodeError("alphabet", "codes use only the letters and digits of Crockford's base 32")
        symbol = _READ_AS.get(ch.upper(), ch.upper())
        if symbol not in _VALUES:
            raise CodeError("alphabet", "codes use only the letters and digits of Crockford's base 32")
        symbols.append(symbol)
    if not symbols:
        raise CodeError("empty", "no code was entered")
    return "".join(symbols)


def _parse_symbols(symbols: str, kind: CodeKind) -> str:
    if symbols[0] != kind.value:
        found = _KINDS_BY_PREFIX.get(symbols[0])
        if found is not None and len(symbols) == found.data_length + 2:
            raise CodeError("kind", f"this is a {found.label}, not a {kind.label}", found=found)
        raise CodeError("kind", f"a {kind.label} starts with {kind.value}")
    if len(symbols) != kind.data_length + 2:
        raise CodeError("length", f"a {kind.label} has {kind.data_length + 2} symbols")
    if check_symbol(symbols[:-1]) != symbols[-1]:
        raise CodeError("check", "the code has a mistake: one symbol is wrong or two are swapped")
    return _display(symbols)


def parse_code(text: str, kind: CodeKind) -> str:
    """The canonical display form of a typed code of `kind`, or `CodeError` saying why it is not one."""
    return _parse_symbols(_canonical_symbols(text), kind)


def for_speech(code: str) -> list[str]:
    """The groups of a code of any kind, for the speech layer to read with a pause between them."""
    symbols = _canonical_symbols(code)
    kind = _KINDS_BY_PREFIX.get(symbols[0])
    if kind is None:
        raise CodeError("kind", "a code starts with " + " or ".join(_KINDS_BY_PREFIX))
    return _parse_symbols(symbols, kind).split("-")


def new_code(
    kind: CodeKind, *, exists: Callable[[str], bool] | None = None, rng: Callable[[int], int] | None = None
) -> str:
    """A fresh code in display form, drawn again while `exists(code)` says it is already in use here.

    `rng(bits)` returns that many random bits (default `secrets.randbits`); tests pass a deterministic one.
    """
    draw = rng or secrets.randbits
    bits = 5 * kind.data_length
    for _ in range(_MAX_DRAWS):
        value = draw(bits)
        if not 0 <= value < 1 << bits:
            raise ValueError(f"rng({bits}) returned a value outside 0 .. 2**{bits} - 1")
        data = "".join(ALPHABET[(value >> shift) & 31] for shift in range(bits - 5, -1, -5))
        code = _display(kind.value + data + check_symbol(kind.value + data))
        if exists is None or not exists(code):
            return code
    raise RuntimeError(f"no unused {kind.label} after {_MAX_DRAWS} draws: is the random source broken?")
