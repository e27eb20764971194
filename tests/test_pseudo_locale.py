"""The pseudo-locale (kiosk/pseudo_locale.py): English ~40 % longer, accented and bracketed, placeholders kept, drawn
by the bundled fonts, and offered to no citizen; catalog and tutorial content in it is the English lengthened too."""

from __future__ import annotations

import string
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QFont, QFontMetrics

from kiosk.i18n import SHIPPED_LANGUAGES, Catalog
from kiosk.pseudo_locale import (
    EXPANSION,
    PSEUDO_LANGUAGE,
    pseudo_content,
    pseudo_core,
    pseudo_text,
    with_pseudo_locale,
)
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


# Content (services, life events, tutorials): the English, lengthened, so long content is tested for truncation too ---
def test_content_placeholders_stay_single_and_braces_are_letters() -> None:
    assert pseudo_content("Child {n}") == "[Çĥîļđ {n} one]"
    assert pseudo_content("Child {n} of 3").replace("{n}", "2").startswith("[Çĥîļđ 2 öƒ 3")  # as kiosk.forms.flow
    assert pseudo_content("a } b {") == "[å } ƀ { one]"  # content is never formatted: no doubling, no error


def test_every_content_text_in_the_pseudo_locale_is_the_english_lengthened() -> None:
    from kiosk.catalog import load_catalog
    from kiosk.catalog.plain_language import life_event_texts, service_texts
    from tutorials.loader import load_tutorials, tutorial_texts

    catalog = load_catalog().catalog
    texts = [text for service in catalog.services.values() for _, text in service_texts(service)]
    texts += [text for event in catalog.life_events for _, text in life_event_texts(event)]
    texts += [text for tutorial in load_tutorials().tutorials.values() for _, text in tutorial_texts(tutorial)]
    assert len(texts) > 500
    for text in texts:
        english = text.get("en").text
        found = text.get(PSEUDO_LANGUAGE)
        assert found == (pseudo_content(english), PSEUDO_LANGUAGE), english
        assert len(found.text) >= len(english) * (1 + EXPANSION)
        for lang in SHIPPED_LANGUAGES:  # the real languages are untouched: their own text, or the same fallback
            shown = text.get(lang)
            assert shown.text == text.values[shown.lang] and not shown.text.startswith("[")


def test_a_screen_in_the_pseudo_locale_shows_lengthened_content(qapp, qtbot, catalog: Catalog, demo_services) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

    from kiosk.journey import Journey
    from kiosk.notices import NoticeBoard
    from kiosk.session import CitizenSession, Presentation
    from tests.conftest import REFERENCE_PANEL
    from tests.test_accessibility_screens import painted_texts
    from ui.shell import MainWindow, ShellDeps

    session = CitizenSession(Presentation(language="en"), text_steps=5)
    deps = ShellDeps(
        catalog=with_pseudo_locale(catalog),
        session=session,
        notices=NoticeBoard(),
        panel=REFERENCE_PANEL,
        languages=SHIPPED_LANGUAGES,
        services=demo_services,
        journey=Journey(session),
    )
    window = MainWindow(deps)
    qtbot.addWidget(window)
    window.resize(REFERENCE_PANEL.width_px, REFERENCE_PANEL.height_px)
    window.show()
    qtbot.waitExposed(window)
    session.set_language(PSEUDO_LANGUAGE)
    window.show_screen("services")
    qtbot.waitUntil(lambda: window.current_screen_name() == "services")

    def shown() -> set[str]:
        texts = set()
        for widget in window.stack.currentWidget().findChildren(QWidget):
            if isinstance(widget, QLabel | QAbstractButton):
                texts.add(widget.text())
            texts.update(text for text, _ in painted_texts(widget))
        return texts

    titles = [event.title.get("en").text for event in demo_services.life_events()]  # the screen's tiles
    assert titles
    on_screen = shown()
    for title in titles:
        assert pseudo_content(title) in on_screen
        assert title not in on_screen  # not the plain English fallback
    window.allow_close()
