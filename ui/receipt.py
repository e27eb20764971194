"""The printed receipt: a `kiosk.receipts.Receipt` painted on paper, in a PDF or on an image, with a QR code.

The painting itself (rows, fonts, the QR code, page breaks) is `ui.receipt_layout.paint_receipt`; this module puts it
on a device: an image for previews, a PDF, a printer. Sizes are physical: the default page is an 80 mm receipt roll;
A4 works too.

Printing never shows a dialog (a print dialog is a way out of a kiosk): `print_receipt` prints to the named or default
printer, or returns False. Receipt PDFs live in a `ReceiptSpool` that the session wipe empties.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk.receipts import Receipt
from ui.receipt_layout import PAPER, paint_receipt

log = logging.getLogger(__name__)

ROLL_WIDTH_MM = 80.0
ROLL_80MM = QPageSize(QSizeF(ROLL_WIDTH_MM, 200.0), QPageSize.Unit.Millimeter, "Receipt roll 80 mm")
A4 = QPageSize(QPageSize.PageSizeId.A4)
PDF_DPI = 300
DOCUMENT_NAME = "Citizen Kiosk receipt"  # print queues show it to staff: never the reference


def margin_mm(page_width_mm: float) -> float:
    """Page margins: a roll printer prints almost edge to edge (72 of 80 mm); sheets get office margins."""
    return 4.0 if page_width_mm <= 110 else 15.0


def render_receipt_image(
    receipt: Receipt, width_px: int, height_px: int, *, page_width_mm: float = ROLL_WIDTH_MM
) -> QImage:
    """The receipt on a white image that stands for a page `page_width_mm` wide (previews and tests)."""
    image = QImage(width_px, height_px, QImage.Format.Format_RGB32)
    image.fill(PAPER)
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
