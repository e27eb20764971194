"""The on-screen keyboard (ui/keyboard): real widgets in a real MainWindow, offscreen, with `keyboard.on_screen` set to
"always" (the offscreen platform has no touch screen, so "auto" would keep it closed).

The form pages come from the sample service (`ui.screenshot_samples.VARIANTS`), so the keyboard is checked on the
fields citizens really type in: a name, a number, a date, a phone number, an address, a long text.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QRawFont
from PySide6.QtWidgets import QApplication, QLineEdit, QScrollArea, QWidget

from accessibility.sizing import MIN_TARGET_CSS_PX, PRIMARY_TARGET_MM, TEXT_STEPS
from kiosk.i18n import SHIPPED_LANGUAGES
from kiosk.session import CitizenSession, Presentation
from ui.keyboard import layouts, policy
from ui.keyboard.layouts import DEAD_KEYS, LayoutError, compose, load_layout, parse_layout, shifted
from ui.screenshot_samples import VARIANTS
from ui.typography import FONT_FILES, FONTS_DIR

LARGEST = len(TEXT_STEPS) - 1


@pytest.fixture
def open_page(qapp, qtbot, catalog, notices, panel):  # type: ignore[no-untyped-def]
    """open_page(variant, lang="pt-PT", step=0, mode="always") -> the shown, active MainWindow on that form page."""
    from ui.shell import MainWindow, ShellDeps

    windows = []

    def make(variant: str, lang: str = "pt-PT", step: int = 0, mode: str = "always", speech=None):  # type: ignore[no-untyped-def]
        session = CitizenSession(Presentation(language=lang, text_step=step), text_steps=len(TEXT_STEPS))
        deps = ShellDeps(
            catalog=catalog,
            session=session,
            notices=notices,
            panel=panel,
            languages=SHIPPED_LANGUAGES,
            on_screen_keyboard=mode,
            speech=speech,
        )
        VARIANTS[variant].prepare(deps.journey)
        window = MainWindow(deps)
        qtbot.addWidget(window)
        windows.append(window)
        window.resize(panel.width_px, panel.height_px)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        window.show_screen(VARIANTS[variant].screen)
        settle()
        return window

    yield make
    for window in windows:
        window.allow_close()


def settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def answer(window):  # type: ignore[no-untyped-def]
    return window.screen_widget("question").answer


def tap(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    """A real tap: press and release inside the key."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def rect_in(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def scroll_viewport(widget: QWidget) -> QWidget:
    parent = widget.parentWidget()
    while not isinstance(parent, QScrollArea):
        assert parent is not None, "the field is not inside a scroll area"
        parent = parent.parentWidget()
    return parent.viewport()


# Opening and closing --------------------------------------------------------------------------------------------------
def test_opens_on_a_text_field_and_closes_when_focus_leaves(open_page) -> None:
    window = open_page("question-text")
    keyboard, field = window.keyboard, answer(window).box
    assert field.hasFocus()
    assert keyboard.is_open() and keyboard.target() is field
    assert keyboard.isVisibleTo(window)
    window.screen_widget("question").continue_button.setFocus()
    settle()
    assert not keyboard.is_open() and keyboard.target() is None
    field.setFocus()
    settle()
    assert keyboard.is_open() and keyboard.target() is field


def test_the_language_and_size_row_makes_room_while_the_keyboard_is_open(open_page) -> None:
    window = open_page("question-text")
    header, field = window.header, answer(window).box
    assert window.keyboard.is_open() and not header.toolbar.isVisible()
    assert header.help.isVisible() and header.read_aloud.isVisible()  # the top row stays: help is always there
    window.screen_widget("question").continue_button.setFocus()
    settle()
    assert header.toolbar.isVisible()
    field.setFocus()
    settle()
    assert not header.toolbar.isVisible()


def test_never_and_auto_modes(open_page, monkeypatch) -> None:
    assert not open_page("question-text", mode="never").keyboard.is_open()
    # "auto" opens only with a touch screen attached (the offscreen platform has none)
    assert not policy.touch_screen_attached()
    assert not open_page("question-text", mode="auto").keyboard.is_open()
    monkeypatch.setattr(policy, "touch_screen_attached", lambda: True)
    assert open_page("question-text", mode="auto").keyboard.is_open()
    with pytest.raises(ValueError, match="keyboard mode"):
        policy.checked_mode("sometimes")


def test_hide_key_closes_until_the_field_is_tapped(open_page, qtbot) -> None:
    window = open_page("question-text")
    keyboard, field = window.keyboard, answer(window).box
    tap(qtbot, keyboard.key(action="hide"))
    settle()
    assert not keyboard.is_open() and field.hasFocus()
    tap(qtbot, field)
    settle()
    assert keyboard.is_open() and keyboard.target() is field


def test_session_end_closes_and_forgets(open_page, qtbot) -> None:
    window = open_page("question-text", lang="uk")
    keyboard = window.keyboard
    tap(qtbot, keyboard.key(action="caps"))
    tap(qtbot, keyboard.key(action="switch"))
    assert keyboard.layout_name() == "pt-PT"
    window.deps.session.end("timeout")
    settle()
    assert not keyboard.is_open() and keyboard.target() is None
    keyboard.open_for(QLineEdit(window))
    assert keyboard.layout_name() == "uk"  # the language's own letters again, no longer switched to Latin
    assert not keyboard.key(action="caps").isChecked()


# Typing ---------------------------------------------------------------------------------------------------------------
def test_typing_ola_cao_in_portuguese(open_page, qtbot) -> None:
    window = open_page("question-text")
    keyboard, field = window.keyboard, answer(window).box
    assert keyboard.layout_name() == "pt-PT"
    key = keyboard.key
    for button in [
        key(action="shift"),
        key("o"),
        key("l"),
        key("´"),
        key("a"),
        key(action="space"),
        key("ç"),
        key("~"),
        key("a"),
        key("o"),
    ]:
        tap(qtbot, button)
    assert field.text() == "Olá ção"
    assert field.hasFocus(), "taps on keys never take the focus from the field"
    assert field.isUndoAvailable()  # typed through QLineEdit.insert: undo works as with a physical keyboard
    tap(qtbot, key(action="backspace"))
    assert field.text() == "Olá çã"


def test_dead_key_shows_the_accented_letters_and_can_be_taken_back(open_page, qtbot) -> None:
    window = open_page("question-text")
    keyboard, field = window.keyboard, answer(window).box
    acute, letter_a = keyboard.key("´"), keyboard.key("a")
    assert acute.accessibleName() == "Acento agudo ´" and acute.isCheckable()
    tap(qtbot, acute)
    assert acute.isChecked()
    assert (letter_a.text(), letter_a.accessibleName()) == ("á", "á")
    assert keyboard.key("q").text() == "q"  # no "q" with an accent: it stays as it is
    assert keyboard.key("s").text() == "s"  # "ś" exists, but not in Portuguese
    tap(qtbot, keyboard.key(action="backspace"))  # takes back the accent, deletes nothing
    assert not acute.isChecked() and letter_a.text() == "a"
    tap(qtbot, keyboard.key("^"))
    tap(qtbot, keyboard.key(action="space"))  # an accent then Space types the accent itself
    assert field.text() == "^"


def test_caps_lock_stays_and_shift_does_not(open_page, qtbot) -> None:
    window = open_page("question-text", lang="en")
    keyboard, field = window.keyboard, answer(window).box
    tap(qtbot, keyboard.key(action="shift"))
    assert keyboard.key("a").text() == "A"
    for letter in "ab":
        tap(qtbot, keyboard.key(letter))
    tap(qtbot, keyboard.key(action="caps"))
    for letter in "cd":
        tap(qtbot, keyboard.key(letter))
    tap(qtbot, keyboard.key(action="caps"))
    tap(qtbot, keyboard.key("e"))
    assert field.text() == "AbCDe"


def test_ukrainian_letters_and_latin_switch(open_page, qtbot) -> None:
    window = open_page("question-text", lang="uk")
    keyboard, field = window.keyboard, answer(window).box
    assert keyboard.layout_name() == "uk"
    for letter in "їєіґ":
        tap(qtbot, keyboard.key(letter))
    tap(qtbot, keyboard.key(action="shift"))
    tap(qtbot, keyboard.key("й"))
    assert field.text() == "їєіґЙ"
    switch = keyboard.key(action="switch")
    assert (switch.text(), switch.accessibleName()) == ("ABC", "Перейти на ABC")
    tap(qtbot, switch)  # Latin letters, for an address in Portugal
    assert keyboard.layout_name() == "pt-PT"
    tap(qtbot, keyboard.key("r"))
    assert field.text() == "їєіґЙr"
    tap(qtbot, keyboard.key(action="switch"))
    assert keyboard.layout_name() == "uk"


def test_arabic_letters(open_page, qtbot) -> None:
    window = open_page("question-text", lang="ar")
    keyboard, field = window.keyboard, answer(window).box
    assert keyboard.layout_name() == "ar"
    for letter in "سلام":
        tap(qtbot, keyboard.key(letter))
    tap(qtbot, keyboard.key("؟"))
    assert field.text() == "سلام؟"
    with pytest.raises(KeyError):
        keyboard.key(action="shift")  # Arabic letters have no capitals: no Shift or Caps lock key


def test_symbols_page_has_the_digits(open_page, qtbot) -> None:
    window = open_page("question-text", lang="en")
    keyboard, field = window.keyboard, answer(window).box
    symbols = keyboard.key(action="symbols")
    assert (symbols.text(), symbols.accessibleName()) == ("123", "Numbers and symbols: 123")
    tap(qtbot, symbols)
    assert keyboard.layout_name() == "symbols"
    for digit in "42":
        tap(qtbot, keyboard.key(digit))
    tap(qtbot, keyboard.key("º"))
    back = keyboard.key(action="symbols")
    assert (back.text(), back.accessibleName()) == ("ABC", "Switch to ABC")
    tap(qtbot, back)
    assert keyboard.layout_name() == "en"
    assert field.text() == "42º"


@pytest.mark.parametrize(
    ("variant", "part", "layout"),
    [
        ("question-number", None, "numeric"),
        ("question-nif", None, "numeric"),
        ("question-date", "year", "numeric"),
        ("question-phone", None, "phone"),
        ("question-postcode", None, "numeric"),
        ("question-address", "street", "pt-PT"),
        ("question-email", None, "pt-PT"),
    ],
)
def test_layout_follows_the_field_kind(open_page, qtbot, variant, part, layout) -> None:
    window = open_page(variant)
    answer(window).focus_part(part)
    settle()
    keyboard = window.keyboard
    assert keyboard.layout_name() == layout
    if layout == "phone":
        tap(qtbot, keyboard.key("+"))
    if layout in ("numeric", "phone"):
        assert {b.key.text for b in keyboard.buttons() if b.key.is_char} >= set("0123456789-")
        assert {b.key.action for b in keyboard.buttons()} >= {"backspace", "space", "enter", "hide"}
        tap(qtbot, keyboard.key("1"))
        tap(qtbot, keyboard.key("2"))
        field = keyboard.target()
        assert isinstance(field, QLineEdit)
        assert field.text().endswith("12")
        assert ("+" in field.text()) == (layout == "phone")


def test_layout_follows_the_session_language(open_page) -> None:
    window = open_page("question-text")
    keyboard = window.keyboard
    assert keyboard.key(action="space").accessibleName() == "Espaço"
    window.deps.session.set_language("uk")
    settle()
    answer(window).focus_part(None)  # the page is rebuilt in the new language
    settle()
    assert keyboard.is_open() and keyboard.layout_name() == "uk"
    assert keyboard.key(action="space").accessibleName() == "Пробіл"
    assert keyboard.accessibleName() == "Екранна клавіатура"


def test_enter_is_the_fields_enter(open_page, qtbot) -> None:
    window = open_page("question-text", lang="en")
    flow = window.deps.journey.flow
    keyboard = window.keyboard
    before = flow.position()
    assert keyboard.key(action="enter").accessibleName() == "Enter"
    for letter in "ana":
        tap(qtbot, keyboard.key(letter))
    tap(qtbot, keyboard.key(action="enter"))  # Continue
    settle()
    assert flow.position() != before


def test_enter_in_a_long_text_is_a_new_line(open_page, qtbot) -> None:
    window = open_page("question-long-text", lang="en")
    keyboard = window.keyboard
    enter = keyboard.key(action="enter")
    assert enter.text() == "New line"
    tap(qtbot, keyboard.key("a"))
    tap(qtbot, enter)
    tap(qtbot, keyboard.key("b"))
    assert answer(window).box.toPlainText() == "a\nb"


# Safety: release, masking, physical keyboard, keyboard use ------------------------------------------------------------
def test_a_key_types_on_release_and_not_when_the_finger_slides_off(open_page, qtbot) -> None:
    window = open_page("question-text")
    keyboard, field = window.keyboard, answer(window).box
    key = keyboard.key("a")
    qtbot.mousePress(key, Qt.MouseButton.LeftButton)
    assert field.text() == ""  # nothing on press
    outside = QPoint(key.width() // 2, -key.height())
    qtbot.mouseMove(key, outside)
    qtbot.mouseRelease(key, Qt.MouseButton.LeftButton, pos=outside)
    assert field.text() == ""
    tap(qtbot, key)
    assert field.text() == "a"


def test_keys_are_announced_and_masked_in_a_private_field(open_page, qtbot) -> None:
    window = open_page("question-text")
    keyboard, field = window.keyboard, answer(window).box
    spoken: list[str] = []
    announced: list[tuple[object, str]] = []
    keyboard.key_activated.connect(spoken.append)
    window.announcer.announced.connect(lambda widget, message, _assertive: announced.append((widget, message)))
    tap(qtbot, keyboard.key("a"))
    tap(qtbot, keyboard.key(action="backspace"))
    field.setEchoMode(QLineEdit.EchoMode.Password)
    tap(qtbot, keyboard.key("b"))
    tap(qtbot, keyboard.key(action="space"))
    tap(qtbot, keyboard.key(action="backspace"))
    assert spoken == ["a", "Apagar", "asterisco", "asterisco", "Apagar"]
    # the window's one announcer: spoken in read-aloud mode, and an accessibility announcement on the key
    assert [message for _widget, message in announced] == spoken
    assert announced[0][0] is keyboard.key("a")
    assert field.text() == "b"


def test_keys_are_spoken_in_read_aloud_mode(open_page, qtbot) -> None:
    from accessibility.speech import SpeechService
    from accessibility.speech_fake import RecordingEngine

    engine = RecordingEngine()
    window = open_page("question-text", speech=SpeechService(engine))
    keyboard = window.keyboard
    window.deps.session.set_read_aloud(True)
    settle()
    tap(qtbot, keyboard.key("ç"))
    qtbot.waitUntil(lambda: ("pt-PT", "ç") in engine.transcript)
    answer(window).box.setEchoMode(QLineEdit.EchoMode.Password)
    tap(qtbot, keyboard.key("x"))
    qtbot.waitUntil(lambda: ("pt-PT", "asterisco") in engine.transcript)
    assert "x" not in engine.texts()


def test_a_physical_keyboard_still_types(open_page, qtbot) -> None:
    window = open_page("question-text")
    keyboard, field = window.keyboard, answer(window).box
    tap(qtbot, keyboard.key("a"))
    qtbot.keyClicks(field, "bc")
    assert field.text() == "abc" and keyboard.is_open()


def test_keys_are_one_tab_stop_with_arrow_keys(open_page, qtbot) -> None:
    window = open_page("question-text", lang="en")
    keyboard, field = window.keyboard, answer(window).box
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    first = QApplication.focusWidget()
    assert keyboard.isAncestorOf(first) and first.key.text == "q"
    assert keyboard.is_open() and keyboard.target() is field
    qtbot.keyClick(first, Qt.Key.Key_Right)
    second = QApplication.focusWidget()
    assert second.key.text == "w"
    qtbot.keyClick(second, Qt.Key.Key_Down)
    below = QApplication.focusWidget()
    assert below.key.text in "as"
    qtbot.keyClick(below, Qt.Key.Key_Return)
    assert field.text() == below.key.text
    qtbot.keyClick(below, Qt.Key.Key_Escape)  # back to the field, never Back
    assert field.hasFocus() and window.current_screen_name() == "question"
    assert sum(bool(b.focusPolicy() & Qt.FocusPolicy.TabFocus) for b in keyboard.buttons()) == 1
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # Tab leaves the keyboard for the page
    assert not keyboard.isAncestorOf(QApplication.focusWidget())


def test_tab_reaches_the_keys_from_each_field_of_one_layout(open_page, qtbot) -> None:
    """Street then locality: the same letters, so the keys are kept, and Tab from either field reaches them next."""
    window = open_page("question-address", lang="en")
    keyboard = window.keyboard
    for part in ("street", "locality"):
        answer(window).focus_part(part)
        settle()
        field = keyboard.target()
        assert field is not None and field.hasFocus()
        qtbot.keyClick(field, Qt.Key.Key_Tab)
        assert keyboard.isAncestorOf(QApplication.focusWidget()), part


# Geometry, sizes, names, direction ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("variant", "part"),
    [("question-text", None), ("question-address", "locality"), ("question-phone", None), ("question-date", "year")],
)
@pytest.mark.parametrize(("lang", "step"), [("pt-PT", 0), ("pt-PT", LARGEST), ("uk", LARGEST), ("ar", LARGEST)])
def test_the_focused_field_is_never_under_the_keyboard(open_page, variant, part, lang, step) -> None:
    window = open_page(variant, lang=lang, step=step)
    answer(window).focus_part(part)
    settle()
    keyboard = window.keyboard
    field = keyboard.target()
    assert field is not None and keyboard.is_open()
    field_rect, keyboard_rect = rect_in(window, field), rect_in(window, keyboard)
    assert not field_rect.intersects(keyboard_rect)
    assert rect_in(window, scroll_viewport(field)).contains(field_rect), "the field is scrolled into view"
    assert window.rect().contains(keyboard_rect)


def test_a_tall_text_box_shows_its_caret_above_the_keyboard(open_page, qtbot) -> None:
    window = open_page("question-long-text", lang="fr", step=LARGEST)
    keyboard = window.keyboard
    box = answer(window).box
    for _ in range(6):
        tap(qtbot, keyboard.key(action="enter"))
    settle()
    caret = QRect(box.viewport().mapTo(window, box.cursorRect().topLeft()), box.cursorRect().size())
    assert rect_in(window, scroll_viewport(box)).contains(caret)
    assert not caret.intersects(rect_in(window, keyboard))


def every_layout(keyboard, qtbot):  # type: ignore[no-untyped-def]
    """Yield the keyboard showing each of its pages for the current language: letters, symbols, the alternate."""
    yield
    tap(qtbot, keyboard.key(action="symbols"))
    yield
    tap(qtbot, keyboard.key(action="symbols"))
    try:
        switch = keyboard.key(action="switch")
    except KeyError:
        return
    tap(qtbot, switch)
    yield


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
@pytest.mark.parametrize("step", [0, LARGEST])
def test_every_key_is_large_named_and_inside_the_window(open_page, qtbot, panel, lang, step) -> None:
    seen: set[str] = set()
    for variant in ("question-text", "question-number", "question-phone"):
        window = open_page(variant, lang=lang, step=step)
        keyboard = window.keyboard
        for _ in every_layout(keyboard, qtbot) if variant == "question-text" else [None]:
            seen.add(keyboard.layout_name())
            for key in keyboard.buttons():
                size = key.size()
                assert min(size.width(), size.height()) >= MIN_TARGET_CSS_PX, (keyboard.layout_name(), key.text())
                assert panel.mm(min(size.width(), size.height())) >= PRIMARY_TARGET_MM, key.accessibleName()
                interface = QAccessible.queryAccessibleInterface(key)
                name = interface.text(QAccessible.Text.Name)
                label = key.text().replace("&&", "&")
                assert label and label in name, (keyboard.layout_name(), name, label)
                # on/off keys (Shift, Caps lock, accents) are checkable: Qt exposes them with their checked state
                role = QAccessible.Role.CheckBox if key.isCheckable() else QAccessible.Role.Button
                assert interface.role() == role
                assert window.rect().contains(rect_in(window, key)), name
                assert key.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
    assert {"numeric", "phone", "symbols"} <= seen


def test_keypads_and_keyboards_stay_left_to_right_in_arabic(open_page, qtbot) -> None:
    window = open_page("question-number", lang="ar")
    keyboard = window.keyboard
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert keyboard.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert keyboard.layout_name() == "numeric"
    x = {digit: rect_in(window, keyboard.key(digit)).x() for digit in "123456"}
    y = {digit: rect_in(window, keyboard.key(digit)).y() for digit in "14"}
    assert x["1"] < x["2"] < x["3"] and x["4"] < x["5"] < x["6"]
    assert y["1"] < y["4"]
    other = open_page("question-text", lang="ar")
    letters = other.keyboard
    assert rect_in(other, letters.key("ض")).x() < rect_in(other, letters.key("د")).x()  # as on a physical keyboard


# The layouts as data --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "needed"),
    [
        ("pt-PT", "áàâãéêíóôõúçÁÀÂÃÉÊÍÓÔÕÚÇ"),
        ("es", "ñÑáéíóúü"),
        ("fr", "éèêàçëîïôùûÉÈ"),
        ("uk", "йцукенгшщзхїфівапролджєячсмитьбюґЇЄІҐ'"),
        ("ar", "ضصثقفغعهخحجدشسيبلاتنمكطذئءؤرىةوزظأإآ،؟"),
        ("en", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@.-"),
        ("symbols", "0123456789@.-_/"),
        ("numeric", "0123456789,-"),
        ("phone", "0123456789+-"),
    ],
)
def test_layouts_can_type_their_language(name, needed) -> None:
    assert set(needed) <= load_layout(name).characters()


def test_every_key_character_is_in_the_bundled_fonts(qapp) -> None:
    fonts = [QRawFont(str(FONTS_DIR / name), 30) for name in FONT_FILES]
    for name in layouts.layout_names():
        for char in sorted(load_layout(name).characters()):
            assert any(font.supportsCharacter(ord(char)) for font in fonts), (name, char)
        for key in load_layout(name).all_keys():
            assert key.action or key.text.strip(), f"{name}: a character key must type something visible"


def test_language_without_a_layout_gets_english_letters() -> None:
    assert layouts.text_layout_name("pt-PT") == "pt-PT"
    assert layouts.text_layout_name("de") == "en"
    assert layouts.text_layout_name("numeric") == "en"  # a keypad is never a language's layout


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"short_name": "X", "rows": []}, "rows"),
        ({"short_name": "X", "rows": ["a [fly]"]}, "unknown key action"),
        ({"short_name": "X", "rows": ["a [space:20]"]}, "key width"),
        ({"short_name": "X", "rows": ["abc"]}, "one or two"),
        ({"rows": ["a"]}, "short_name"),
    ],
)
def test_bad_layout_files_are_refused_with_their_place(data, problem) -> None:
    with pytest.raises(LayoutError, match=problem):
        parse_layout("bad", data, "bad.json")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(DEAD_KEYS)), st.characters(codec="utf-8", categories=("Ll", "Lu")))
def test_a_dead_key_composes_to_one_character_or_nothing(accent, letter) -> None:
    composed = compose(accent, letter)
    assert composed is None or (len(composed) == 1 and composed != letter)


PORTUGUESE = "abcdefghijlmnopqrstuvxzçáàâãéêíóôõú "


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=PORTUGUESE + PORTUGUESE.upper().strip(), min_size=1, max_size=12))
def test_any_portuguese_text_can_be_typed(qapp, text) -> None:
    """Every Portuguese letter, small or capital, with or without its accent, is reachable with visible keys only."""
    from ui.keyboard.panel import OnScreenKeyboard

    session = CitizenSession(Presentation(language="pt-PT"), text_steps=len(TEXT_STEPS))
    from kiosk.i18n import Catalog

    holder = QWidget()
    field = QLineEdit(holder)
    keyboard = OnScreenKeyboard(
        Catalog.load(languages=("pt-PT", "en")), session, _panel(), mode="always", parent=holder
    )
    keyboard.open_for(field)
    plain = {b.key.text: b for b in keyboard.buttons() if b.key.is_char}
    for char in text:
        if char == " ":
            keyboard.key(action="space").click()
            continue
        base = _strip_accent(char)
        if base != base.lower():
            keyboard.key(action="shift").click()
        if base != char:
            accent = next(a for a in DEAD_KEYS if load_layout("pt-PT").accent(a, base) == char)
            keyboard.key(accent).click()
        plain[base.lower()].click()
    assert field.text() == text
    holder.deleteLater()


def _strip_accent(char: str) -> str:
    for accent in DEAD_KEYS:
        for base in "aeiouAEIOU":
            if compose(accent, base) == char:
                return base
    return char


def _panel():  # type: ignore[no-untyped-def]
    from tests.conftest import REFERENCE_PANEL

    return REFERENCE_PANEL


def test_shifted_keeps_keys_without_a_single_capital() -> None:
    assert shifted("ç") == "Ç" and shifted("ї") == "Ї" and shifted("1") == "1" and shifted("ß") == "ß"


# Qt Virtual Keyboard stays out ----------------------------------------------------------------------------------------
def test_qt_virtual_keyboard_is_never_loaded() -> None:
    environ = {"QT_IM_MODULE": "qtvirtualkeyboard", "QT_IM_MODULES": "ibus;qtvirtualkeyboard"}
    assert policy.forbid_qt_virtual_keyboard(environ)
    assert environ == {"QT_IM_MODULES": "ibus"}
    untouched = {"QT_IM_MODULE": "ibus"}
    assert not policy.forbid_qt_virtual_keyboard(untouched)
    assert untouched == {"QT_IM_MODULE": "ibus"}
    import os

    assert "qtvirtualkeyboard" not in os.environ.get("QT_IM_MODULE", "")


# Pictures for people -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["pt-PT", "uk", "ar"])
@pytest.mark.parametrize("step", [0, LARGEST])
def test_pictures_of_the_keyboard_over_a_question(open_page, qtbot, save_artifact, lang, step) -> None:
    """test-artifacts/keyboard-<lang>-<percent>.png: the keyboard open over the name question, for a person to judge;
    the Portuguese ones with the acute accent chosen, so the keys show the letters it gives."""
    window = open_page("question-text", lang=lang, step=step)
    keyboard = window.keyboard
    if lang == "pt-PT":
        tap(qtbot, keyboard.key("´"))
        assert keyboard.key("e").text() == "é"
    settle()
    field = keyboard.target()
    assert field is not None and not rect_in(window, field).intersects(rect_in(window, keyboard))
    percent = round(TEXT_STEPS[step] * 100)
    path = save_artifact(window, f"keyboard-{lang}-{percent}.png")
    assert path.stat().st_size > 10_000


def test_keyboard_follows_the_theme(open_page, save_artifact) -> None:
    window = open_page("question-number", lang="en")
    before = window.keyboard.grab().toImage().pixelColor(5, 40)
    window.deps.session.set_theme("dark-high-contrast")
    settle()
    after = window.keyboard.grab().toImage().pixelColor(5, 40)
    assert after != before and after.lightness() < before.lightness()
    save_artifact(window, "keyboard-numeric-dark-high-contrast.png")


def test_a_keyboard_built_after_the_field_took_the_focus_opens_for_it(open_page) -> None:  # type: ignore[no-untyped-def]
    window = open_page("question-text")
    window._keyboard = None  # as if the first paint had not happened yet when the field took the focus
    for child in window.findChildren(QWidget, "onScreenKeyboard"):
        child.hide()
    keyboard = window.keyboard
    settle()
    assert keyboard.is_open() and keyboard.target() is answer(window).box
    assert keyboard.key(action="hide") is not None
