"""The numeric keypad works the whole kiosk (ui/keypad.py), and Escape means Back on every screen that has a Back,
closes an open panel first, and never leaves the kiosk."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QRadioButton, QWidget

from kiosk.settings.model import SpeechSettings
from tests import a11y_matrix as a11y
from tests import test_accessibility_screens as screens
from tests.test_accessibility_screens import LIFE_EVENT, SCREENS, SERVICE, focus_hidden, interactive, show
from ui.header import VOLUME_STEP
from ui.keypad import KEYPAD_ACTIONS, TEXT_BOXES
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
    """Where 2 must stop: every Tab stop, and every option of a choice (Qt takes all but the focused option of a group
    out of the Tab chain; the keypad stops at each)."""
    return [
        w
        for w in interactive(window)
        if w.isEnabled() and (w.focusPolicy() & Qt.FocusPolicy.TabFocus or isinstance(w, QRadioButton))
    ]


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


# Every screen: 2 (and / out of a text box) reaches every control, each in view, and comes round ----------------------
@pytest.fixture(scope="module")
def shared_window(qapp) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """One window for every screen (as the accessibility matrix does): each case shows its screen built fresh."""
    window = a11y.build_window()
    window.keypad.install()
    yield window
    window.allow_close()
    window.close()
    window.deleteLater()


@pytest.fixture
def every_screen_window(shared_window: MainWindow) -> MainWindow:
    shared_window.activateWindow()  # other tests' windows took the activation (and with it the focus)
    QTest.qWaitForWindowActive(shared_window, 5000)
    return shared_window


EVERY_SCREEN = [(step, name) for step in (0, a11y.LARGEST) for name in SCREENS]  # 100 % and 200 %


def _nothing() -> None:
    pass


def keypad_round(
    window: MainWindow, start: QWidget, limit: int, settle: Callable[[], None] = _nothing
) -> list[QWidget]:
    """Press 2 (/ in a text box, where 2 types) from `start` until the focus is back there, at most `limit` times;
    the widgets focused, `start` first. Each must be fully in view (a control taller than the view: its top) when it
    gets the focus, after `settle` (with the on-screen keyboard: it opens, closes and the page re-lays out)."""
    start.setFocus()
    visited = [start]
    while len(visited) <= limit and (len(visited) == 1 or visited[-1] is not start):
        focused = QApplication.focusWidget()
        key = Qt.Key.Key_Slash if isinstance(focused, TEXT_BOXES) else Qt.Key.Key_2
        QTest.keyClick(focused, key, KEYPAD)
        settle()
        visited.append(QApplication.focusWidget())
        hidden = focus_hidden(visited[-1])
        assert hidden is None, f"{a11y.describe(visited[-1])} {hidden}"
    return visited


@pytest.mark.parametrize(("step", "name"), EVERY_SCREEN, ids=[f"{step}-{name}" for step, name in EVERY_SCREEN])
def test_2_reaches_every_control_of_every_screen_in_view_and_comes_round(
    every_screen_window: MainWindow, step: int, name: str
) -> None:
    window = every_screen_window
    a11y.apply_combo(window, a11y.Combo("default", step, "en"))
    a11y.show_screen(window, name)
    controls = stops(window)
    start = window.header.language_entry
    visited = keypad_round(window, start, len(controls))
    assert visited[-1] is start  # round to the start: no trap
    assert set(visited) == set(controls)  # every control, each radio option on its own
    assert len(set(visited[:-1])) == len(controls)


def test_with_the_on_screen_keyboard_open_every_stop_is_in_view(qapp, qtbot, shell_deps) -> None:  # type: ignore[no-untyped-def]
    """At 200 % with the keyboard docked under the page (the page gets shorter), 2 and / go through the address
    boxes and buttons: each box and button is in view above the keyboard when it gets the focus."""
    shell_deps.on_screen_keyboard = "always"
    shell_deps.session.set_text_step(a11y.LARGEST)
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    window.resize(a11y.REFERENCE_PANEL.width_px, a11y.REFERENCE_PANEL.height_px)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    show(window, "question-address")
    controls = stops(window)
    boxes = [w for w in controls if isinstance(w, QLineEdit)]
    assert len(boxes) >= 3
    start = window.header.language_entry
    visited = keypad_round(window, start, 2 * len(controls), a11y.settle)
    assert visited[-1] is start and set(controls) <= set(visited)
    assert window.keyboard.isAncestorOf(visited[visited.index(boxes[0]) + 1])  # the keys: one stop after the box
    assert not window.keyboard.is_open()  # closed again once the focus left the boxes
    window.allow_close()


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
