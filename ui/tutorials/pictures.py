"""The tutorials' built-in illustrations (docs/tutorials.md lists the ids): simple line drawings made with QPainter.

No image files: each picture is drawn on a 120 x 80 design grid in the theme's colours (lines in `text`, the one thing
that matters in `primary`, a warning in `error`), so it stays crisp at every size and keeps its contrast in the high
contrast themes. A picture is sized in millimetres of the reference panel, never wider than the content column.
Pictures whose meaning has a direction (a hand, a phone in a hand, an arrow) mirror in right-to-left languages.

Every picture has a short description in the kiosk's six languages (`tutorial.picture.<id>` in kiosk/locales), its
accessible name: a picture never carries anything the text beside it does not say.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QLabel, QSizePolicy

if TYPE_CHECKING:
    from accessibility.tokens import Theme
    from ui.screens.base import ScreenContext

GRID_W, GRID_H = 120.0, 80.0


class Ink:
    """The colours of one drawing."""

    def __init__(self, theme: Theme) -> None:
        self.line = QColor(theme.colour("text"))
        self.key = QColor(theme.colour("primary"))
        self.warn = QColor(theme.colour("error"))
        self.fill = QColor(theme.colour("surface"))


def _pen(colour: QColor, width: float = 2.2) -> QPen:
    pen = QPen(colour, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _line(p: QPainter, colour: QColor, width: float = 2.2) -> None:
    p.setPen(_pen(colour, width))
    p.setBrush(Qt.BrushStyle.NoBrush)


def _rect(x: float, y: float, w: float, h: float) -> QRectF:
    return QRectF(x, y, w, h)


def _finger(p: QPainter, ink: Ink, tip: QPointF) -> None:
    """A pointing hand from below, its fingertip at `tip`."""
    x, y = tip.x(), tip.y()
    _line(p, ink.line)
    p.setBrush(ink.fill)
    path = QPainterPath(QPointF(x - 4, y + 2))
    path.cubicTo(x - 4, y - 3, x + 4, y - 3, x + 4, y + 2)
    path.lineTo(x + 4, y + 14)
    path.lineTo(x + 14, y + 16)
    path.cubicTo(x + 19, y + 17, x + 19, y + 26, x + 16, y + 32)
    path.lineTo(x - 6, y + 32)
    path.lineTo(x - 12, y + 20)
    path.cubicTo(x - 13, y + 16, x - 9, y + 14, x - 4, y + 18)
    path.closeSubpath()
    p.drawPath(path)


def _screen(p: QPainter, ink: Ink, rect: QRectF) -> None:
    _line(p, ink.line, 2.6)
    p.drawRoundedRect(rect, 4, 4)


def _phone(p: QPainter, ink: Ink, rect: QRectF) -> None:
    _line(p, ink.line, 2.4)
    p.drawRoundedRect(rect, 5, 5)
    p.drawLine(QPointF(rect.center().x() - 4, rect.bottom() - 4), QPointF(rect.center().x() + 4, rect.bottom() - 4))


def _text_lines(  # noqa: PLR0917 - a drawing helper: where, and how long each line is
    p: QPainter, colour: QColor, x: float, y: float, widths: tuple[float, ...], gap: float = 6
) -> None:
    _line(p, colour, 2)
    for n, width in enumerate(widths):
        p.drawLine(QPointF(x, y + n * gap), QPointF(x + width, y + n * gap))


def touch_screen(p: QPainter, ink: Ink) -> None:
    _screen(p, ink, _rect(20, 6, 80, 54))
    p.drawLine(QPointF(50, 70), QPointF(70, 70))
    p.drawLine(QPointF(60, 60), QPointF(60, 70))
    _line(p, ink.key, 2.4)
    p.drawRoundedRect(_rect(32, 36, 24, 12), 3, 3)
    p.drawRoundedRect(_rect(64, 36, 24, 12), 3, 3)
    _text_lines(p, ink.line, 30, 16, (60, 40))


def finger_tap(p: QPainter, ink: Ink) -> None:
    _screen(p, ink, _rect(14, 6, 92, 50))
    _line(p, ink.key, 2.6)
    p.drawRoundedRect(_rect(40, 22, 40, 16), 4, 4)
    for r in (5.0, 9.0):  # the touch: rings around the fingertip
        p.drawEllipse(QPointF(60, 30), r, r * 0.8)
    _finger(p, ink, QPointF(60, 36))


def finger_scroll(p: QPainter, ink: Ink) -> None:
    _screen(p, ink, _rect(20, 4, 60, 72))
    _text_lines(p, ink.line, 28, 14, (36, 30, 40, 26, 36, 32, 38), 8)
    _line(p, ink.key, 3)
    p.drawLine(QPointF(96, 58), QPointF(96, 18))
    p.drawPolyline(QPolygonF([QPointF(89, 26), QPointF(96, 17), QPointF(103, 26)]))
    _finger(p, ink, QPointF(62, 44))


def keyboard(p: QPainter, ink: Ink) -> None:
    _line(p, ink.line, 2.4)
    p.drawRoundedRect(_rect(8, 14, 104, 56), 5, 5)
    for count, y in ((10, 22), (9, 34), (7, 46)):
        start = 60 - (count * 10 - 2) / 2
        for key in range(count):
            p.drawRoundedRect(_rect(start + key * 10, y, 8, 8), 1.5, 1.5)
    _line(p, ink.key, 2.4)
    p.drawRoundedRect(_rect(34, 58, 52, 8), 2, 2)


def phone_with_code(p: QPainter, ink: Ink) -> None:
    _phone(p, ink, _rect(38, 4, 44, 72))
    _line(p, ink.key, 2.2)
    p.drawRoundedRect(_rect(44, 26, 32, 14), 2, 2)
    for n in range(6):
        p.drawEllipse(QPointF(48 + n * 4.8, 33), 1.2, 1.2)
    _text_lines(p, ink.line, 45, 14, (30, 20))
    _text_lines(p, ink.line, 45, 50, (30, 24, 28))


def phone_message(p: QPainter, ink: Ink) -> None:
    _phone(p, ink, _rect(38, 4, 44, 72))
    _line(p, ink.key, 2.2)
    bubble = QPainterPath(QPointF(45, 14))
    bubble.lineTo(75, 14)
    bubble.lineTo(75, 34)
    bubble.lineTo(52, 34)
    bubble.lineTo(46, 40)
    bubble.lineTo(47, 34)
    bubble.lineTo(45, 34)
    bubble.closeSubpath()
    p.drawPath(bubble)
    _text_lines(p, ink.line, 49, 20, (22, 16, 20), 5)


def scam_warning(p: QPainter, ink: Ink) -> None:
    phone_message(p, ink)
    _line(p, ink.warn, 3)
    p.setBrush(ink.fill)
    triangle = QPolygonF([QPointF(92, 30), QPointF(112, 66), QPointF(72, 66)])
    p.drawPolygon(triangle)
    p.drawLine(QPointF(92, 42), QPointF(92, 55))
    p.drawPoint(QPointF(92, 61))


def padlock(p: QPainter, ink: Ink) -> None:
    _line(p, ink.line, 3)
    p.drawArc(_rect(44, 8, 32, 36), 0, 180 * 16)
    p.drawLine(QPointF(44, 26), QPointF(44, 36))
    p.drawLine(QPointF(76, 26), QPointF(76, 36))
    _line(p, ink.key, 3)
    p.drawRoundedRect(_rect(36, 36, 48, 36), 4, 4)
    p.drawEllipse(QPointF(60, 50), 4, 4)
    p.drawLine(QPointF(60, 54), QPointF(60, 62))


def magnifier(p: QPainter, ink: Ink) -> None:
    _text_lines(p, ink.line, 14, 16, (70, 56, 64, 44, 66, 50, 60), 8)
    _line(p, ink.key, 3.4)
    p.setBrush(ink.fill)
    p.drawEllipse(QPointF(68, 36), 18, 18)
    p.drawLine(QPointF(81, 49), QPointF(100, 68))


def text_size(p: QPainter, ink: Ink) -> None:
    from ui.typography import FONT_FAMILIES

    font = p.font()
    font.setFamilies(list(FONT_FAMILIES))
    font.setBold(True)
    for text, size, x, colour in (("A", 18, 20, ink.line), ("A", 34, 44, ink.line), ("A", 52, 74, ink.key)):
        font.setPixelSize(size)
        p.setFont(font)
        p.setPen(colour)
        p.drawText(QRectF(x, 8, 44, 66), int(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft), text)


def form_page(p: QPainter, ink: Ink) -> None:
    _line(p, ink.line, 2.4)
    p.drawRect(_rect(30, 4, 60, 72))
    _text_lines(p, ink.line, 38, 14, (30,))
    _line(p, ink.line, 2)
    for y in (22, 40):
        p.drawRect(_rect(38, y, 44, 10))
    _line(p, ink.key, 2.4)
    p.drawRoundedRect(_rect(56, 60, 26, 10), 2, 2)


def document_folder(p: QPainter, ink: Ink) -> None:
    _line(p, ink.line, 2.2)
    p.drawRect(_rect(46, 6, 36, 44))
    _text_lines(p, ink.line, 52, 16, (24, 20, 24, 16))
    _line(p, ink.key, 2.8)
    p.setBrush(ink.fill)
    folder = QPainterPath(QPointF(20, 30))
    folder.lineTo(44, 30)
    folder.lineTo(50, 36)
    folder.lineTo(100, 36)
    folder.lineTo(100, 74)
    folder.lineTo(20, 74)
    folder.closeSubpath()
    p.drawPath(folder)


def envelope(p: QPainter, ink: Ink) -> None:
    _line(p, ink.line, 2.6)
    p.drawRect(_rect(18, 14, 84, 52))
    p.drawPolyline(QPolygonF([QPointF(18, 14), QPointF(60, 44), QPointF(102, 14)]))
    _line(p, ink.key, 2.4)
    p.drawRect(_rect(84, 20, 12, 10))


def video_call(p: QPainter, ink: Ink) -> None:
    _screen(p, ink, _rect(10, 6, 100, 60))
    _line(p, ink.key, 2.4)
    p.drawEllipse(QPointF(60, 26), 9, 9)
    p.drawArc(_rect(42, 38, 36, 30), 0, 180 * 16)
    _line(p, ink.line, 2)
    p.drawRect(_rect(84, 46, 20, 15))
    p.drawLine(QPointF(50, 74), QPointF(70, 74))


def calendar(p: QPainter, ink: Ink) -> None:
    _line(p, ink.line, 2.4)
    p.drawRect(_rect(26, 12, 68, 62))
    p.drawLine(QPointF(26, 26), QPointF(94, 26))
    p.drawLine(QPointF(40, 6), QPointF(40, 16))
    p.drawLine(QPointF(80, 6), QPointF(80, 16))
    _line(p, ink.line, 2)
    for row in range(4):
        for col in range(5):
            p.drawPoint(QPointF(36 + col * 12, 36 + row * 10))
    _line(p, ink.key, 2.6)
    p.drawEllipse(QPointF(60, 46), 6, 6)


def id_card(p: QPainter, ink: Ink) -> None:
    _line(p, ink.line, 2.6)
    p.drawRoundedRect(_rect(14, 14, 92, 54), 5, 5)
    _line(p, ink.key, 2.4)
    p.drawRect(_rect(22, 24, 26, 32))
    p.drawEllipse(QPointF(35, 35), 5, 5)
    p.drawArc(_rect(26, 42, 18, 16), 0, 180 * 16)
    _text_lines(p, ink.line, 56, 28, (40, 32, 40, 24), 8)


def help_desk(p: QPainter, ink: Ink) -> None:
    _line(p, ink.key, 2.6)
    p.drawEllipse(QPointF(60, 18), 8, 8)
    p.drawArc(_rect(44, 28, 32, 28), 0, 180 * 16)
    _line(p, ink.line, 2.6)
    p.drawRect(_rect(16, 44, 88, 10))
    p.drawLine(QPointF(24, 54), QPointF(24, 76))
    p.drawLine(QPointF(96, 54), QPointF(96, 76))
    p.drawEllipse(QPointF(96, 20), 9, 9)
    p.drawText(_rect(87, 11, 18, 18), int(Qt.AlignmentFlag.AlignCenter), "?")


def checklist(p: QPainter, ink: Ink) -> None:
    _line(p, ink.line, 2.4)
    p.drawRect(_rect(30, 4, 60, 72))
    for n in range(3):
        y = 16 + n * 20
        _line(p, ink.line, 2)
        p.drawRect(_rect(38, y, 10, 10))
        p.drawLine(QPointF(54, y + 5), QPointF(80, y + 5))
        _line(p, ink.key, 2.8)
        p.drawPolyline(QPolygonF([QPointF(39, y + 5), QPointF(43, y + 9), QPointF(50, y - 1)]))


def well_done(p: QPainter, ink: Ink) -> None:
    _line(p, ink.key, 3.2)
    p.drawEllipse(QPointF(60, 40), 30, 30)
    p.drawPolyline(QPolygonF([QPointF(45, 41), QPointF(56, 52), QPointF(76, 30)]))
    _line(p, ink.line, 2.4)
    for angle in range(0, 360, 45):
        p.save()
        p.translate(60, 40)
        p.rotate(angle)
        p.drawLine(QPointF(36, 0), QPointF(42, 0))
        p.restore()


Draw = Callable[[QPainter, Ink], None]
PICTURES: dict[str, Draw] = {
    "touch-screen": touch_screen,
    "finger-tap": finger_tap,
    "finger-scroll": finger_scroll,
    "keyboard": keyboard,
    "phone-with-code": phone_with_code,
    "phone-message": phone_message,
    "scam-warning": scam_warning,
    "padlock": padlock,
    "magnifier": magnifier,
    "text-size": text_size,
    "form-page": form_page,
    "document-folder": document_folder,
    "envelope": envelope,
    "video-call": video_call,
    "calendar": calendar,
    "id-card": id_card,
    "help-desk": help_desk,
    "checklist": checklist,
    "well-done": well_done,
}
# Drawings with a direction: the hand, the scroll arrow's side, a message bubble's tail, a warning beside a phone.
MIRRORED = frozenset({"finger-tap", "finger-scroll", "phone-message", "scam-warning", "magnifier", "help-desk"})


def pixmap(picture_id: str, width_px: int, theme: Theme, *, rtl: bool = False, ratio: float = 1.0) -> QPixmap:
    """The picture `width_px` wide (3:2); an unknown id draws nothing but keeps the size (a broken file never breaks a
    screen: the loader rejects unknown ids anyway)."""
    height_px = round(width_px * GRID_H / GRID_W)
    image = QPixmap(round(width_px * ratio), round(height_px * ratio))
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    draw = PICTURES.get(picture_id)
    if draw is not None:
        p = QPainter(image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if rtl and picture_id in MIRRORED:
            p.translate(width_px, 0)
            p.scale(-1, 1)
        p.scale(width_px / GRID_W, height_px / GRID_H)
        draw(p, Ink(theme))
        p.end()
    return image


def description(context: ScreenContext, picture_id: str) -> str:
    key = f"tutorial.picture.{picture_id}"
    text = context.t(key)
    return text if text != key else ""


def picture_label(context: ScreenContext, picture_id: str, *, width_mm: float = 60) -> QLabel:
    """A label showing the picture `width_mm` wide on the reference panel (at most the column's width), named by its
    description."""
    label = QLabel()
    label.setProperty("role", "picture")
    label.setProperty("picture", picture_id)
    panel = context.panel
    width = min(panel.px(width_mm), context.px() * 20)
    label.setPixmap(pixmap(picture_id, width, context.theme, rtl=context.rtl, ratio=label.devicePixelRatioF()))
    label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    text = description(context, picture_id)
    label.setAccessibleName(text)
    label.setToolTip("")
    return label
