"""Where a receipt goes: its PDF into the session's spool folder, then the printer; and the spool's wipe.

The spool (`<data dir>/spool`) keeps this session's receipts (`ui.receipt.ReceiptSpool`, 0600 files); the shell
empties it whenever a session ends, so no reference outlives the citizen who asked for it. Printing never shows a
dialog. Loaded on first use: the receipt module brings segno and Qt's print support.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from kiosk.logs import safe_exception_summary
from kiosk.receipts import Receipt
from ui.receipt import ReceiptSpool, print_receipt

log = logging.getLogger(__name__)


def spool_and_print(receipt: Receipt, spool_dir: Path | None, printer: Callable[[Receipt], bool] | None) -> bool:
    """Keep the receipt's PDF in the spool, then print it (default: the default printer); False when not printed."""
    if spool_dir is not None:
        try:
            ReceiptSpool(spool_dir).write(receipt)
        except OSError as exc:  # a full disk must not stop the printout
            log.warning("receipt not spooled: %s", safe_exception_summary(exc))
    return (printer or print_receipt)(receipt)


def wipe_spool(spool_dir: Path) -> int:
    """Delete every receipt in the spool; the number deleted (0 when it could not be wiped, which is logged)."""
    try:
        wiped = ReceiptSpool(spool_dir).wipe()
    except OSError as exc:
        log.error("receipt spool not wiped: %s", safe_exception_summary(exc))
        return 0
    if wiped:
        log.info("receipt spool wiped (%d files)", wiped)
    return wiped
