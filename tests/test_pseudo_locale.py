"""The pseudo-locale (kiosk/pseudo_locale.py): English ~40 % longer, accented and bracketed, placeholders kept, drawn
by the bundled fonts, and offered to no citizen."""

from __future__ import annotations

import string
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QFont, QFontMetrics

from kiosk.i18n import SHIPPED_LANGUAGES, Catalog
from kiosk.pseudo_locale import EXPANSION, PSEUDO_LANGUAGE, pseudo_core, pseudo_text, with_pseudo_locale
from kiosk.settings.loader import load_config
from kiosk.settings.model import ConfigError
from ui.typography import FONT_FAMILIES

plain_text = st.text(alphabet=st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)), max_size=80)


def test_a_string_gets_longer_accented_and_bracketed() -> None:
    assert pseudo_text("Continue") == "[Çöñţîñûé one]"
    assert pseudo_text("") == ""
    assert pseudo_core(pseudo_text("Back")) == "Ɓåçķ"


@given(plain_text)
@settings(max_examples=300, deadline=None)
def test_always_at_least_40_percent_longer_and_the_same_words(text: str) -> None:
    pseudo = pseudo_text(text)
    if not text:
        return
    assert len(pseudo) >= len(text) * (1 + EXPANSION)
    assert pseudo.startswith("[") and pseudo.endswith("]")
    body = pseudo[1 : 1 + len(text)]  # the text itself, letter for letter, then the padding words
    for original, shown in zip(text, body, strict=True):
        assert shown == original if not (original.isascii() and original.isalpha()) else not shown.isascii()


@given(plain_text, st.sampled_from(["n", "name", "count"]), plain_text)
@settings(max_examples=300, deadline=None)
def test_placeholders_survive_and_still_format(before: str, field: str, after: str) -> None:
    text = f"{before}{{{field}}}{after}"
    pseudo = pseudo_text(text)
    assert {name for _, name, _, _ in string.Formatter().parse(pseudo) if name} == {field}
    assert "42" in pseudo.format(**{field: "42"})


def test_every_catalog_string_formats_in_the_pseudo_locale(catalog: Catalog) -> None:
    pseudo = with_pseudo_locale(catalog)
    english = catalog.all_texts()["en"]
    for key in english:
        names = catalog.placeholders(key, "en")
        assert pseudo.placeholders(key, PSEUDO_LANGUAGE) == names, key
        params = dict.fromkeys(names, "7")
        text = pseudo.t(key, PSEUDO_LANGUAGE, **params)
        assert len(text) >= len(catalog.t(key, "en", **params)) and text.startswith("["), key
        assert pseudo.get(key, PSEUDO_LANGUAGE).lang == PSEUDO_LANGUAGE
    for lang in SHIPPED_LANGUAGES:  # the real languages are untouched
        assert pseudo.all_texts()[lang] == catalog.all_texts()[lang]


def test_the_bundled_fonts_draw_every_pseudo_letter(qapp, catalog: Catalog) -> None:
    metrics = []
    for family in FONT_FAMILIES:
        font = QFont(family)
        font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
        metrics.append(QFontMetrics(font))
    texts = with_pseudo_locale(catalog).all_texts()[PSEUDO_LANGUAGE].values()
    missing = {
        ch
        for text in texts
        for ch in text
        if unicodedata.category(ch) not in ("Cc", "Cf") and not any(m.inFontUcs4(ord(ch)) for m in metrics)
    }
    assert not missing


def test_no_citizen_is_offered_the_pseudo_locale(catalog: Catalog, tmp_path: Path) -> None:
    assert PSEUDO_LANGUAGE not in SHIPPED_LANGUAGES
    assert PSEUDO_LANGUAGE not in catalog.languages  # the kiosk's own catalog never has it
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[languages]\navailable = ["en", "{PSEUDO_LANGUAGE}"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"languages\.available"):
        load_config(config)
