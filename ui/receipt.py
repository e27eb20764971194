"""The printed receipt: a `kiosk.receipts.Receipt` painted on paper, in a PDF or on an image, with a QR code.

One painting routine serves the printer, the PDF spool and the previews, so what tests decode is what gets printed.
Sizes are physical (points and millimetres, from the paint device's resolution), not screen pixels: the default page
is an 80 mm receipt roll; A4 works too. Text is laid out as plain text only (never rich text: a service's text must
not be able to change the layout or pull in resources), with the bundled fonts so Arabic and Cyrillic always print.

Printing never shows a dialog (a print dialog is a way out of a kiosk): `print_receipt` prints to the named or default
printer, or returns False. Receipt PDFs live in a `ReceiptSpool` that the session wipe empties.
"""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import segno
from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QTextLayout,
    QTextLine,
    QTextOption,
)
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk.receipts import Receipt, label_separator
from ui.typography import ui_font

log = logging.getLogger(__name__)

ROLL_WIDTH_MM = 80.0
ROLL_80MM = QPageSize(QSizeF(ROLL_WIDTH_MM, 200.0), QPageSize.Unit.Millimeter, "Receipt roll 80 mm")
A4 = QPageSize(QPageSize.PageSizeId.A4)
PDF_DPI = 300
DOCUMENT_NAME = "Citizen Kiosk receipt"  # print queues show it to staff: never the reference

TITLE_PT = 16.0
HEADING_PT = 12.0
BODY_PT = 11.0
SMALL_PT = 9.0
REFERENCE_PT = (20.0, 14.0)  # the largest size that fits the width, down to the smallest
QR_QUIET_MODULES = 4  # the quiet zone ISO/IEC 18004 asks for
QR_SYMBOL_MM = 30.0  # the symbol without its quiet zone: big enough for any phone at arm's length

_INK = QColor("#000000")
_PAPER = QColor("#ffffff")
_LINE_GAP_MM = 0.8  # between the parts of one group
_GROUP_GAP_MM = 3.0  # between groups
_RULE_MM = 0.3
# Noto Sans Arabic declares 2.1 em of line height, far more than its ink needs (measured: at most 0.95 em above the
# baseline and 0.45 em below, vowel marks included), so Arabic lines get 1.5 em: no glyphs touch and an Arabic receipt
# stays about as long as a Latin one. Latin lines keep their natural 1.36 em.
_MAX_LINE_EM = 1.5


def margin_mm(page_width_mm: float) -> float:
    """Page margins: a roll printer prints almost edge to edge (72 of 80 mm); sheets get office margins."""
    return 4.0 if page_width_mm <= 110 else 15.0


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
                painter.setPen(_INK)
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
            painter.fillRect(QRectF(area.left(), top, area.width(), thickness), _INK)

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
            painter.fillRect(QRectF(left, y0, side, side), _PAPER)  # the quiet zone is white even on tinted paper
            for row, cells in enumerate(matrix):
                y = y0 + (row + QR_QUIET_MODULES) * module
                for start, length in _dark_runs(cells):
                    x = left + (start + QR_QUIET_MODULES) * module
                    painter.fillRect(QRectF(x, y, length * module, module), _INK)
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


def render_receipt_image(
    receipt: Receipt, width_px: int, height_px: int, *, page_width_mm: float = ROLL_WIDTH_MM
) -> QImage:
    """The receipt on a white image that stands for a page `page_width_mm` wide (previews and tests)."""
    image = QImage(width_px, height_px, QImage.Format.Format_RGB32)
    image.fill(_PAPER)
    # The image's resolution makes points and millimetres come out at the same place on the page as on paper.
    dots_per_metre = round(width_px / page_width_mm * 1000)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    margin = margin_mm(page_width_mm) * width_px / page_width_mm
    painter = QPainter(image)
    try:
        paint_receipt(painter, QRectF(margin, margin, width_px - 2 * margin, height_px - 2 * margin), receipt)
    finally:
        painter.end()
    return image


def receipt_pdf(receipt: Receipt, page_size: QPageSize = ROLL_80MM) -> bytes:
    """The receipt as a PDF document at 300 dpi; its title is the reference."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setTitle(receipt.reference)
    writer.setCreator("Citizen Kiosk")
    _set_page(writer, page_size)
    painter = QPainter(writer)
    try:
        paint_receipt(painter, _paint_rect(writer.pageLayout(), PDF_DPI), receipt, new_page=writer.newPage)
    finally:
        painter.end()
    data = bytes(buffer.data().data())
    buffer.close()
    return data


def write_receipt_pdf(path: Path, receipt: Receipt, page_size: QPageSize = ROLL_80MM) -> Path:
    """Write the receipt's PDF to `path`, readable by the kiosk's user only (0600 from the moment it exists)."""
    data = receipt_pdf(receipt, page_size)
    # O_NOFOLLOW: a link planted in the spool must not redirect the write.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # the file may have existed with other permissions
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
    return path


def print_receipt(receipt: Receipt, printer_name: str | None = None, *, page_size: QPageSize = ROLL_80MM) -> bool:
    """Print on `printer_name` (None: the default printer) without any dialog; False when it cannot."""
    printers = QPrinterInfo.availablePrinters()
    if not printers:
        return False  # no printer at all (CI, or a kiosk without one): the screen and speech still give the reference
    if printer_name is None:
        info = QPrinterInfo.defaultPrinter()
        if info.isNull():
            log.warning("receipt not printed: printers exist but none is the default")
            return False
        printer_name = info.printerName()
    elif printer_name not in {info.printerName() for info in printers}:
        log.warning("receipt not printed: no printer named %r", printer_name)
        return False
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(printer_name)
    return print_receipt_on(printer, receipt, page_size)


def print_receipt_on(printer: QPrinter, receipt: Receipt, page_size: QPageSize = ROLL_80MM) -> bool:
    """Paint the receipt on an already chosen `printer`; False if the printer cannot start or finish the job."""
    if not printer.isValid():
        return False
    printer.setDocName(DOCUMENT_NAME)
    _set_page(printer, page_size)
    painter = QPainter()
    if not painter.begin(printer):
        log.warning("receipt not printed: printer %r would not start", printer.printerName())
        return False
    try:
        paint_receipt(
            painter, _paint_rect(printer.pageLayout(), printer.resolution()), receipt, new_page=printer.newPage
        )
    finally:
        finished = painter.end()
    if not finished:
        log.warning("receipt not printed: printer %r failed", printer.printerName())
    return finished


class ReceiptSpool:
    """The folder of receipt PDFs: one file per reference, 0600, all deleted at the end of each session."""

    def __init__(self, directory: Path, page_size: QPageSize = ROLL_80MM) -> None:
        self.directory = directory
        self.page_size = page_size

    def write(self, receipt: Receipt) -> Path:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        # References use [0-9A-Z-] only; anything else is replaced so a name can never leave the folder.
        stem = re.sub(r"[^0-9A-Za-z-]", "_", receipt.reference)
        return write_receipt_pdf(self.directory / f"receipt-{stem}.pdf", receipt, self.page_size)

    def wipe(self) -> int:
        """Delete every file in the spool (sub-folders included) and return how many; the folder itself stays."""
        if not self.directory.is_dir():
            return 0
        deleted = 0
        for root, folders, files in os.walk(self.directory, topdown=False):
            for name in files:
                try:
                    os.unlink(os.path.join(root, name))
                except FileNotFoundError:
                    continue
                deleted += 1
            for name in folders:
                path = os.path.join(root, name)
                if os.path.islink(path):  # os.walk lists links to folders as folders: remove the link only
                    os.unlink(path)
                    deleted += 1
                else:
                    os.rmdir(path)
        return deleted


def _set_page(device: QPdfWriter | QPrinter, page_size: QPageSize) -> None:
    # A roll printer's driver may refuse a custom size: then its own paper is used and the layout follows it.
    device.setPageSize(page_size)
    margin = margin_mm(page_size.size(QPageSize.Unit.Millimeter).width())
    device.setPageMargins(QMarginsF(margin, margin, margin, margin), QPageLayout.Unit.Millimeter)


def _paint_rect(page_layout: QPageLayout, dpi: int) -> QRectF:
    """The printable area in device pixels, from the painter's origin (which Qt puts at the margins' corner)."""
    size = page_layout.paintRectPixels(dpi).size()
    return QRectF(0, 0, size.width(), size.height())
