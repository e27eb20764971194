"""The accessibility matrix's clipping check: every label and button has room for its text as it is laid out at its
width, nothing is elided, and what lies outside the screen can be scrolled to. Run through tests/a11y_matrix.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QPushButton,
    QWidget,
)

from kiosk.i18n import Catalog
from tests.test_accessibility_screens import (
    painted_texts,
)

if TYPE_CHECKING:
    from ui.shell import MainWindow

# isort: split
from tests.a11y_window import describe, visible_widgets

ELLIPSIS = "\u2026"


# Clipping and elision -------------------------------------------------------------------------------------------------
def _label_room(label: QLabel) -> tuple[QRect, QRect]:
    """(room, needed) for a label's text, both in pixels."""
    room = label.contentsRect()
    margin = label.margin()
    room = room.adjusted(margin, margin, -margin, -margin)
    metrics = QFontMetrics(label.font())
    # Measured from the top: vertical centring in a huge rect only adds rounding.
    flags = (label.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask).value | Qt.AlignmentFlag.AlignTop.value
    if label.wordWrap():
        flags |= Qt.TextFlag.TextWordWrap.value
        needed = metrics.boundingRect(QRect(0, 0, max(1, room.width()), 1_000_000), flags, label.text())
    else:
        needed = metrics.boundingRect(QRect(0, 0, 1_000_000, 1_000_000), flags, label.text())
    return room, needed


def _button_room(button: QAbstractButton) -> tuple[QRect, QRect]:
    """(room, needed) for a push button's text: inside its border and padding, beside its icon."""
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

    option = QStyleOptionButton()
    option.initFrom(button)
    option.text = button.text()
    option.icon = button.icon()
    option.iconSize = button.iconSize()
    room = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
    if not button.icon().isNull():
        room.setWidth(room.width() - button.iconSize().width() - 4)  # Qt's gap between icon and text
    needed = QFontMetrics(button.font()).boundingRect(
        QRect(0, 0, 1_000_000, 1_000_000), Qt.TextFlag.TextShowMnemonic.value, button.text()
    )
    return room, needed


def _reachable(widget: QWidget, window: QWidget) -> str | None:
    """None when every ancestor has room for the widget; scroll areas may hold more than they show, but only
    vertically and only as far as they can scroll."""
    child = widget
    parent = child.parentWidget()
    while parent is not None and child is not window:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
            viewport = area.viewport()
            if child.width() > viewport.width():
                return f"{describe(child)} is wider than its scroll area ({child.width()} > {viewport.width()} px)"
            if child.height() > viewport.height() + area.verticalScrollBar().maximum():
                return f"{describe(child)} cannot be scrolled to its end"
        elif not parent.rect().contains(child.geometry()):
            return f"{describe(child)} lies outside its parent ({child.geometry()} in {parent.rect()})"
        child, parent = parent, parent.parentWidget()
    return None


def _too_small(needed: QRect, room: QRect) -> str | None:
    if needed.width() > room.width() or needed.height() > room.height():
        return f"needs {needed.width()}x{needed.height()} px, has {room.width()}x{room.height()}"
    return None


def _text_and_room(widget: QWidget) -> tuple[str, str | None]:
    """The text a widget shows and, when it has no room for it, why."""
    if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
        return widget.text(), _label_problem(widget)
    if painted_texts(widget):  # widgets that wrap and paint their own texts report what they need
        width, height = widget.width(), widget.height()
        if widget.hasHeightForWidth() and height < widget.heightForWidth(width):
            return painted_texts(widget)[0][0], f"is {height} px tall, its texts need {widget.heightForWidth(width)}"
        if width < widget.minimumSizeHint().width():
            return painted_texts(widget)[0][0], f"is {width} px wide, a word needs {widget.minimumSizeHint().width()}"
        return painted_texts(widget)[0][0], None
    if isinstance(widget, QAbstractButton) and widget.text():
        if isinstance(widget, QPushButton):
            room, needed = _button_room(widget)
        else:  # Qt's own check boxes and radio buttons: their size hint is the text and the indicator
            hint = widget.minimumSizeHint()
            room, needed = widget.rect(), QRect(0, 0, hint.width(), hint.height())
        return widget.text(), _too_small(needed, room)
    return "", None


def _label_problem(label: QLabel) -> str | None:
    if label.textFormat() == Qt.TextFormat.PlainText or "<" not in label.text():
        room, needed = _label_room(label)
        return _too_small(needed, room)
    needed_height = label.heightForWidth(label.width())  # rich text: Qt's own layout of it
    return f"is {label.height()} px tall, its text needs {needed_height}" if label.height() < needed_height else None


def check_clipping(window: MainWindow) -> list[str]:
    catalog_ellipses = _catalog_ellipses(window.deps.catalog, window.deps.session.presentation.language)
    failures = []
    for widget in visible_widgets(window):
        if not widget.isVisible():
            continue
        text, problem = _text_and_room(widget)
        if problem is not None:
            failures.append(f"clipping: {describe(widget)} {problem}")
        if text.count(ELLIPSIS) > sum(text.count(value) for value in catalog_ellipses):
            failures.append(f"clipping: {describe(widget)} is elided")
        if text or isinstance(widget, QAbstractButton):
            unreachable = _reachable(widget, window)
            if unreachable is not None:
                failures.append(f"clipping: {unreachable}")
    return failures


def _catalog_ellipses(catalog: Catalog, lang: str) -> list[str]:
    """Catalog phrases of the language (and English) that end in "…" ("Sending…"): those are not elision."""
    texts = catalog.all_texts().get(lang, {}) | catalog.all_texts().get("en", {})
    phrases = {
        part.strip() + ELLIPSIS
        for text in texts.values()
        if ELLIPSIS in text
        for part in text.split(ELLIPSIS)[:-1]
        if part.strip()
    }
    return sorted(phrases, key=len)
