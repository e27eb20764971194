"""The Qt engine: QtTextToSpeech (speech-dispatcher on Linux) behind the speech service's `Engine` protocol.

QtTextToSpeech lives in the `PySide6-Addons` wheel and needs Debian's `libpulse0` even to import; speech-dispatcher
(`speech-dispatcher`, `speech-dispatcher-espeak-ng`) provides the voices. The `QTextToSpeech` object lives on the GUI
thread: the service's worker thread asks for each utterance through a queued signal and waits on a threading event
that the state changes set. A generation number drops an utterance that was stopped before the GUI thread got to it.

A wedged speech-dispatcher can block a new connection for ever, so the composition root first probes the engine in a
child process (`probe_voices`, with a timeout) and only then creates it on the GUI thread.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from typing import Any

from PySide6.QtCore import QLocale, QObject, Qt, QThread, Signal, Slot

log = logging.getLogger(__name__)

DEFAULT_ENGINE = "speechd"
PROBE_TIMEOUT_SECONDS = 15.0


def bcp47(locale: QLocale) -> str:
    return locale.name().replace("_", "-")


def import_error() -> str | None:
    """Why QtTextToSpeech cannot be used here (None: it imports)."""
    try:
        import PySide6.QtTextToSpeech  # noqa: F401
    except ImportError as error:  # no PySide6-Addons, or no libpulse.so.0
        return f"QtTextToSpeech does not load: {error}"
    return None


class QtEngine(QObject):
    """One QTextToSpeech engine ("speechd" on a kiosk, "mock" in tests)."""

    _say_requested = Signal(int, str, str, int)
    _stop_requested = Signal()

    def __init__(self, engine: str = DEFAULT_ENGINE, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtTextToSpeech import QTextToSpeech

        self.name = f"qt-{engine}"
        self._tts = QTextToSpeech(engine, self)
        self._states = QTextToSpeech.State
        self._lock = threading.Lock()
        self._generation = 0
        self._saying = 0  # the generation being spoken, once Qt has started it
        self._started = False
        self._done = threading.Event()
        self._done.set()
        self._voice_cache: dict[str, object] = {}
        self._tts.stateChanged.connect(self._on_state)
        self._say_requested.connect(self._do_say, Qt.ConnectionType.QueuedConnection)
        self._stop_requested.connect(self._do_stop, Qt.ConnectionType.QueuedConnection)

    @property
    def available(self) -> bool:
        return self._tts.state() != self._states.Error and bool(self.voices())

    # The Engine protocol (any thread) --------------------------------------------------------------------------------
    def speak(self, text: str, lang: str, volume: int) -> None:
        with self._lock:
            self._generation += 1
            generation = self._generation
            self._done.clear()
        self._say_requested.emit(generation, text, lang, volume)

    def wait(self, timeout: float) -> bool:
        return self._done.wait(timeout)

    def stop(self) -> None:
        with self._lock:
            self._generation += 1  # an utterance still on its way to the GUI thread is dropped there
            self._done.set()
        if QThread.currentThread() is self.thread():
            self._do_stop()
        else:
            self._stop_requested.emit()

    def pause(self) -> None:
        self._tts.pause()

    def resume(self) -> None:
        self._tts.resume()

    def set_volume(self, volume: int) -> None:
        if QThread.currentThread() is self.thread():
            self._tts.setVolume(volume / 100)

    def voices(self) -> dict[str, list[str]]:
        """Voice names by BCP 47 locale, for the languages the engine offers."""
        found: dict[str, list[str]] = {}
        languages = {locale.language() for locale in self._tts.availableLocales()}
        languages -= {QLocale.Language.C, QLocale.Language.AnyLanguage}
        for language in sorted(languages, key=lambda language: language.value):
            for voice in self._voices_of(QLocale(language)):
                found.setdefault(bcp47(voice.locale()), []).append(voice.name())
        return found

    # On the GUI thread -----------------------------------------------------------------------------------------------
    @Slot(int, str, str, int)
    def _do_say(self, generation: int, text: str, lang: str, volume: int) -> None:
        with self._lock:
            if generation != self._generation:
                return  # stopped before it started
            self._saying, self._started = generation, False
        voice = self._voice_for(lang)
        if voice is not None:
            self._tts.setVoice(voice)  # type: ignore[arg-type]
        self._tts.setVolume(volume / 100)
        self._tts.say(text)

    @Slot()
    def _do_stop(self) -> None:
        self._tts.stop()

    def _on_state(self, state: object) -> None:
        with self._lock:
            if self._saying != self._generation:
                return  # the end of an utterance that was stopped: the current one (if any) is still to come
            if state == self._states.Speaking:
                self._started = True
            elif state == self._states.Error or (state == self._states.Ready and self._started):
                self._done.set()

    def _voices_of(self, wanted: QLocale) -> list[Any]:
        # PySide6 accepts only a QLocale here; Qt then lists the voices of that locale (or, for a locale it lacks,
        # every voice), hence the filter. Asked for the language's default locale and for the wanted one: British
        # voices are listed under en_GB only, not under English's default (en_US).
        language, voices, seen = wanted.language(), [], set()
        for locale in (QLocale(language), wanted):
            for voice in self._tts.allVoices(locale):
                if voice.locale().language() == language and voice.name() not in seen:
                    seen.add(voice.name())
                    voices.append(voice)
        return voices

    def ranked_voices(self, lang: str) -> list[Any]:
        """The engine's voices for a BCP 47 language, the one the kiosk speaks with first (`voice_rank`)."""
        wanted, territory = voice_preference(lang)
        candidates = self._voices_of(QLocale(wanted))
        return sorted(candidates, key=lambda v: voice_rank(v.name(), v.locale().name(), wanted, territory))

    def _voice_for(self, lang: str) -> object | None:
        if lang not in self._voice_cache:
            ranked = self.ranked_voices(lang)
            self._voice_cache[lang] = ranked[0] if ranked else None
            if not ranked:  # the voice router sends no such text here; should one come, say so once
                log.info("speech: the Qt engine has no voice for %s; the current voice reads it", lang)
        return self._voice_cache[lang]


# A bare language code names no territory, and Qt's default territory for it may not be the one a European citizen
# spot wants (English: the United States, whose speech-dispatcher voices begin with "English (Caribbean)"). British
# English, as espeak-ng's own `-v en` speaks it.
BARE_LANGUAGE_VOICES = {"en": ("en_GB", "Great Britain")}


def voice_preference(lang: str) -> tuple[str, str]:
    """The locale name and the territory name the voice for a BCP 47 language is ranked by (`voice_rank`)."""
    if "-" not in lang and lang in BARE_LANGUAGE_VOICES:
        return BARE_LANGUAGE_VOICES[lang]
    wanted = QLocale(lang.replace("-", "_"))
    return wanted.name(), QLocale.territoryToString(wanted.territory()) if "-" in lang else ""


def voice_rank(name: str, locale_name: str, wanted: str, territory: str) -> tuple[bool, bool, bool]:
    """How a voice ranks for a language (lowest first): the same locale first, then a voice named after the territory
    (speech-dispatcher lists "Portuguese (Portugal)" under pt_BR), the plain voice before its "+variant"s. Stable: among
    equals the engine's own order stays. Qt-free, so the doctor's tests can check the order without an engine."""
    return (locale_name != wanted, not (territory and territory in name), "+" in name)


def load_qt_engine(engine: str = DEFAULT_ENGINE) -> QtEngine | None:
    """The Qt engine if QtTextToSpeech loads, knows `engine` and has voices; None (logged) otherwise."""
    problem = import_error()
    if problem is not None:
        log.info("speech: %s", problem)
        return None
    from PySide6.QtTextToSpeech import QTextToSpeech

    if engine not in QTextToSpeech.availableEngines():
        log.info("speech: QtTextToSpeech has no %s engine", engine)
        return None
    qt_engine = QtEngine(engine)
    if not qt_engine.available:
        log.info("speech: the Qt %s engine has no voices", engine)
        qt_engine.deleteLater()
        return None
    return qt_engine


def probe_voices(engine: str = DEFAULT_ENGINE, timeout: float = PROBE_TIMEOUT_SECONDS) -> dict[str, list[str]] | None:
    """The engine's voices, asked in a child process (a wedged speech-dispatcher cannot hang the kiosk); None when
    it does not load, has no voices or does not answer in time. Qt-free in this process: safe off the GUI thread."""
    try:
        result = subprocess.run(
            [sys.executable, "-m", "ui.speech_qt", engine],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=_probe_environment(),
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        log.info("speech: probing the Qt %s engine failed (%s)", engine, type(error).__name__)
        return None
    try:
        voices = json.loads(result.stdout.strip().splitlines()[-1]) if result.stdout.strip() else None
    except json.JSONDecodeError:
        voices = None
    return voices if isinstance(voices, dict) and voices else None


def _probe_environment() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")  # the probe needs no window
    return env


def _main(argv: list[str]) -> int:
    """`python -m ui.speech_qt [ENGINE [LANG...]]`: print the engine's voices as one JSON line ({} when it has none):
    by locale, or with LANGs, for each of them in the order the kiosk picks them (the first is the one it uses)."""
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication(argv[:1])
    engine = load_qt_engine(argv[1] if len(argv) > 1 else DEFAULT_ENGINE)
    voices: dict[str, list[str]] = {}
    if engine is not None and len(argv) > 2:
        voices = {lang: [voice.name() for voice in engine.ranked_voices(lang)] for lang in argv[2:]}
        voices = {lang: names for lang, names in voices.items() if names}
    elif engine is not None:
        voices = engine.voices()
    print(json.dumps(voices), flush=True)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
