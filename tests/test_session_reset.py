"""What a citizen changes (language, text size, theme, read aloud, volume) returns to the site's defaults when their
session ends: in the core (`CitizenSession.end`) and on screen (the shell's palette, stylesheet, header and screens),
after a timeout, Finish or shutdown. Also the theme switch itself: live, on every screen, by touch and by keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from accessibility.sizing import TEXT_STEPS
from accessibility.tokens import DEFAULT, THEMES
from kiosk.i18n import SHIPPED_LANGUAGES
from kiosk.session import DEFAULT_VOLUME, THEME_NAMES, CitizenSession, Presentation
from tests.conftest import REFERENCE_PANEL

SITE_DEFAULTS = Presentation(language="pt-PT", theme="high-contrast", volume=40)

# One citizen action: (setter name, value).
actions = st.one_of(
    st.tuples(st.just("set_language"), st.sampled_from(SHIPPED_LANGUAGES)),
    st.tuples(st.just("set_text_step"), st.integers(-2, len(TEXT_STEPS) + 2)),
    st.tuples(st.just("set_theme"), st.sampled_from(THEME_NAMES)),
    st.tuples(st.just("set_read_aloud"), st.booleans()),
    st.tuples(st.just("set_volume"), st.integers(-50, 150)),
)


def _session(defaults: Presentation = SITE_DEFAULTS) -> CitizenSession:
    return CitizenSession(defaults, text_steps=len(TEXT_STEPS))


@settings(max_examples=300, deadline=None)
@given(st.lists(actions, max_size=12), st.sampled_from(["timeout", "finished", "shutdown"]))
def test_end_returns_every_choice_to_the_site_defaults(steps: list[tuple[str, object]], reason: str) -> None:
    session = _session()
    seen: list[object] = []
    session.ended.connect(lambda r: seen.append(("ended", r, session.presentation)))
    session.presentation_changed.connect(seen.append)
    for name, value in steps:
        getattr(session, name)(value)
        p = session.presentation
        assert 0 <= p.text_step < len(TEXT_STEPS) and 0 <= p.volume <= 100 and p.theme in THEME_NAMES
    seen.clear()
    session.end(reason)
    assert session.presentation == SITE_DEFAULTS == session.defaults
    # Subscribers hear `ended` first (with the defaults already in place), then the presentation to show.
    assert seen == [("ended", reason, SITE_DEFAULTS), SITE_DEFAULTS]


def test_theme_and_volume_setters() -> None:
    session = _session(Presentation(language="en"))
    assert session.presentation.theme == "default" and session.presentation.volume == DEFAULT_VOLUME
    session.set_theme("dark-high-contrast")
    session.set_volume(130)
    assert (session.presentation.theme, session.presentation.volume) == ("dark-high-contrast", 100)
    session.set_volume(-5)
    assert session.presentation.volume == 0
    with pytest.raises(ValueError, match=r"unknown theme 'sepia'.*high-contrast"):
        session.set_theme("sepia")
    with pytest.raises(ValueError, match="unknown theme"):
        _session(Presentation(language="en", theme="sepia"))
    with pytest.raises(ValueError, match="volume"):
        _session(Presentation(language="en", volume=101))


def test_the_core_and_the_colour_tables_name_the_same_themes() -> None:
    assert tuple(THEMES) == THEME_NAMES


def test_the_kiosk_starts_sessions_in_the_configured_defaults(tmp_path: Path) -> None:
    from citizen_kiosk.gui import _shell_deps
    from citizen_kiosk.wiring import load_context

    config = tmp_path / "config.toml"
    config.write_text('[display]\ndefault_theme = "dark-high-contrast"\n\n[speech]\ndefault_volume = 35\n')
    context = load_context(config_option=str(config), data_dir_option=str(tmp_path / "data"), env={})
    deps, _, _ = _shell_deps(context, "fr")
    session = deps.session
    assert session.presentation == Presentation(language="fr", theme="dark-high-contrast", volume=35)
    session.set_theme("default")
    session.set_volume(90)
    session.end("timeout")
    assert (session.presentation.theme, session.presentation.volume) == ("dark-high-contrast", 35)


# --- on screen ------------------------------------------------------------------------------------------------------


def _window_colour(window) -> str:  # type: ignore[no-untyped-def]
    return window.palette().color(QPalette.ColorRole.Window).name()


def _change_everything(session: CitizenSession) -> None:
    session.set_language("ar")
    session.set_text_step(len(TEXT_STEPS) - 1)
    session.set_theme("dark-high-contrast")
    session.set_read_aloud(True)
    session.set_volume(100)


@pytest.mark.parametrize("reason", ["timeout", "finished"])
def test_the_shell_returns_to_the_default_look_when_the_session_ends(main_window, qtbot, reason: str) -> None:
    session = main_window.deps.session
    main_window.show_screen("help")
    _change_everything(session)
    dark = THEMES["dark-high-contrast"]
    assert _window_colour(main_window) == dark.background
    assert main_window.theme is dark and f"background: {dark.header_bg}" in main_window.styleSheet()
    assert main_window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    main_window.header.show_display_panel()
    assert main_window.header.display_panel.isVisible()

    session.end(reason)
    qtbot.waitUntil(lambda: main_window.current_screen_name() == "home")
    assert session.presentation == Presentation(language="en")
    assert main_window.theme is DEFAULT and _window_colour(main_window) == DEFAULT.background
    assert f"QFrame#header {{ background: {DEFAULT.header_bg};" in main_window.styleSheet()
    assert dark.header_bg not in main_window.styleSheet()
    assert main_window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    header = main_window.header
    assert not header.display_panel.isVisible() and not header.display.isChecked()
    assert not header.read_aloud.isChecked() and header.larger.isEnabled() and not header.smaller.isEnabled()
    assert header.language_buttons["en"].isChecked()
    # The home screen was kept and restyled: its painted entries use the default theme's text colour again.
    from ui.screens.entry import EntryButton

    entries = main_window.home.findChildren(EntryButton)
    assert entries and all(entry._text_colour.name() == DEFAULT.text for entry in entries)


def test_shutdown_resets_the_presentation(qapp, shell_deps) -> None:
    from ui.app import KioskGui

    gui = KioskGui(qapp, shell_deps, windowed=True)
    gui.start()
    _change_everything(shell_deps.session)
    assert _window_colour(gui.window) == THEMES["dark-high-contrast"].background
    gui.shutdown()
    assert shell_deps.session.presentation == Presentation(language="en")
    assert _window_colour(gui.window) == DEFAULT.background


def test_choosing_a_theme_restyles_every_built_screen_live(main_window, qtbot) -> None:
    main_window.show_screen("help")
    help_screen = main_window.screen_widget("help")
    header = main_window.header
    qtbot.mouseClick(header.display, Qt.MouseButton.LeftButton)
    assert header.display_panel.isVisible() and header.display.isChecked()
    for name, theme in THEMES.items():
        qtbot.mouseClick(header.display_panel.choices[name], Qt.MouseButton.LeftButton)
        assert main_window.deps.session.presentation.theme == name
        assert main_window.theme is theme and _window_colour(main_window) == theme.background
        # Screens read the theme through their context, which follows the session.
        assert help_screen.context.theme is theme and main_window.home.context.theme is theme
        checked = [n for n, b in header.display_panel.choices.items() if b.isChecked()]
        assert checked == [name]  # one choice checked, shown with a tick and its name (never colour alone)
        QApplication.processEvents()
        image = main_window.grab().toImage()
        # The page behind the content column and the top band both show the chosen theme's colours.
        assert image.pixelColor(5, image.height() - 5).name() == theme.background
        assert image.pixelColor(2, 2).name() == theme.header_bg
    assert main_window.current_screen_name() == "help"  # choosing a theme never leaves the page


def test_the_contrast_control_is_named_large_and_keyboard_operable(main_window, qtbot) -> None:
    from PySide6.QtGui import QAccessible

    header = main_window.header
    main_window.show_screen("help")
    # Tab from Read aloud reaches Contrast next.
    header.read_aloud.setFocus()
    qtbot.keyClick(header.read_aloud, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is header.display
    qtbot.keyClick(header.display, Qt.Key.Key_Return)
    panel = header.display_panel
    assert panel.isVisible() and QApplication.focusWidget() is panel.choices["default"]
    buttons = [header.display, *panel.choices.values(), panel.close_button]
    for button in buttons:
        name = QAccessible.queryAccessibleInterface(button).text(QAccessible.Text.Name)
        assert button.text() and button.text() in name
        assert min(button.width(), button.height()) >= REFERENCE_PANEL.min_target_px
        assert REFERENCE_PANEL.mm(button.height()) >= 15
    assert [panel.choices[n].text() for n in THEMES] == ["Standard", "High contrast", "Dark high contrast"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.choices["high-contrast"]
    qtbot.keyClick(panel.choices["high-contrast"], Qt.Key.Key_Return)
    assert main_window.theme is THEMES["high-contrast"]
    # Escape closes the band (not Back: the page stays), focus returns to the Contrast button.
    qtbot.keyClick(panel.choices["high-contrast"], Qt.Key.Key_Escape)
    assert not panel.isVisible() and QApplication.focusWidget() is header.display
    assert main_window.current_screen_name() == "help"
    qtbot.keyClick(header.display, Qt.Key.Key_Return)
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert not panel.isVisible() and not header.display.isChecked()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_header_fits_at_the_largest_text_size_with_the_choice_open(main_window, qtbot, lang: str) -> None:
    session = main_window.deps.session
    session.set_language(lang)
    session.set_text_step(len(TEXT_STEPS) - 1)
    main_window.header.show_display_panel()
    QApplication.processEvents()
    header = main_window.header
    # Every header control is wholly inside the window, and even with the choice open (a band that closes again) the
    # page keeps a good part of the screen (it scrolls; closed, the header takes about 40 % at this size in Arabic).
    for button in [header.display, header.help, header.read_aloud, *header.display_panel.choices.values()]:
        top_left = button.mapTo(main_window, button.rect().topLeft())
        assert top_left.x() >= 0 and top_left.x() + button.width() <= main_window.width(), button.text()
        assert button.width() >= button.sizeHint().width(), button.text()  # not squeezed (no clipped label)
    assert main_window.stack.height() >= 0.4 * main_window.height()
    header.close_display_panel()
    QApplication.processEvents()
    assert main_window.stack.height() >= 0.55 * main_window.height()
