"""One key of the on-screen keyboard: a push button that never takes the focus from the field being typed in.

A tap fires on release, inside the key (QAbstractButton's rule: press, slide off and release types nothing), and has
no long-press, drag or repeat. The keys are one Tab stop together (a roving focus, like a radio group): Tab from the
field reaches the keyboard, the arrow keys move between keys, Enter or Space presses one, Escape goes back to the
field and Tab leaves. Only the key that holds the roving stop accepts focus, and never by a click or a tap.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from ui.keyboard.layouts import Key

ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}
ACTIVATE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class KeyButton(QPushButton):
    """A key: `key` says what it types or does; `row` and `column` place it for arrow-key moves."""

    move_requested = Signal(object, int, int)  # (this key, dx, dy)
    leave_requested = Signal()  # Escape: back to the field

    def __init__(self, key: Key, row: int, column: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.row = row
        self.column = column
        self.setProperty("kind", "key")
        # Letters, function keys ("Space") and accents have their own label sizes in the stylesheet.
        self.setProperty("function", "dead" if key.action == "dead" else "true" if key.action else "false")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoDefault(False)
        self.setAutoRepeat(False)
        self.setCheckable(key.action in ("shift", "caps", "dead"))  # on/off keys: their state is exposed too
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._size = QSize()

    def set_size(self, width: int, height: int) -> None:
        """The key's size, from the keyboard's physical maths. A size hint rather than setFixedSize: the stylesheet's
        minimum sizes are applied again at every re-polish (a theme or text-size change) and would override it."""
        size = QSize(width, height)
        if size != self._size:
            self._size = size
            self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._size) if self._size.isValid() else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()

    def set_label(self, text: str, name: str) -> None:
        """Visible text and accessible name (which always contains the visible text: WCAG 2.5.3)."""
        self.setText(text.replace("&", "&&"))  # "&" would be a mnemonic marker
        self.setAccessibleName(name)

    def take_roving_stop(self) -> None:
        """Become the keyboard's one Tab stop."""
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def drop_roving_stop(self) -> None:
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in ACTIVATE_KEYS and not event.isAutoRepeat():
            event.accept()
            self.click()
            return
        step = ARROWS.get(Qt.Key(event.key()))
        if step is not None:
            event.accept()
            self.move_requested.emit(self, *step)
            return
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.leave_requested.emit()
            return
        super().keyPressEvent(event)
