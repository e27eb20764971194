"""The bundled fonts: loaded once per process so every kiosk renders identical glyphs, whatever the system has."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

log = logging.getLogger(__name__)

FONTS_DIR = Path(__file__).with_name("fonts")
FONT_FILES = (
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
)
# In fallback order: Latin and Cyrillic first, then Arabic for the characters the first family lacks.
FONT_FAMILIES = ("Noto Sans", "Noto Sans Arabic")


def load_bundled_fonts(directory: Path = FONTS_DIR) -> list[str]:
    """Register the bundled TTFs with Qt (needs a QGuiApplication); returns the families that loaded."""
    families: list[str] = []
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(directory / name))
        if font_id < 0:
            # The kiosk still runs on system fonts; `doctor` reports the missing file.
            log.error("bundled font %s could not be loaded from %s", name, directory)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    return families


def ui_font(pixel_size: int) -> QFont:
    """The application font: the bundled families in fallback order, at a pixel (not point) size."""
    font = QFont()
    font.setFamilies(list(FONT_FAMILIES))
    font.setPixelSize(pixel_size)
    return font
