"""The numeric keypad works the whole kiosk (ui/keypad.py), and Escape means Back on every screen that has a Back,
closes an open panel first, and never leaves the kiosk."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from kiosk.settings.model import SpeechSettings
from tests import test_accessibility_screens as screens
from tests.test_accessibility_screens import LIFE_EVENT, SCREENS, SERVICE, interactive, show
from ui.header import VOLUME_STEP
from ui.keypad import KEYPAD_ACTIONS
from ui.shell import MainWindow
from ui.widgets import KioskButton

KEYPAD = Qt.KeyboardModifier.KeypadModifier
# The screens' fixture: a life event and a service chosen (the demo catalog comes from conftest.py).
shell_deps = screens.shell_deps


@pytest.fixture
def window(main_window: MainWindow) -> MainWindow:
    main_window.keypad.install()  # the shell installs it after the first frame; make sure it listens now
    return main_window


def press(key: Qt.Key, qtbot, modifier: Qt.KeyboardModifier = KEYPAD) -> QWidget:  # type: ignore[no-untyped-def]
    """Press a keypad key where the focus is; returns the widget that has the focus afterwards."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    return QApplication.focusWidget()


def stops(window: MainWindow) -> list[QWidget]:
    return [w for w in interactive(window) if w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus]


def test_the_mapping_covers_moving_pressing_back_and_speech() -> None:
    assert set(KEYPAD_ACTIONS.values()) == {
        "previous",
        "next",
        "back",
        "main",
        "press",
        "repeat",
        "read-aloud",
        "louder",
        "quieter",
    }
    assert KEYPAD_ACTIONS[Qt.Key.Key_8] == KEYPAD_ACTIONS[Qt.Key.Key_Up] == "previous"  # Num Lock on or off: the same
    assert KEYPAD_ACTIONS[Qt.Key.Key_5] == KEYPAD_ACTIONS[Qt.Key.Key_Clear] == "press"


@pytest.mark.parametrize("name", ["home", "question-choice"])
def test_2_and_8_visit_every_control_and_option_and_come_round(window: MainWindow, qtbot, name: str) -> None:  # type: ignore[no-untyped-def]
    show(window, name)
    controls = stops(window)
    start = window.header.language_buttons["en"]
    start.setFocus()
    forward = [start] + [press(Qt.Key.Key_2, qtbot) for _ in range(len(controls))]
    assert forward[-1] is start  # round to the start: no trap
    assert set(forward) == set(controls)  # every control, each radio option on its own
    assert len(set(forward[:-1])) == len(controls)
    backward = [start] + [press(Qt.Key.Key_8, qtbot) for _ in range(len(controls))]
    assert backward == [forward[0], *reversed(forward[:-1])]


def test_5_presses_and_4_goes_back_on_home(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    entry = window.home.entries["services"]
    entry.setFocus()
    press(Qt.Key.Key_5, qtbot)
    assert window.current_screen_name() == "services"
    press(Qt.Key.Key_4, qtbot)
    assert window.current_screen_name() == "home"
    press(Qt.Key.Key_4, qtbot)  # Back on home: nothing happens, the kiosk stays
    assert window.current_screen_name() == "home" and window.isVisible()


def test_a_question_page_by_keypad_alone(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    show(window, "question-choice")
    screen = window.stack.currentWidget()
    title = window.windowTitle()
    back = screen.back_button
    back.setFocus()
    option = press(Qt.Key.Key_2, qtbot)  # from Back to the first option of the question
    assert option.isWindow() is False and option.group() is not None and not option.isChecked()
    press(Qt.Key.Key_5, qtbot)
    assert option.isChecked()
    assert press(Qt.Key.Key_6, qtbot) is screen.continue_button  # 6: to the page's main button...
    press(Qt.Key.Key_5, qtbot)  # ...which 5 presses
    assert window.windowTitle() != title  # the next question
    press(Qt.Key.Key_4, qtbot)
    assert window.windowTitle() == title  # back, the answer kept
    chosen = [w for w in window.stack.currentWidget().findChildren(QWidget) if getattr(w, "isChecked", None)]
    assert any(w.isChecked() for w in chosen)


def test_digits_type_in_a_text_box_and_slash_moves_on(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    show(window, "question-nif")
    box = window.stack.currentWidget().findChildren(QLineEdit)[0]
    box.setFocus()
    box.setText("")
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_0, Qt.Key.Key_8, Qt.Key.Key_4):
        press(key, qtbot)
    assert box.text() == "12084" and box.hasFocus()  # 0, 8 and 4 type here: they neither repeat nor move nor go back
    assert press(Qt.Key.Key_Slash, qtbot) is not box


def test_star_plus_minus_and_0_are_read_aloud_volume_and_repeat(window: MainWindow, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    session = window.deps.session
    repeats: list[bool] = []
    monkeypatch.setattr(window.speech_mode, "repeat", lambda: repeats.append(True))
    window.header.help.setFocus()
    volume = session.presentation.volume
    press(Qt.Key.Key_Asterisk, qtbot)
    assert session.presentation.read_aloud is True
    press(Qt.Key.Key_Plus, qtbot)
    assert session.presentation.volume == min(100, volume + VOLUME_STEP)
    press(Qt.Key.Key_Minus, qtbot)
    press(Qt.Key.Key_Minus, qtbot)
    assert session.presentation.volume == max(0, volume - VOLUME_STEP)
    press(Qt.Key.Key_0, qtbot)
    assert repeats == [True]
    press(Qt.Key.Key_Asterisk, qtbot)
    assert session.presentation.read_aloud is False


def test_main_keyboard_keys_are_left_alone(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    help_button = window.header.help
    help_button.setFocus()
    assert press(Qt.Key.Key_2, qtbot, Qt.KeyboardModifier.NoModifier) is help_button
    assert press(Qt.Key.Key_Asterisk, qtbot, Qt.KeyboardModifier.NoModifier) is help_button
    assert window.deps.session.presentation.read_aloud is False


def test_a_speech_key_on_the_keypad_belongs_to_read_aloud(qapp, qtbot, shell_deps) -> None:  # type: ignore[no-untyped-def]
    """With `speech.toggle_key = "Num+*"` the keypad's * is read aloud's own shortcut: it toggles once, not twice."""
    shell_deps.speech_settings = SpeechSettings(toggle_key="Num+*")
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.keypad.install()
    window.header.help.setFocus()
    press(Qt.Key.Key_Asterisk, qtbot)
    assert shell_deps.session.presentation.read_aloud is True
    window.allow_close()


# Escape ---------------------------------------------------------------------------------------------------------------
def _back_button(window: MainWindow) -> KioskButton | None:
    back_text = window.deps.catalog.t("common.back", window.deps.session.presentation.language)
    screen = window.stack.currentWidget()
    buttons = [b for b in screen.findChildren(KioskButton) if b.isVisibleTo(window) and b.text() == back_text]
    return buttons[0] if buttons else None


def _fresh(window: MainWindow, name: str) -> None:
    window.deps.session.end("test")  # every screen rebuilt, as for the next citizen
    window.deps.journey.choose_life_event(LIFE_EVENT)
    window.deps.journey.choose_service(SERVICE)
    show(window, name)


@pytest.mark.parametrize("name", SCREENS)
def test_escape_does_what_back_does_and_never_leaves(window: MainWindow, qtbot, name: str) -> None:  # type: ignore[no-untyped-def]
    _fresh(window, name)
    back = _back_button(window)
    if back is None:  # home, and the confirmation of a sent form (its history is cleared: Escape leads home)
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Escape)
        assert window.current_screen_name() in ("home", name) and window.isVisible()
        return
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    by_back = (window.current_screen_name(), window.windowTitle())
    _fresh(window, name)
    focus = QApplication.focusWidget()
    assert focus is not None and focus.window() is window
    qtbot.keyClick(focus, Qt.Key.Key_Escape)
    assert (window.current_screen_name(), window.windowTitle()) == by_back
    assert window.isVisible()
    press(Qt.Key.Key_Escape, qtbot, Qt.KeyboardModifier.NoModifier)  # again, from wherever Escape led
    assert window.isVisible()
