"""Tap rules: every clickable widget acts on release and not on press, sliding off before the release cancels, a quick
identical second tap is ignored (`input.debounce_ms`), and nothing in ui/ needs a drag, a long press or two fingers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLayout, QVBoxLayout, QWidget

from kiosk.settings.loader import default_config, load_config
from kiosk.settings.model import ConfigError
from tests import test_accessibility_screens as screens
from tests.helpers import FakeClock
from tests.test_accessibility_screens import SCREENS, show
from ui.shell import MainWindow
from ui.widgets import DEBOUNCE_MAX_MS, KioskButton, TapDebounce

UI = Path(__file__).resolve().parents[1] / "ui"
LEFT = Qt.MouseButton.LeftButton
# The screens' fixtures: the demo catalog loaded, a life event and a service chosen (so every screen has content).
shell_deps = screens.shell_deps


def clickable_kinds(window: MainWindow) -> dict[type, tuple[str, QAbstractButton]]:
    """One visible instance of every clickable class the screens use, with the screen it is on."""
    found: dict[type, tuple[str, QAbstractButton]] = {}
    for name in SCREENS:
        show(window, name)
        for button in window.findChildren(QAbstractButton):
            if type(button) not in found and button.isVisibleTo(window) and button.isEnabled():
                found[type(button)] = (name, button)
    return found


def test_every_clickable_widget_acts_on_release_and_sliding_off_cancels(main_window: MainWindow) -> None:
    kinds = clickable_kinds(main_window)
    names = {kind.__name__ for kind in kinds}
    assert {"KioskButton", "EntryButton", "RadioOption", "CheckOption", "LinkButton"} <= names, names
    for kind, (name, button) in kinds.items():
        show(main_window, name)
        main_window.stack.currentWidget().scroll_area.ensureWidgetVisible(button)
        QApplication.processEvents()
        clicks: list[bool] = []
        button.clicked.connect(lambda *_, clicks=clicks: clicks.append(True))
        centre = button.rect().center()
        outside = QPoint(button.width() + 40, button.height() + 40)
        QTest.mousePress(button, LEFT, Qt.KeyboardModifier.NoModifier, centre)
        assert clicks == [], f"{kind.__name__} acted on press"
        QTest.mouseMove(button, outside)
        QTest.mouseRelease(button, LEFT, Qt.KeyboardModifier.NoModifier, outside)
        assert clicks == [], f"{kind.__name__} acted although the finger slid off"
        QTest.mousePress(button, LEFT, Qt.KeyboardModifier.NoModifier, centre, 600)
        QTest.mouseRelease(button, LEFT, Qt.KeyboardModifier.NoModifier, centre)
        assert clicks == [True], f"{kind.__name__} did not act on release"


# Debounce -------------------------------------------------------------------------------------------------------------
@pytest.fixture
def two_buttons(qapp, qtbot):  # type: ignore[no-untyped-def]
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # offscreen cannot take size hints
    page.resize(400, 300)
    first, second = KioskButton(), KioskButton()
    first.set_label("Send")
    second.set_label("Back")
    layout.addWidget(first)
    layout.addWidget(second)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    clock = TapClock(1000.0)
    debounce = TapDebounce(300, page, clock=clock)
    debounce.install()
    counts = {"first": 0, "second": 0}
    first.clicked.connect(lambda: counts.__setitem__("first", counts["first"] + 1))
    second.clicked.connect(lambda: counts.__setitem__("second", counts["second"] + 1))
    yield first, second, counts, clock
    debounce.remove()


class TapClock(FakeClock):
    def advance(self, ms: float) -> None:
        self.now += ms / 1000


def tap(button: QAbstractButton) -> None:
    QTest.mouseClick(button, LEFT, Qt.KeyboardModifier.NoModifier, button.rect().center())


def test_a_quick_second_tap_on_the_same_control_is_ignored(two_buttons) -> None:  # type: ignore[no-untyped-def]
    first, _second, counts, clock = two_buttons
    tap(first)
    clock.advance(50)
    tap(first)
    clock.advance(100)
    QTest.mouseDClick(first, LEFT, Qt.KeyboardModifier.NoModifier, first.rect().center())  # a double tap
    QTest.mousePress(first, LEFT, Qt.KeyboardModifier.NoModifier, first.rect().center())
    assert not first.isDown()  # an ignored press does not even show the button pressed
    QTest.mouseRelease(first, LEFT, Qt.KeyboardModifier.NoModifier, first.rect().center())
    assert counts["first"] == 1
    clock.advance(160)  # 310 ms after the tap that acted
    tap(first)
    assert counts["first"] == 2


def test_another_control_acts_at_once(two_buttons) -> None:  # type: ignore[no-untyped-def]
    first, second, counts, clock = two_buttons
    tap(first)
    clock.advance(30)
    tap(second)
    assert counts == {"first": 1, "second": 1}


def test_a_tap_that_slid_off_does_not_start_the_window(two_buttons) -> None:  # type: ignore[no-untyped-def]
    first, _second, counts, clock = two_buttons
    outside = QPoint(first.width() + 40, first.height() // 2)
    QTest.mousePress(first, LEFT, Qt.KeyboardModifier.NoModifier, first.rect().center())
    QTest.mouseMove(first, outside)
    QTest.mouseRelease(first, LEFT, Qt.KeyboardModifier.NoModifier, outside)
    clock.advance(30)
    tap(first)
    assert counts["first"] == 1  # the first attempt did nothing, so the second is not a repeat


def test_the_kiosk_window_debounces_with_its_setting(qapp, qtbot, shell_deps) -> None:  # type: ignore[no-untyped-def]
    shell_deps.debounce_ms = 300
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.tap_debounce.install()
    larger = window.header.larger
    tap(larger)
    tap(larger)
    assert shell_deps.session.presentation.text_step == 1  # "Larger" tapped twice at once: one step
    qtbot.wait(350)  # the real clock: QTest's delays only change the events' timestamps
    tap(larger)
    assert shell_deps.session.presentation.text_step == 2
    window.allow_close()


def test_the_setting_defaults_to_300_ms_and_stops_at_500(tmp_path: Path) -> None:
    assert default_config().input.debounce_ms == 300
    config = tmp_path / "kiosk.toml"
    config.write_text("[input]\ndebounce_ms = 150\n", encoding="utf-8")
    assert load_config(config).input.debounce_ms == 150
    config.write_text("[input]\ndebounce_ms = 900\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"input\.debounce_ms"):
        load_config(config)
    with pytest.raises(ValueError, match=r"0\.\.500"):
        TapDebounce(DEBOUNCE_MAX_MS + 1)


# No gestures ----------------------------------------------------------------------------------------------------------
FORBIDDEN = {
    r"\bQ\w*Gesture\b|grabGesture|GestureType|QScroller": "a gesture (pinch, swipe, pan, tap-and-hold, kinetic drag)",
    r"\bQDrag\b|setDragEnabled\(True\)|setAcceptDrops\(True\)": "drag and drop",
    r"QTouchEvent|WA_AcceptTouchEvents|TouchUpdate|pointCount": "raw touch points (multi-finger)",
    r"def (mousePressEvent|mouseDoubleClickEvent|mouseMoveEvent)\b": "acting on press or on a drag",
    r"[^_]pressed\.connect\(": "acting on press (connect `clicked`, which fires on release)",
    r"long_?press|pressAndHold|tapAndHold": "a long press",
}


def test_no_gesture_drag_long_press_or_press_action_in_ui() -> None:
    problems = []
    for path in sorted(UI.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            for pattern, what in FORBIDDEN.items():
                if re.search(pattern, code):
                    problems.append(f"{path.relative_to(UI.parent)}:{number}: {what}: {line.strip()}")
    assert not problems, "\n".join(problems)


def test_the_static_check_would_see_a_gesture() -> None:
    samples = [
        "self.grabGesture(Qt.GestureType.TapAndHoldGesture)",
        "button.pressed.connect(self.send)",
        "def mousePressEvent(self, event):",
    ]
    for sample in samples:
        assert any(re.search(pattern, sample) for pattern in FORBIDDEN), sample
