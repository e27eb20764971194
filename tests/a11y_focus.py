"""The accessibility matrix's keyboard checks: Tab visits every interactive widget and comes back, each stop is in
view, and stops follow the reading order (WCAG 2.1.1, 2.1.2, 2.4.3, 2.4.11). Run through tests/a11y_matrix.py."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QWidget,
)

from tests.test_accessibility_screens import (
    focus_hidden,
    interactive,
    tab_stops,
)

if TYPE_CHECKING:
    from ui.shell import MainWindow

# isort: split
from tests.a11y_window import describe


# Tab order ------------------------------------------------------------------------------------------------------------
def check_tab_order(window: MainWindow) -> list[str]:
    """Tab from the header's first language control visits every interactive widget (a radio group once, its options
    by the arrow keys) and returns to where it started: no trap, nothing left out. Each stop is in view when it gets
    the focus (WCAG 2.4.11), and on the page Tab follows the reading order (WCAG 2.4.3, `check_reading_order`)."""
    focusable = [w for w in interactive(window) if w.isEnabled()]
    singles, groups = tab_stops(focusable)
    start = window.header.language_entry  # the first language button, or the toggle they fold behind at 200 %
    start.setFocus(Qt.FocusReason.TabFocusReason)
    visited: list[QWidget] = []
    failures: list[str] = []
    for _ in range(len(singles) + len(groups) + 1):
        current = QApplication.focusWidget()
        if current is None:
            return ["tab order: the focus was lost"]
        visited.append(current)
        failures += _in_view("Tab", current)
        QTest.keyClick(current, Qt.Key.Key_Tab)
    failures += [f"tab order: {describe(w)} is not reached by Tab" for w in singles if w not in visited]
    failures += [
        f"tab order: Tab stops at {describe(w)}, which is not interactive" for w in visited if w not in focusable
    ]
    if visited[0] is not visited[-1]:
        failures.append(f"tab order: Tab does not come back to the start (ends at {describe(visited[-1])})")
    failures += check_reading_order(window, visited)
    for options in groups:
        entered = [option for option in options if option in visited]
        if len(entered) != 1:
            failures.append(f"tab order: Tab enters the group of {describe(options[0])} {len(entered)} times")
            continue
        entered[0].setFocus(Qt.FocusReason.TabFocusReason)
        reached = {id(entered[0])}
        for _ in range(len(options) - 1):
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
            reached.add(id(QApplication.focusWidget()))
            failures += _in_view("the arrow keys", QApplication.focusWidget())
        missing = [option for option in options if id(option) not in reached]
        failures += [f"tab order: the arrow keys do not reach {describe(option)}" for option in missing]
    return failures


def _in_view(how: str, focused: QWidget | None) -> list[str]:
    problem = focus_hidden(focused) if focused is not None else "is gone"
    return [] if problem is None else [f"focus: {how} moves to {describe(focused)}, which {problem}"]


# Genuine two-column layouts, where Tab rightly goes up to the top of the column beside: the object name of the side
# column's widget, and what it is. Steps into and out of it are not checked; every other step on such a page is.
SIDE_COLUMNS = {
    # practice-digital-key (ui/tutorials/sim_digital_key.py): the sign-in form, and beside it a drawn phone that gets
    # the code. Tab goes down the form, then up to the phone.
    "sim-fake-phone": "the drawn phone beside the digital-key sign-in form",
}


def check_reading_order(window: MainWindow, stops: list[QWidget]) -> list[str]:
    """On the page, each Tab stop (in the order visited) lies below the previous one or in the same row after it in
    the reading direction (to the left in a right-to-left language), never entirely above it or before it."""
    content = window.stack.currentWidget().content
    rtl = window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    on_page = [w for w in stops if content.isAncestorOf(w)]
    failures = []
    for previous, current in pairwise(on_page):
        if _in_side_column(previous, content) or _in_side_column(current, content):
            continue
        a, b = (QRect(w.mapTo(content, QPoint(0, 0)), w.size()) for w in (previous, current))
        if b.bottom() < a.top():
            where = "above"
        elif b.top() <= a.bottom() and (b.left() > a.right() if rtl else b.right() < a.left()):
            where = "before (in the reading direction)"
        else:
            continue
        failures.append(f"reading order: Tab goes from {describe(previous)} to {describe(current)}, {where} it")
    return failures


def _in_side_column(widget: QWidget, content: QWidget) -> bool:
    part: QWidget | None = widget
    while part is not None and part is not content:
        if part.objectName() in SIDE_COLUMNS:
            return True
        part = part.parentWidget()
    return False
