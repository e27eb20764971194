"""Choosing the kiosk's voice (`speech.engine`): Qt's text to speech, else espeak-ng, else silence with a staff notice.

With `auto` the kiosk can speak at once through espeak-ng (if installed: a file lookup, no start-up cost) while a
background task asks a child process whether QtTextToSpeech loads and has voices (a wedged speech-dispatcher cannot
hang the kiosk that way); if it does, the Qt engine is created on the GUI thread and takes over, with espeak-ng as its
fallback. With no voice at all the kiosk still works: read aloud just stays silent, and staff see one notice.

Each utterance then goes to a voice of its own language (`VoiceRouter`), and once the engines are known every
configured language is checked: staff see one notice naming the languages that have no voice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal, Slot

from accessibility.espeak import EspeakEngine
from accessibility.speech import Engine, PausableEngine, SilentEngine, SpeechService, voices_for_language
from kiosk.i18n import SHIPPED_LANGUAGES
from kiosk.notices import NoticeBoard, StaffNotice
from kiosk.session import DEFAULT_VOLUME
from kiosk.settings.model import SpeechSettings

log = logging.getLogger(__name__)

NOTICE_ID = "speech"
LANGUAGES_NOTICE_ID = "speech-languages"


def no_voice_notice(reason: str) -> StaffNotice:
    return StaffNotice(NOTICE_ID, "speech-unavailable", f"read aloud has no voice: {reason}", {"reason": reason})


def report_no_voice(notices: NoticeBoard, reason: str) -> None:
    """Once for staff (the notice replaces an earlier one) and once in the log; the kiosk goes on silently."""
    log.warning("read aloud has no voice: %s", reason)
    notices.post(no_voice_notice(reason))


def report_languages_without_voice(notices: NoticeBoard, lacking: Sequence[str]) -> None:
    """One notice naming every configured language without a voice (withdrawn once all have one)."""
    if not lacking:
        notices.withdraw(LANGUAGES_NOTICE_ID)
        return
    codes = ", ".join(lacking)
    log.warning("read aloud has no voice for %s", codes)
    notices.post(
        StaffNotice(
            LANGUAGES_NOTICE_ID, "speech-languages", f"read aloud has no voice for {codes}", {"languages": codes}
        )
    )


class VoiceRouter:
    """The engine the service speaks through: each utterance goes to a voice of the language it is in.

    For a text in a language: the main engine's voice for it; else espeak-ng's (`alternate`); else the screen
    language's voice, as a person reading aloud reads a foreign word in their own voice (never whichever voice spoke
    last); else the first configured language that has a voice. A blind citizen hears every text, in the best voice
    there is, and always the same voice for the same text. Voice tables are taken when the router is built (the Qt
    engine may be asked only on the GUI thread); None: ask the engine at the first utterance (espeak-ng, on the speech
    worker thread).
    """

    def __init__(
        self,
        primary: Engine,
        alternate: Engine | None = None,
        *,
        languages: Sequence[str] = SHIPPED_LANGUAGES,
        screen_language: Callable[[], str] | None = None,
        primary_voices: dict[str, list[str]] | None = None,
        alternate_voices: dict[str, list[str]] | None = None,
    ) -> None:
        self.primary, self.alternate = primary, alternate
        self.name = primary.name
        self.languages = tuple(languages)
        self._screen_language = screen_language or (lambda: self.languages[0] if self.languages else "en")
        self._tables: dict[int, dict[str, list[str]] | None] = {id(primary): primary_voices}
        if alternate is not None:
            self._tables[id(alternate)] = alternate_voices
        self._has: dict[tuple[int, str], bool] = {}
        self._current: Engine = primary

    # Choosing -------------------------------------------------------------------------------------------------------
    def has_voice(self, engine: Engine, lang: str) -> bool:
        key = (id(engine), lang)
        if key not in self._has:
            table = self._tables.get(id(engine))
            if table is None:
                table = self._tables[id(engine)] = engine.voices()
            self._has[key] = bool(voices_for_language(table, lang))
        return self._has[key]

    def engines(self) -> list[Engine]:
        return [self.primary] if self.alternate is None else [self.primary, self.alternate]

    def route(self, lang: str) -> tuple[Engine, str]:
        """The engine and the language whose voice says a text in `lang`."""
        for wanted in (lang, self._screen_language(), *self.languages):
            for engine in self.engines():
                if self.has_voice(engine, wanted):
                    return engine, wanted
        return self.primary, lang  # no voice for any of them: the engine's own default (staff have a notice)

    def lacking(self, languages: Sequence[str] | None = None) -> list[str]:
        """The languages (default: the configured ones) that no engine has a voice for."""
        wanted = self.languages if languages is None else languages
        return [lang for lang in wanted if not any(self.has_voice(engine, lang) for engine in self.engines())]

    # The Engine protocol --------------------------------------------------------------------------------------------
    @property
    def available(self) -> bool:
        return self.primary.available

    def speak(self, text: str, lang: str, volume: int) -> None:
        engine, voice = self.route(lang)
        self._current = engine
        engine.speak(text, voice, volume)

    def wait(self, timeout: float) -> bool:
        return self._current.wait(timeout)

    def stop(self) -> None:
        self._current.stop()

    def pause(self) -> None:
        if isinstance(self._current, PausableEngine):
            self._current.pause()

    def resume(self) -> None:
        if isinstance(self._current, PausableEngine):
            self._current.resume()

    def set_volume(self, volume: int) -> None:
        for engine in self.engines():
            setter = getattr(engine, "set_volume", None)
            if callable(setter):
                setter(volume)

    def voices(self) -> dict[str, list[str]]:
        table = self._tables.get(id(self.primary))
        return dict(table) if table is not None else self.primary.voices()


class QtUpgrade(QObject):
    """Moves the service to the Qt engine on the GUI thread once the background probe found voices."""

    _found = Signal()

    def __init__(
        self,
        service: SpeechService,
        engine_name: str,
        *,
        explicit: bool,
        notices: NoticeBoard,
        alternate: Engine | None = None,
        routing: Callable[..., VoiceRouter] = VoiceRouter,
        not_upgraded: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self._service = service
        self._engine_name = engine_name
        self._explicit = explicit
        self._notices = notices
        self._alternate = alternate
        self._routing = routing
        self._not_upgraded = not_upgraded  # the probe found voices but the engine did not load after all
        self._found.connect(self._upgrade, Qt.ConnectionType.QueuedConnection)

    def probe(self) -> bool:
        """Background task: ask a child process about the Qt engine (Qt-free here); True: it will take over."""
        from ui.speech_qt import probe_voices

        if probe_voices(self._engine_name) is not None:
            if self._alternate is not None:
                self._alternate.voices()  # espeak-ng's voices, asked here rather than on the GUI thread (cached)
            self._found.emit()
            return True
        if self._explicit:
            report_no_voice(self._notices, "the Qt text-to-speech engine has no voices")
        return False

    @Slot()
    def _upgrade(self) -> None:
        from ui.speech_qt import load_qt_engine

        engine = load_qt_engine(self._engine_name)
        if engine is None:
            if self._explicit:
                report_no_voice(self._notices, "the Qt text-to-speech engine did not load")
            if self._not_upgraded is not None:
                self._not_upgraded()
            return
        engine.setParent(self)
        alternate = self._alternate
        router = self._routing(
            engine,
            alternate,
            primary_voices=engine.voices(),  # on the GUI thread, where the Qt engine may be asked
            alternate_voices=alternate.voices() if alternate is not None else None,
        )
        self._service.set_engine(router)
        log.info("speech: using %s", engine.name)
        report_languages_without_voice(self._notices, router.lacking())


def build_speech(
    settings: SpeechSettings,
    notices: NoticeBoard,
    *,
    volume: int = DEFAULT_VOLUME,
    languages: Sequence[str] = SHIPPED_LANGUAGES,
    screen_language: Callable[[], str] | None = None,
) -> tuple[SpeechService, Callable[[], None] | None, QObject | None]:
    """The speech service, the background task that checks its voices and may upgrade it to the Qt engine (None:
    nothing to check), and the Qt object that must live as long as the service (None when there is no upgrade).

    `languages` are the configured ones (checked for a voice each; the first is the last resort of the router);
    `screen_language` gives the session's current language (the voice for a text whose language has none)."""
    choice = settings.engine
    espeak = EspeakEngine()
    has_espeak = choice in ("auto", "espeak-ng") and espeak.available

    def routed(primary: Engine, alternate: Engine | None = None, **voices: dict[str, list[str]] | None) -> VoiceRouter:
        return VoiceRouter(primary, alternate, languages=languages, screen_language=screen_language, **voices)

    def on_failed(name: str) -> None:
        report_no_voice(notices, f"the {name} engine stopped working")

    first: Engine
    if choice == "none":
        first = SilentEngine("speech.engine = none")
    elif has_espeak:
        first = routed(espeak)  # espeak-ng's voices are asked at its first utterance, off the GUI thread
    else:
        first = SilentEngine("no voice yet")
    service = SpeechService(
        first,
        headset=settings.headset,
        volume=volume,
        fallback=(lambda: routed(espeak)) if has_espeak else None,
        on_engine_failed=on_failed,
    )

    def check_espeak() -> None:
        """Background task: which configured languages espeak-ng has no voice for."""
        if isinstance(first, VoiceRouter):
            report_languages_without_voice(notices, first.lacking())

    if choice in ("auto", "qt"):
        alternate = espeak if has_espeak else None
        upgrade = QtUpgrade(
            service,
            "speechd",
            explicit=choice == "qt",
            notices=notices,
            alternate=alternate,
            routing=routed,
            not_upgraded=check_espeak,
        )

        def probe() -> None:
            if upgrade.probe():
                return  # the upgrade checks the languages once the Qt engine is there
            if choice == "auto" and not has_espeak:
                report_no_voice(notices, "neither speech-dispatcher nor espeak-ng has a voice")
            check_espeak()

        return service, probe, upgrade
    if choice == "espeak-ng" and not has_espeak:
        report_no_voice(notices, "espeak-ng is not installed")
    return service, (check_espeak if has_espeak else None), None
