"""Read aloud in the window: speaks each screen, stops on any input, and answers the speech keys on every screen.

`SpeechMode` follows the `CitizenSession` like the rest of the window: turning read aloud on (header button or the
`speech.toggle_key`, F9 by default) says "Read aloud: on", the keys, then the whole screen; turning it off says
"Read aloud: off". While it is on, every page change reads the new page, a language change reads it again in the
new language, and the control that gets the focus says what it is. Any key press, mouse press or touch stops the
voice first (an application-wide event filter, installed only while read aloud is on, so the kiosk pays nothing for
it otherwise). The volume keys change the session's volume (reset when the session ends) and say the new level. When
the session ends, speech stops and nothing said in it can be repeated.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from accessibility.speech import SpeechService, Utterance
from kiosk.session import Presentation
from kiosk.settings.model import SpeechSettings
from ui.announcer import Announcer
from ui.bridge import EventBridge
from ui.header import VOLUME_STEP
from ui.speech_reader import screen_script, widget_script

if TYPE_CHECKING:
    from ui.shell import MainWindow

log = logging.getLogger(__name__)

_STOPPING_EVENTS = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.TabletPress}
)


def first_key(sequence: QKeySequence) -> int:
    """The key (without modifiers) of a sequence's first chord, as Qt's key code."""
    return int(sequence[0].key().value)  # type: ignore[index]  # Qt has operator[]; the stubs lack it


def key_sequence(text: str, fallback: str) -> QKeySequence:
    """The setting's key, or its default when Qt cannot read it (logged, never fatal)."""
    sequence = QKeySequence.fromString(text, QKeySequence.SequenceFormat.PortableText)
    if sequence.isEmpty() or first_key(sequence) == Qt.Key.Key_unknown.value:
        log.warning("speech key %r is not a key Qt knows; using %s", text, fallback)
        sequence = QKeySequence(fallback)
    return sequence


class InputStopsSpeech(QObject):
    """Application event filter: any key, mouse or touch press stops speech (a held key only once). The speech keys
    are shortcuts, which Qt handles before any key press is delivered: they act themselves (Repeat says the last
    announcement again, the volume keys say the new level)."""

    def __init__(self, speech: SpeechService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._speech = speech

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _STOPPING_EVENTS and not (isinstance(event, QKeyEvent) and event.isAutoRepeat()):
            self._speech.stop()
        return False


class SpeechMode(QObject):
    def __init__(self, window: MainWindow, announcer: Announcer, settings: SpeechSettings) -> None:
        super().__init__(window)
        self.window = window
        self.announcer = announcer
        self.speech = speech = announcer.speech
        self.settings = settings
        session = window.deps.session
        self.session = session
        self._presentation = session.presentation
        keys = {
            "toggle": key_sequence(settings.toggle_key, "F9"),
            "repeat": key_sequence(settings.repeat_key, "F8"),
            "down": key_sequence(settings.volume_down_key, "F10"),
            "up": key_sequence(settings.volume_up_key, "F11"),
        }
        self.keys = keys
        self._filter = InputStopsSpeech(speech, self)
        self._filter_on = False
        self.shortcuts: list[QShortcut] = []
        for sequence, action in (
            (keys["toggle"], self.toggle),
            (keys["repeat"], self.repeat),
            (keys["down"], self.quieter),
            (keys["up"], self.louder),
            (QKeySequence(Qt.Key.Key_VolumeDown), self.quieter),
            (QKeySequence(Qt.Key.Key_VolumeUp), self.louder),
        ):
            shortcut = QShortcut(sequence, window)
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)  # from any widget and any popup of the kiosk
            shortcut.setAutoRepeat(False)
            shortcut.activated.connect(action)
            self.shortcuts.append(shortcut)
        header = window.header
        header.repeat_clicked.connect(self.repeat)
        # Created after the window's own bridges: the screens are re-translated before they are read again.
        self._bridges = [EventBridge(session.presentation_changed, self), EventBridge(session.ended, self)]
        self._bridges[0].fired.connect(self._on_presentation)
        self._bridges[1].fired.connect(self._on_session_ended)
        window.screen_changed.connect(self._on_screen_changed)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self._apply(session.presentation)

    # Actions ---------------------------------------------------------------------------------------------------------
    def toggle(self) -> None:
        self.session.set_read_aloud(not self.session.presentation.read_aloud)

    def repeat(self) -> None:
        self.speech.repeat()

    def quieter(self) -> None:
        self.session.set_volume(self.session.presentation.volume - VOLUME_STEP)

    def louder(self) -> None:
        self.session.set_volume(self.session.presentation.volume + VOLUME_STEP)

    def key_name(self, which: str) -> str:
        return self.keys[which].toString(QKeySequence.SequenceFormat.NativeText)

    def text(self, key: str, **params: object) -> Utterance:
        """A UI string as an utterance in the language it was found in (a missing translation falls back)."""
        found = self.window.deps.catalog.get(key, self.session.presentation.language, **params)
        return Utterance(found.text, found.lang)

    def script(self, *, full: bool = True) -> list[Utterance]:
        """What the current screen says: its title and content; `full` adds the header's controls."""
        window, lang = self.window, self.session.presentation.language
        current = window.stack.currentWidget()
        title = getattr(current, "page_title", "") if current is not None else ""

        def t(key: str) -> str:
            return window.deps.catalog.t(key, lang)

        content: QWidget = current if current is not None else window.stack
        controls = (window.header, window.notice_bar) if full else ()
        return screen_script(title, content, lang, t, controls=controls)

    def read_screen(self, *, full: bool = True, interrupt: bool = True) -> None:
        """Announce the page (its title to assistive technology) and, with read aloud on, read it all."""
        current = self.window.stack.currentWidget()
        title = getattr(current, "page_title", "") or self.window.windowTitle()
        spoken = self.script(full=full) if self.session.presentation.read_aloud else []
        self.announcer.announce(current, title, spoken=spoken, interrupt=interrupt)

    # Following the session -------------------------------------------------------------------------------------------
    def _on_screen_changed(self, _name: str) -> None:
        self.read_screen(full=False)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """With read aloud on, the control that gets the focus says what it is (Tab, the keypad's arrows, a radio
        group's arrows): its name, role, state, hint and value. A page change reads the page right after."""
        if new is None or not self.session.presentation.read_aloud or new.window() is not self.window:
            return
        lang = self.session.presentation.language

        def t(key: str) -> str:
            return self.window.deps.catalog.t(key, lang)

        script = widget_script(new, lang, t)
        if script:
            self.speech.say(script, interrupt=True, remember=False)

    def _on_presentation(self, presentation: Presentation) -> None:
        old = self._presentation
        self._apply(presentation)
        if presentation.read_aloud != old.read_aloud:
            state = "header.read_aloud_on" if presentation.read_aloud else "header.read_aloud_off"
            header = self.window.header.read_aloud
            self.announcer.announce(header, self.text(state), always_speak=True, assertive=True, remember=False)
            if presentation.read_aloud:
                keys = {name: self.key_name(name) for name in ("toggle", "repeat", "down", "up")}
                self.speech.say(self.text("speech.keys", **keys))
                self.speech.say(self.script(full=True))
        elif presentation.read_aloud and presentation.language != old.language:
            self.read_screen(full=True)
        elif presentation.volume != old.volume:
            message = self.text("header.volume", percent=presentation.volume)
            self.announcer.announce(self.window.header.volume, message, always_speak=True, remember=False)

    def _on_session_ended(self, _reason: str) -> None:
        # Nothing said in a session can be repeated in the next; the defaults come back without being announced.
        self.speech.forget()
        self._apply(self.session.presentation)

    def _apply(self, presentation: Presentation) -> None:
        self._presentation = presentation
        self.speech.set_volume(presentation.volume)
        self._set_filter(presentation.read_aloud)

    def _set_filter(self, on: bool) -> None:
        app = QApplication.instance()
        if app is None or on == self._filter_on:
            return
        if on:
            app.installEventFilter(self._filter)
        else:
            app.removeEventFilter(self._filter)
            self.speech.stop()
        self._filter_on = on

    def close(self) -> None:
        """Stop speaking and stop listening (the window is going away)."""
        self._set_filter(False)
        self.speech.stop()
