"""The speech service (Qt-free) with the recording fake; the espeak-ng and Qt engines; the doctor's speech check."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accessibility import espeak
from accessibility.speech import (
    ASTERISK,
    MASKED,
    PRIVATE,
    SilentEngine,
    SpeechService,
    Utterance,
    clean_text,
    grouped_for_listening,
    language_of,
    masked_form,
    remember_language,
    voices_for_language,
)
from accessibility.speech_fake import RecordingEngine
from kiosk.codes import for_speech
from kiosk.i18n import SHIPPED_LANGUAGES

SIX = {"pt-PT": "asterisco", "en": "asterisk", "es": "asterisco", "fr": "astérisque", "uk": "зірочка", "ar": "نجمة"}


def until(condition, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


@pytest.fixture
def held() -> tuple[SpeechService, RecordingEngine]:
    engine = RecordingEngine(hold=True)
    return SpeechService(engine), engine


# The queue ----------------------------------------------------------------------------------------------------------
def test_utterances_are_spoken_in_order_each_in_its_own_language() -> None:
    engine = RecordingEngine()
    speech = SpeechService(engine)
    speech.say([Utterance("Bom dia", "pt-PT"), Utterance("Register a birth", "en"), Utterance("مرحبا", "ar")])
    speech.say(Utterance("Ще одне", "uk"))
    assert speech.wait_idle()
    assert engine.transcript == [("pt-PT", "Bom dia"), ("en", "Register a birth"), ("ar", "مرحبا"), ("uk", "Ще одне")]
    assert not speech.busy


def test_stop_cuts_the_current_utterance_and_empties_the_queue(held) -> None:  # type: ignore[no-untyped-def]
    speech, engine = held
    speech.say([Utterance("first", "en"), Utterance("second", "en"), Utterance("third", "en")])
    until(lambda: engine.transcript == [("en", "first")])
    assert speech.busy
    speech.stop()
    assert speech.wait_idle()
    assert engine.cut == [("en", "first")]
    time.sleep(0.05)
    assert engine.texts() == ["first"]  # the rest of the queue was dropped


def test_interrupt_replaces_what_is_being_said(held) -> None:  # type: ignore[no-untyped-def]
    speech, engine = held
    speech.say([Utterance("old page", "en"), Utterance("more of it", "en")])
    until(lambda: engine.texts() == ["old page"])
    speech.say(Utterance("new page", "en"), interrupt=True)
    until(lambda: engine.texts() == ["old page", "new page"])
    engine.finish()
    assert speech.wait_idle()
    assert "more of it" not in engine.texts()


def test_repeat_says_the_last_complete_announcement_again(held) -> None:  # type: ignore[no-untyped-def]
    speech, engine = held
    speech.say([Utterance("Error:", "en"), Utterance("Enter a postcode like 1000-001.", "en")])
    until(lambda: engine.texts() == ["Error:"])
    speech.stop()  # cut in the middle: repeat still starts from the beginning
    engine.hold = False
    speech.repeat()
    assert speech.wait_idle()
    assert engine.texts() == ["Error:", "Error:", "Enter a postcode like 1000-001."]
    speech.forget()  # a session ended: nothing of it can be repeated
    speech.repeat()
    assert speech.wait_idle()
    assert len(engine.texts()) == 3


def test_pause_and_resume(held) -> None:  # type: ignore[no-untyped-def]
    speech, engine = held
    assert speech.can_pause
    assert not speech.pause()  # nothing to pause
    speech.say(Utterance("a long text", "en"))
    until(lambda: engine.texts() == ["a long text"])
    assert speech.pause() and engine.paused and speech.paused
    assert speech.resume() and not engine.paused
    engine.finish()
    assert speech.wait_idle()
    assert not SpeechService(SilentEngine()).can_pause


def test_volume_is_clamped_and_reaches_the_engine() -> None:
    engine = RecordingEngine()
    speech = SpeechService(engine, volume=70)
    speech.say(Utterance("a", "en"))
    speech.wait_idle()
    speech.set_volume(150)
    speech.say(Utterance("b", "en"))
    speech.wait_idle()
    speech.set_volume(-5)
    speech.say(Utterance("c", "en"))
    speech.wait_idle()
    assert engine.volumes == [70, 100, 0]


# Masked and private --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_masked_text_is_one_asterisk_word_per_character_in_the_language(lang: str) -> None:
    spoken = masked_form("1234", lang)
    assert spoken.text == " ".join([SIX[lang]] * 4)
    assert spoken.lang == lang


def test_a_language_without_the_word_says_asterisk_in_english() -> None:
    assert masked_form("12", "de") == Utterance("asterisk asterisk", "en")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", categories=["Nd", "Lu", "Ll", "P"]), min_size=1, max_size=30))
def test_masked_speech_never_contains_the_secret(secret: str) -> None:
    for lang in SHIPPED_LANGUAGES:
        spoken = masked_form(secret, lang)
        words = spoken.text.split()
        assert len(words) == len(secret)
        assert set(words) == {ASTERISK[lang.split("-")[0]]}


def test_private_is_read_back_on_a_headset_only() -> None:
    secret = Utterance("4321", "pt-PT", PRIVATE)
    loudspeaker, headset = RecordingEngine(), RecordingEngine()
    for engine, on_headset in ((loudspeaker, False), (headset, True)):
        speech = SpeechService(engine, headset=on_headset)
        speech.say([Utterance("O seu PIN", "pt-PT"), secret, Utterance("9", "en", MASKED)])
        assert speech.wait_idle()
    assert loudspeaker.texts() == ["O seu PIN", "asterisco asterisco asterisco asterisco", "asterisk"]
    assert headset.texts() == ["O seu PIN", "4321", "asterisk"]  # masked stays masked even on a headset
    assert "4321" not in loudspeaker.spoken()


# Engines failing -----------------------------------------------------------------------------------------------------
class BrokenEngine(RecordingEngine):
    name = "broken"

    def speak(self, text: str, lang: str, volume: int) -> None:
        raise OSError("no audio device")


class HungEngine(RecordingEngine):
    name = "hung"

    def wait(self, timeout: float) -> bool:
        time.sleep(min(timeout, 0.01))
        return False


@pytest.mark.parametrize("broken", [BrokenEngine, HungEngine])
def test_a_failing_engine_is_replaced_by_the_fallback(broken) -> None:  # type: ignore[no-untyped-def]
    fallback = RecordingEngine()
    failed: list[str] = []
    speech = SpeechService(broken(), fallback=lambda: fallback, on_engine_failed=failed.append, hang_seconds=0.1)
    speech.say([Utterance("one", "en"), Utterance("two", "en")])
    assert speech.wait_idle()
    assert speech.engine is fallback
    assert failed == [broken.name]
    assert "two" in fallback.texts()


def test_without_a_fallback_the_kiosk_goes_silent() -> None:
    speech = SpeechService(BrokenEngine())
    speech.say(Utterance("one", "en"))
    assert speech.wait_idle()
    assert isinstance(speech.engine, SilentEngine)
    speech.say(Utterance("two", "en"))  # no crash, no sound
    assert speech.wait_idle()


# Texts ---------------------------------------------------------------------------------------------------------------
def test_layout_marks_never_reach_the_voice_and_fallback_languages_are_remembered() -> None:
    assert clean_text("\u200f\u2068Register a birth\u2069  now\n") == "Register a birth now"
    remember_language("\u2068Child benefit\u2069", "en")
    assert language_of("Child benefit") == "en"
    assert language_of("never shown") is None


def test_references_are_grouped_for_listening() -> None:
    assert grouped_for_listening(for_speech("R-3WX5-RZMV-5N7P-6")) == "R, 3 W X 5, R Z M V, 5 N 7 P, 6"


def test_voices_for_a_language_match_the_code_the_base_or_a_variant() -> None:
    espeak_like = {"pt": ["Portuguese_(Portugal)"], "pt-br": ["Portuguese_(Brazil)"], "en-gb": ["English"]}
    assert voices_for_language(espeak_like, "pt-PT") == ["Portuguese_(Portugal)"]
    assert voices_for_language(espeak_like, "en") == ["English"]
    assert voices_for_language({"pt-BR": ["Portuguese (Portugal)"]}, "pt-PT") == ["Portuguese (Portugal)"]
    assert voices_for_language(espeak_like, "uk") == []


# A voice for each language (ui.speech_setup.VoiceRouter) --------------------------------------------------------------
def _voices(*codes: str) -> dict[str, list[str]]:
    return {code: [f"voice-{code}"] for code in codes}


def _router(main: RecordingEngine, other: RecordingEngine | None, screen: str = "en"):  # type: ignore[no-untyped-def]
    from ui.speech_setup import VoiceRouter

    return VoiceRouter(main, other, languages=SHIPPED_LANGUAGES, screen_language=lambda: screen)


def test_the_router_prefers_the_texts_own_voice_then_espeak_then_the_screens_then_the_kiosks() -> None:
    main = RecordingEngine(voices=_voices("pt-BR", "en-US", "fr-FR"))
    other = RecordingEngine(voices=_voices("pt", "uk"))
    assert _router(main, other).route("fr") == (main, "fr")  # its own voice, in the main engine
    assert _router(main, other).route("uk") == (other, "uk")  # the main engine has none: espeak-ng's
    assert _router(main, other, screen="fr").route("ar") == (main, "fr")  # none at all: the screen language's
    assert _router(main, other, screen="ar").route("ar") == (main, "pt-PT")  # not even that: the kiosk's first
    lonely = RecordingEngine(voices=_voices("de"))
    assert _router(lonely, None).route("ar") == (lonely, "ar")  # nothing to choose: the engine's own default
    assert _router(main, other).lacking() == ["es", "ar"]
    assert _router(main, None).lacking(["uk", "en"]) == ["uk"]


def test_the_router_speaks_and_stops_through_the_engine_it_chose(held) -> None:  # type: ignore[no-untyped-def]
    _speech, other = held
    main = RecordingEngine(voices=_voices("en"))
    speech = SpeechService(_router(main, other))
    speech.say([Utterance("Hello", "en"), Utterance("Привіт", "uk")])
    until(lambda: other.texts() == ["Привіт"])
    assert speech.pause() and other.paused
    assert speech.resume() and not other.paused
    speech.stop()  # cuts the voice that is speaking
    assert speech.wait_idle()
    assert other.cut == [("uk", "Привіт")] and main.transcript == [("en", "Hello")]


def test_the_router_asks_an_engine_for_its_voices_once_and_only_when_needed() -> None:
    class Counting(RecordingEngine):
        asked = 0

        def voices(self) -> dict[str, list[str]]:
            Counting.asked += 1
            return super().voices()

    from ui.speech_setup import VoiceRouter

    engine = Counting(voices=_voices("en", "uk"))
    router = VoiceRouter(engine, languages=("en", "uk"), screen_language=lambda: "en")
    assert Counting.asked == 0  # built before the first paint: nothing asked yet
    speech = SpeechService(router)
    speech.say([Utterance("one", "en"), Utterance("два", "uk"), Utterance("three", "en")])
    assert speech.wait_idle()
    assert router.lacking() == [] and Counting.asked == 1
    given = VoiceRouter(engine, languages=("en",), primary_voices=_voices("en"))
    assert given.route("en") == (engine, "en") and Counting.asked == 1  # a table given (the Qt engine's) is used


def test_the_qt_engine_ranks_the_territorys_voice_first() -> None:
    """speech-dispatcher lists both Portuguese voices under pt_BR, Brazil's first: Portugal's is used for pt-PT."""
    from ui.speech_qt import voice_rank

    listed = [
        ("Portuguese (Brazil)", "pt_BR"),
        ("Portuguese (Portugal)+Adam", "pt_BR"),
        ("Portuguese (Portugal)", "pt_BR"),
    ]
    ranked = sorted(listed, key=lambda voice: voice_rank(voice[0], voice[1], "pt_PT", "Portugal"))
    assert [name for name, _locale in ranked][:2] == ["Portuguese (Portugal)", "Portuguese (Portugal)+Adam"]
    english = [("English (America)+Max", "en_US"), ("English (Scotland)", "en_GB"), ("English (America)", "en_US")]
    ranked = sorted(english, key=lambda voice: voice_rank(voice[0], voice[1], "en_US", ""))
    assert ranked[0] == ("English (America)", "en_US")  # the same locale, the plain voice before its variants


def test_plain_english_is_read_with_a_british_voice() -> None:
    """speech-dispatcher lists "English (Caribbean)" first under en_US, Qt's territory for a bare "en": a European
    citizen spot reads English in British English instead, and an explicit territory is still honoured."""
    from ui.speech_qt import voice_preference, voice_rank

    english = [("English (Caribbean)", "en_US"), ("English (America)", "en_US"), ("English (Great Britain)", "en_GB")]

    def first(lang: str) -> str:
        wanted, territory = voice_preference(lang)
        return sorted(english, key=lambda voice: voice_rank(voice[0], voice[1], wanted, territory))[0][0]

    assert first("en") == "English (Great Britain)"
    assert first("en-US") != "English (Great Britain)"  # an explicit territory: its own locale's voices
    assert voice_preference("pt-PT") == ("pt_PT", "Portugal")


# espeak-ng -----------------------------------------------------------------------------------------------------------
def test_espeak_command_line() -> None:
    assert espeak.command("pt-PT", 70) == ["espeak-ng", "-v", "pt", "-a", "140", "-b", "1", "--stdin"]
    assert espeak.command("ar", 100, wav=Path("/tmp/x.wav"))[:5] == ["espeak-ng", "-w", "/tmp/x.wav", "-v", "ar"]
    assert [espeak.espeak_voice(lang) for lang in SHIPPED_LANGUAGES] == ["pt", "en", "es", "fr", "uk", "ar"]
    assert (espeak.amplitude(0), espeak.amplitude(50), espeak.amplitude(100)) == (0, 100, 200)
    assert "Maria" not in " ".join(espeak.command("en", 70))  # the text goes on standard input, never in `ps`


ESPEAK_VOICES = """Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  en-029          --/M      English_(Caribbean) gmw/en-029           (en 10)
 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
 5  pt              --/M      Portuguese_(Portugal) roa/pt               (pt-pt 5)
 5  pt-br           --/M      Portuguese_(Brazil) roa/pt-BR            (pt 6)
 5  uk              --/M      Ukrainian          zle/uk
"""


def test_espeak_voices_are_listed_under_their_other_languages_in_espeaks_order(tmp_path: Path) -> None:
    fake = tmp_path / "espeak-ng"
    (tmp_path / "voices.txt").write_text(ESPEAK_VOICES, encoding="utf-8")
    fake.write_text(f'#!/bin/sh\ncat "{tmp_path}/voices.txt"\n')
    fake.chmod(0o755)
    voices = espeak.list_voices(str(fake))
    assert voices["en"] == ["English_(Great_Britain)", "English_(America)", "English_(Caribbean)"]  # `-v en`: GB
    assert voices["pt"] == ["Portuguese_(Portugal)", "Portuguese_(Brazil)"]
    assert voices_for_language(voices, "pt-PT") == ["Portuguese_(Portugal)"]
    assert voices_for_language(voices, "uk") == ["Ukrainian"] and voices["pt-br"] == ["Portuguese_(Brazil)"]


@pytest.fixture
def slow_voice(tmp_path: Path) -> str:
    """A stand-in for espeak-ng that reads the text and then "speaks" for 30 s."""
    script = tmp_path / "slow-voice"
    script.write_text(f'#!/bin/sh\ncat > "{tmp_path}/heard"\nexec sleep 30\n')
    script.chmod(0o755)
    return str(script)


def test_espeak_engine_is_killed_by_stop_and_can_pause(slow_voice: str, tmp_path: Path) -> None:
    engine = espeak.EspeakEngine(executable=slow_voice)
    engine.speak("Olá Maria", "pt-PT", 70)
    until(lambda: (tmp_path / "heard").exists() and (tmp_path / "heard").read_text() == "Olá Maria")
    assert not engine.wait(0.05)
    engine.pause()
    process = engine._process
    assert process is not None
    until(lambda: _state(process.pid) == "T")
    engine.resume()
    engine.stop()
    assert engine.wait(1.0)
    assert process.poll() is not None


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_espeak_speaks_each_language_into_a_wav_file(lang: str, tmp_path: Path) -> None:
    wav = tmp_path / f"{lang}.wav"
    espeak.synthesize_to_wav("1 2 3", lang, 70, wav)
    data = wav.read_bytes()
    assert data[:4] == b"RIFF" and len(data) > 10_000  # a header and a second or so of samples
    assert voices_for_language(espeak.list_voices(), lang)


# The Qt engine -------------------------------------------------------------------------------------------------------
@pytest.mark.qt_log_ignore("symbolsresolver", "pipewire")
def test_qt_engine_speaks_through_the_service(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.speech_qt import QtEngine, import_error

    problem = import_error()
    if problem is not None:
        pytest.skip(f"{problem} (pip install PySide6-Addons; apt-get install libpulse0)")
    from PySide6.QtTextToSpeech import QTextToSpeech

    if "mock" not in QTextToSpeech.availableEngines():
        pytest.skip("QtTextToSpeech has no mock engine in this PySide6")
    engine = QtEngine("mock")
    voices = engine.voices()
    if not voices:
        pytest.skip("the Qt mock engine has no voices")
    assert engine.available and voices_for_language(voices, "en")
    assert engine._voice_for("en") is not None  # the voice selected when English is spoken
    speech = SpeechService(engine)
    speech.say([Utterance("Hello there", "en"), Utterance("Goodbye", "en")])
    qtbot.waitUntil(lambda: not speech.busy, timeout=10_000)
    speech.say(Utterance("A rather long sentence that the mock engine speaks word by word", "en"))
    qtbot.waitUntil(lambda: speech.busy)
    speech.stop()
    qtbot.waitUntil(lambda: not speech.busy, timeout=5_000)


def test_qt_probe_is_a_child_process_and_says_none_when_there_is_no_engine() -> None:
    from ui.speech_qt import probe_voices

    assert probe_voices("no-such-engine", timeout=60) is None


# The doctor ----------------------------------------------------------------------------------------------------------
def _doctor_speech(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, espeak_voices, qt_voices):  # type: ignore[no-untyped-def]
    from citizen_kiosk import doctor
    from citizen_kiosk.wiring import load_context

    monkeypatch.setattr(espeak, "list_voices", lambda *_args: espeak_voices)
    asked: list[tuple[str, ...]] = []
    monkeypatch.setattr(doctor, "_qt_voices", lambda _context, languages: asked.append(languages) or qt_voices)
    config = tmp_path / "kiosk.toml"
    config.write_text(toml, encoding="utf-8")
    context = load_context(config_option=str(config), data_dir_option=str(tmp_path / "data"), env={})
    check = {check.name: check for check in doctor.run_checks(context)}["speech"]
    assert asked in ([], [context.config.languages.available])  # the Qt voices of the configured languages
    return check


def test_doctor_names_the_voice_each_configured_language_is_read_with(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    espeak_voices = {"pt": ["Portuguese_(Portugal)", "Portuguese_(Brazil)"], "en": ["English_(Great_Britain)"]}
    espeak_voices |= {"ar": ["Arabic"]}
    # The Qt child answers in the kiosk's order for each language (ui.speech_qt.voice_rank): the first is the one used.
    qt_voices = {"pt-PT": ["Portuguese (Portugal)", "Portuguese (Portugal)+Adam", "Portuguese (Brazil)"]}
    qt_voices |= {"en": ["English (America)", "English (Caribbean)"]}
    check = _doctor_speech(
        tmp_path, monkeypatch, '[languages]\navailable = ["pt-PT", "en", "ar"]\n', espeak_voices, qt_voices
    )
    assert check.ok and not check.required
    assert "pt-PT (Qt/speech-dispatcher: Portuguese (Portugal); espeak-ng: Portuguese_(Portugal))" in check.detail
    assert "en (Qt/speech-dispatcher: English (America); espeak-ng: English_(Great_Britain))" in check.detail
    assert "ar (espeak-ng: Arabic)" in check.detail
    assert "Brazil" not in check.detail and "Caribbean" not in check.detail  # listed, but not what the kiosk uses


def test_doctor_speech_is_advisory_unless_required(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    voices = {"pt": ["Portuguese_(Portugal)"]}
    check = _doctor_speech(tmp_path, monkeypatch, '[languages]\navailable = ["pt-PT", "uk"]\n', voices, {})
    assert not check.ok and not check.required
    assert "no voice for uk" in check.detail and check.fix
    required = '[languages]\navailable = ["pt-PT", "uk"]\n[doctor]\nrequired = ["speech"]\n'
    assert _doctor_speech(tmp_path, monkeypatch, required, voices, {}).required
    none = _doctor_speech(tmp_path, monkeypatch, "", {}, {})
    assert not none.ok and "apt-get install espeak-ng" in none.fix
    silent = _doctor_speech(tmp_path, monkeypatch, '[speech]\nengine = "none"\n', {}, {})
    assert silent.ok


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
def test_doctor_on_this_machine_lists_a_voice_for_every_shipped_language(tmp_path: Path) -> None:
    from citizen_kiosk import doctor
    from citizen_kiosk.wiring import load_context

    context = load_context(config_option=None, data_dir_option=str(tmp_path / "data"), env={})
    check = {c.name: c for c in doctor.run_checks(context)}["speech"]
    assert check.ok, check.detail
    for lang in SHIPPED_LANGUAGES:
        assert f"{lang} (" in check.detail
    assert "pt-PT (Qt/speech-dispatcher: Portuguese (Portugal); " in check.detail or "Qt/" not in check.detail
    assert "espeak-ng: Portuguese_(Portugal))" in check.detail


@pytest.mark.qt_log_ignore("symbolsresolver", "pipewire")
def test_the_qt_child_answers_for_the_languages_asked_in_the_kiosks_order() -> None:
    """`python -m ui.speech_qt ENGINE LANG...` (what the doctor runs): each language's voices, the used one first."""
    import json
    import subprocess
    import sys

    from ui.speech_qt import _probe_environment

    result = subprocess.run(
        [sys.executable, "-m", "ui.speech_qt", "mock", "en", "nb-NO", "uk"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=_probe_environment(),
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1]) if result.stdout.strip() else {}
    if not answer:
        pytest.skip("QtTextToSpeech or its mock engine is not available here")
    assert set(answer) == {"en", "nb-NO"}  # the mock engine has no Ukrainian voice
    assert answer["en"] and answer["nb-NO"]
