"""User-visible strings as data: one JSON catalog per language, with a fallback chain.

Every string the kiosk shows comes from here, so a test can check each one is translated and that the bundled fonts
cover every character. A lookup returns the language it was actually found in, because speech must use the voice of
the string shown, not of the screen.
"""

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from string import Formatter
from typing import NamedTuple

LOCALES_DIR = Path(__file__).with_name("locales")
# BCP 47 codes of the shipped languages, in the order the language switch shows them.
SHIPPED_LANGUAGES = ("pt-PT", "en", "es", "fr", "uk", "ar")
FALLBACK_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar"})
# Each language's own name, shown on the language switch in that language.
ENDONYMS = {
    "pt-PT": "Português",
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "uk": "Українська",
    "ar": "العربية",
}


class CatalogError(ValueError):
    """A locale file is missing, unreadable or inconsistent; the message names the file and the key."""


class LocalizedText(NamedTuple):
    text: str
    lang: str  # the language the text is really in (after fallback)


class Catalog:
    """Message catalog: key -> text per language. A catalog from `load` reads each language's file when that language
    is first asked for (one file is ~50 KB of JSON: start-up reads only the languages its first screen shows)."""

    def __init__(self, messages: dict[str, dict[str, str]], *, unread: Mapping[str, Path] | None = None) -> None:
        self._messages = messages
        self._unread = dict(unread or {})  # language -> its file, not read yet
        self._languages = (*messages, *(lang for lang in self._unread if lang not in messages))

    @classmethod
    def load(
        cls,
        directory: Path = LOCALES_DIR,
        languages: tuple[str, ...] = SHIPPED_LANGUAGES,
        *,
        read_now: tuple[str, ...] | None = None,
    ) -> "Catalog":
        """The catalog of `languages`; the files of `read_now` (default: all) are read at once, the others on first use.
        A missing or malformed file raises `CatalogError` naming it, whenever it is read."""
        now = languages if read_now is None else tuple(lang for lang in languages if lang in read_now)
        catalog = cls({}, unread={lang: directory / f"{lang}.json" for lang in languages})
        for lang in now:
            catalog._texts(lang)
        return catalog

    def _texts(self, lang: str) -> dict[str, str]:
        texts = self._messages.get(lang)
        if texts is None:
            path = self._unread.get(lang)
            if path is None:
                return {}
            texts = self._messages[lang] = _read_locale(path)
            self._unread.pop(lang, None)  # (two threads may both have read it: the same texts)
        return texts

    @property
    def languages(self) -> tuple[str, ...]:
        return self._languages

    def keys(self, lang: str = FALLBACK_LANGUAGE) -> frozenset[str]:
        return frozenset(self._texts(lang))

    def get(self, key: str, lang: str, **params: object) -> LocalizedText:
        for candidate in fallback_chain(lang):
            text = self._texts(candidate).get(key)
            if text is not None:
                return LocalizedText(text.format(**params) if params else text, candidate)
        raise KeyError(f"no text for {key!r} in {lang!r} or its fallbacks")

    def t(self, key: str, lang: str, **params: object) -> str:
        return self.get(key, lang, **params).text

    def all_texts(self) -> dict[str, dict[str, str]]:
        """Every text of every language (for coverage and font checks)."""
        return {lang: dict(self._texts(lang)) for lang in self._languages}

    def placeholders(self, key: str, lang: str) -> frozenset[str]:
        text = self._texts(lang).get(key, "")
        return frozenset(name for _, name, _, _ in Formatter().parse(text) if name)


def _read_locale(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read locale file: {exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise CatalogError(f"{path}: must be one JSON object of string keys to string texts")
    return data


def fallback_chain(lang: str) -> tuple[str, ...]:
    """pt-PT -> pt -> en: a regional code falls back to its base language, then to English."""
    chain = [lang]
    base = lang.split("-", maxsplit=1)[0]
    if base != lang:
        chain.append(base)
    if FALLBACK_LANGUAGE not in chain:
        chain.append(FALLBACK_LANGUAGE)
    return tuple(chain)


class _ContentFallback:
    """`languages.content_fallback`: one value for the whole process, set by the composition root after loading the
    configuration (content is shown from many places that know only the session's language)."""

    lang = FALLBACK_LANGUAGE


def set_content_fallback(lang: str) -> None:
    _ContentFallback.lang = lang


def content_fallback_chain(lang: str) -> tuple[str, ...]:
    """For catalog content (services, life events), per string: the language, its base language, the configured content
    fallback (`languages.content_fallback`), then English (which, with pt-PT, every definition has)."""
    return _content_chain(lang, _ContentFallback.lang)


@cache
def _content_chain(lang: str, configured: str) -> tuple[str, ...]:
    # Cached: every catalog text on every screen asks for its chain.
    chain: list[str] = []
    for candidate in (lang, lang.split("-", maxsplit=1)[0], configured, FALLBACK_LANGUAGE):
        if candidate not in chain:
            chain.append(candidate)
    return tuple(chain)


def is_rtl(lang: str) -> bool:
    return lang.split("-", maxsplit=1)[0] in RTL_LANGUAGES


def normalise_language(code: str, available: tuple[str, ...] = SHIPPED_LANGUAGES) -> str | None:
    """Match a BCP 47 code case-insensitively (`pt-pt`, `PT-PT` -> `pt-PT`; `pt` -> `pt-PT`); None if unknown."""
    lowered = code.strip().replace("_", "-").lower()
    for lang in available:
        if lang.lower() == lowered:
            return lang
    for lang in available:
        if lang.split("-")[0].lower() == lowered:
            return lang
    return None
