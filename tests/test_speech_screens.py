"""Read aloud in the window, with the recording engine: every registered screen (and every form variant) has a spoken
script naming every control and every visible error, in English, Arabic and the pseudo-locale; every error message a
form can show is announced as field, problem and fix, in every language; the reference is read in groups; any input
stops the voice; the speech keys work from any screen; the session's end resets the volume. Choosing the engine: each
text goes to a voice of its language, and staff are told which configured languages have none.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from accessibility import espeak
from accessibility.speech import SilentEngine, SpeechService, Utterance, clean_text, grouped_for_listening
from accessibility.speech_fake import RecordingEngine
from kiosk.codes import for_speech
from kiosk.forms.answers import AddressInput, DateInput, FieldError, Raw
from kiosk.i18n import SHIPPED_LANGUAGES
from kiosk.journey import Journey
from kiosk.pseudo_locale import PSEUDO_LANGUAGE, with_pseudo_locale
from kiosk.session import DEFAULT_VOLUME
from kiosk.settings.model import SpeechSettings
from tests.test_accessibility_screens import interactive as operable
from ui import speech_setup
from ui.forms.messages import message_keys
from ui.sample_form import SAMPLE_REFERENCE, sample_flow
from ui.screens.form_parts import ErrorSummary
from ui.screens.registry import default_registry
from ui.screenshot_samples import VARIANTS
from ui.speech_setup import VoiceRouter, build_speech

REGISTERED = default_registry().names()
SCREENS = REGISTERED + [name for name in VARIANTS if name not in REGISTERED]
LIFE_EVENT, SERVICE = "id-and-digital-identity", "activate-digital-key"


@pytest.fixture
def engine() -> RecordingEngine:
    return RecordingEngine()


@pytest.fixture(scope="module")
def pseudo_catalog(catalog):  # type: ignore[no-untyped-def]
    """The kiosk's catalog that also knows the pseudo-locale (made once per module)."""
    return with_pseudo_locale(catalog)


@pytest.fixture
def shell_deps(pseudo_catalog, session, notices, panel, demo_services, engine):  # type: ignore[no-untyped-def]  # noqa: PLR0917
    from ui.shell import ShellDeps

    journey = Journey(session)
    journey.choose_life_event(LIFE_EVENT)
    journey.choose_service(SERVICE)
    return ShellDeps(
        catalog=pseudo_catalog,
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


def visible_errors(window: QWidget) -> list[str]:
    """Every error a sighted citizen sees: error labels beside fields (and on screens) and the summary's entries."""
    labels = [
        label.text()
        for label in window.findChildren(QLabel)
        if label.property("role") == "error" and label.isVisibleTo(window) and clean_text(label.text())
    ]
    summaries = [summary for summary in window.findChildren(ErrorSummary) if summary.isVisibleTo(window)]
    return labels + [text for summary in summaries for text in summary.texts()]


@pytest.mark.parametrize("name", SCREENS)
@pytest.mark.parametrize("lang", ["en", "ar", PSEUDO_LANGUAGE])
def test_every_screen_speaks_every_control_and_every_error(main_window, engine, name: str, lang: str) -> None:
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
    for error in visible_errors(main_window):
        assert clean_text(error) in transcript, (name, error)
    assert main_window.deps.catalog.t("speech.keys", lang, toggle="F9", repeat="F8", down="F10", up="F11") in transcript


def test_the_error_screens_show_errors_for_the_transcript_check(main_window) -> None:
    """The variants with errors really show some (else the every-screen check would prove nothing about errors)."""
    for name in ("error", "save-draft-error", "resume-draft-error"):
        show(main_window, name)
        assert visible_errors(main_window), name


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


# Every error a form can show: bad input typed into the sample service's real widget and Continue pressed (the real
# validators), as (page type, what is typed, the message's parameters) ...
TYPED: dict[str, tuple[str, Raw, dict[str, object]]] = {
    "errors.required": ("text", "", {}),
    "errors.required.select": ("choice", None, {}),
    "errors.text.control_chars": ("text", "Ana\x07Sousa", {}),
    "errors.text.too_long": ("text", "a" * 121, {"max": 120}),
    "errors.nif.format": ("nif", "12345678A", {}),
    "errors.nif.length": ("nif", "12345", {"expected": 9}),
    "errors.nif.prefix": ("nif", "412345678", {}),
    "errors.nif.check_digit": ("nif", "123 456 780", {}),
    "errors.cc.format": ("citizen-card", "ABC", {}),
    "errors.cc.check_digit": ("citizen-card", "15432876 1 ZZ2", {}),
    "errors.iban.format": ("iban", "PT50 0002 0123 1234 5678 9015 ?", {}),
    "errors.iban.country": ("iban", "1250 0002 0123 1234 5678 9015 4", {}),
    "errors.iban.length": ("iban", "PT50 0002 0123", {"expected": 25}),
    "errors.iban.check_digits": ("iban", "PT51 0002 0123 1234 5678 9015 4", {}),
    "errors.postcode.format": ("postcode", "1000", {}),
    "errors.phone.format": ("phone", "12", {}),
    "errors.email.format": ("email", "ana@", {}),
    "errors.number.format": ("number", "three", {}),
    "errors.number.ambiguous": ("number", "1.500", {}),
    "errors.number.integer": ("number", "2.5", {}),
    "errors.number.min": ("number", "0", {"min": 1}),
    "errors.number.max": ("number", "21", {"max": 20}),
    "errors.date.missing.day": ("date", DateInput("", "3", "1950"), {}),
    "errors.date.missing.month": ("date", DateInput("2", "", "1950"), {}),
    "errors.date.missing.year": ("date", DateInput("2", "3", ""), {}),
    "errors.date.invalid": ("date", DateInput("31", "2", "1950"), {}),
    "errors.date.year_4_digits": ("date", DateInput("2", "3", "50"), {}),
    "errors.date.future": ("date", DateInput("2", "3", "2050"), {}),
    "errors.address.street.missing": ("address", AddressInput("", "12", "", "1100-048", "Lisboa"), {}),
    "errors.address.number.missing": ("address", AddressInput("Rua Augusta", "", "", "1100-048", "Lisboa"), {}),
    "errors.address.postcode.missing": ("address", AddressInput("Rua Augusta", "12", "", "", "Lisboa"), {}),
    "errors.address.locality.missing": ("address", AddressInput("Rua Augusta", "12", "", "1100-048", ""), {}),
}
# ... or, for what no input on the sample can cause (it has no constraint, no past-only date, no required consent; a
# widget cannot send an unknown option or a non-text), the error handed to the page the way check-answers hands a
# missing answer back (`journey.page_errors`).
HANDED: dict[str, tuple[str, FieldError]] = {
    "errors.consent.required": ("consent", FieldError("share_consent", "consent.required", {})),
    "errors.constraint": ("number", FieldError("people", "constraint", {})),
    "errors.choice.unknown": ("choice", FieldError("call_time", "choice.unknown", {})),
    "errors.repeat.min": ("add-another", FieldError("children", "repeat.min", {"min": 1})),
    "errors.text.format": ("text", FieldError("full_name", "text.format", {})),
    "errors.date.past": ("date", FieldError("birth_date", "date.past", {})),
    "errors.invalid": ("text", FieldError("full_name", "a.code.newer.than.the.catalog", {})),
}


def test_the_error_table_covers_every_message_a_form_can_show() -> None:
    assert not set(TYPED) & set(HANDED)
    assert set(TYPED) | set(HANDED) == set(message_keys())


def _put_error_on_the_page(window, key: str, qtbot) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """A fresh sample flow on the page the error belongs to, the error shown; the message's parameters."""
    journey = window.deps.journey
    if key in TYPED:
        kind, raw, params = TYPED[key]
        sample_flow(journey, kind)
        window.show_screen("question")
        question = window.screen_widget("question")
        assert question.answer is not None and question.continue_button is not None
        question.answer.set_raw(raw)
        qtbot.mouseClick(question.continue_button, Qt.MouseButton.LeftButton)
        return params
    kind, error = HANDED[key]
    sample_flow(journey, kind)
    journey.page_errors = [error]
    window.show_screen("question")
    return dict(error.params)


def _in_order(text: str, *parts: str) -> bool:
    """Each part in `text`, one after the other."""
    start = 0
    for part in parts:
        found = text.find(part, start)
        if found < 0:
            return False
        start = found + len(part)
    return True


@pytest.mark.parametrize("key", message_keys())
def test_every_error_is_announced_as_field_problem_and_fix_in_every_language(  # type: ignore[no-untyped-def]
    main_window, engine, announcements, qtbot, key: str
) -> None:
    session, catalog = main_window.deps.session, main_window.deps.catalog
    for lang in SHIPPED_LANGUAGES:
        session.set_read_aloud(False)
        session.set_language(lang)
        session.set_read_aloud(True)
        settle(main_window)
        engine.clear()
        announcements.clear()
        params = _put_error_on_the_page(main_window, key, qtbot)
        settle(main_window)
        question = main_window.screen_widget("question")
        assert question.summary is not None, (key, lang)
        field = clean_text(question.heading_text)  # the question, as its page shows it
        problem_and_fix = clean_text(f"{catalog.t('form.error_prefix', lang)} {catalog.t(key, lang, **params)}")
        [(_widget, message, assertive)] = [a for a in announcements if a[0] is question.summary]
        assert assertive and _in_order(clean_text(message), field, problem_and_fix), (key, lang, message)
        assert _in_order(spoken(engine), field, problem_and_fix), (key, lang)


def test_the_confirmation_reads_the_reference_in_groups(main_window, engine, announcements) -> None:
    main_window.deps.session.set_read_aloud(True)
    show(main_window, "confirmation")
    grouped = grouped_for_listening(for_speech(SAMPLE_REFERENCE))
    assert grouped == "R, 3 W X 5, R Z M V, 5 N 7 P, 6"
    assert grouped in spoken(engine)
    panel = main_window.screen_widget("confirmation").panel
    assert any(widget is panel and "R, 3WX5, RZMV, 5N7P, 6" in text for widget, text, _ in announcements)


def test_each_text_is_spoken_in_the_language_it_is_in(main_window, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Ukrainian screen, content without a Ukrainian text: the content falls back to English and is spoken so. (The
    demo catalog speaks Ukrainian: a copy of it whose first life event's title has no Ukrainian is shown.)"""
    import json
    import shutil

    from kiosk.catalog import DEMO_CATALOG_DIR

    catalog_dir = tmp_path / "catalog"
    shutil.copytree(DEMO_CATALOG_DIR, catalog_dir)
    first = main_window.deps.services.life_events()[0]
    path = catalog_dir / "life-events" / f"{first.id}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    del document["title"]["uk"]
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    main_window.deps.services.load(catalog_dir)
    main_window.deps.session.set_language("uk")
    show(main_window, "services")
    main_window.deps.session.set_read_aloud(True)
    settle(main_window)
    by_text = {clean_text(text): lang for lang, text in engine.transcript}
    event = main_window.deps.services.life_events()[0]
    title = event.title.get("uk")
    assert title.lang == "en" and by_text[clean_text(title.text)] == "en"
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


def _voices(*langs: str) -> dict[str, list[str]]:
    return {lang: [f"voice-{lang}"] for lang in langs}


class FakeEspeak(RecordingEngine):
    """What `EspeakEngine()` builds in these tests: espeak-ng recording instead of speaking, with chosen voices."""

    name = "espeak-ng"


def test_auto_speaks_through_espeak_at_once_then_moves_to_qt(qapp, qtbot, notices, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui import speech_qt

    fallback, qt = FakeEspeak(), RecordingQtStandIn()
    monkeypatch.setattr(speech_setup, "EspeakEngine", lambda: fallback)
    monkeypatch.setattr(speech_qt, "probe_voices", lambda *_args: {"en-GB": ["Bob"]})
    monkeypatch.setattr(speech_qt, "load_qt_engine", lambda *_args: qt)
    speech, probe, keeper = build_speech(_settings("auto"), notices, volume=40)
    assert isinstance(speech.engine, VoiceRouter) and speech.engine.primary is fallback and speech.volume == 40
    assert probe is not None and keeper is not None
    probe()  # on the background thread in the kiosk: the engine is created on the GUI thread afterwards
    qtbot.waitUntil(lambda: isinstance(speech.engine, VoiceRouter) and speech.engine.primary is qt)
    assert speech.engine.alternate is fallback
    assert notices.current() == ()  # every language has a voice


def test_each_text_goes_to_a_voice_of_its_language_and_staff_learn_which_have_none(  # type: ignore[no-untyped-def]
    qapp, qtbot, notices, monkeypatch
) -> None:
    from ui import speech_qt

    qt = RecordingQtStandIn(voices=_voices("pt-BR", "en-US", "es-ES", "fr-FR"))  # no Ukrainian, no Arabic
    fallback = FakeEspeak(voices=_voices("pt", "en-gb", "uk"))  # Ukrainian, no Arabic
    monkeypatch.setattr(speech_setup, "EspeakEngine", lambda: fallback)
    monkeypatch.setattr(speech_qt, "probe_voices", lambda *_args: qt.voices())
    monkeypatch.setattr(speech_qt, "load_qt_engine", lambda *_args: qt)
    screen = ["en"]
    speech, probe, _keeper = build_speech(_settings("auto"), notices, screen_language=lambda: screen[0])
    assert probe is not None
    probe()
    qtbot.waitUntil(lambda: isinstance(speech.engine, VoiceRouter) and speech.engine.primary is qt)
    [notice] = notices.current()  # staff: one notice naming the language nobody can read
    assert notice.kind == "speech-languages" and notice.params == {"languages": "ar"}
    speech.say([Utterance("Bom dia", "pt-PT"), Utterance("Українська", "uk"), Utterance("العربية", "ar")])
    assert speech.wait_idle()
    assert fallback.transcript == [("uk", "Українська")]  # Qt has no Ukrainian voice: espeak-ng's
    assert qt.transcript == [("pt-PT", "Bom dia"), ("en", "العربية")]  # no Arabic voice at all: the screen's
    qt.clear()
    screen[0] = "ar"  # an Arabic screen: the kiosk's first language's voice, never the one that spoke last
    speech.say([Utterance("English", "en"), Utterance("مرحبا", "ar")])
    assert speech.wait_idle()
    assert qt.transcript == [("en", "English"), ("pt-PT", "مرحبا")]


def test_an_espeak_only_kiosk_checks_its_languages_in_the_background(qapp, notices, catalog, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fallback = FakeEspeak(voices=_voices("pt", "en-gb", "es", "fr", "uk"))
    monkeypatch.setattr(speech_setup, "EspeakEngine", lambda: fallback)
    _speech, check, keeper = build_speech(_settings("espeak-ng"), notices, languages=("pt-PT", "en", "ar"))
    assert check is not None and keeper is None and notices.current() == ()  # nothing asked before the first paint
    check()
    [notice] = notices.current()
    assert notice.kind == "speech-languages" and notice.params == {"languages": "ar"}
    for lang in SHIPPED_LANGUAGES:  # staff read it in any language, with the languages named
        text = catalog.t(f"notice.{notice.kind}", lang, **notice.params)
        assert "ar" in text and "{" not in text


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

    def __init__(self, voices: dict[str, list[str]] | None = None) -> None:
        RecordingEngine.__init__(self, voices=voices)
        QObject.__init__(self)
