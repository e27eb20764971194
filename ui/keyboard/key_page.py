"""The keys of one layout, row by row, and their keyboard use: one Tab stop together, the arrows move between them.

`KeyPage` is the widget the panel (`ui.keyboard.panel.OnScreenKeyboard`) shows under its top line and replaces whole
when the layout changes (a language, a field kind, the symbols page). It makes a `KeyButton` for each key the layout
lists and this state shows, and keeps the roving focus (like a radio group): only one key is a Tab stop, right after
the field in the Tab order, and the arrow keys move it. What the keys type and say is the panel's, not the page's.
Imported when the keyboard first opens (it brings the keys and the layout data), not at start-up.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ui.keyboard.keys import KeyButton
from ui.keyboard.layouts import Key, Layout


class KeyPage(QWidget):
    """The keys of `layout`, `gap` apart; `switch`: show the switch key (there are other letters to switch to).
    `field` gives the field being typed in (None when there is none), which the keys follow in the Tab order."""

    key_clicked = Signal(object)  # the KeyButton tapped, clicked or activated from the keyboard (on release)

    def __init__(
        self,
        layout: Layout,
        gap: int,
        *,
        switch: bool,
        field: Callable[[], QWidget | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._field = field
        self.keys: list[KeyButton] = []  # row by row
        self.roving: KeyButton | None = None  # the key that is the Tab stop
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(gap)
        for row_number, row in enumerate(layout.rows):
            line = QHBoxLayout()
            line.setSpacing(gap)
            line.addStretch(1)
            for key in row:
                hidden = key.action == "switch" and not switch  # no other letters to switch to
                if hidden or (key.action in ("shift", "caps") and not layout.cased):
                    continue
                button = KeyButton(key, row_number, line.count() - 1, self)
                button.clicked.connect(lambda _checked=False, b=button: self.key_clicked.emit(b))
                button.move_requested.connect(self._move)
                button.leave_requested.connect(self.back_to_field)
                line.addWidget(button)
                self.keys.append(button)
            line.addStretch(1)
            rows.addLayout(line)

    def focused_key(self) -> Key | None:
        """The key of the button that has the focus (keyboard use), if one has."""
        return next((b.key for b in self.keys if b.hasFocus()), None)

    def start_roving(self, focused: Key | None) -> None:
        """Make the first key the Tab stop, or the key like `focused` (the replaced page's focused key), which then
        takes the focus too."""
        if self.keys:
            again = next((b for b in self.keys if focused is not None and b.key == focused), None)
            self.set_roving(again or self.keys[0])
            if again is not None:
                again.setFocus(Qt.FocusReason.OtherFocusReason)

    def follow_field(self) -> None:
        """The field changed and these keys stayed (same layout): Tab from the new field still reaches them next."""
        if self.roving is not None:
            self.set_roving(self.roving)

    def set_roving(self, button: KeyButton) -> None:
        if self.roving is not None and self.roving is not button and shiboken6.isValid(self.roving):
            self.roving.drop_roving_stop()
        self.roving = button
        button.take_roving_stop()
        target = self._field()
        if target is not None:
            QWidget.setTabOrder(target, button)  # Tab from the field reaches the keyboard next

    def _move(self, button: KeyButton, dx: int, dy: int) -> None:
        rows: dict[int, list[KeyButton]] = {}
        for key in self.keys:
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
        self.set_roving(chosen)
        chosen.setFocus(Qt.FocusReason.TabFocusReason)

    def back_to_field(self) -> None:
        """Escape on a key (and before a focused key goes): the focus returns to the field."""
        target = self._field()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
