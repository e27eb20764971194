"""A virtual screen for Qt's offscreen platform, matching a panel (tests, screenshots). Qt-free on purpose: it must
run before anything creates a QGuiApplication, which reads QT_QPA_PLATFORM once.

Qt's offscreen `configfile` (qoffscreenintegration.cpp) sets each screen's name, x, y, width, height, logicalDpi,
logicalBaseDpi and dpr. It has no physical size (Qt derives one at 100 dpi), which is one more reason millimetre rules
go through `accessibility.sizing.ReferencePanel` and not through the screen's reported DPI.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path


def offscreen_platform(width: int, height: int, diagonal_inches: float = 21.5, directory: Path | None = None) -> str:
    """Write a one-screen configfile and return the QT_QPA_PLATFORM value that uses it."""
    config = {
        "synchronousWindowSystemEvents": False,
        "windowFrameMargins": False,
        "screens": [
            {
                # The name records the panel it stands for; logical DPI 96 keeps one Qt pixel = one panel pixel.
                "name": f"panel-{diagonal_inches:g}in-{width}x{height}",
                "x": 0,
                "y": 0,
                "width": width,
                "height": height,
                "logicalDpi": 96,
                "logicalBaseDpi": 96,
                "dpr": 1.0,
            }
        ],
    }
    folder = directory or Path(tempfile.mkdtemp(prefix="kiosk-qpa-"))
    path = folder / "screen.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    return f"offscreen:configfile={path}"
