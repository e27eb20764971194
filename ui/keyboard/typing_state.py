"""What the on-screen keyboard's keys type and say right now: Shift, Caps lock, a chosen accent, which letters are up.

`TypingState` is the keyboard's state without its widgets: the layout on show, the modifiers, the letters-or-symbols
page and the switch to a language's alternate letters, and from them which layout a field gets, what a character key
types and the label and accessible name of every key. Kept apart from the panel (`ui.keyboard.panel`), which owns the
widgets, the focus and the typing into fields. No Qt here; the layout data is read lazily, when the keyboard first
opens, not when it is built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the layout data loads when the keyboard first opens, not at start-up
    from ui.keyboard.layouts import Key, Layout

ACCENT_NAMES = {"´": "acute", "`": "grave", "^": "circumflex", "~": "tilde", "¨": "diaeresis"}  # keyboard.accent.*


class TypingState:
    """The keyboard's layout and modifiers, and what each key types and is labelled in them."""

    def __init__(self) -> None:
        self.layout: Layout | None = None
        self.shift = False  # one capital, then back
        self.caps = False  # capitals until pressed again
        self.dead = ""  # the accent (a dead key) the next letter gets
        self.alternate = False  # the language layout's alternate (Latin letters from Ukrainian or Arabic)
        self.symbols = False  # on the digits-and-symbols page

    # Which layout ----------------------------------------------------------------------------------------------------
    def layout_for(self, kind: str, language: str) -> Layout:
        """The layout a field of `kind` ("text", "numeric", "phone", `ui.keyboard.fields.field_kind`) gets."""
        from ui.keyboard.layouts import SYMBOLS, load_layout

        if kind != "text":
            return load_layout(kind)
        return load_layout(SYMBOLS) if self.symbols else self.letters(language)

    def letters(self, language: str) -> Layout:
        """The letter layout in use: the language's, or its alternate once switched."""
        from ui.keyboard.layouts import load_layout, text_layout_name

        base = load_layout(text_layout_name(language))
        if self.alternate and base.alternate:
            return load_layout(base.alternate)
        return base

    def switch_destination(self, language: str) -> Layout | None:
        """The letter layout the switch key leads to (None: no switch key, as on keypads and the symbols page)."""
        from ui.keyboard.layouts import SYMBOLS, load_layout, text_layout_name

        if self.layout is None or self.layout.keypad or self.layout.name == SYMBOLS:
            return None
        base = load_layout(text_layout_name(language))
        if base.alternate is None:
            return None
        return base if self.alternate else load_layout(base.alternate)

    # What the keys type and say --------------------------------------------------------------------------------------
    def toggle(self, key: Key, checked: bool) -> None:
        """Shift, Caps lock or an accent: `checked` is the key's new state (the button is checkable)."""
        if key.action == "shift":
            self.shift = checked
        elif key.action == "caps":
            self.caps, self.shift = checked, False
        else:
            self.dead = key.text if checked else ""

    def is_checked(self, key: Key) -> bool:
        """Whether the on/off key `key` (Shift, Caps lock or an accent) is on."""
        checked = {"shift": self.shift, "caps": self.caps, "dead": self.dead == key.text}
        return checked[key.action]

    def capitals(self) -> bool:
        return self.layout is not None and self.layout.cased and (self.shift != self.caps)

    def char(self, key: Key) -> str:
        """What a character key types now: capital with Shift or Caps lock, accented after a dead key."""
        from ui.keyboard.layouts import shifted

        text = shifted(key.text) if self.capitals() else key.text
        if self.dead and self.layout is not None:
            return self.layout.accent(self.dead, text) or text
        return text

    def label(self, key: Key, language: str, t: Callable[..., str], *, multi_line: bool) -> tuple[str, str]:
        """(visible text, accessible name) of a key in the current state and `language`; `t` translates a text key
        (`keyboard.*`) into it, and Enter reads "New line" in a `multi_line` field."""
        from ui.keyboard.layouts import SYMBOLS, load_layout

        if key.is_char:
            text = self.char(key)
            return text, text
        if key.action == "dead":
            return key.text, f"{t(f'keyboard.accent.{ACCENT_NAMES[key.text]}')} {key.text}"
        if key.action == "switch":
            destination = self.switch_destination(language)
            short = destination.short_name if destination is not None else ""
            return short, t("keyboard.switch", layout=short)
        if key.action == "symbols":
            if self.symbols:  # back to the letters
                short = self.letters(language).short_name
                return short, t("keyboard.switch", layout=short)
            short = load_layout(SYMBOLS).short_name
            return short, t("keyboard.symbols", label=short)
        action = "newline" if key.action == "enter" and multi_line else key.action
        text = t(f"keyboard.{action}")
        return text, text
