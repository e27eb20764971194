"""Read aloud in the window, with the recording engine: every registered screen (and every form variant) has a spoken
script naming every control; errors are announced as field, problem and fix; the reference is read in groups; any
input stops the voice; the speech keys work from any screen; the session's end resets the volume.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QWidget

from accessibility import espeak
from accessibility.speech import SilentEngine, SpeechService, Utterance, clean_text, grouped_for_listening
from accessibility.speech_fake import RecordingEngine
from kiosk.codes import for_speech
from kiosk.i18n import SHIPPED_LANGUAGES
from kiosk.journey import Journey
from kiosk.session import DEFAULT_VOLUME
from kiosk.settings.model import SpeechSettings
from tests.test_accessibility_screens import interactive as operable
from ui.screens.registry import default_registry
from ui.screenshot_samples import SAMPLE_REFERENCE, VARIANTS
from ui.speech_setup import build_speech

REGISTERED = default_registry().names()
SCREENS = REGISTERED + [name for name in VARIANTS if name not in REGISTERED]
LIFE_EVENT, SERVICE = "id-and-digital-identity", "activate-digital-key"


@pytest.fixture
def engine() -> RecordingEngine:
    return RecordingEngine()


@pytest.fixture
def shell_deps(catalog, session, notices, panel, demo_services, engine):  # type: ignore[no-untyped-def]  # noqa: PLR0917
    from ui.shell import ShellDeps

    journey = Journey(session)
    journey.choose_life_event(LIFE_EVENT)
    journey.choose_service(SERVICE)
    return ShellDeps(
        catalog=catalog,
        session=session,
        notices=notices,
        panel=panel,
        languages=SHIPPED_LANGUAGES,
        services=demo_services,
        journey=journey,
        speech=SpeechService(engine),
    )


@pytest.fixture
def announcements(main_window) -> list[tuple[QWidget, str, bool]]:  # type: ignore[no-untyped-def]
    seen: list[tuple[QWidget, str, bool]] = []
    main_window.announcer.announced.connect(
        lambda widget, message, assertive: seen.append((widget, message, assertive))
    )
    return seen


def settle(window) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        QApplication.processEvents()
    assert window.speech.wait_idle(10)


def show(window, name: str) -> None:  # type: ignore[no-untyped-def]
    """A registered screen, or a variant: the sample form put on its page first (and acted on, for errors)."""
    variant = VARIANTS.get(name)
    screen = name
    if variant is not None:
        variant.prepare(window.deps.journey)
        screen = variant.screen
    window.show_screen(screen)
    assert window.current_screen_name() == screen
    if variant is not None and variant.act is not None:
        variant.act(window.screen_widget(screen))
    settle(window)


def interactive(window: QWidget) -> list[QWidget]:
    """What a citizen can operate (the on-screen keyboard's keys are spoken as they are pressed, not in the script)."""
    keyboard = window.findChild(QWidget, "onScreenKeyboard")
    return [w for w in operable(window) if keyboard is None or not keyboard.isAncestorOf(w)]


def spoken(engine: RecordingEngine) -> str:
    return "\n".join(clean_text(text) for text in engine.texts())


@pytest.mark.parametrize("name", SCREENS)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_screen_speaks_every_control_by_name(main_window, engine, name: str, lang: str) -> None:
    main_window.deps.session.set_language(lang)
    show(main_window, name)
    main_window.deps.session.set_read_aloud(True)  # says the state, the keys, then the whole screen
    settle(main_window)
    transcript = spoken(engine)
    widgets = interactive(main_window)
    assert widgets
    for widget in widgets:
        accessible = QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)
        assert clean_text(accessible) in transcript, (name, accessible)
    assert main_window.deps.catalog.t("speech.keys", lang, toggle="F9", repeat="F8", down="F10", up="F11") in transcript


def test_a_page_change_reads_the_new_page_and_reaches_assistive_technology(main_window, engine, announcements) -> None:
    main_window.deps.session.set_read_aloud(True)
    settle(main_window)
    engine.clear()
    main_window.show_screen("help")
    settle(main_window)
    assert "Back, button" in engine.texts()
    assert "Getting help" in spoken(engine)
    assert announcements[-1][0] is main_window.screen_widget("help")
    main_window.deps.session.set_read_aloud(False)
    settle(main_window)
    engine.clear()
    main_window.show_screen("services")
    settle(main_window)
    assert engine.texts() == []  # read aloud off: nothing spoken, the page change still announced to AT
    assert announcements[-1][0] is main_window.screen_widget("services")


def test_an_invalid_answer_is_announced_as_field_problem_and_fix(main_window, engine, announcements) -> None:
    main_window.deps.session.set_read_aloud(True)
    show(main_window, "error")  # a tax number with a wrong check digit, then Continue
    question = main_window.screen_widget("question")
    assert question.summary is not None
    heading = question.heading_text
    message = main_window.deps.catalog.t("errors.nif.check_digit", "en")
    expected = f"{heading}. Error: {message}"
    assert question.summary.spoken_errors() == [expected]
    summary_announcements = [a for a in announcements if a[0] is question.summary]
    assert summary_announcements, "the error summary was not announced"
    _widget, text, assertive = summary_announcements[-1]
    assert assertive and "There is a problem" in text and expected in text
    engine.clear()
    main_window.speech_mode.read_screen(full=False)
    settle(main_window)
    lines = spoken(engine).splitlines()
    assert lines[0] == f"Error: {heading}"  # the page title, "Error:" first
    start = lines.index("There is a problem")  # then the summary, before the question
    assert lines[start + 1] == expected and start < lines.index(heading)


def test_the_confirmation_reads_the_reference_in_groups(main_window, engine, announcements) -> None:
    main_window.deps.session.set_read_aloud(True)
    show(main_window, "confirmation")
    grouped = grouped_for_listening(for_speech(SAMPLE_REFERENCE))
    assert grouped == "R, 3 W X 5, R Z M V, 5 N 7 P, 6"
    assert grouped in spoken(engine)
    panel = main_window.screen_widget("confirmation").panel
    assert any(widget is panel and "R, 3WX5, RZMV, 5N7P, 6" in text for widget, text, _ in announcements)


def test_each_text_is_spoken_in_the_language_it_is_in(main_window, engine) -> None:
    """Ukrainian screen, content without a Ukrainian text: the content falls back to English and is spoken so."""
    main_window.deps.session.set_language("uk")
    show(main_window, "services")
    main_window.deps.session.set_read_aloud(True)
    settle(main_window)
    by_text = {clean_text(text): lang for lang, text in engine.transcript}
    event = main_window.deps.services.life_events()[0]
    title = event.title.get("uk")
    assert by_text[clean_text(title.text)] == title.lang
    assert by_text[main_window.deps.catalog.t("services.title", "uk")] == "uk"
    assert by_text["English"] == "en" and by_text["Português"] == "pt-PT"  # the language switch's endonyms


def test_any_key_or_press_stops_speech(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    held = RecordingEngine(hold=True)
    main_window.speech.set_engine(held)
    main_window.deps.session.set_read_aloud(True)
    qtbot.waitUntil(lambda: held.texts() != [])
    button = main_window.header.language_buttons["en"]
    for press in (
        lambda: qtbot.keyClick(button, Qt.Key.Key_Right),
        lambda: qtbot.keyClick(button, Qt.Key.Key_A),
        lambda: qtbot.mousePress(main_window.home.content, Qt.MouseButton.LeftButton, pos=QPoint(5, 5)),
        lambda: qtbot.mousePress(button, Qt.MouseButton.LeftButton),
        lambda: qtbot.keyClick(button, Qt.Key.Key_F11),  # louder: cuts, then says the new level
    ):
        main_window.speech.stop()
        held.clear()
        main_window.speech.say(Utterance("a long announcement", "en"))
        qtbot.waitUntil(lambda: held.texts() == ["a long announcement"])
        press()
        assert held.cut == [("en", "a long announcement")]
    qtbot.waitUntil(lambda: held.texts()[-1] == "Volume: 80 percent")
    assert main_window.speech.last_announcement[-1].text == "a long announcement"  # a level is not repeated
    held.finish()
    main_window.deps.session.set_read_aloud(False)  # the filter goes: a press no longer reaches speech
    held.hold = False
    stops = held.stops
    qtbot.keyClick(button, Qt.Key.Key_Right)
    assert held.stops == stops


def test_the_toggle_key_works_on_every_screen_and_says_the_new_state(main_window, engine, qtbot) -> None:
    show(main_window, "error")
    field = QApplication.focusWidget()
    assert field is not None
    qtbot.keyClick(field, Qt.Key.Key_F9)
    settle(main_window)
    assert main_window.deps.session.presentation.read_aloud
    assert engine.texts()[0] == "Read aloud: on"
    engine.clear()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F9)
    settle(main_window)
    assert not main_window.deps.session.presentation.read_aloud
    assert engine.texts() == ["Read aloud: off"]


def test_repeat_button_is_shown_with_read_aloud_named_and_large_enough(  # type: ignore[no-untyped-def]
    main_window, engine, qtbot, save_artifact
) -> None:
    header, panel = main_window.header, main_window.deps.panel
    assert not header.repeat.isVisible() and not header.louder.isVisible()
    qtbot.mouseClick(header.read_aloud, Qt.MouseButton.LeftButton)
    settle(main_window)
    for button in (header.repeat, header.quieter, header.louder):
        assert button.isVisible()
        assert button.width() >= panel.min_target_px and button.height() >= panel.min_target_px
        assert button.text() and button.text() in button.accessibleName()
    save_artifact(main_window, "speech-read-aloud-on.png")  # the header with Repeat and the volume, for people
    last = main_window.speech.last_announcement
    assert last and last[-1].text  # the screen was read
    header.repeat.setFocus()  # says "Repeat, button" (not something Repeat replays)
    settle(main_window)
    assert engine.texts()[-1] == "Repeat, button"
    engine.clear()
    qtbot.mouseClick(header.repeat, Qt.MouseButton.LeftButton)
    settle(main_window)
    assert engine.texts() == [u.text for u in last]
    engine.clear()
    qtbot.keyClick(header.repeat, Qt.Key.Key_F8)
    settle(main_window)
    assert engine.texts() == [u.text for u in last]


def test_the_focused_control_says_what_it_is(main_window, engine, qtbot) -> None:  # type: ignore[no-untyped-def]
    show(main_window, "question-date")
    main_window.deps.session.set_read_aloud(True)
    settle(main_window)
    question = main_window.screen_widget("question")
    day = question.answer.first_field()
    day.setFocus()
    settle(main_window)
    engine.clear()
    qtbot.keyClicks(day, "27")
    qtbot.keyClick(day, Qt.Key.Key_Tab)  # to the month box
    settle(main_window)
    texts = engine.texts()
    assert texts[:2] == ["Month", "text box"] and texts[-1] == "empty"
    assert "For example, 27 3 1985." in texts[2]  # its description: the question and its hint
    day.setFocus()
    settle(main_window)
    assert engine.texts()[-1] == "27"  # the day as typed, after its name, role and hint
    main_window.deps.session.set_read_aloud(False)
    settle(main_window)
    engine.clear()
    question.continue_button.setFocus()
    settle(main_window)
    assert engine.texts() == []


def test_volume_changes_are_said_and_reset_when_the_session_ends(main_window, engine, qtbot) -> None:
    session = main_window.deps.session
    qtbot.mouseClick(main_window.header.read_aloud, Qt.MouseButton.LeftButton)
    settle(main_window)
    for _ in range(2):
        qtbot.mouseClick(main_window.header.louder, Qt.MouseButton.LeftButton)
    qtbot.keyClick(main_window.header.louder, Qt.Key.Key_VolumeUp)
    settle(main_window)
    assert session.presentation.volume == DEFAULT_VOLUME + 30
    assert main_window.speech.volume == DEFAULT_VOLUME + 30
    assert engine.volumes[-1] == DEFAULT_VOLUME + 30
    assert "Volume: 100 percent" in engine.texts()
    assert not main_window.header.louder.isEnabled()  # at the top
    session.end("timeout")
    settle(main_window)
    assert session.presentation.volume == DEFAULT_VOLUME == main_window.speech.volume
    assert not session.presentation.read_aloud
    assert main_window.speech.last_announcement == ()  # nothing of that session can be repeated
    assert "Read aloud: off" not in engine.texts()  # the reset itself is not announced


# Choosing the engine (ui.speech_setup) -------------------------------------------------------------------------------
def _settings(engine: str) -> SpeechSettings:
    return SpeechSettings(engine=engine, headset=True)


def test_engine_none_is_silent_on_purpose(qapp, notices) -> None:  # type: ignore[no-untyped-def]
    speech, probe, _keeper = build_speech(_settings("none"), notices)
    assert isinstance(speech.engine, SilentEngine) and probe is None
    assert speech.headset and notices.current() == ()


def test_auto_speaks_through_espeak_at_once_then_moves_to_qt(qapp, qtbot, notices, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui import speech_qt

    monkeypatch.setattr(espeak.EspeakEngine, "available", property(lambda _self: True))
    monkeypatch.setattr(speech_qt, "probe_voices", lambda *_args: {"en-GB": ["Bob"]})
    monkeypatch.setattr(speech_qt, "load_qt_engine", lambda *_args: RecordingQtStandIn())
    speech, probe, keeper = build_speech(_settings("auto"), notices, volume=40)
    assert isinstance(speech.engine, espeak.EspeakEngine) and speech.volume == 40
    assert probe is not None and keeper is not None
    probe()  # on the background thread in the kiosk: the engine is created on the GUI thread afterwards
    qtbot.waitUntil(lambda: isinstance(speech.engine, RecordingQtStandIn))
    assert notices.current() == ()


def test_no_voice_at_all_tells_staff_once(qapp, notices, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui import speech_qt

    monkeypatch.setattr(espeak.EspeakEngine, "available", property(lambda _self: False))
    monkeypatch.setattr(speech_qt, "probe_voices", lambda *_args: None)
    speech, probe, _keeper = build_speech(_settings("auto"), notices)
    assert isinstance(speech.engine, SilentEngine) and probe is not None
    probe()
    [notice] = notices.current()
    assert notice.kind == "speech-unavailable" and "espeak-ng" in notice.params["reason"]
    speech.say(Utterance("still works", "en"))
    assert speech.wait_idle()
    _speech, _probe, _keeper = build_speech(_settings("espeak-ng"), notices)
    assert [n.kind for n in notices.current()] == ["speech-unavailable"]


class RecordingQtStandIn(RecordingEngine, QObject):
    """What `load_qt_engine` returns (a QObject the upgrade parents), recording instead of speaking."""

    def __init__(self) -> None:
        RecordingEngine.__init__(self)
        QObject.__init__(self)
