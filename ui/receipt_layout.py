"""How a receipt is laid out and painted: its rows (lines of text, rules, the QR code) and the page breaks between them.

One painting routine (`paint_receipt`) serves the printer, the PDF spool and the previews (`ui.receipt`), so what tests
decode is what gets printed. Sizes are physical (points and millimetres, from the paint device's resolution), not
screen pixels. Text is laid out as plain text only (never rich text: a service's text must not be able to change the
layout or pull in resources), with the bundled fonts so Arabic and Cyrillic always print.

Separate from `ui.receipt`, which puts this painting on a device (image, PDF, printer) and keeps the spool: this module
knows nothing of paper sizes, printers or files, only of the area it is given and how to start a new page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import segno
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPaintDevice,
    QPainter,
    QTextLayout,
    QTextLine,
    QTextOption,
)

from kiosk.receipts import Receipt, label_separator
from ui.typography import ui_font

TITLE_PT = 16.0
HEADING_PT = 12.0
BODY_PT = 11.0
SMALL_PT = 9.0
REFERENCE_PT = (20.0, 14.0)  # the largest size that fits the width, down to the smallest
QR_QUIET_MODULES = 4  # the quiet zone ISO/IEC 18004 asks for
QR_SYMBOL_MM = 30.0  # the symbol without its quiet zone: big enough for any phone at arm's length

INK = QColor("#000000")
PAPER = QColor("#ffffff")
_LINE_GAP_MM = 0.8  # between the parts of one group
_GROUP_GAP_MM = 3.0  # between groups
_RULE_MM = 0.3
# Noto Sans Arabic declares 2.1 em of line height, far more than its ink needs (measured: at most 0.95 em above the
# baseline and 0.45 em below, vowel marks included), so Arabic lines get 1.5 em: no glyphs touch and an Arabic receipt
# stays about as long as a Latin one. Latin lines keep their natural 1.36 em.
_MAX_LINE_EM = 1.5


class _Row(NamedTuple):
    """The unit of pagination: one line of text, a rule or the QR code."""

    height: float
    paint: Callable[[QPainter, float], None]  # paints with its top at the given y
    space_before: float = 0.0  # dropped at the top of a page
    keep_with_next: bool = False  # a heading stays with its text, a group with itself


class _Layout:
    """Builds the receipt's rows for one paint device: fonts resolve against its resolution (points stay points)."""

    def __init__(self, device: QPaintDevice, area: QRectF, rtl: bool) -> None:
        self.device = device
        self.area = area
        self.rtl = rtl
        self.per_mm = device.logicalDpiX() / 25.4
        self.rows: list[_Row] = []
        self._space = 0.0

    def mm(self, value: float) -> float:
        return value * self.per_mm

    def font(self, points: float, *, bold: bool = False) -> QFont:
        font = ui_font(12)  # the bundled families in fallback order; the size is set in points just below
        font.setPointSizeF(points)
        font.setBold(bold)
        return font

    def gap(self, millimetres: float) -> None:
        self._space = max(self._space, self.mm(millimetres))

    def add(self, rows: list[_Row], *, keep: bool = False) -> None:
        """Append `rows` after the pending gap; `keep` holds them together and with whatever comes next."""
        for index, row in enumerate(rows):
            space = self._space if index == 0 else row.space_before
            self.rows.append(row._replace(space_before=space, keep_with_next=keep or row.keep_with_next))
        self._space = self.mm(_LINE_GAP_MM)

    def end_keep(self) -> None:
        """Let the page break after the last row added."""
        if self.rows:
            self.rows[-1] = self.rows[-1]._replace(keep_with_next=False)

    def text(
        self, text: str, font: QFont, *, direction: Qt.LayoutDirection = Qt.LayoutDirection.LayoutDirectionAuto
    ) -> list[_Row]:
        """Wrapped plain text aligned to the reading side; each paragraph's direction comes from its own text."""
        layout = QTextLayout(text, font, self.device)
        side = Qt.AlignmentFlag.AlignRight if self.rtl else Qt.AlignmentFlag.AlignLeft
        option = QTextOption(side | Qt.AlignmentFlag.AlignAbsolute)
        # Words first; a web address longer than the line breaks anywhere rather than running off the paper.
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        option.setTextDirection(direction)
        layout.setTextOption(option)
        most = _MAX_LINE_EM * font.pointSizeF() * self.device.logicalDpiY() / 72
        left = self.area.left()
        rows: list[_Row] = []
        layout.beginLayout()
        while (line := layout.createLine()).isValid():
            line.setLineWidth(self.area.width())
            height = min(line.height(), most)
            # Take the extra leading off above and below in the font's own proportion, so the baseline stays put.
            line.setPosition(QPointF(0, -(line.height() - height) * line.ascent() / line.height()))

            # `owner`: a QTextLine is only valid while its layout lives.
            def paint(painter: QPainter, top: float, line: QTextLine = line, owner: QTextLayout = layout) -> None:
                painter.setPen(INK)
                line.draw(painter, QPointF(left, top))

            rows.append(_Row(height, paint))
        layout.endLayout()
        return rows

    def reference(self, reference: str) -> list[_Row]:
        """The reference, bold, as large as fits on one line, always left to right (it is a code, not a word)."""
        largest, smallest = REFERENCE_PT
        points = largest
        while points > smallest:
            width = QFontMetricsF(self.font(points, bold=True), self.device).horizontalAdvance(reference)
            if width <= self.area.width():
                break
            points -= 0.5
        return self.text(reference, self.font(points, bold=True), direction=Qt.LayoutDirection.LeftToRight)

    def rule(self) -> list[_Row]:
        thickness = max(1.0, self.mm(_RULE_MM))
        area = self.area

        def paint(painter: QPainter, top: float) -> None:
            painter.fillRect(QRectF(area.left(), top, area.width(), thickness), INK)

        return [_Row(thickness, paint)]

    def qr(self, reference: str) -> list[_Row]:
        """The reference as a QR code (never Micro QR, which many phones cannot read), centred, in whole pixels."""
        matrix = segno.make(reference, error="m", micro=False).matrix
        # Whole device pixels per module (rounded up, so the symbol is never under QR_SYMBOL_MM): no seams or blurred
        # module edges at any resolution.
        module = math.ceil(self.mm(QR_SYMBOL_MM) / len(matrix))
        side = module * (len(matrix) + 2 * QR_QUIET_MODULES)
        left = round(self.area.left() + (self.area.width() - side) / 2)

        def paint(painter: QPainter, top: float) -> None:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            y0 = round(top)
            painter.fillRect(QRectF(left, y0, side, side), PAPER)  # the quiet zone is white even on tinted paper
            for row, cells in enumerate(matrix):
                y = y0 + (row + QR_QUIET_MODULES) * module
                for start, length in _dark_runs(cells):
                    x = left + (start + QR_QUIET_MODULES) * module
                    painter.fillRect(QRectF(x, y, length * module, module), INK)
            painter.restore()

        return [_Row(float(side), paint)]


def _dark_runs(cells: Sequence[int]) -> list[tuple[int, int]]:
    """(start, length) of each horizontal run of dark modules: one rectangle per run keeps the PDF small."""
    runs: list[tuple[int, int]] = []
    start = -1
    for index, cell in enumerate([*cells, 0]):
        if cell and start < 0:
            start = index
        elif not cell and start >= 0:
            runs.append((start, index - start))
            start = -1
    return runs


def _lay_out(layout: _Layout, receipt: Receipt) -> list[_Row]:
    """The receipt's rows in print order, grouped as on the confirmation screen."""
    body = layout.font(BODY_PT)
    heading = layout.font(HEADING_PT, bold=True)
    sent = receipt.sent_at_label + label_separator(receipt.lang) + receipt.sent_at_text
    layout.add(layout.text(receipt.title, layout.font(TITLE_PT, bold=True)), keep=True)
    layout.add(layout.text(receipt.service_title, heading), keep=True)
    layout.end_keep()
    layout.gap(_GROUP_GAP_MM)
    layout.add(layout.rule(), keep=True)
    layout.gap(_GROUP_GAP_MM)
    layout.add(layout.text(receipt.reference_label, body), keep=True)
    layout.add(layout.reference(receipt.reference), keep=True)
    layout.add(layout.text(sent, body), keep=True)
    layout.add(layout.qr(receipt.reference))  # its quiet zone is the gap around it
    layout.add(layout.rule(), keep=True)
    layout.gap(_GROUP_GAP_MM)
    layout.add(layout.text(receipt.next_steps_heading, heading), keep=True)
    layout.add(layout.text(receipt.next_steps, body))
    layout.gap(_GROUP_GAP_MM)
    layout.add(layout.text(receipt.contact_heading, heading), keep=True)
    for line in receipt.contact_lines:
        layout.add(layout.text(line, body))
    layout.gap(_GROUP_GAP_MM)
    layout.add(layout.rule(), keep=True)
    layout.gap(_GROUP_GAP_MM)
    layout.add(layout.text(receipt.keep_note, layout.font(BODY_PT, bold=True)), keep=True)
    layout.add(layout.text(receipt.site_line, layout.font(SMALL_PT)))
    return layout.rows


def paint_receipt(
    painter: QPainter, page_rect: QRectF, receipt: Receipt, *, new_page: Callable[[], bool] | None = None
) -> None:
    """Paint `receipt` inside `page_rect` (device pixels of the painter's device, margins already taken off).

    Sizes follow the device's resolution. When the next line (with what must stay with it) does not fit, `new_page()`
    (e.g. `QPdfWriter.newPage`) starts another page; without it the rest is painted past the bottom and clipped.
    """
    rows = _lay_out(_Layout(painter.device(), page_rect, receipt.rtl), receipt)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    top = page_rect.top()
    at_page_top = True
    for index, row in enumerate(rows):
        needed = row.height + (0.0 if at_page_top else row.space_before)
        if index == 0 or not rows[index - 1].keep_with_next:
            # A heading or a group moves to the next page with what must stay with it.
            last = index
            while rows[last].keep_with_next and last + 1 < len(rows):
                last += 1
                needed += rows[last].space_before + rows[last].height
        if not at_page_top and top + needed > page_rect.bottom() and new_page is not None and new_page():
            top, at_page_top = page_rect.top(), True
        if not at_page_top:
            top += row.space_before
        row.paint(painter, top)
        top += row.height
        at_page_top = False
    painter.restore()
