"""A kiosk button whose label wraps onto more lines when the button is narrower than the label.

QPushButton draws its label on one line and clips it when the layout gives it less room: a tutorial's long answer at a
large text size, or with wide letter spacing (WCAG 1.4.12). `WrapButton` puts line breaks in where the width runs out
and tells its layout (`heightForWidth`) how tall that makes it; the style draws it as any button of its kind (frame,
colours, focus ring), from the same text with the breaks in. Its `text()` and accessible name stay the label.
Kept out of ui.widgets: the style option and painter classes it needs are not wanted before the first paint.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QStyle, QStyleOptionButton, QStylePainter, QWidget

from ui.widgets import KioskButton

WIDE = 10_000  # a content width past any minimum the style sheet sets, to measure what the style adds around text


class WrapButton(KioskButton):
    """A `KioskButton` (Enter activates it, its name is its label) that wraps its label rather than clip it."""

    def __init__(self, kind: str = "secondary", parent: QWidget | None = None) -> None:
        super().__init__(kind, parent)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)  # what the layouts ask (QWidgetItem reads the policy, not the method)
        policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)  # a button's Fixed would cap it at one line's height
        self.setSizePolicy(policy)

    def lines(self, width: int) -> str:
        """The label with a line break wherever the next word would not fit in a button `width` px wide."""
        text = self.text()
        if width >= self.sizeHint().width():  # the one line QPushButton would draw fits: the same, exactly
            return text
        room = max(1, width - self._frame_width())
        metrics = QFontMetrics(self.font())
        lines: list[str] = []
        for word in text.split():
            if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= room:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)  # a word wider than the room sits on its own line (minimumSizeHint prevents it)
        return "\n".join(lines)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return max(self._size_for(self.lines(width)).height(), self.minimumHeight())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """As narrow as the longest word allows, one line tall."""
        metrics = QFontMetrics(self.font())
        longest = max((metrics.horizontalAdvance(word) for word in self.text().split()), default=0)
        return QSize(longest + self._frame_width(), self._size_for(self.text()).height())

    def painted_texts(self) -> list[tuple[str, QFont]]:
        """What it draws, for the accessibility checks: they then hold it to `heightForWidth` (tests/a11y_matrix)."""
        return [(self.text(), self.font())]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        QStylePainter(self).drawControl(QStyle.ControlElement.CE_PushButton, self._option(self.lines(self.width())))

    def _option(self, text: str) -> QStyleOptionButton:
        """This button's style option, showing `text` (the label with its line breaks)."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = text
        return option

    def _size_around(self, text: str, contents: QSize) -> QSize:
        return self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, self._option(text), contents, self)

    def _size_for(self, text: str) -> QSize:
        """The button's size around `text` (lines included), as QPushButton.sizeHint computes it for one line."""
        return self._size_around(text, QFontMetrics(self.font()).size(Qt.TextFlag.TextShowMnemonic.value, text))

    def _frame_width(self) -> int:
        """What the style adds around the text across: borders, padding, margins."""
        return self._size_around(self.text(), QSize(WIDE, 0)).width() - WIDE
