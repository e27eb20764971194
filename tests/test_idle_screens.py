"""Idle handling in the window, with a fake clock: the warning appears over the current screen (which keeps what was
typed), "I need more time", a key or a tap extends, expiry wipes the session and shows home with the neutral message,
the sound cue and the spoken warning; and the Qt sounds never fail without an audio device."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from accessibility.speech import SpeechService
from accessibility.speech_fake import RecordingEngine
from kiosk.i18n import SHIPPED_LANGUAGES
from kiosk.idle import IdlePolicy, IdleState
from kiosk.sounds import RecordingSounds
from tests.conftest import REFERENCE_PANEL
from tests.helpers import FakeClock
from ui.screens.idle_warning import IdleWarningScreen

POLICY = IdlePolicy(question_seconds=120, reading_seconds=300, warning_seconds=60)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(50.0)


@pytest.fixture
def sounds() -> RecordingSounds:
    return RecordingSounds()


@pytest.fixture
def engine() -> RecordingEngine:
    return RecordingEngine()


@pytest.fixture
def window(qapp, qtbot, catalog, session, notices, panel, clock, sounds, engine):  # type: ignore[no-untyped-def]  # noqa: PLR0917
    from ui.shell import MainWindow, ShellDeps

    deps = ShellDeps(
        catalog=catalog,
        session=session,
        notices=notices,
        panel=panel,
        languages=SHIPPED_LANGUAGES,
        idle=POLICY,
        idle_clock=clock,
        sounds=sounds,
        speech=SpeechService(engine),
    )
    window = MainWindow(deps)
    qtbot.addWidget(window)
    window.resize(REFERENCE_PANEL.width_px, REFERENCE_PANEL.height_px)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.idle is not None
    window.idle.install()
    yield window
    window.idle.remove()
    window.allow_close()


def advance(window, clock: FakeClock, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """Time passes with the UI's ticks (ticked by hand: the fake clock does not move by itself)."""
    end = clock.now + seconds
    while clock.now < end:
        clock.now = min(end, clock.now + 0.5)
        window.idle.timer.tick()


def start_typing_on_help(window, qtbot) -> QLineEdit:  # type: ignore[no-untyped-def]
    """The citizen opens help (a reading screen) and a field there holds text: what must survive the warning."""
    window.show_screen("help")
    field = QLineEdit(window.screen_widget("help"))
    field.setText("half-typed")
    field.show()
    field.setFocus()
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)  # the first input: the countdown starts
    return field


def test_warning_appears_at_the_configured_time_with_sound_and_focus(window, qtbot, clock, sounds) -> None:
    start_typing_on_help(window, qtbot)
    assert window.idle.timer.kind == "reading"
    advance(window, clock, 239)
    assert window.idle.warning is None
    advance(window, clock, 1)
    warning = window.idle.warning
    assert isinstance(warning, IdleWarningScreen)
    assert window.stack.currentWidget() is warning and window.current_screen_name() == "idle-warning"
    assert warning.seconds_label.text() == "Seconds left: 60"
    assert sounds.played == ["idle-warning"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is warning.more_time_button)
    assert warning.more_time_button.height() >= REFERENCE_PANEL.px(20)
    assert "Do you need more time?" in window.windowTitle()
    advance(window, clock, 5)
    assert warning.seconds_label.text() == "Seconds left: 55"


def test_more_time_extends_and_the_screen_beneath_keeps_its_text(window, qtbot, clock) -> None:
    field = start_typing_on_help(window, qtbot)
    advance(window, clock, 250)
    warning = window.idle.warning
    qtbot.mouseClick(warning.more_time_button, Qt.MouseButton.LeftButton)
    assert window.idle.warning is None and window.current_screen_name() == "help"
    assert field.text() == "half-typed" and window.idle.timer.extensions == 1
    assert window.idle.timer.seconds_left() == 300
    advance(window, clock, 239)
    assert window.idle.warning is None


def test_the_button_itself_extends(window, qtbot, clock) -> None:
    start_typing_on_help(window, qtbot)
    advance(window, clock, 250)
    window.idle.warning.more_time_button.click()  # e.g. an assistive technology's press action
    assert window.idle.warning is None and window.idle.timer.state is IdleState.RUNNING


def test_a_key_extends_and_escape_does_not_also_go_back(window, qtbot, clock) -> None:
    start_typing_on_help(window, qtbot)
    for _ in range(12):  # more than ten extensions
        advance(window, clock, 241)
        assert window.idle.warning is not None
        qtbot.keyClick(window.idle.warning.more_time_button, Qt.Key.Key_Escape)
        assert window.idle.warning is None and window.current_screen_name() == "help"
    assert window.idle.timer.extensions == 12 and window.deps.session.presentation.language == "en"


def test_a_tap_anywhere_only_answers_the_warning(window, qtbot, clock) -> None:
    start_typing_on_help(window, qtbot)
    advance(window, clock, 250)
    back = window.screen_widget("help").back_button
    # The press lands on the warning; its release must not act on the Back button that reappears under the finger.
    qtbot.mousePress(window.idle.warning.more_time_button, Qt.MouseButton.LeftButton)
    assert window.idle.warning is None
    release = QMouseEvent(
        QEvent.Type.MouseButtonRelease,
        QPointF(5, 5),
        QPointF(back.mapToGlobal(back.rect().topLeft())) + QPointF(5, 5),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(back, release)
    assert window.current_screen_name() == "help"


def test_expiry_wipes_the_session_and_home_says_so(window, qtbot, clock, session, sounds) -> None:
    start_typing_on_help(window, qtbot)
    session.set_language("fr")
    session.set_text_step(2)
    window.show_screen("help")
    advance(window, clock, 241)
    assert window.idle.warning is not None
    advance(window, clock, 59)
    qtbot.waitUntil(lambda: window.current_screen_name() == "home")
    assert window.idle.warning is None and window.screen_widget("help") is None
    assert session.presentation == session.defaults
    assert window.home.message_key == "home.session_timed_out"
    assert window.home.message_text.text() == ("The session ended after a period without activity. Nothing was kept.")
    assert window.history() == [] and sounds.played == ["idle-warning"]
    # Nobody there: nothing more happens until the next citizen touches the screen.
    advance(window, clock, 1000)
    assert window.idle.timer.state is IdleState.STOPPED and sounds.played == ["idle-warning"]


def test_other_endings_stop_the_countdown_without_the_message(window, qtbot, clock, session) -> None:
    start_typing_on_help(window, qtbot)
    advance(window, clock, 250)
    session.end("finished")
    assert window.idle.warning is None and window.idle.timer.state is IdleState.STOPPED
    assert window.current_screen_name() == "home" and window.home.message_key is None


def test_a_help_call_holds_the_expiry(window, qtbot, clock, session) -> None:
    start_typing_on_help(window, qtbot)
    window.idle.timer.hold("help-call")
    advance(window, clock, 2000)
    assert window.idle.warning is None and window.current_screen_name() == "help"


def test_the_warning_is_spoken_with_read_aloud_on(window, qtbot, clock, session, engine) -> None:
    start_typing_on_help(window, qtbot)
    session.set_read_aloud(True)
    announced: list[tuple[str, bool]] = []
    window.announcer.announced.connect(lambda _w, message, assertive: announced.append((message, assertive)))
    advance(window, clock, 250)
    assert announced and announced[0][1] is True
    assert announced[0][0].startswith("Do you need more time?") and announced[0][0].endswith("Seconds left: 60")
    qtbot.waitUntil(lambda: any("Do you need more time?" in text for text in engine.texts()))
    advance(window, clock, 40)
    assert announced[-1][0] == "Seconds left: 10"


def test_the_warning_is_not_spoken_with_read_aloud_off(window, qtbot, clock, engine) -> None:
    start_typing_on_help(window, qtbot)
    advance(window, clock, 250)
    assert window.idle.warning is not None
    assert not any("more time" in text for text in engine.texts())


def test_the_screen_kind_follows_the_screen(window, qtbot, clock) -> None:
    start_typing_on_help(window, qtbot)
    assert window.idle.timer.kind == "reading"
    window.show_screen("lookup")
    assert window.idle.timer.kind == "question"


def test_the_warning_screen_is_translated(qapp, catalog) -> None:
    for language in SHIPPED_LANGUAGES:
        for key in ("idle.warning.title", "idle.warning.lead", "idle.warning.more_time", "home.session_timed_out"):
            assert catalog.t(key, language) != key
        assert "7" in catalog.t("idle.warning.seconds_left", language, seconds=7)


@pytest.mark.qt_log_ignore(".*")  # Qt Multimedia's backend reports the libraries and audio servers it did not find
def test_qt_sounds_never_fail_without_an_audio_device(qapp, tmp_path) -> None:
    from ui.sounds_qt import NOTES, QtSounds, chime

    sounds = QtSounds(tmp_path / "sounds", lambda: 70)
    for cue in NOTES:
        sounds.play(cue)  # plays, or (no device, as in CI) does nothing
    with pytest.raises(ValueError, match="unknown sound cue"):
        sounds.play("fanfare")
    assert all(len(chime(notes)) < 22_050 * 2 for notes in NOTES.values())  # each under a second
