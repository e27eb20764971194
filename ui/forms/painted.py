"""Buttons that paint their own wrapping text: radio and check options, and the error summary's links.

Qt's radio buttons, check boxes and push buttons draw their text on one line, so a long choice ("I have lived at this
address for more than three years") would be cut off at the larger text sizes. These widgets keep Qt's behaviour (a
`QRadioButton` in a `QButtonGroup` still moves with the arrow keys and selects with Space) and only draw themselves:
a large indicator, then the label and an optional hint, wrapped at the widget's width and mirrored in right-to-left
layouts. The whole row is the target (`hitButton`), never only the small circle.

Texts are drawn as plain strings (never rich text, never mnemonics: a "&" in a definition stays a "&"); each widget
exposes them through `painted_texts()` so the accessibility checks see what is drawn, and its accessible name is the
visible label.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QRadioButton, QSizePolicy, QWidget

from ui.typography import ui_font
from ui.widgets import ACTIVATE_KEYS, KioskButton

if TYPE_CHECKING:
    from ui.screens.base import ScreenContext

_WRAP = Qt.TextFlag.TextWordWrap.value
_LEADING = (Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft).value | _WRAP
FOCUS_RING_PX = 5  # as the stylesheet's focus ring (ui.theme.FOCUS_PX)
WRAP_SLACK_PX = 4  # a one-line width measured by advance can wrap by rounding when the text is laid out


def wrapped_height(font: QFont, width: int, text: str) -> int:
    """Height of `text` wrapped at `width` (what a word-wrapping QLabel computes)."""
    if not text:
        return 0
    return QFontMetrics(font).boundingRect(QRect(0, 0, max(1, width), 1_000_000), _WRAP, text).height()


def longest_word(font: QFont, *texts: str) -> int:
    metrics = QFontMetrics(font)
    return max((metrics.horizontalAdvance(word) for text in texts for word in text.split()), default=0)


class _Colours:
    def __init__(self) -> None:
        self.text = self.muted = self.focus_text = self.focus_bg = self.ring = QColor("#000000")


class _OptionPainting:
    """What radio and check options share: metrics, wrapped texts, the row as target, Enter to continue.

    A mixin placed before the Qt class (`RadioOption(_OptionPainting, QRadioButton)`), so the subclass keeps its Qt
    role for assistive technology (radio button, check box) and Qt's keyboard behaviour.
    """

    def _button(self) -> QAbstractButton:
        return cast(QAbstractButton, self)

    def _init_option(self) -> None:
        button = self._button()
        self.label_text = ""
        self.hint_text = ""
        self._font = self._hint_font = QFont()
        self._pad = self._gap = self._indicator = 0
        self._colours = _Colours()
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        button.setSizePolicy(policy)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)

    def set_texts(self, label: str, hint: str = "") -> None:
        button = self._button()
        self.label_text, self.hint_text = label, hint
        button.setAccessibleName(label)  # the visible label is the name (WCAG 2.5.3); the hint describes it
        button.setAccessibleDescription(hint)
        button.updateGeometry()
        button.update()

    def apply_metrics(self, context: ScreenContext) -> None:
        button = self._button()
        body = context.px()
        theme = context.theme
        self._font = ui_font(body)
        self._hint_font = ui_font(body)
        self._pad = max(body // 2, FOCUS_RING_PX + 4)
        self._gap = body // 2
        self._indicator = round(body * 1.5)
        colours = self._colours
        colours.text, colours.muted = QColor(theme.text), QColor(theme.text_muted)
        colours.focus_text, colours.focus_bg = QColor(theme.focus_text), QColor(theme.focus_bg)
        colours.ring = QColor(theme.focus_ring)
        button.setMinimumHeight(context.panel.min_target_px)
        button.updateGeometry()
        button.update()

    def painted_texts(self) -> list[tuple[str, QFont]]:
        texts = [(self.label_text, self._font)]
        return [*texts, (self.hint_text, self._hint_font)] if self.hint_text else texts

    # Geometry --------------------------------------------------------------------------------------------------------
    def _text_width(self, width: int) -> int:
        return max(1, width - 2 * self._pad - self._indicator - self._gap)

    def _texts_height(self, width: int) -> tuple[int, int]:
        text_width = self._text_width(width)
        label = wrapped_height(self._font, text_width, self.label_text)
        return label, wrapped_height(self._hint_font, text_width, self.hint_text)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        label, hint = self._texts_height(width)
        inner = max(self._indicator, label + (self._gap // 2 + hint if hint else 0))
        return max(inner + 2 * self._pad, self._button().minimumHeight())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # One line of label and of hint: never narrower than the wrapping measure, which can round a pixel wider.
        label = QFontMetrics(self._font).horizontalAdvance(self.label_text)
        text = max(label, QFontMetrics(self._hint_font).horizontalAdvance(self.hint_text)) + WRAP_SLACK_PX
        width = 2 * self._pad + self._indicator + self._gap + text
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        words = longest_word(self._font, self.label_text, self.hint_text)
        return QSize(2 * self._pad + self._indicator + self._gap + words, self._button().minimumHeight())

    def hitButton(self, pos: QPoint) -> bool:  # noqa: N802 - Qt override
        return self._button().rect().contains(pos)  # the whole row, not only the indicator

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in ACTIVATE_KEYS and not event.isAutoRepeat():
            event.accept()
            self._enter()  # Enter submits the page, as in a web form; Space selects
            return
        QAbstractButton.keyPressEvent(self._button(), event)

    # Painting --------------------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        button = self._button()
        width, height = button.width(), button.height()
        rtl = button.layoutDirection() == Qt.LayoutDirection.RightToLeft
        focused = button.hasFocus()
        colours = self._colours
        ink = colours.focus_text if focused else colours.text
        p = QPainter(button)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setLayoutDirection(button.layoutDirection())
        if focused:  # the same thick ring and yellow fill as every other control
            p.fillRect(button.rect(), colours.focus_bg)
            half = FOCUS_RING_PX / 2
            p.setPen(QPen(colours.ring, FOCUS_RING_PX))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(half, half, width - FOCUS_RING_PX, height - FOCUS_RING_PX))
        size = self._indicator
        label_h, hint_h = self._texts_height(width)
        first_line = QFontMetrics(self._font).height()
        top = self._pad + max(0, (first_line - size) // 2)
        left = width - self._pad - size if rtl else self._pad
        self._paint_indicator(p, QRectF(left, top, size, size), ink)
        text_w = self._text_width(width)
        text_x = self._pad if rtl else self._pad + size + self._gap
        text_y = self._pad + max(0, (size - first_line) // 2)
        p.setPen(ink)
        p.setFont(self._font)
        p.drawText(QRect(text_x, text_y, text_w, label_h), _LEADING, self.label_text)
        if self.hint_text:
            p.setPen(ink if focused else colours.muted)
            p.setFont(self._hint_font)
            p.drawText(QRect(text_x, text_y + label_h + self._gap // 2, text_w, hint_h), _LEADING, self.hint_text)
        p.end()

    def _paint_indicator(self, p: QPainter, box: QRectF, ink: QColor) -> None:
        raise NotImplementedError

    def _enter(self) -> None:
        raise NotImplementedError


class RadioOption(_OptionPainting, QRadioButton):
    """One answer of a single choice: a large circle, filled when chosen."""

    enter_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        QRadioButton.__init__(self, parent)
        self._init_option()

    def _enter(self) -> None:
        self.enter_pressed.emit()

    def _paint_indicator(self, p: QPainter, box: QRectF, ink: QColor) -> None:
        line = max(2.0, box.width() / 14)
        p.setPen(QPen(ink, line))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(box.adjusted(line / 2, line / 2, -line / 2, -line / 2))
        if self.isChecked():
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(ink)
            inset = box.width() * 0.25
            p.drawEllipse(box.adjusted(inset, inset, -inset, -inset))


class CheckOption(_OptionPainting, QCheckBox):
    """One answer of a multiple choice, a consent or "I do not know": a large square, ticked when chosen."""

    enter_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        QCheckBox.__init__(self, parent)
        self._init_option()

    def _enter(self) -> None:
        self.enter_pressed.emit()

    def _paint_indicator(self, p: QPainter, box: QRectF, ink: QColor) -> None:
        line = max(2.0, box.width() / 14)
        p.setPen(QPen(ink, line))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(box.adjusted(line / 2, line / 2, -line / 2, -line / 2))
        if self.isChecked():
            w = box.width()
            tick = QPen(ink, max(3.0, w / 8))
            tick.setCapStyle(Qt.PenCapStyle.SquareCap)
            tick.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            p.setPen(tick)
            x, y = box.x(), box.y()
            p.drawPolyline(
                [
                    QPointF(x + w * 0.22, y + w * 0.52),
                    QPointF(x + w * 0.42, y + w * 0.72),
                    QPointF(x + w * 0.8, y + w * 0.3),
                ]
            )


class LinkButton(KioskButton):
    """A text link that wraps (the error summary's entries): underlined, in the error colour, full width as target."""

    def __init__(self) -> None:
        super().__init__("link")
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.link_text = ""
        self._font = QFont()
        self.padding = 0  # around the text: room for the focus ring
        self._ink = self._focus_ink = QColor("#000000")

    def set_link(self, text: str, name: str = "") -> None:
        """`text` is drawn; `name` (default: the text) is what assistive technology reads, e.g. with "Error:"."""
        self.link_text = text
        self.setAccessibleName(name or text)
        self.updateGeometry()
        self.update()

    def apply_metrics(self, context: ScreenContext, token: str = "error") -> None:
        body = context.px()
        self._font = ui_font(body)
        self._font.setBold(True)
        self._font.setUnderline(True)
        self.padding = max(body // 2, FOCUS_RING_PX + 4)
        self._ink = QColor(context.theme.colour(token))
        self._focus_ink = QColor(context.theme.focus_text)
        self.setMinimumHeight(context.panel.min_target_px)
        self.updateGeometry()

    def painted_texts(self) -> list[tuple[str, QFont]]:
        return [(self.link_text, self._font)]

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        text = wrapped_height(self._font, width - 2 * self.padding, self.link_text)
        return max(text + 2 * self.padding, self.minimumHeight())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = QFontMetrics(self._font).horizontalAdvance(self.link_text) + WRAP_SLACK_PX + 2 * self.padding
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(longest_word(self._font, self.link_text) + 2 * self.padding, self.minimumHeight())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)  # the styled frame (transparent at rest, the focus ring when focused)
        p = QPainter(self)
        p.setLayoutDirection(self.layoutDirection())
        p.setFont(self._font)
        p.setPen(self._focus_ink if self.hasFocus() else self._ink)
        area = self.rect().adjusted(self.padding, self.padding, -self.padding, -self.padding)
        p.drawText(area, (Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft).value | _WRAP, self.link_text)
        p.end()
