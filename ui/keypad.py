"""The numeric keypad as a way to use the whole kiosk: one mapping, in one application-wide event filter.

Kiosks for closed functionality (EN 301 549 5.1.6, the airport-kiosk rule) often have a keypad instead of a keyboard:
a blind citizen moves, presses and listens with it. The mapping (documented in docs/ui.md):

| key (Num Lock off) | action |
| --- | --- |
| 8 (Up) | previous control |
| 2 (Down), / | next control: every button, box and option in screen order, round to the start |
| 4 (Left) | Back (as Escape: back, or close an open panel; never leaves the kiosk) |
| 6 (Right) | go to the page's main button (Continue, Start now, Send...); 5 or Enter then presses it |
| 5 (Clear) | press the focused control (a button, an option, a tick box), as Space |
| Enter | as Enter on a keyboard: press a button, or Continue from a box or an option |
| 0 (Insert) | repeat what was last said |
| * | read aloud on or off |
| + / - | speech louder / quieter |

In a text box the keypad types and edits as usual (digits and the decimal point; with Num Lock off the arrows move the
caret), so a number, a date or a code can be typed on it; `/` moves on, Enter continues, and `*`, `+` and `-` keep
their meaning. Keys from the main keyboard (no keypad modifier) are never touched, and neither is a key that is one of
the speech keys (`speech.toggle_key`...), which their own shortcuts handle.

Moving and pressing go through the same events a keyboard sends (a Space press and release, an Escape press), so every
widget reacts as it would to the keyboard, and read aloud hears them as input (any input stops speech).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from ui.widgets import AppFilter

if TYPE_CHECKING:
    from ui.shell import MainWindow

_K = Qt.Key
# Keypad key (with Num Lock on, and the key the same button sends with Num Lock off) -> action.
KEYPAD_ACTIONS: dict[Qt.Key, str] = {
    _K.Key_8: "previous",
    _K.Key_Up: "previous",
    _K.Key_2: "next",
    _K.Key_Down: "next",
    _K.Key_Slash: "next",
    _K.Key_4: "back",
    _K.Key_Left: "back",
    _K.Key_6: "main",
    _K.Key_Right: "main",
    _K.Key_5: "press",
    _K.Key_Clear: "press",
    _K.Key_0: "repeat",
    _K.Key_Insert: "repeat",
    _K.Key_Asterisk: "read-aloud",
    _K.Key_Plus: "louder",
    _K.Key_Minus: "quieter",
}
# What still works while a text box has the focus (the other keys type or edit there).
IN_TEXT_BOXES = frozenset({_K.Key_Slash, _K.Key_Asterisk, _K.Key_Plus, _K.Key_Minus})
REPEATING = frozenset({"previous", "next", "louder", "quieter"})  # held down, these repeat; the others act once
TEXT_BOXES = (QLineEdit, QPlainTextEdit, QTextEdit)


class KeypadFilter(AppFilter):
    """Application event filter that turns keypad keys into the kiosk's actions, for widgets of one window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent) or not isinstance(watched, QWidget):
            return False
        action = self._action_for(watched, event)
        if action is None:
            return False
        if not event.isAutoRepeat() or action in REPEATING:
            self.perform(action, watched)
        return True

    def _action_for(self, focused: QWidget, event: QKeyEvent) -> str | None:
        """The keypad action of this key press, or None when it is not ours to handle."""
        if not event.modifiers() & Qt.KeyboardModifier.KeypadModifier or focused.window() is not self.window:
            return None
        key = Qt.Key(event.key())
        action = KEYPAD_ACTIONS.get(key)
        if action is None or self._is_speech_key(event):
            return None
        if isinstance(focused, TEXT_BOXES) and key not in IN_TEXT_BOXES:
            return None  # typing and editing in the box
        return action

    def perform(self, action: str, focused: QWidget | None = None) -> None:
        """Do a keypad action as if its key had been pressed with `focused` (default: the focus widget) focused."""
        widget = focused or QApplication.focusWidget() or self.window
        if action in ("previous", "next"):
            self._move(widget, forward=action == "next")
        elif action == "back":
            _send_key(widget, Qt.Key.Key_Escape)
        elif action == "main":
            main = self.main_button()
            if main is not None:
                main.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif action == "press":
            _send_key(widget, Qt.Key.Key_Space, " ")
        else:
            speech = self.window.speech_mode
            speech_actions = {"repeat": speech.repeat, "read-aloud": speech.toggle}
            speech_actions |= {"louder": speech.louder, "quieter": speech.quieter}
            speech_actions[action]()

    def main_button(self) -> QAbstractButton | None:
        """The current screen's one visible primary button (Continue, Start now, Send...), if it has one."""
        screen = self.window.stack.currentWidget()
        if screen is None:
            return None
        buttons = [
            button
            for button in screen.findChildren(QAbstractButton)
            if button.property("kind") == "primary" and button.isVisibleTo(self.window) and button.isEnabled()
        ]
        return buttons[0] if len(buttons) == 1 else None

    def _move(self, focused: QWidget, *, forward: bool) -> None:
        """To the next (previous) control in the focus chain, options of a radio group included: with a keypad
        every option is a stop of its own (a keyboard's Tab enters a radio group once and its arrows move inside)."""
        candidate = focused
        for _ in range(2000):  # the chain is a ring; this only bounds a broken one
            following = candidate.nextInFocusChain() if forward else candidate.previousInFocusChain()
            if following is None or following is focused:
                return
            candidate = following
            if (
                candidate.window() is self.window
                and candidate.isVisibleTo(self.window)
                and candidate.isEnabled()
                and (candidate.focusPolicy() & Qt.FocusPolicy.TabFocus or _grouped_option(candidate))
            ):
                candidate.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
                return

    def _is_speech_key(self, event: QKeyEvent) -> bool:
        """A speech key configured as a keypad key belongs to read aloud's own shortcut, not to this mapping."""
        keys = getattr(self.window.speech_mode, "keys", {})
        pressed = event.keyCombination().toCombined()
        return any(not sequence.isEmpty() and sequence[0].toCombined() == pressed for sequence in keys.values())


def _grouped_option(widget: QWidget) -> bool:
    """An option of a group (a `QButtonGroup`, or auto-exclusive radio buttons): while one option has the focus Qt
    takes the others out of the Tab chain (the keyboard's arrows move between them), but each is a keypad stop."""
    return (
        isinstance(widget, QAbstractButton)
        and widget.isCheckable()
        and (widget.group() is not None or widget.autoExclusive())
        and bool(widget.focusPolicy() & Qt.FocusPolicy.ClickFocus)
    )


def _send_key(widget: QWidget, key: Qt.Key, text: str = "") -> None:
    """A key press and release, as a keyboard sends them (a button acts on the release)."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text))
