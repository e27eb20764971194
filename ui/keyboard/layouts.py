"""Keyboard layouts as data: one JSON file per layout in `ui/keyboard/layouts/`, read into plain records (no Qt).

A layout file names its rows as text, one token per key, separated by spaces, so a person can check it against a
physical keyboard at a glance:

    "a s d f g h j k l ç [enter:2]"

A token is the characters the key types (one or two), or `[action]` / `[action:units]` for a function key
(`ACTIONS`); `units` is the key's width in letter keys (default 1). Rows are listed top to bottom and left to right as
on a physical keyboard, in every language: an Arabic keyboard has ض at the top left, and keypads read 1 2 3 left to
right in right-to-left languages too.

Accents are dead keys: a token that is an accent of `DEAD_KEYS` (´ ` ^ ~ ¨) is a visible key that marks the next letter
(´ then a types á). `accented` lists the accented letters the language uses (capitals follow): only those are made,
so ´ then s types a plain s in Portuguese. While an accent is chosen the letter keys show the letters they will type,
so nothing is hidden behind a long press. Letter layouts have four rows and no digits row (four rows of 20 mm keys
leave the page room at 200 % text): `[symbols]` leads to the digits-and-symbols page (`symbols.json`) and back.

Other fields: `short_name` (the label of the key that switches to this layout, "ABC"), `cased` (Shift and Caps lock
apply: letters have capitals), `keypad` (a numeric keypad, for numeric and phone fields) and `alternate` (the layout
the switch key leads to, e.g. Latin letters from Ukrainian, so an address in Portugal can be typed; null: none).
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from pathlib import Path
from typing import NamedTuple

LAYOUTS_DIR = Path(__file__).with_name("layouts")
ACTIONS = ("backspace", "shift", "caps", "space", "enter", "hide", "switch", "symbols")
# Layouts that belong to no language: keypads chosen by the field's kind, and the digits-and-symbols page.
KEYPADS = ("numeric", "phone")
SYMBOLS = "symbols"
FALLBACK_LAYOUT = "en"
MAX_KEY_UNITS = 8
# Dead keys: the accent as printed on the key -> the combining mark it adds to the next letter.
DEAD_KEYS = {"´": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "¨": "\u0308"}


class LayoutError(ValueError):
    """A layout file is missing or malformed; the message names the file and the problem."""


class Key(NamedTuple):
    text: str = ""  # what a character key types, or a dead key's accent ("" for other function keys)
    action: str = ""  # one of ACTIONS, or "dead" for an accent ("" for a character key)
    units: int = 1  # width, in letter keys

    @property
    def is_char(self) -> bool:
        return not self.action


class Layout(NamedTuple):
    name: str  # the file's stem: a language code, "numeric" or "phone"
    short_name: str
    cased: bool
    keypad: bool
    alternate: str | None
    rows: tuple[tuple[Key, ...], ...]
    accented: frozenset[str] = frozenset()  # the letters its dead keys make, capitals included

    def all_keys(self) -> list[Key]:
        return [key for row in self.rows for key in row]

    def characters(self) -> set[str]:
        """Every character the layout can type, capitals included."""
        found: set[str] = set()
        letters = [key.text for key in self.all_keys() if key.is_char]
        if self.cased:
            letters += [shifted(text) for text in letters]
        for key in self.all_keys():
            found.update(key.text)
            if key.action == "dead":
                found.update(filter(None, (self.accent(key.text, letter) for letter in letters)))
        found.update(*letters)
        return found

    def accent(self, accent: str, letter: str) -> str | None:
        """The letter a dead key makes of `letter` in this layout, or None (not a letter of this language)."""
        composed = compose(accent, letter)
        return composed if composed in self.accented else None


def compose(accent: str, letter: str) -> str | None:
    """The letter with a dead key's accent ("´", "a" -> "á"), or None when there is no such single character."""
    mark = DEAD_KEYS.get(accent)
    if mark is None or len(letter) != 1:
        return None
    composed = unicodedata.normalize("NFC", letter + mark)
    return composed if len(composed) == 1 else None


def shifted(text: str) -> str:
    """The capital of a letter key; keys without a one-to-one capital (digits, punctuation, "ß") stay as they are."""
    upper = text.upper()
    return upper if len(upper) == len(text) else text


def parse_token(token: str, where: str) -> Key:
    if token.startswith("[") and token.endswith("]") and len(token) > 2:
        action, _, units = token[1:-1].partition(":")
        if action not in ACTIONS:
            raise LayoutError(f"{where}: unknown key action {action!r} (known: {', '.join(ACTIONS)})")
        if units and not (units.isdigit() and 1 <= int(units) <= MAX_KEY_UNITS):
            raise LayoutError(f"{where}: key width {units!r} must be 1..{MAX_KEY_UNITS}")
        return Key(action=action, units=int(units or 1))
    if token in DEAD_KEYS:
        return Key(text=token, action="dead")
    if not 1 <= len(token) <= 2:
        raise LayoutError(f"{where}: a character key types one or two characters, not {token!r}")
    return Key(text=token)


def parse_layout(name: str, data: object, where: str) -> Layout:
    if not isinstance(data, dict):
        raise LayoutError(f"{where}: must be one JSON object")
    rows = data.get("rows")
    if not isinstance(rows, list) or not rows or not all(isinstance(row, str) and row.strip() for row in rows):
        raise LayoutError(f"{where}: 'rows' must be a non-empty list of non-empty strings")
    short_name, alternate, accented = data.get("short_name"), data.get("alternate"), data.get("accented", "")
    if not isinstance(accented, str):
        raise LayoutError(f"{where}: 'accented' must be a string of letters")
    if not isinstance(short_name, str) or not short_name:
        raise LayoutError(f"{where}: 'short_name' must be a non-empty string")
    if alternate is not None and not isinstance(alternate, str):
        raise LayoutError(f"{where}: 'alternate' must be a layout name or null")
    parsed = tuple(
        tuple(parse_token(token, f"{where}, row {number}") for token in row.split())
        for number, row in enumerate(rows, start=1)
    )
    return Layout(
        name=name,
        short_name=short_name,
        cased=bool(data.get("cased", False)),
        keypad=bool(data.get("keypad", False)),
        alternate=alternate,
        rows=parsed,
        accented=frozenset(accented) | frozenset(shifted(letter) for letter in accented),
    )


@cache
def load_layout(name: str, directory: Path = LAYOUTS_DIR) -> Layout:
    """The layout `name` (cached: layouts are read once per process, when the keyboard first needs them)."""
    path = directory / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LayoutError(f"{path}: cannot read layout: {exc}") from exc
    return parse_layout(name, data, str(path))


def layout_names(directory: Path = LAYOUTS_DIR) -> list[str]:
    return sorted(path.stem for path in directory.glob("*.json"))


def text_layout_name(language: str, directory: Path = LAYOUTS_DIR) -> str:
    """The letter layout for a session language ("pt-PT" -> "pt-PT"; a language without one gets English's)."""
    if language not in (*KEYPADS, SYMBOLS) and (directory / f"{language}.json").is_file():
        return language
    return FALLBACK_LAYOUT
