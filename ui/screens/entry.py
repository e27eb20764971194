"""The big card-like buttons of the home screen: a badge icon, a bold title, a wrapping explanation and a chevron.

One widget paints all four parts itself. Built from a button and four child labels, each entry cost five widgets to
create, re-parent, style and lay out at start-up; painted, it is one, and looks the same: same metrics as the old row
layout (margins, spacing, badge and chevron sizes), the labels' fonts and colour, mirrored in right-to-left layouts.

The browsing screens use the same button as a tile: a life event with its badge, a service without one (`icon_name`
None) and, when set, a third line with a small icon under the explanation ("Needs an internet connection").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import QSizePolicy

from ui import icons
from ui.typography import ui_font
from ui.widgets import KioskButton

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent

    from ui.screens.base import ScreenContext

TEXT_GAP = 4  # between title and explanation, as the old label column had
_WRAP = Qt.TextFlag.TextWordWrap.value
# A QLabel's default alignment: centred vertically in its rect (as tall as the text), leading edge first; "left" is
# not absolute, so a right-to-left painter turns it into "right".
_FLAGS = (Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft).value | Qt.TextFlag.TextWordWrap.value


class EntryButton(KioskButton):
    """The stylesheet still draws the frame (border, background, focus ring); this class draws what is inside it."""

    def __init__(self, icon_name: str | None, badge_token: str = "primary", note_icon: str = "connection") -> None:
        super().__init__("entry")
        self.icon_name = icon_name  # None: no badge, the texts start at the margin
        self.badge_token = badge_token
        self.note_icon = note_icon
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.title_text = ""
        self.hint_text = ""
        self.note_text = ""
        self._title_font = self._hint_font = QFont()
        self._margin = self._margin_v = 0  # the margins and gaps of the old row layout (body, 3/4 body)
        self._badge = self._chevron = self._focus_badge = self._focus_chevron = QPixmap()
        self._note_size = 0
        self._text_colour = QColor()
        # Qt asks for sizes many times per layout pass; they only change with the texts or metrics (`_changed`).
        self._heights: dict[int, tuple[int, int, int]] = {}  # width -> (title, hint, note) heights
        self._hints: dict[str, QSize] = {}

    # State -----------------------------------------------------------------------------------------------------------
    def set_texts(self, title: str, hint: str, note: str = "") -> None:
        self.title_text, self.hint_text, self.note_text = title, hint, note
        self.setAccessibleName(title)  # the visible title is the name (WCAG 2.5.3), the explanation its description
        self.setAccessibleDescription(f"{hint} {note}" if note else hint)
        self._changed()

    def apply_metrics(self, context: ScreenContext) -> None:
        """Sizes, icons and colours for the context's text size, theme and direction."""
        body = context.px()
        theme = context.theme
        self._margin, self._margin_v = body, body * 3 // 4
        self._hint_font = ui_font(body)  # what a body-text label would get from the stylesheet
        self._title_font = ui_font(context.px("title"))
        self._title_font.setBold(True)
        self._text_colour = QColor(theme.text)
        # With the keyboard focus the stylesheet fills the button with the focus colour: what is drawn on it switches
        # to the focus text colour, or it would lose its contrast (white on yellow in dark high contrast).
        self._focus_colour = QColor(theme.focus_text)
        if self.icon_name is not None:
            size = round(body * 2.6)
            self._badge = icons.badge(self.icon_name, size, theme.colour(self.badge_token), theme.background)
            self._focus_badge = icons.badge(self.icon_name, size, theme.focus_text, theme.focus_bg)
        self._chevron = icons.pixmap("chevron", round(body * 1.3), theme.text, rtl=context.rtl)
        self._focus_chevron = icons.pixmap("chevron", round(body * 1.3), theme.focus_text, rtl=context.rtl)
        self._note_size = round(body * 1.1)
        self._changed()

    @property
    def _note_pixmap(self) -> QPixmap:
        # Drawn on first use only: the home entries never have a note, and start-up should not draw what nobody sees.
        return icons.pixmap(self.note_icon, self._note_size, self._text_colour.name()) if self.note_text else QPixmap()

    def painted_texts(self) -> list[tuple[str, QFont]]:
        """What this button draws as text, with the font of each (for checks that would look at child labels)."""
        texts = [(self.title_text, self._title_font), (self.hint_text, self._hint_font)]
        return [*texts, (self.note_text, self._hint_font)] if self.note_text else texts

    def _changed(self) -> None:
        self._heights.clear()
        self._hints.clear()
        self.updateGeometry()
        self.update()

    # Geometry --------------------------------------------------------------------------------------------------------
    def _text_width(self, width: int) -> int:
        return width - self._fixed_width()

    def _note_offset(self) -> int:
        """Where the note's text starts after its icon (the icon and a gap of a third of its size)."""
        return self._note_pixmap.width() + icons.gap_for(self._note_pixmap.width())

    def _text_heights(self, width: int) -> tuple[int, int, int]:
        if width not in self._heights:
            text_width = max(1, self._text_width(width))
            note = 0
            if self.note_text:
                note_width = max(1, text_width - self._note_offset())
                note = max(self._note_pixmap.height(), _wrapped_height(self._hint_font, note_width, self.note_text))
            self._heights[width] = (
                _wrapped_height(self._title_font, text_width, self.title_text),
                _wrapped_height(self._hint_font, text_width, self.hint_text),
                note,
            )
        return self._heights[width]

    def _column_height(self, width: int) -> int:
        """The text column: title, explanation and (when set) the note, with their gaps."""
        title, hint, note = self._text_heights(width)
        return title + TEXT_GAP + hint + (TEXT_GAP + note if note else 0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        inner = max(self._badge.height(), self._column_height(width), self._chevron.height())
        return max(inner + 2 * self._margin_v, self.minimumHeight())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        if "size" not in self._hints:
            # Both texts on one line each; the home column stretches the entries to its width anyway.
            longest = max(
                QFontMetrics(self._title_font).horizontalAdvance(self.title_text),
                QFontMetrics(self._hint_font).horizontalAdvance(self.hint_text),
                self._note_width(QFontMetrics(self._hint_font).horizontalAdvance(self.note_text)),
            )
            width = self._fixed_width() + longest
            self._hints["size"] = QSize(width, self.heightForWidth(width))
        return QSize(self._hints["size"])

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        if "minimum" not in self._hints:
            # Texts wrap, so the narrowest sensible entry fits the longest word of either text; its height is one line
            # of each (the real height always comes from heightForWidth).
            words = [(self._title_font, w) for w in self.title_text.split()]
            words += [(self._hint_font, w) for w in self.hint_text.split()]
            longest = max((QFontMetrics(font).horizontalAdvance(word) for font, word in words), default=0)
            hint_metrics = QFontMetrics(self._hint_font)
            note_words = [self._note_width(hint_metrics.horizontalAdvance(w)) for w in self.note_text.split()]
            longest = max([longest, *note_words])
            lines = QFontMetrics(self._title_font).height() + TEXT_GAP + hint_metrics.height()
            if self.note_text:
                lines += TEXT_GAP + max(hint_metrics.height(), self._note_pixmap.height())
            inner = max(self._badge.height(), lines, self._chevron.height())
            self._hints["minimum"] = QSize(self._fixed_width() + longest, inner + 2 * self._margin_v)
        return self._hints["minimum"].expandedTo(QSize(0, self.minimumHeight()))

    def _note_width(self, text_width: int) -> int:
        return self._note_offset() + text_width if self.note_text else 0

    def _fixed_width(self) -> int:
        # margin, badge, margin, texts, margin, chevron, margin (without a badge: one margin and the badge fewer)
        badge = self._margin + self._badge.width() if self.icon_name is not None else 0
        return 3 * self._margin + badge + self._chevron.width()

    # Painting --------------------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)  # the styled frame: the button's own text and icon are empty
        width, height = self.width(), self.height()
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        title_h, hint_h, note_h = self._text_heights(width)
        text_w = self._text_width(width)
        focused = self.hasFocus()
        badge = self._focus_badge if focused and self.icon_name is not None else self._badge
        chevron, m = (self._focus_chevron if focused else self._chevron), self._margin
        has_badge = self.icon_name is not None
        badge_x, chevron_x = m, width - m - chevron.width()
        text_x = 2 * m + badge.width() if has_badge else m
        if rtl:  # mirror every part, as a right-to-left layout would
            badge_x, text_x, chevron_x = width - m - badge.width(), width - text_x - text_w, m
        # The text column is centred vertically like the old label column (top-aligned when it is the tallest part).
        texts_h = self._column_height(width)
        text_y = self._margin_v + max(0, (height - 2 * self._margin_v - texts_h) // 2)
        p = QPainter(self)
        p.setLayoutDirection(self.layoutDirection())  # places neutral characters (a full stop) as a label would
        if has_badge:
            p.drawPixmap(badge_x, (height - badge.height()) // 2, badge)
        p.drawPixmap(chevron_x, (height - chevron.height()) // 2, chevron)
        p.setPen(self._focus_colour if focused else self._text_colour)
        p.setFont(self._title_font)
        p.drawText(QRect(text_x, text_y, text_w, title_h), _FLAGS, self.title_text)
        p.setFont(self._hint_font)
        p.drawText(QRect(text_x, text_y + title_h + TEXT_GAP, text_w, hint_h), _FLAGS, self.hint_text)
        if self.note_text:
            self._paint_note(p, QRect(text_x, text_y + title_h + TEXT_GAP + hint_h + TEXT_GAP, text_w, note_h), rtl)
        p.end()

    def _paint_note(self, p: QPainter, rect: QRect, rtl: bool) -> None:
        """The note's icon at the leading edge of its line, the text after it (mirrored in right-to-left)."""
        icon, offset = self._note_pixmap, self._note_offset()
        icon_x = rect.right() + 1 - icon.width() if rtl else rect.x()
        text_x = rect.x() if rtl else rect.x() + offset
        p.drawPixmap(icon_x, rect.y() + (rect.height() - icon.height()) // 2, icon)
        p.drawText(QRect(text_x, rect.y(), rect.width() - offset, rect.height()), _FLAGS, self.note_text)


def _wrapped_height(font: QFont, width: int, text: str) -> int:
    """Height of `text` wrapped at `width` (what a word-wrapping QLabel computes for its height)."""
    return QFontMetrics(font).boundingRect(QRect(0, 0, width, 100_000), _WRAP, text).height()
