"""The bundled fonts cover every character of every shipped string (a missing glyph renders as an invisible box),
and Arabic is shaped (letters join) with the bundled Arabic font."""

from __future__ import annotations

import unicodedata

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetrics, QRawFont, QTextLayout

from kiosk.i18n import ENDONYMS
from ui.typography import FONT_FAMILIES, FONTS_DIR


def strict_metrics(family: str) -> QFontMetrics:
    font = QFont(family)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)  # no silent fallback to system fonts
    assert QFontInfo(font).family() == family, f"bundled family {family} is not loaded"
    return QFontMetrics(font)


def test_bundled_fonts_are_loaded_with_their_licence(qapp) -> None:
    families = QFontDatabase.families()
    for family in FONT_FAMILIES:
        assert family in families
    assert (FONTS_DIR / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") == 1
    assert qapp.font().families()[: len(FONT_FAMILIES)] == list(FONT_FAMILIES)


def test_every_character_of_every_string_is_covered(qapp, catalog) -> None:
    # PySide6's QFontMetrics.inFont(str) wrongly reports False for every non-ASCII character; inFontUcs4 is reliable.
    metrics = [strict_metrics(family) for family in FONT_FAMILIES]
    missing: dict[str, set[str]] = {}
    texts = [(lang, text) for lang, messages in catalog.all_texts().items() for text in messages.values()]
    texts += [("endonyms", name) for name in ENDONYMS.values()]
    for lang, text in texts:
        for ch in text:
            if unicodedata.category(ch) in ("Cc", "Cf"):  # controls and invisible format characters are not drawn
                continue
            if not any(m.inFontUcs4(ord(ch)) for m in metrics):
                missing.setdefault(lang, set()).add(f"U+{ord(ch):04X} {ch}")
    assert not missing, missing


def test_the_check_is_able_to_fail(qapp) -> None:
    metrics = [strict_metrics(family) for family in FONT_FAMILIES]
    for ch in ("中", "\U0001f600"):  # CJK and emoji: not in the bundled fonts
        assert not any(m.inFontUcs4(ord(ch)) for m in metrics)


def test_arabic_is_shaped_with_the_bundled_font(qapp) -> None:
    word = "سلام"  # every letter here has different isolated and joined forms
    raw = QRawFont(str(FONTS_DIR / "NotoSansArabic-Regular.ttf"), 48)
    assert raw.isValid()
    isolated = list(raw.glyphIndexesForString(word))
    font = QFont("Noto Sans Arabic")
    font.setPixelSize(48)
    layout = QTextLayout(word, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    assert [run.rawFont().familyName() for run in runs] == ["Noto Sans Arabic"]
    shaped = [index for run in runs for index in run.glyphIndexes()]
    assert 0 not in shaped  # no .notdef boxes
    assert sorted(shaped) != sorted(isolated)  # contextual (joined) forms were chosen
