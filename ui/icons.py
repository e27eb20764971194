"""Simple vector icons drawn with QPainter: no image files, crisp at every text size, coloured from theme tokens.

Icons always sit beside text (never replace it). Directional icons (back, chevron) mirror in right-to-left layouts.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from ui.typography import FONT_FAMILIES

Draw = Callable[[QPainter, QColor], None]  # draws on a 24x24 design grid


def _pen(colour: QColor, width: float = 2.4) -> QPen:
    pen = QPen(colour, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _glyph(p: QPainter, colour: QColor, text: str, rect: QRectF, size: float = 15) -> None:
    font = QFont()
    font.setFamilies(list(FONT_FAMILIES))
    font.setPixelSize(round(size))
    font.setBold(True)
    p.setFont(font)
    p.setPen(colour)
    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def _check(p: QPainter, c: QColor) -> None:
    p.setPen(_pen(c, 3))
    p.drawPolyline(QPolygonF([QPointF(4.5, 12.5), QPointF(9.5, 17.5), QPointF(19.5, 6.5)]))


def _chevron(p: QPainter, c: QColor) -> None:
    p.setPen(_pen(c, 3))
    p.drawPolyline(QPolygonF([QPointF(9, 4.5), QPointF(16.5, 12), QPointF(9, 19.5)]))


def _back(p: QPainter, c: QColor) -> None:
    p.setPen(_pen(c, 3))
    p.drawLine(QPointF(20, 12), QPointF(4.5, 12))
    p.drawPolyline(QPolygonF([QPointF(11, 5.5), QPointF(4.5, 12), QPointF(11, 18.5)]))


def _help(p: QPainter, c: QColor) -> None:
    p.setPen(_pen(c, 2.2))
    p.drawEllipse(QRectF(2, 2, 20, 20))
    _glyph(p, c, "?", QRectF(2, 2, 20, 20), 15)


def _badge(letter: str) -> Draw:
    def draw(p: QPainter, c: QColor) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c)
        p.drawEllipse(QRectF(1, 1, 22, 22))
        _glyph(p, QColor("#ffffff") if c.lightness() < 128 else QColor("#0b0c0c"), letter, QRectF(1, 1, 22, 22), 16)

    return draw


def _speaker_body(p: QPainter, c: QColor) -> None:
    p.setPen(_pen(c, 1.5))
    p.setBrush(c)
    p.drawPolygon(
        QPolygonF(
            [QPointF(2.5, 9), QPointF(7, 9), QPointF(12, 4.5), QPointF(12, 19.5), QPointF(7, 15), QPointF(2.5, 15)]
        )
    )
    p.setBrush(Qt.BrushStyle.NoBrush)


def _speaker_on(p: QPainter, c: QColor) -> None:
    _speaker_body(p, c)
    p.setPen(_pen(c, 2.2))
    p.drawArc(QRectF(9, 7.5, 7, 9), -60 * 16, 120 * 16)
    p.drawArc(QRectF(8, 3.5, 13, 17), -60 * 16, 120 * 16)


def _speaker_off(p: QPainter, c: QColor) -> None:
    _speaker_body(p, c)
    p.setPen(_pen(c, 2.4))
    p.drawLine(QPointF(15.5, 9), QPointF(21.5, 15))
    p.drawLine(QPointF(21.5, 9), QPointF(15.5, 15))


def _text_size(sign: str) -> Draw:
    def draw(p: QPainter, c: QColor) -> None:
        _glyph(p, c, "A", QRectF(0, 2, 16, 20), 19 if sign == "+" else 14)
        p.setPen(_pen(c, 2.6))
        p.drawLine(QPointF(16, 12), QPointF(23, 12))
        if sign == "+":
            p.drawLine(QPointF(19.5, 8.5), QPointF(19.5, 15.5))

    return draw


def _globe(p: QPainter, c: QColor) -> None:
    p.setPen(_pen(c, 1.8))
    p.drawEllipse(QRectF(2.5, 2.5, 19, 19))
    p.drawEllipse(QRectF(7.5, 2.5, 9, 19))
    p.drawLine(QPointF(2.5, 12), QPointF(21.5, 12))
    p.drawLine(QPointF(4, 7.5), QPointF(20, 7.5))
    p.drawLine(QPointF(4, 16.5), QPointF(20, 16.5))


def _services(p: QPainter, c: QColor) -> None:  # a public building
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    roof = QPainterPath()
    roof.addPolygon(QPolygonF([QPointF(2, 8.5), QPointF(12, 2.5), QPointF(22, 8.5)]))
    p.drawPath(roof)
    for x in (4, 9, 14, 19):
        p.drawRect(QRectF(x, 10, 2, 8))
    p.drawRect(QRectF(2.5, 19, 19, 2.5))


def _learn(p: QPainter, c: QColor) -> None:  # an open book
    p.setPen(_pen(c, 2))
    left = QPainterPath(QPointF(12, 6.5))
    left.cubicTo(9, 4.5, 5, 4.5, 2.5, 5.5)
    left.lineTo(2.5, 19)
    left.cubicTo(5, 18, 9, 18, 12, 20)
    right = QPainterPath(QPointF(12, 6.5))
    right.cubicTo(15, 4.5, 19, 4.5, 21.5, 5.5)
    right.lineTo(21.5, 19)
    right.cubicTo(19, 18, 15, 18, 12, 20)
    p.drawPath(left)
    p.drawPath(right)
    p.drawLine(QPointF(12, 6.5), QPointF(12, 20))


def _staff(p: QPainter, c: QColor) -> None:  # a person with a badge
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawEllipse(QRectF(7.5, 2.5, 9, 9))
    body = QPainterPath(QPointF(3, 22))
    body.cubicTo(3, 15, 7, 13, 12, 13)
    body.cubicTo(17, 13, 21, 15, 21, 22)
    body.closeSubpath()
    p.drawPath(body)


ICONS: dict[str, Draw] = {
    "check": _check,
    "chevron": _chevron,
    "back": _back,
    "help": _help,
    "info": _badge("i"),
    "warning": _badge("!"),
    "speaker-on": _speaker_on,
    "speaker-off": _speaker_off,
    "text-smaller": _text_size("-"),
    "text-larger": _text_size("+"),
    "globe": _globe,
    "services": _services,
    "learn": _learn,
    "staff": _staff,
}
MIRRORED = frozenset({"chevron", "back"})


@lru_cache(maxsize=256)
def pixmap(name: str, size: int, colour: str, *, rtl: bool = False, ratio: float = 1.0) -> QPixmap:
    """Icon `name` as a square pixmap of `size` logical pixels in `colour` (cached: start-up draws each once)."""
    device = max(1, round(size * ratio))
    pm = QPixmap(device, device)
    pm.setDevicePixelRatio(ratio)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.scale(size / 24, size / 24)
    _draw(p, name, colour, rtl=rtl)
    p.end()
    return pm


def icon_extent(size: int) -> QSize:
    """The pixmap size of a button icon of `size`: a square glyph plus a gap before the button's text."""
    return QSize(size + gap_for(size), size)


def gap_for(size: int) -> int:
    return max(4, size // 3)


@lru_cache(maxsize=256)
def _button_pixmap(name: str | None, size: int, colour: str, rtl: bool) -> QPixmap:
    """Icon `name` (None: nothing) with the icon-to-text gap on the side facing the text."""
    out = QPixmap(icon_extent(size))
    out.fill(Qt.GlobalColor.transparent)
    if name is not None:
        p = QPainter(out)
        p.drawPixmap(gap_for(size) if rtl else 0, 0, pixmap(name, size, colour, rtl=rtl))
        p.end()
    return out


def state_icon(size: int, normal: dict[bool, tuple[str, str] | None], focus_colour: str, *, rtl: bool = False) -> QIcon:
    """A button icon per checked state ({False: (name, colour) or None, True: ...}), drawn in `focus_colour` when the
    button has focus (Qt's Active mode), so the icon keeps its contrast on the focus background. Use with
    `button.setIconSize(icon_extent(size))`: the pixmap carries the gap between icon and text."""
    icon = QIcon()
    for checked, spec in normal.items():
        state = QIcon.State.On if checked else QIcon.State.Off
        name, colour = spec if spec is not None else (None, focus_colour)
        icon.addPixmap(_button_pixmap(name, size, colour, rtl), QIcon.Mode.Normal, state)
        icon.addPixmap(_button_pixmap(name, size, focus_colour, rtl), QIcon.Mode.Active, state)
    return icon


@lru_cache(maxsize=64)
def badge(name: str, size: int, background: str, foreground: str, *, rtl: bool = False) -> QPixmap:
    """Icon `name` in `foreground`, centred in a filled circle of `background` (the big glyphs of the home entries)."""
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(background))
    p.drawEllipse(QRectF(0, 0, size, size))
    inner = size * 0.56
    p.translate((size - inner) / 2, (size - inner) / 2)
    p.scale(inner / 24, inner / 24)
    _draw(p, name, foreground, rtl=rtl)
    p.end()
    return pm


def _draw(p: QPainter, name: str, colour: str, *, rtl: bool) -> None:
    """Draw icon `name` on the painter's 24-unit grid, mirrored for right-to-left when it points a direction."""
    if rtl and name in MIRRORED:
        p.translate(24, 0)
        p.scale(-1, 1)
    ICONS[name](p, QColor(colour))
