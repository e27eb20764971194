"""Simple vector icons drawn with QPainter: no image files, crisp at every text size, coloured from theme tokens.

Icons always sit beside text (never replace it). Directional icons (back, chevron) mirror in right-to-left layouts.
Life events name their icon in the catalog (`icon`); a name this module does not know gets a generic document, so a
new catalog never breaks a screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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


def _bullet(p: QPainter, c: QColor) -> None:  # a list bullet, centred so it sits mid-line beside a label's first line
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawEllipse(QPointF(12, 12), 3.6, 3.6)


def _search(p: QPainter, c: QColor) -> None:  # a magnifying glass
    p.setPen(_pen(c, 2.6))
    p.drawEllipse(QRectF(3, 3, 13, 13))
    p.setPen(_pen(c, 3.2))
    p.drawLine(QPointF(14.5, 14.5), QPointF(21, 21))


def _connection(p: QPainter, c: QColor) -> None:  # wireless waves over a dot
    p.setPen(_pen(c, 2.4))
    for radius in (4.5, 9, 13.5):
        p.drawArc(QRectF(12 - radius, 19 - radius, 2 * radius, 2 * radius), 45 * 16, 90 * 16)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawEllipse(QPointF(12, 19), 2, 2)


def _document(p: QPainter, c: QColor) -> None:  # the fallback: a page with a folded corner and lines of text
    p.setPen(_pen(c, 2))
    page = QPainterPath(QPointF(5, 2.5))
    page.lineTo(14, 2.5)
    page.lineTo(19, 7.5)
    page.lineTo(19, 21.5)
    page.lineTo(5, 21.5)
    page.closeSubpath()
    p.drawPath(page)
    p.drawPolyline(QPolygonF([QPointF(14, 2.5), QPointF(14, 7.5), QPointF(19, 7.5)]))
    for y in (12, 15.5, 19):
        p.drawLine(QPointF(8.5, y - 0.5), QPointF(15.5, y - 0.5))


def _baby(p: QPainter, c: QColor) -> None:  # a pram: hood, basket, handle, wheels
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawPie(QRectF(3, 3, 16, 14), 90 * 16, 90 * 16)  # the hood, over the back half
    basket = QPainterPath(QPointF(3, 10.5))
    basket.lineTo(19, 10.5)
    basket.arcTo(QRectF(3, 4, 16, 13), 0, -180)
    basket.closeSubpath()
    p.drawPath(basket)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(_pen(c, 2))
    p.drawPolyline(QPolygonF([QPointF(19, 10.5), QPointF(20.5, 5), QPointF(22.5, 5)]))
    p.drawEllipse(QPointF(7, 20), 2, 2)
    p.drawEllipse(QPointF(15.5, 20), 2, 2)


def _house(p: QPainter, c: QColor) -> None:
    p.setPen(_pen(c, 2.2))
    p.drawPolyline(QPolygonF([QPointF(2, 11.5), QPointF(12, 3), QPointF(22, 11.5)]))
    p.drawPolyline(QPolygonF([QPointF(5, 9.5), QPointF(5, 21), QPointF(19, 21), QPointF(19, 9.5)]))
    p.drawPolyline(QPolygonF([QPointF(10, 21), QPointF(10, 14.5), QPointF(14, 14.5), QPointF(14, 21)]))


def _candle(p: QPainter, c: QColor) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    flame = QPainterPath(QPointF(12, 1.5))
    flame.cubicTo(15, 5, 15.5, 8.5, 12, 9)
    flame.cubicTo(8.5, 8.5, 9, 5, 12, 1.5)
    p.drawPath(flame)
    p.drawRoundedRect(QRectF(8.5, 10.5, 7, 10), 1, 1)
    p.setPen(_pen(c, 2.2))
    p.drawLine(QPointF(5, 21.5), QPointF(19, 21.5))


def _sunrise(p: QPainter, c: QColor) -> None:  # half a sun over the horizon, with rays
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawChord(QRectF(6.5, 10.5, 11, 11), 0, 180 * 16)
    p.setPen(_pen(c, 2.2))
    p.drawLine(QPointF(2, 16.5), QPointF(22, 16.5))
    p.drawLine(QPointF(6, 20.5), QPointF(18, 20.5))
    for dx, dy in ((0, -1), (0.71, -0.71), (-0.71, -0.71), (1, 0), (-1, 0)):
        p.drawLine(QPointF(12 + 8 * dx, 16 + 8 * dy), QPointF(12 + 10.5 * dx, 16 + 10.5 * dy))


def _briefcase(p: QPainter, c: QColor) -> None:
    p.setPen(_pen(c, 2.2))
    p.drawRoundedRect(QRectF(2.5, 7.5, 19, 13.5), 2, 2)
    p.drawPolyline(QPolygonF([QPointF(8.5, 7.5), QPointF(8.5, 4), QPointF(15.5, 4), QPointF(15.5, 7.5)]))
    p.drawLine(QPointF(2.5, 13), QPointF(21.5, 13))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawRect(QRectF(10.5, 11.5, 3, 3.5))


def _id_card(p: QPainter, c: QColor) -> None:  # a card with a photo and two lines of text
    p.setPen(_pen(c, 2))
    p.drawRoundedRect(QRectF(2, 5, 20, 14), 2, 2)
    p.drawLine(QPointF(13.5, 10), QPointF(19, 10))
    p.drawLine(QPointF(13.5, 14), QPointF(17.5, 14))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawEllipse(QPointF(8, 10), 2.2, 2.2)
    shoulders = QPainterPath(QPointF(4.5, 16.5))
    shoulders.cubicTo(4.5, 13.5, 11.5, 13.5, 11.5, 16.5)
    shoulders.closeSubpath()
    p.drawPath(shoulders)


def _car(p: QPainter, c: QColor) -> None:
    p.setPen(_pen(c, 2))
    body = [QPointF(5, 17), QPointF(2.5, 17), QPointF(2.5, 12.5), QPointF(5.5, 11), QPointF(7.5, 6)]
    body += [QPointF(16.5, 6), QPointF(18.5, 11), QPointF(21.5, 12.5), QPointF(21.5, 17), QPointF(19, 17)]
    p.drawPolyline(QPolygonF(body))
    p.drawLine(QPointF(9, 17), QPointF(15, 17))
    p.drawLine(QPointF(5.5, 11), QPointF(18.5, 11))
    p.drawEllipse(QPointF(7, 17.5), 2.2, 2.2)
    p.drawEllipse(QPointF(17, 17.5), 2.2, 2.2)


def _receipt(p: QPainter, c: QColor) -> None:  # a till receipt with a torn edge
    p.setPen(_pen(c, 2))
    paper = QPainterPath(QPointF(5, 2.5))
    paper.lineTo(19, 2.5)
    paper.lineTo(19, 21.5)
    for i, x in enumerate((16.7, 14.3, 12, 9.7, 7.3, 5)):
        paper.lineTo(x, 19.5 if i % 2 == 0 else 21.5)
    paper.closeSubpath()
    p.drawPath(paper)
    for y in (7, 10.5, 14):
        p.drawLine(QPointF(8.5, y), QPointF(15.5 if y < 14 else 12.5, y))


def _search_job(p: QPainter, c: QColor) -> None:  # a briefcase beside a magnifying glass
    p.setPen(_pen(c, 2))
    p.drawRoundedRect(QRectF(1.5, 7, 12, 9.5), 1.5, 1.5)
    p.drawPolyline(QPolygonF([QPointF(5.5, 7), QPointF(5.5, 4), QPointF(9.5, 4), QPointF(9.5, 7)]))
    p.setPen(_pen(c, 2.2))
    p.drawEllipse(QPointF(17.5, 15.5), 3.6, 3.6)
    p.setPen(_pen(c, 2.8))
    p.drawLine(QPointF(20.2, 18.2), QPointF(22.5, 20.5))


def _health(p: QPainter, c: QColor) -> None:  # a rounded cross
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    cross = QPainterPath()
    cross.setFillRule(Qt.FillRule.WindingFill)
    cross.addRoundedRect(QRectF(8.5, 2.5, 7, 19), 1.5, 1.5)
    cross.addRoundedRect(QRectF(2.5, 8.5, 19, 7), 1.5, 1.5)
    p.drawPath(cross)


def _speech(p: QPainter, c: QColor) -> None:  # a speech bubble with three dots
    p.setPen(_pen(c, 2))
    bubble = QPainterPath()
    bubble.addRoundedRect(QRectF(2.5, 3.5, 19, 13.5), 4, 4)
    tail = QPainterPath(QPointF(6.5, 16))
    tail.lineTo(6.5, 21.5)
    tail.lineTo(12, 16)
    tail.closeSubpath()
    p.drawPath(bubble.united(tail))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    for x in (7.5, 12, 16.5):
        p.drawEllipse(QPointF(x, 10.25), 1.4, 1.4)


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
    "bullet": _bullet,
    "search": _search,
    "connection": _connection,
    "document": _document,
    # life events (kiosk/catalog/demo/life-events/*.json name these)
    "baby": _baby,
    "house": _house,
    "candle": _candle,
    "sunrise": _sunrise,
    "briefcase": _briefcase,
    "id-card": _id_card,
    "car": _car,
    "receipt": _receipt,
    "search-job": _search_job,
    "health": _health,
    "speech": _speech,
}
FALLBACK_ICON = "document"  # for an icon name a catalog uses that this module does not draw
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


def state_icon(
    size: int,
    normal: Mapping[bool, tuple[str, str] | None],
    focus_colour: str,
    *,
    rtl: bool = False,
    only: bool | None = None,
) -> QIcon:
    """A button icon per checked state ({False: (name, colour) or None, True: ...}), drawn in `focus_colour` when the
    button has focus (Qt's Active mode), so the icon keeps its contrast on the focus background. Use with
    `button.setIconSize(icon_extent(size))`: the pixmap carries the gap between icon and text. `only` (a checked
    state) draws just what a button in that state shows unfocused: the first frame's icon (`Header.complete_icons`).

    The same arguments give the same QIcon (shared, like every QIcon copy): Qt caches what it paints from an icon under
    the icon's identity, so a new icon for every screen of every session would fill that cache over and over."""
    specs = tuple(sorted(normal.items())) if only is None else ((only, normal.get(only)),)
    return _state_icon(size, specs, focus_colour, rtl, only is None)


@lru_cache(maxsize=256)
def _state_icon(
    size: int,
    normal: tuple[tuple[bool, tuple[str, str] | None], ...],
    focus_colour: str,
    rtl: bool,
    focused: bool = True,
) -> QIcon:
    icon = QIcon()
    for checked, spec in normal:
        state = QIcon.State.On if checked else QIcon.State.Off
        name, colour = spec if spec is not None else (None, focus_colour)
        icon.addPixmap(_button_pixmap(name, size, colour, rtl), QIcon.Mode.Normal, state)
        if focused:
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
    """Draw icon `name` on the painter's 24-unit grid, mirrored for right-to-left when it points a direction (an
    unknown name draws the fallback: icons come from catalog files too)."""
    if rtl and name in MIRRORED:
        p.translate(24, 0)
        p.scale(-1, 1)
    ICONS.get(name, ICONS[FALLBACK_ICON])(p, QColor(colour))


def contrast_icon(
    size: int, colours: dict[bool, str], focus_colour: str, *, rtl: bool = False, only: bool | None = None
) -> QIcon:
    """The header button's icon: a circle, half filled (the usual sign for contrast), with the gap before the text;
    in `colours[checked]` (the button is checked while the band is open), `focus_colour` when focused. Shared like
    `state_icon`'s, and `only` as there."""
    specs = tuple(sorted(colours.items())) if only is None else ((only, colours[only]),)
    return _contrast_icon(size, specs, focus_colour, rtl, only is None)


@lru_cache(maxsize=32)
def _contrast_icon(
    size: int, colours: tuple[tuple[bool, str], ...], focus_colour: str, rtl: bool, focused: bool = True
) -> QIcon:
    icon = QIcon()
    for checked, colour in colours:
        state = QIcon.State.On if checked else QIcon.State.Off
        icon.addPixmap(_contrast_pixmap(size, colour, rtl), QIcon.Mode.Normal, state)
        if focused:
            icon.addPixmap(_contrast_pixmap(size, focus_colour, rtl), QIcon.Mode.Active, state)
    return icon


def _contrast_pixmap(size: int, colour: str, rtl: bool) -> QPixmap:
    out = QPixmap(icon_extent(size))
    out.fill(Qt.GlobalColor.transparent)
    p = QPainter(out)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.translate(gap_for(size) if rtl else 0, 0)
    p.scale(size / 24, size / 24)
    ink = QColor(colour)
    p.setPen(QPen(ink, 2.4))
    p.setBrush(Qt.BrushStyle.NoBrush)
    circle = QRectF(3, 3, 18, 18)
    p.drawEllipse(circle)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(ink)
    p.drawPie(circle, 90 * 16, 180 * 16)  # the left half
    p.end()
    return out
