"""WrapButton: a label longer than its row takes more lines instead of being clipped, and a FlowLayout row grows to
fit it; a label that fits is drawn exactly as a plain kiosk button's."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QWidget

from ui.widgets import FlowLayout, KioskButton
from ui.wrap_button import WrapButton

LONG = "Delete it and call the number printed on the back of your bank card"


def _button(qtbot, text: str) -> WrapButton:  # type: ignore[no-untyped-def]
    button = WrapButton()
    qtbot.addWidget(button)
    button.set_label(text, "the answer to choose")
    return button


def test_a_label_that_fits_stays_on_one_line_like_a_kiosk_button(qtbot) -> None:  # type: ignore[no-untyped-def]
    button = _button(qtbot, "Open the link")
    plain = KioskButton()
    qtbot.addWidget(plain)
    plain.set_label("Open the link")
    assert button.sizeHint() == plain.sizeHint()
    assert button.lines(button.sizeHint().width()) == "Open the link"
    assert button.heightForWidth(button.sizeHint().width()) == plain.sizeHint().height()


def test_a_narrow_button_breaks_its_label_into_lines_that_fit(qtbot) -> None:  # type: ignore[no-untyped-def]
    button = _button(qtbot, LONG)
    width = button.sizeHint().width() // 2
    lines = button.lines(width).split("\n")
    assert len(lines) >= 2 and " ".join(lines) == LONG  # nothing lost, words kept whole
    metrics = QFontMetrics(button.font())
    frame = button.sizeHint().width() - metrics.size(0, LONG).width()
    assert all(metrics.horizontalAdvance(line) <= width - frame + 1 for line in lines)
    assert button.heightForWidth(width) > button.sizeHint().height()
    assert button.minimumSizeHint().width() < width  # narrower still would do: down to the longest word
    assert button.text() == button.accessibleName() == LONG  # what is read and named is the label, unbroken
    assert button.painted_texts() == [(LONG, button.font())]


def test_a_flow_layout_row_grows_to_the_wrapped_label(qtbot) -> None:  # type: ignore[no-untyped-def]
    holder = QWidget()
    qtbot.addWidget(holder)
    row = FlowLayout(holder, spacing=8)
    short = KioskButton()
    short.set_label("Reply")
    long = WrapButton()
    long.set_label(LONG)
    row.addWidget(short)
    row.addWidget(long)
    width = long.sizeHint().width() * 2 // 3  # the long label cannot have a row of its own at its one-line width
    holder.resize(width, row.heightForWidth(width))
    holder.show()
    qtbot.waitExposed(holder)
    assert long.width() <= width
    assert long.height() >= long.heightForWidth(long.width()) > short.height()  # taller: two lines, nothing clipped
    assert holder.height() >= long.geometry().bottom()
