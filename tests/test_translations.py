"""No untranslated UI string in a shipped language, no hard-coded user-visible string in ui/, and catalog content that
falls back per text to the configured language and says which language it shows (docs/translations.md).

A "translation" identical to English fails unless it is on the short allow-list below, with its reason. Ukrainian must
be Cyrillic and Arabic must be Arabic script (a cheap check that catches English pasted into those files). A static
check over ui/**/*.py finds string literals handed to a text setter (setText, setAccessibleName, QLabel(...), ...).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.i18n import (
    FALLBACK_LANGUAGE,
    LOCALES_DIR,
    SHIPPED_LANGUAGES,
    Catalog,
    content_fallback_chain,
    set_content_fallback,
)
from tests.conftest import REPO

# (language, key) -> why the text is rightly the same as the English one.
SAME_AS_ENGLISH: dict[tuple[str, str], str] = {
    ("es", "form.no"): '"No" is the Spanish word for no',
    ("es", "form.error_prefix"): '"Error:" is the Spanish word for error',
}
SCRIPTS = {
    "uk": re.compile(r"[\u0400-\u04ff]"),  # Cyrillic
    "ar": re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),  # Arabic and its presentation forms
}
# Latin phrases (two words or more) that stay as written inside Ukrainian and Arabic texts; and commands staff type
# exactly as written ("citizen-kiosk catalog check").
LATIN_PHRASES = {"Espaço Cidadão": "the name of the citizen spots, on their signs"}
COMMAND = re.compile(r"^citizen-kiosk( [a-z][a-z-]*)+$")
_LATIN_RUN = re.compile(r"[A-Za-zÀ-ÿ][\w'@.\-]*(?:\s+[A-Za-zÀ-ÿ][\w'@.\-]*)+")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")

# Calls whose arguments a citizen sees or hears; None: every positional argument is text, () none is (KioskButton's
# first argument is its kind: its text comes from `set_label`).
TEXT_SINKS: dict[str, tuple[int, ...] | None] = {
    name: None
    for name in (
        "setText",
        "setPlainText",
        "setHtml",
        "setWindowTitle",
        "setToolTip",
        "setStatusTip",
        "setWhatsThis",
        "setAccessibleName",
        "setAccessibleDescription",
        "setPlaceholderText",
        "setTitle",
        "setLabelText",
        "setInformativeText",
        "setDetailedText",
        "setPrefix",
        "setSuffix",
        "setSpecialValueText",
        "setTabText",
        "setItemText",
        "addItem",
        "addItems",
        "insertItem",
        "addTab",
        "showMessage",
        "drawText",
        "set_text",
        "set_label",
        "set_items",
        "announce",
        "QLabel",
        "QPushButton",
        "QCheckBox",
        "QRadioButton",
        "QGroupBox",
        "QAction",
        "QMessageBox",
    )
} | {"KioskButton": (), "speak": (0,), "say": (0,)}
TEXT_KEYWORDS = frozenset({"text", "title", "label", "description", "message"})
# (file, literal) -> why this literal in a text setter is not a UI string.
UI_LITERALS: dict[tuple[str, str], str] = {
    ("ui/screenshot_samples.py", "D-12AB"): "a sample draft code the screenshot types in, as a citizen would",
}
# Key-like literals in ui/ that are not catalog keys.
NOT_KEYS: dict[str, str] = {"date.missing": "an error code (FieldError.code) that messages.py maps to keys"}
_LETTER = re.compile(r"[^\W\d_]")
_KEY_LIKE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_\-]+)+$")


# The catalog ------------------------------------------------------------------------------------------------------
def test_every_shipped_language_has_a_locale_file_with_every_key(catalog: Catalog) -> None:
    assert set(catalog.languages) == set(SHIPPED_LANGUAGES)
    english = catalog.keys(FALLBACK_LANGUAGE)
    for lang in SHIPPED_LANGUAGES:
        missing, extra = english - catalog.keys(lang), catalog.keys(lang) - english
        assert not missing and not extra, f"{lang}.json: missing {sorted(missing)}, not in en.json {sorted(extra)}"


def test_placeholders_are_the_same_in_every_language(catalog: Catalog) -> None:
    for key in catalog.keys(FALLBACK_LANGUAGE):
        english = catalog.placeholders(key, FALLBACK_LANGUAGE)
        for lang in SHIPPED_LANGUAGES:
            assert catalog.placeholders(key, lang) == english, (lang, key)


def test_no_text_is_left_in_english(catalog: Catalog) -> None:
    texts = catalog.all_texts()
    english = texts[FALLBACK_LANGUAGE]
    untranslated = [
        (lang, key, text)
        for lang in SHIPPED_LANGUAGES
        if lang != FALLBACK_LANGUAGE
        for key, text in texts[lang].items()
        if text.strip().casefold() == english[key].strip().casefold() and (lang, key) not in SAME_AS_ENGLISH
    ]
    assert not untranslated, "same as English (translate, or allow with a reason in SAME_AS_ENGLISH):\n" + "\n".join(
        f"  {lang} {key}: {text!r}" for lang, key, text in untranslated
    )


def test_the_same_as_english_allow_list_is_short_reasoned_and_current(catalog: Catalog) -> None:
    texts = catalog.all_texts()
    assert len(SAME_AS_ENGLISH) <= 10
    for (lang, key), reason in SAME_AS_ENGLISH.items():
        assert reason.strip(), (lang, key)
        assert texts[lang][key] == texts[FALLBACK_LANGUAGE][key], f"{lang} {key} is translated: drop it from the list"


@pytest.mark.parametrize("lang", sorted(SCRIPTS))
def test_ukrainian_and_arabic_texts_are_in_their_own_script(catalog: Catalog, lang: str) -> None:
    script = SCRIPTS[lang]
    for key, text in catalog.all_texts()[lang].items():
        words = _PLACEHOLDER.sub("", text)
        letters = [c for c in words if c.isalpha()]
        own = sum(1 for c in letters if script.match(c))
        assert own and own >= len(letters) / 2, f"{lang} {key}: mostly not in its script: {text!r}"
        for phrase in _LATIN_RUN.findall(words):
            allowed = phrase.rstrip(".") in LATIN_PHRASES or COMMAND.match(phrase.rstrip("."))
            assert allowed, f"{lang} {key}: English words left in: {phrase!r}"


def test_the_script_check_catches_english_pasted_in() -> None:
    pasted = "Send your form"
    assert not SCRIPTS["uk"].search(pasted) and not SCRIPTS["ar"].search(pasted)
    assert _LATIN_RUN.findall(_PLACEHOLDER.sub("", "Надіслати: Send your form {name}")) == ["Send your form"]


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_locale_files_keep_their_format(lang: str) -> None:
    """Helpers add keys with a read-modify-write script: two-space JSON, real characters, one final newline."""
    raw = (LOCALES_DIR / f"{lang}.json").read_text(encoding="utf-8")
    assert raw == json.dumps(json.loads(raw), ensure_ascii=False, indent=2) + "\n"


# No hard-coded strings in ui/ ---------------------------------------------------------------------------------------
def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return call.func.id if isinstance(call.func, ast.Name) else None


def _visible_literals(node: ast.AST) -> Iterator[ast.Constant]:
    """The string literals that end up in the text itself: not the arguments of a call such as `t("key")`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.JoinedStr):
        for part in node.values:
            yield from _visible_literals(part.value if isinstance(part, ast.FormattedValue) else part)
    elif isinstance(node, ast.BinOp):
        yield from _visible_literals(node.left)
        yield from _visible_literals(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _visible_literals(node.body)
        yield from _visible_literals(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _visible_literals(value)
    elif isinstance(node, ast.List | ast.Tuple):
        for element in node.elts:
            yield from _visible_literals(element)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        yield from _visible_literals(node.func.value)  # "Page {n}".format(...), " · ".join(...)


def hard_coded_strings(source: str) -> list[tuple[int, str]]:
    """(line, literal) for each literal with letters (more than one glyph) passed as text to a text sink."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or (name := _call_name(node)) not in TEXT_SINKS:
            continue
        positions = TEXT_SINKS[name]
        arguments = [a for i, a in enumerate(node.args) if positions is None or i in positions]
        arguments += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        for argument in arguments:
            for literal in _visible_literals(argument):
                text = literal.value.strip()
                if _LETTER.search(text) and len(text) > 1:  # separators (" · ") and glyphs ("A") are fine
                    found.append((literal.lineno, literal.value))
    return found


def ui_sources() -> list[Path]:
    return sorted((REPO / "ui").rglob("*.py"))


def test_the_static_check_finds_hard_coded_strings() -> None:
    source = """
label.setText("Send the form")
QLabel("Name")
button.set_label(f"Page {n}", "Goes on")
self.setWindowTitle(page + " - Citizen Kiosk")
KioskButton("primary", text="Go")
self.setAccessibleName("Ready" if ok else t("x"))
"""
    assert [text for _line, text in hard_coded_strings(source)] == [
        "Send the form",
        "Name",
        "Page ",
        "Goes on",
        " - Citizen Kiosk",
        "Go",
        "Ready",
    ]
    clean = """
label.setText(t("form.send"))
self.bind(button.set_label, "start.start")
self.setWindowTitle(f"{page} – {title}")
field.setText("")
row.setAccessibleDescription(" · ".join(parts))
p.drawText(rect, flags, "A")
KioskButton("primary")
"""
    assert hard_coded_strings(clean) == []


def test_no_hard_coded_user_visible_string_in_ui() -> None:
    found = []
    for path in ui_sources():
        name = path.relative_to(REPO).as_posix()
        for line, text in hard_coded_strings(path.read_text(encoding="utf-8")):
            if (name, text) not in UI_LITERALS:
                found.append(f"{name}:{line}: {text!r}")
    assert not found, "UI strings must come from kiosk/locales (context.t / bind):\n" + "\n".join(found)


def test_the_ui_literal_allow_list_is_current() -> None:
    for (name, text), reason in UI_LITERALS.items():
        assert reason.strip()
        assert (name, text) in {(name, t) for _line, t in hard_coded_strings((REPO / name).read_text("utf-8"))}


def test_catalog_keys_named_in_ui_code_exist(catalog: Catalog) -> None:
    """A key-like literal in ui/ is a key, a prefix of keys ("home.services" + ".title"), or an allowed non-key."""
    keys = catalog.keys(FALLBACK_LANGUAGE)
    namespaces = {key.split(".")[0] for key in keys}
    unknown = []
    for path in ui_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and _KEY_LIKE.match(node.value)):
                continue
            literal = node.value
            if literal.split(".")[0] not in namespaces or literal in keys or literal in NOT_KEYS:
                continue
            if not any(key.startswith(literal + ".") for key in keys):
                unknown.append(f"{path.relative_to(REPO)}:{node.lineno}: {literal}")
    assert not unknown, "keys missing from kiosk/locales/en.json:\n" + "\n".join(unknown)


# Content falls back per text ----------------------------------------------------------------------------------------
@pytest.fixture
def content_fallback() -> Iterator[None]:
    """Restore the process-wide content fallback after a test that changes it."""
    yield
    set_content_fallback(FALLBACK_LANGUAGE)


def partly_french_catalog(root: Path) -> Path:
    from tests.test_catalog_loader import service, write_catalog

    document = service()
    document["title"] = {"pt-PT": "Registar um nascimento", "en": "Register a birth", "fr": "Déclarer une naissance"}
    document["summary"] = {"pt-PT": "Fale-nos do bebé.", "en": "Tell us about a new baby."}  # no French
    return write_catalog(root, [document])


def test_the_demo_catalog_speaks_every_shipped_language() -> None:
    """Every text of the shipped demo catalog (services, life events, targets; keywords included) is in all six kiosk
    languages, none blank, each with the same `{placeholders}` as the English."""
    from tests.helpers import text_objects

    demo = Path(__file__).resolve().parents[1] / "kiosk" / "catalog" / "demo"
    texts = text_objects(sorted(demo.rglob("*.json")), demo)
    assert len(texts) > 1000
    for place, text in texts:
        assert set(text) == set(SHIPPED_LANGUAGES), place
        english = text["en"]
        for lang, value in text.items():
            assert value and (isinstance(value, list) or str(value).strip()), (place, lang)
            if isinstance(value, str) and isinstance(english, str):
                assert set(re.findall(r"{\w+}", value)) == set(re.findall(r"{\w+}", english)), (place, lang)


def test_a_service_missing_a_language_falls_back_per_text_and_says_which(tmp_path: Path) -> None:
    from kiosk.catalog import load_catalog

    service = load_catalog(partly_french_catalog(tmp_path)).catalog.services["register-birth"]
    assert service.title.get("fr") == ("Déclarer une naissance", "fr")
    assert service.summary.get("fr") == ("Tell us about a new baby.", "en")  # the voice must be English here
    assert service.summary.get("uk").lang == "en"
    assert service.summary.get("pt-PT") == ("Fale-nos do bebé.", "pt-PT")


def test_the_content_fallback_is_configured(tmp_path: Path, content_fallback: None) -> None:
    from citizen_kiosk.wiring import load_context
    from kiosk.catalog import load_catalog

    config = tmp_path / "kiosk.toml"
    config.write_text('[languages]\ncontent_fallback = "pt-PT"\n')
    load_context(config_option=str(config), data_dir_option=str(tmp_path), env={})
    service = load_catalog(partly_french_catalog(tmp_path / "catalog")).catalog.services["register-birth"]
    assert service.summary.get("es") == ("Fale-nos do bebé.", "pt-PT")
    assert service.title.get("fr").lang == "fr"  # a text in the citizen's language is never replaced
    assert content_fallback_chain("es") == ("es", "pt-PT", "en")
    assert content_fallback_chain("en-GB") == ("en-GB", "en", "pt-PT")


def test_the_start_page_shows_the_fallback_text(qtbot, tmp_path: Path, shell_deps) -> None:  # type: ignore[no-untyped-def]
    from kiosk.catalog.provider import CatalogProvider
    from kiosk.journey import Journey
    from ui.screens.browse_parts import FIRST_STRONG_ISOLATE, RIGHT_TO_LEFT_MARK
    from ui.shell import MainWindow, ShellDeps

    provider = CatalogProvider()
    provider.load(partly_french_catalog(tmp_path))
    session = shell_deps.session
    parts = {name: getattr(shell_deps, name) for name in ("catalog", "session", "notices", "panel", "languages")}
    deps = ShellDeps(**parts, services=provider, journey=Journey(session))
    window = MainWindow(deps)
    qtbot.addWidget(window)
    try:
        session.set_language("fr")
        deps.journey.choose_service("register-birth")
        window.show_screen("service-start")
        start = window.screen_widget("service-start")
        assert start.heading.text() == "Déclarer une naissance"
        assert start.summary.text() == "Tell us about a new baby."
        session.set_language("ar")  # English inside a right-to-left page keeps its own direction
        assert start.summary.text().startswith(RIGHT_TO_LEFT_MARK + FIRST_STRONG_ISOLATE)
        assert "Tell us about a new baby." in start.summary.text()
    finally:
        window.allow_close()
