"""Small building blocks every screen uses: a kiosk button, a wrapping row layout and the lock-down walk."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLayout, QLayoutItem, QPushButton, QSizePolicy, QWidget

ACTIVATE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


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

    def invalidate(self) -> None:
        self._heights.clear()
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
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _rows(self, width: int) -> list[list[QLayoutItem]]:
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._visible():
            w = item.sizeHint().width()
            if rows[-1] and used + self._spacing + w > width:
                rows.append([])
                used = 0
            used += (self._spacing if rows[-1] else 0) + w
            rows[-1].append(item)
        return rows

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        rows = self._rows(area.width())
        parent = self.parentWidget()
        rtl = parent is not None and parent.layoutDirection() == Qt.LayoutDirection.RightToLeft
        push = self._push_from
        y = area.y()
        for row in rows:
            height = max((item.sizeHint().height() for item in row), default=0)
            used = sum(item.sizeHint().width() for item in row) + self._spacing * max(0, len(row) - 1)
            x = 0
            for item in row:
                if push is not None and len(rows) == 1 and self._visible().index(item) == push:
                    x += max(0, area.width() - used)
                hint = item.sizeHint()
                w = min(hint.width(), area.width())
                if apply:  # every item takes the row's height: buttons of one row line up
                    left = area.right() + 1 - x - w if rtl else area.x() + x
                    item.setGeometry(QRect(QPoint(left, y), QSize(w, height)))
                x += w + self._spacing
            y += height + self._spacing
        return y - self._spacing - rect.y() + m.bottom() if rows else 0


def fixed_policy(widget: QWidget) -> None:
    widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
