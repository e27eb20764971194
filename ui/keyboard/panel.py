"""The kiosk's own on-screen keyboard: a panel of large keys docked at the bottom of the window.

It opens when a text field gets the focus (under the `keyboard.on_screen` policy, `ui.keyboard.policy`) and closes
when the focus leaves text fields. Docked under the screens, it takes its height from them: the screen's scroll area
gets shorter and scrolls the field into view, so the keyboard never covers the field being typed in.

The layout follows the session language (`ui/keyboard/layouts/<lang>.json`) and the field's kind (a keypad for
numbers, dates and phones, `ui.keyboard.fields.field_kind`). Keys type through the field's own API, so undo, length
limits and "typed" signals behave as with a physical keyboard, which keeps working. Each key is at least 20 mm on the
reference panel, is named for assistive technology, and is announced (`key_activated(name)`, and the window's
announcer, which speaks it in read-aloud mode); in a masked or sensitive field a character is announced as
"asterisk", never as itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from accessibility.sizing import ReferencePanel
from accessibility.tokens import theme_named
from kiosk.i18n import Catalog
from kiosk.session import CitizenSession, Presentation
from ui.bridge import EventBridge
from ui.keyboard import fields
from ui.keyboard.policy import checked_mode, should_open
from ui.typography import ui_font

if TYPE_CHECKING:  # the keys and the layout data load when the keyboard first opens, not at start-up
    from ui.keyboard.keys import KeyButton
    from ui.keyboard.layouts import Key, Layout

TOP_LINE_PX = 2  # the line between the page and the keyboard, in the text colour
FOCUS_BORDER_PX = 5  # ui.theme.FOCUS_PX: a label must fit inside the focus ring too
ACCENT_NAMES = {"´": "acute", "`": "grave", "^": "circumflex", "~": "tilde", "¨": "diaeresis"}  # keyboard.accent.*


class OnScreenKeyboard(QFrame):
    """The keyboard panel. The shell adds it under its screens; it follows the focus by itself."""

    key_activated = Signal(str)  # what a key says in speech mode: "a", "Shift", "Space"... ("asterisk" when masked)
    visibility_changed = Signal(bool)  # opened (True) or closed (False)

    def __init__(
        self,
        catalog: Catalog,
        session: CitizenSession,
        panel: ReferencePanel,
        *,
        mode: str = "auto",
        announce: Callable[..., object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("onScreenKeyboard")
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # keyboards and keypads stay left to right
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.hide()
        self._catalog = catalog
        self._panel = panel
        self._mode = checked_mode(mode)
        # ui.announcer.Announcer.announce: speaks a key in read-aloud mode and raises the accessibility announcement
        self._announce = announce
        self._presentation = session.presentation
        self._target: fields.TextField | None = None
        self._dismissed: QWidget | None = None  # the field "Hide keyboard" was pressed in (a tap on it reopens)
        self._watched: QWidget | None = None  # the field this object filters events of
        self._shift = False  # one capital, then back
        self._caps = False  # capitals until pressed again
        self._dead = ""  # the accent (a dead key) the next letter gets
        self._alternate = False  # the language layout's alternate (Latin letters from Ukrainian or Arabic)
        self._symbols = False  # on the digits-and-symbols page
        self._layout: Layout | None = None
        self._built: tuple[str, str] | None = None  # (layout, language) the keys were made for
        self._keys: list[KeyButton] = []
        self._roving: KeyButton | None = None
        self._page: QWidget | None = None  # the keys of one layout; replaced whole when the layout changes
        self._frame = QVBoxLayout(self)
        self._bridges = [EventBridge(session.presentation_changed, self), EventBridge(session.ended, self)]
        self._bridges[0].fired.connect(self._on_presentation)
        self._bridges[1].fired.connect(self._on_session_ended)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self._apply_metrics()

    # Public API ------------------------------------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        self._mode = checked_mode(mode)
        if mode == "never":
            self.close_keyboard()

    def is_open(self) -> bool:
        return not self.isHidden()

    def target(self) -> fields.TextField | None:
        """The field the keys type into (None when closed)."""
        return self._target if self._target is not None and shiboken6.isValid(self._target) else None

    def layout_name(self) -> str:
        return self._layout.name if self._layout is not None else ""

    def buttons(self) -> list[KeyButton]:
        """The keys on show, row by row."""
        return list(self._keys)

    def key(self, text: str = "", action: str = "") -> KeyButton:
        """The key that types `text` (as on its unshifted label) or does `action`; KeyError if the layout has none."""
        for button in self._keys:
            if (action and button.key.action == action) or (text and button.key.text == text):
                return button
        raise KeyError(text or action)

    def open_for(self, field: QWidget) -> None:
        """Show the keyboard for `field` (whatever the mode) with the layout the field and the language ask for."""
        target = fields.text_field(field)
        if target is None:
            raise ValueError("the on-screen keyboard types only into editable text fields")
        if target is not self.target():
            self._symbols = False  # a new field starts on letters
        self._target, self._dismissed = target, None
        self._watch(target)
        self._build(self._layout_for(target))
        if self._roving is not None:  # the keys were kept (same layout): Tab from this field still reaches them next
            self._set_roving(self._roving)
        self._relabel()
        if self.isHidden():
            self.show()
            self.visibility_changed.emit(True)
        self._reveal_now()
        QTimer.singleShot(0, self, self._reveal_now)  # again once every pending layout request has run

    def close_keyboard(self) -> None:
        self._target, self._dismissed, self._shift, self._dead = None, None, False, ""
        self._watch(None)
        if not self.isHidden():
            self.hide()
            self.visibility_changed.emit(False)

    # Following the focus ---------------------------------------------------------------------------------------------
    def follow_focus(self, widget: QWidget) -> None:
        """Act as if `widget` had just received the focus (the keyboard was built after it did)."""
        self._on_focus_changed(None, widget)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not shiboken6.isValid(self) or new is None or new.window() is not self.window():
            return  # another window, or the window lost activation: nothing changed for the citizen
        if self.isAncestorOf(new):
            return  # a key took the focus (keyboard use): keep typing into the same field
        field = fields.text_field(new)
        if field is None:
            self.close_keyboard()
        elif field is self.target() and self.is_open():
            self._reveal_now()
        elif field is not self._dismissed:
            if should_open(self._mode):
                self.open_for(field)
            else:
                self.close_keyboard()

    def _watch(self, field: QWidget | None) -> None:
        """Filter the events of the target field only (a tap on it reopens a dismissed keyboard)."""
        if self._watched is not None and shiboken6.isValid(self._watched):
            self._watched.removeEventFilter(self)
        self._watched = field
        if field is not None:
            field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and watched is self._dismissed
            and isinstance(watched, QWidget)
            and should_open(self._mode)
        ):
            self.open_for(watched)
        return False

    def _on_presentation(self, presentation: Presentation) -> None:
        old, self._presentation = self._presentation, presentation
        if presentation.theme != old.theme:
            self.update()
        if presentation.language != old.language:
            self._alternate = False
        if (presentation.language, presentation.text_step) == (old.language, old.text_step):
            return
        self._apply_metrics()
        target = self.target()
        if self.is_open() and target is not None:
            self.open_for(target)
            QTimer.singleShot(0, self, self._reveal_now)  # the screens re-lay out for the new size first

    def _on_session_ended(self, _reason: object) -> None:
        self._caps = self._alternate = self._symbols = False
        self.close_keyboard()

    # Keys ------------------------------------------------------------------------------------------------------------
    def _layout_for(self, field: QWidget) -> Layout:
        from ui.keyboard.layouts import SYMBOLS, load_layout

        kind = fields.field_kind(field)
        if kind != "text":
            return load_layout(kind)
        return load_layout(SYMBOLS) if self._symbols else self._letters()

    def _letters(self) -> Layout:
        """The letter layout in use: the language's, or its alternate once switched."""
        from ui.keyboard.layouts import load_layout, text_layout_name

        base = load_layout(text_layout_name(self._presentation.language))
        if self._alternate and base.alternate:
            return load_layout(base.alternate)
        return base

    def _switch_destination(self) -> Layout | None:
        """The letter layout the switch key leads to (None: no switch key, as on keypads and the symbols page)."""
        from ui.keyboard.layouts import SYMBOLS, load_layout, text_layout_name

        if self._layout is None or self._layout.keypad or self._layout.name == SYMBOLS:
            return None
        base = load_layout(text_layout_name(self._presentation.language))
        if base.alternate is None:
            return None
        return base if self._alternate else load_layout(base.alternate)

    def _build(self, layout: Layout) -> None:
        from ui.keyboard.keys import KeyButton

        wanted = (layout.name, self._presentation.language)
        if self._built == wanted:
            return
        focused = next((b.key for b in self._keys if b.hasFocus()), None)
        if focused is not None:
            self._back_to_field()  # the focused key is about to go
        if self._page is not None:  # hidden and deleted later (a key of it may be the one being pressed)
            self._page.hide()
            self._frame.removeWidget(self._page)
            self._page.deleteLater()
        self._layout, self._built, self._keys, self._roving = layout, wanted, [], None
        self._page = QWidget(self)
        rows = QVBoxLayout(self._page)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(self._panel.min_gap_px)
        switch = self._switch_destination()
        for row_number, row in enumerate(layout.rows):
            line = QHBoxLayout()
            line.setSpacing(self._panel.min_gap_px)
            line.addStretch(1)
            for key in row:
                hidden = key.action == "switch" and switch is None  # no other letters to switch to
                if hidden or (key.action in ("shift", "caps") and not layout.cased):
                    continue
                button = KeyButton(key, row_number, line.count() - 1, self._page)
                button.clicked.connect(lambda _checked=False, b=button: self._press(b))
                button.move_requested.connect(self._move)
                button.leave_requested.connect(self._back_to_field)
                line.addWidget(button)
                self._keys.append(button)
            line.addStretch(1)
            rows.addLayout(line)
        self._frame.addWidget(self._page)
        self._page.show()  # now, not at the next turn of the event loop: a tap may come before it
        if self._keys:
            again = next((b for b in self._keys if focused is not None and b.key == focused), None)
            self._set_roving(again or self._keys[0])
            if again is not None:
                again.setFocus(Qt.FocusReason.OtherFocusReason)

    def _capitals(self) -> bool:
        return self._layout is not None and self._layout.cased and (self._shift != self._caps)

    def _char(self, key: Key) -> str:
        """What a character key types now: capital with Shift or Caps lock, accented after a dead key."""
        from ui.keyboard.layouts import shifted

        text = shifted(key.text) if self._capitals() else key.text
        if self._dead and self._layout is not None:
            return self._layout.accent(self._dead, text) or text
        return text

    def _label(self, key: Key) -> tuple[str, str]:
        """(visible text, accessible name) of a key in the current state and language."""
        from ui.keyboard.layouts import SYMBOLS, load_layout

        if key.is_char:
            text = self._char(key)
            return text, text
        if key.action == "dead":
            return key.text, f"{self._t(f'keyboard.accent.{ACCENT_NAMES[key.text]}')} {key.text}"
        if key.action == "switch":
            destination = self._switch_destination()
            short = destination.short_name if destination is not None else ""
            return short, self._t("keyboard.switch", layout=short)
        if key.action == "symbols":
            if self._symbols:  # back to the letters
                short = self._letters().short_name
                return short, self._t("keyboard.switch", layout=short)
            short = load_layout(SYMBOLS).short_name
            return short, self._t("keyboard.symbols", label=short)
        action = "newline" if key.action == "enter" and self._multi_line() else key.action
        text = self._t(f"keyboard.{action}")
        return text, text

    def _relabel(self) -> None:
        self.setAccessibleName(self._t("keyboard.title"))
        fonts = {
            "false": ui_font(self._char_px()),
            "true": ui_font(self._panel.body_px(self._step())),
            "dead": ui_font(self._dead_px()),
        }
        unit, gap, height = self._panel.primary_target_px, self._panel.min_gap_px, self._key_height()
        for button in self._keys:
            text, name = self._label(button.key)
            button.set_label(text, name)
            if button.isCheckable():
                checked = {"shift": self._shift, "caps": self._caps, "dead": self._dead == button.key.text}
                button.setChecked(checked[button.key.action])
            needed = QFontMetrics(fonts[button.property("function")]).horizontalAdvance(text) + 2 * self._padding()
            units = button.key.units
            button.set_size(max(units * unit + (units - 1) * gap, needed), height)
        # Never squeezed: the screens above give way instead (they scroll), and the keys keep their 20 mm. Counted
        # rather than asked of the layout, whose size hints lag while the panel is hidden.
        rows = len(self._layout.rows) if self._layout is not None else 0
        self.setFixedHeight(rows * height + max(0, rows - 1) * gap + 2 * gap + TOP_LINE_PX)

    def _press(self, button: KeyButton) -> None:
        if not shiboken6.isValid(self):
            return
        key, target = button.key, self.target()
        self._speak(button, target)
        if key.action in ("shift", "caps", "dead"):
            self._toggle(button)
        elif key.action == "hide":
            self._hide_for_now()
        elif key.action in ("switch", "symbols"):
            if key.action == "switch":
                self._alternate = not self._alternate
            else:
                self._symbols = not self._symbols
            if target is not None:
                self.open_for(target)
        elif target is not None:
            self._type(key, target)
            self._reveal_now()  # a new line may have moved the caret out of view

    def _speak(self, button: KeyButton, target: QWidget | None) -> None:
        key, spoken = button.key, button.accessibleName()
        if target is not None and fields.is_private(target) and (key.is_char or key.action == "space"):
            spoken = self._t("keyboard.masked")  # a masked field's characters are never spoken
        self.key_activated.emit(spoken)
        if self._announce is not None:
            self._announce(button, spoken)

    def _toggle(self, button: KeyButton) -> None:
        """Shift, Caps lock or an accent: the button has already changed state (checkable)."""
        action = button.key.action
        if action == "shift":
            self._shift = button.isChecked()
        elif action == "caps":
            self._caps, self._shift = button.isChecked(), False
        else:
            self._dead = button.key.text if button.isChecked() else ""
        self._relabel()

    def _type(self, key: Key, target: fields.TextField) -> None:
        if key.action == "backspace" and self._dead:
            self._dead = ""  # Backspace first takes back a chosen accent
        elif key.action == "backspace":
            fields.delete_back(target)
        elif key.action == "enter":
            fields.press_enter(target)  # may change the page: nothing of this keyboard is used after it
            return
        elif key.action == "space":
            fields.insert_text(target, self._dead or " ")  # an accent then Space types the accent itself
            self._dead = ""
        else:
            fields.insert_text(target, self._char(key))
            self._shift, self._dead = False, ""
        self._relabel()

    def _hide_for_now(self) -> None:
        """The "Hide keyboard" key: closed until the citizen taps the field again or moves to another field."""
        target = self.target()
        self.close_keyboard()
        if target is not None:
            self._dismissed = target
            self._watch(target)
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    # Keyboard use of the keys (one Tab stop, arrows move) -----------------------------------------------------------
    def _set_roving(self, button: KeyButton) -> None:
        if self._roving is not None and self._roving is not button and shiboken6.isValid(self._roving):
            self._roving.drop_roving_stop()
        self._roving = button
        button.take_roving_stop()
        target = self.target()
        if target is not None:
            QWidget.setTabOrder(target, button)  # Tab from the field reaches the keyboard next

    def _move(self, button: KeyButton, dx: int, dy: int) -> None:
        rows: dict[int, list[KeyButton]] = {}
        for key in self._keys:
            rows.setdefault(key.row, []).append(key)
        numbers = sorted(rows)
        row_index = numbers.index(button.row)
        if dy:
            row_index = max(0, min(len(numbers) - 1, row_index + dy))
            centre = button.geometry().center().x()
            chosen = min(rows[numbers[row_index]], key=lambda b: abs(b.geometry().center().x() - centre))
        else:
            row = rows[button.row]
            chosen = row[max(0, min(len(row) - 1, row.index(button) + dx))]
        self._set_roving(chosen)
        chosen.setFocus(Qt.FocusReason.TabFocusReason)

    def _back_to_field(self) -> None:
        target = self.target()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        # The session's theme tokens (the keys themselves follow the window's theme stylesheet).
        theme = theme_named(self._presentation.theme)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(theme.colour("surface")))
        painter.fillRect(0, 0, self.width(), TOP_LINE_PX, QColor(theme.colour("text")))
        painter.end()
        super().paintEvent(event)

    # Sizes and helpers -----------------------------------------------------------------------------------------------
    def _step(self) -> int:
        return self._presentation.text_step

    def _char_px(self) -> int:
        """Letters: never smaller than a title at the default size, and growing with the citizen's text size."""
        return max(self._panel.text_px("title", 0), self._panel.body_px(self._step()))

    def _dead_px(self) -> int:
        """Accents are small marks: their keys show them larger than letters."""
        return round(self._char_px() * 1.5)

    def _padding(self) -> int:
        """Between a label and the key's edge: the focus ring and a little air."""
        return FOCUS_BORDER_PX + self._panel.min_gap_px // 2

    def _key_height(self) -> int:
        """20 mm, or more if a label's line (with the focus ring) needs it: keys never grow for nothing, so five rows
        leave the page room at the largest text size."""
        line = QFontMetrics(ui_font(self._char_px())).height()
        return max(self._panel.primary_target_px, line + 2 * FOCUS_BORDER_PX)

    def _apply_metrics(self) -> None:
        gap = self._panel.min_gap_px
        self._frame.setContentsMargins(gap, gap + TOP_LINE_PX, gap, gap)
        # Sizes only: colours come from the window's theme stylesheet and palette, so a theme change reaches the keys.
        self.setStyleSheet(
            f"""
QPushButton[kind="key"] {{
    font-size: {self._char_px()}px; padding: 0px; min-width: 0px; min-height: 0px;
}}
QPushButton[kind="key"]:focus {{ padding: 0px; }}
QPushButton[kind="key"][function="true"] {{ font-size: {self._panel.body_px(self._step())}px; }}
QPushButton[kind="key"][function="dead"] {{ font-size: {self._dead_px()}px; }}
"""
        )

    def _multi_line(self) -> bool:
        target = self.target()
        return target is not None and fields.multi_line(target)

    def _t(self, key: str, **params: object) -> str:
        return self._catalog.t(key, self._presentation.language, **params)

    def _reveal_now(self) -> None:
        target = self.target()
        if target is None or not self.is_open():
            return
        for widget in (self._page, self.window()):  # lay out the keys, then the window with them, then scroll
            layout = widget.layout() if widget is not None else None
            if layout is not None:
                layout.activate()
        fields.reveal(target, self._panel.min_target_px // 2)
