"""Choosing the kiosk's voice (`speech.engine`): Qt's text to speech, else espeak-ng, else silence with a staff notice.

With `auto` the kiosk can speak at once through espeak-ng (if installed: a file lookup, no start-up cost) while a
background task asks a child process whether QtTextToSpeech loads and has voices (a wedged speech-dispatcher cannot
hang the kiosk that way); if it does, the Qt engine is created on the GUI thread and takes over, with espeak-ng as its
fallback. With no voice at all the kiosk still works: read aloud just stays silent, and staff see one notice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

from accessibility.espeak import EspeakEngine
from accessibility.speech import Engine, SilentEngine, SpeechService
from kiosk.notices import NoticeBoard, StaffNotice
from kiosk.session import DEFAULT_VOLUME
from kiosk.settings.model import SpeechSettings

log = logging.getLogger(__name__)

NOTICE_ID = "speech"


def no_voice_notice(reason: str) -> StaffNotice:
    return StaffNotice(NOTICE_ID, "speech-unavailable", f"read aloud has no voice: {reason}", {"reason": reason})


def report_no_voice(notices: NoticeBoard, reason: str) -> None:
    """Once for staff (the notice replaces an earlier one) and once in the log; the kiosk goes on silently."""
    log.warning("read aloud has no voice: %s", reason)
    notices.post(no_voice_notice(reason))


class QtUpgrade(QObject):
    """Moves the service to the Qt engine on the GUI thread once the background probe found voices."""

    _found = Signal()

    def __init__(self, service: SpeechService, engine_name: str, *, explicit: bool, notices: NoticeBoard) -> None:
        super().__init__()
        self._service = service
        self._engine_name = engine_name
        self._explicit = explicit
        self._notices = notices
        self._found.connect(self._upgrade, Qt.ConnectionType.QueuedConnection)

    def probe(self) -> bool:
        """Background task: ask a child process about the Qt engine (Qt-free here); True: it will take over."""
        from ui.speech_qt import probe_voices

        if probe_voices(self._engine_name) is not None:
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
            return
        engine.setParent(self)
        self._service.set_engine(engine)
        log.info("speech: using %s", engine.name)


def build_speech(
    settings: SpeechSettings, notices: NoticeBoard, *, volume: int = DEFAULT_VOLUME
) -> tuple[SpeechService, Callable[[], None] | None, QObject | None]:
    """The speech service, the background task that may upgrade it to the Qt engine (None: nothing to probe), and the
    Qt object that must live as long as the service (None when there is no upgrade)."""
    choice = settings.engine
    espeak = EspeakEngine()
    has_espeak = choice in ("auto", "espeak-ng") and espeak.available

    def on_failed(name: str) -> None:
        report_no_voice(notices, f"the {name} engine stopped working")

    first: Engine
    if choice == "none":
        first = SilentEngine("speech.engine = none")
    elif has_espeak:
        first = espeak
    else:
        first = SilentEngine("no voice yet")
    service = SpeechService(
        first,
        headset=settings.headset,
        volume=volume,
        fallback=EspeakEngine if has_espeak else None,
        on_engine_failed=on_failed,
    )
    if choice in ("auto", "qt"):
        upgrade = QtUpgrade(service, "speechd", explicit=choice == "qt", notices=notices)

        def probe() -> None:
            if not upgrade.probe() and choice == "auto" and not has_espeak:
                report_no_voice(notices, "neither speech-dispatcher nor espeak-ng has a voice")

        return service, probe, upgrade
    if choice == "espeak-ng" and not has_espeak:
        report_no_voice(notices, "espeak-ng is not installed")
    return service, None, None
