"""The strings catalog: every key in every shipped language, same placeholders, nothing left in English."""

from __future__ import annotations

import json
import re

import pytest

from kiosk.i18n import LOCALES_DIR, SHIPPED_LANGUAGES, Catalog

# Words that are spelt the same in English and another language: (language, key) pairs, each checked by hand.
SAME_AS_ENGLISH = {("es", "form.no"), ("es", "form.error_prefix")}  # "No", "Error:" are Spanish too
NOTICE_KINDS = ("database-recovered", "secrets-unavailable", "storage-full", "schema-too-new", "database-unavailable")


def test_every_locale_has_every_key(catalog: Catalog) -> None:
    reference = catalog.keys("en")
    for lang in SHIPPED_LANGUAGES:
        assert catalog.keys(lang) == reference, (lang, catalog.keys(lang) ^ reference)


def test_placeholders_match_english(catalog: Catalog) -> None:
    for key in catalog.keys("en"):
        for lang in SHIPPED_LANGUAGES:
            assert catalog.placeholders(key, lang) == catalog.placeholders(key, "en"), (lang, key)


def test_texts_are_non_empty_plain_and_translated(catalog: Catalog) -> None:
    english = catalog.all_texts()["en"]
    for lang, texts in catalog.all_texts().items():
        for key, text in texts.items():
            assert text.strip() == text and text, (lang, key)
            assert "&" not in text and "<" not in text, (lang, key)  # no mnemonics, no markup
            assert "  " not in text, (lang, key)
        if lang != "en":
            same = [key for key, text in texts.items() if text == english[key] and (lang, key) not in SAME_AS_ENGLISH]
            assert not same, (lang, same)


def test_sentences_are_short(catalog: Catalog) -> None:
    """Plain language: no sentence over 25 words (the notices for staff included)."""
    for lang, texts in catalog.all_texts().items():
        for key, text in texts.items():
            for sentence in re.split(r"(?<=[.!?؟])\s+", text):
                assert len(sentence.split()) <= 25, (lang, key, sentence)


def test_shell_keys_exist(catalog: Catalog) -> None:
    required = {
        "app.title",
        "home.title",
        "home.not_available",
        "help.title",
        "common.back",
        "notice.label",
        "header.language",
        "header.help",
        "header.read_aloud_on",
        "header.read_aloud_off",
    }
    required |= {f"notice.{kind}" for kind in NOTICE_KINDS}
    assert required <= catalog.keys("en")


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_locale_files_are_clean_utf8_json_objects(lang: str) -> None:
    raw = (LOCALES_DIR / f"{lang}.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert isinstance(data, dict) and all(isinstance(v, str) for v in data.values())


def test_portuguese_is_european() -> None:
    texts = " ".join(Catalog.load().all_texts()["pt-PT"].values())
    for brazilian in ("tela", "arquivo", "usuário", "você"):
        assert brazilian not in texts.lower()
    assert "ecrã" in texts and "ficheiro" in texts


# Reading on first use: start-up reads only the languages its first screen shows -------------------------------------
def _write(directory, lang: str, texts: object) -> None:  # type: ignore[no-untyped-def]
    (directory / f"{lang}.json").write_text(json.dumps(texts), encoding="utf-8")


def test_languages_not_read_now_are_read_when_first_asked_for(tmp_path) -> None:  # type: ignore[no-untyped-def]
    _write(tmp_path, "pt-PT", {"app.title": "Quiosque"})
    _write(tmp_path, "en", {"app.title": "Kiosk", "only.en": "English only"})
    catalog = Catalog.load(tmp_path, ("pt-PT", "en", "fr"), read_now=("pt-PT", "en"))  # fr.json does not exist yet
    assert catalog.languages == ("pt-PT", "en", "fr")
    assert catalog.t("app.title", "pt-PT") == "Quiosque"
    _write(tmp_path, "fr", {"app.title": "Borne"})  # written after loading: read only now
    assert catalog.get("app.title", "fr") == ("Borne", "fr")
    assert catalog.get("only.en", "fr") == ("English only", "en")  # the fallback chain as before
    assert set(catalog.all_texts()) == {"pt-PT", "en", "fr"}


@pytest.mark.parametrize(
    ("content", "problem"),
    [("{not json", "cannot read locale file"), ('["a list"]', "must be one JSON object"), (None, "cannot read")],
)
def test_a_bad_locale_file_is_named_when_it_is_read(tmp_path, content: str | None, problem: str) -> None:  # type: ignore[no-untyped-def]
    from kiosk.i18n import CatalogError

    _write(tmp_path, "en", {"app.title": "Kiosk"})
    if content is not None:
        (tmp_path / "uk.json").write_text(content, encoding="utf-8")
    with pytest.raises(CatalogError, match=problem) as eager:
        Catalog.load(tmp_path, ("en", "uk"))
    assert str(tmp_path / "uk.json") in str(eager.value)
    later = Catalog.load(tmp_path, ("en", "uk"), read_now=("en",))  # not read yet: no error until it is
    assert later.t("app.title", "en") == "Kiosk"
    with pytest.raises(CatalogError, match=problem) as lazy:
        later.t("app.title", "uk")
    assert str(tmp_path / "uk.json") in str(lazy.value)
