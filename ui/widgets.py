"""Small building blocks every screen uses: a kiosk button, a wrapping row layout, the lock-down walk and the tap
debounce.

Tap rules (EN 301 549 5.8/5.9, WCAG 2.5.1/2.5.2): every control acts on release, never on press, and a press that
slides off the control before it is released does nothing (Qt's buttons, and every clickable widget of the kiosk is a
QAbstractButton). `TapDebounce` ignores an identical second tap on the same control within `input.debounce_ms`
(a tremor or an impatient double tap must not send a form twice). No control needs a drag, a long press or more than
one finger (tests/test_tap_rules.py checks the source).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLayout, QLayoutItem, QPushButton, QSizePolicy, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent, QMouseEvent

ACTIVATE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


@cache
def mouse_event_class() -> type[QMouseEvent]:
    """QMouseEvent, imported at the first event filtered, not on the way to the first paint (importing a PySide class
    creates its Python type and enums)."""
    from PySide6.QtGui import QMouseEvent

    return QMouseEvent


class KioskButton(QPushButton):
    """A push button that Enter activates (not only Space), with no context menu and a matching accessible name."""

    def __init__(self, kind: str = "secondary", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("kind", kind)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoDefault(False)

    def set_label(self, text: str, description: str = "") -> None:
        """Visible text and accessible name stay identical (WCAG 2.5.3 label in name)."""
        self.setText(text)
        self.setAccessibleName(text)
        self.setAccessibleDescription(description)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in ACTIVATE_KEYS and not event.isAutoRepeat():
            event.accept()
            self.click()
            return
        super().keyPressEvent(event)


def lock_down(root: QWidget) -> None:
    """No context menus anywhere under `root` (a context menu is a classic way out of a kiosk)."""
    root.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    for child in root.findChildren(QWidget):
        child.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)


DEBOUNCE_MAX_MS = 500  # WCAG 2.5.2 pointer cancellation: a longer window would swallow deliberate taps


class AppFilter(QObject):
    """An application-wide event filter that is switched on and off (`install` / `remove`, both idempotent): the
    kiosk installs its filters after the first frame, since each costs a Python call per event of the application."""

    _installed = False

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True

    def remove(self) -> None:
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    @property
    def installed(self) -> bool:
        return self._installed


class TapDebounce(AppFilter):
    """Application event filter: a tap (press and release) on the control that was tapped less than `debounce_ms`
    ago is ignored, press and release both, so the control neither acts nor looks pressed. Other controls, and the
    same control after the window, act at once. The window runs from the release that made the control act (a tap
    that slid off did nothing, so it starts no window). Touch reaches widgets as synthesised mouse events, so one
    filter covers both; a second quick press arrives as a double click, which counts as a press."""

    _PRESSES = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick})

    def __init__(
        self, debounce_ms: int, parent: QObject | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        if not 0 <= debounce_ms <= DEBOUNCE_MAX_MS:
            raise ValueError(f"debounce must be 0..{DEBOUNCE_MAX_MS} ms, got {debounce_ms}")
        self.debounce_ms = debounce_ms
        self._clock = clock  # seconds; event timestamps would do, but QTest spaces its clicks by a double-click time
        self._last: QAbstractButton | None = None  # the control of the last tap that acted, and when it ended
        self._last_at = 0.0
        self._swallowing: QAbstractButton | None = None  # a press was ignored: ignore its release too

    def install(self) -> None:
        if self.debounce_ms > 0:  # 0: off, and no filter at all
            super().install()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind not in self._PRESSES and kind != QEvent.Type.MouseButtonRelease:
            return False
        if not isinstance(event, mouse_event_class()) or event.button() != Qt.MouseButton.LeftButton:
            return False
        control = _control_of(watched)
        if control is None:
            return False
        return self._press(control, event) if kind in self._PRESSES else self._release(control, event)

    def _press(self, control: QAbstractButton, event: QMouseEvent) -> bool:
        if control is self._last and (self._clock() - self._last_at) * 1000 < self.debounce_ms:
            self._swallowing = control
            return True
        self._swallowing = None
        return False

    def _release(self, control: QAbstractButton, event: QMouseEvent) -> bool:
        if control is self._swallowing:  # the release of an ignored press
            self._swallowing = None
            return True
        if control.rect().contains(event.position().toPoint()):  # released on it: the tap acted (not slid off)
            self._last, self._last_at = control, self._clock()
        return False


def _control_of(watched: QObject) -> QAbstractButton | None:
    """The button a mouse event is for: the receiver or the button it is part of."""
    widget = watched if isinstance(watched, QWidget) else None
    while widget is not None and not widget.isWindow():
        if isinstance(widget, QAbstractButton):
            return widget
        widget = widget.parentWidget()
    return None


class FlowLayout(QLayout):
    """Lays items out in rows that wrap when the width runs out, so the header never clips at large text sizes.

    Items from `push_from` onwards sit at the end of the row when everything fits on one row. Mirrors in RTL.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 12, push_from: int | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._push_from = push_from
        # Qt asks heightForWidth() for the same width many times per layout pass; the answer only changes when the
        # layout is invalidated (items, texts or sizes changed), so it is remembered until then.
        self._heights: dict[int, int] = {}
        self._minimum: QSize | None = None  # likewise: a button computes its minimum size from its style each time

    def invalidate(self) -> None:
        self._heights.clear()
        self._minimum = None
        super().invalidate()

    def set_gap(self, px: int) -> None:
        self._spacing = px
        self.invalidate()

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        if width not in self._heights:
            self._heights[width] = self._arrange(QRect(0, 0, width, 0), apply=False)
        return self._heights[width]

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        if self._minimum is None:
            size = QSize()
            for item in self._visible():
                size = size.expandedTo(item.minimumSize())
            m = self.contentsMargins()
            self._minimum = size + QSize(m.left() + m.right(), m.top() + m.bottom())
        return QSize(self._minimum)

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _visible_push_index(self) -> int | None:
        """`push_from` counts every item; rows count the visible ones: the first visible item from `push_from` on."""
        if self._push_from is None:
            return None
        shown = [index for index, item in enumerate(self._items) if not item.isEmpty()]
        return next((n for n, index in enumerate(shown) if index >= self._push_from), None)

    def _rows(self, hints: list[QSize], width: int) -> list[list[int]]:
        """Indices of the visible items per row, for a row width."""
        rows: list[list[int]] = [[]]
        used = 0
        for index, hint in enumerate(hints):
            w = hint.width()
            if rows[-1] and used + self._spacing + w > width:
                rows.append([])
                used = 0
            used += (self._spacing if rows[-1] else 0) + w
            rows[-1].append(index)
        return rows

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        visible = self._visible()
        hints = [item.sizeHint() for item in visible]  # once per pass: Qt computes a button's hint from its style
        rows = self._rows(hints, area.width())
        parent = self.parentWidget()
        rtl = parent is not None and parent.layoutDirection() == Qt.LayoutDirection.RightToLeft
        push = self._visible_push_index() if len(rows) == 1 else None
        y = area.y()
        for row in rows:
            widths = {i: min(hints[i].width(), area.width()) for i in row}
            height = max((_height_at(visible[i], hints[i], widths[i]) for i in row), default=0)
            used = sum(hints[i].width() for i in row) + self._spacing * max(0, len(row) - 1)
            x = 0
            for i in row:
                if i == push:
                    x += max(0, area.width() - used)
                w = widths[i]
                if apply:  # every item takes the row's height: buttons of one row line up
                    left = area.right() + 1 - x - w if rtl else area.x() + x
                    visible[i].setGeometry(QRect(QPoint(left, y), QSize(w, height)))
                x += w + self._spacing
            y += height + self._spacing
        return y - self._spacing - rect.y() + m.bottom() if rows else 0


def _height_at(item: QLayoutItem, hint: QSize, width: int) -> int:
    """An item's height at `width`: taller than its hint when it is narrower than it would like and wraps
    (ui.wrap_button)."""
    if width < hint.width() and item.hasHeightForWidth():
        return max(hint.height(), item.heightForWidth(width))
    return hint.height()


def fixed_policy(widget: QWidget) -> None:
    widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
