"""The citizen session: the one object that owns everything one citizen chose or typed, so it can be wiped at once.

It holds the presentation choices a citizen makes (language, text size, colour theme, read aloud, speech volume) and
is the root every other holder of personal data hangs from: each subscribes to `ended` and forgets its part there.

- `kiosk.journey.Journey`: the form being filled in (answers, repeating groups, consents), drafts in memory and the
  resume code, the tell-us-once profile, the last submission;
- `ui.shell.MainWindow`: every screen but home is destroyed and rebuilt fresh when next shown (so no editor keeps
  text or undo history: never `QLineEdit.clear()`), the navigation history, the clipboard, the receipt spool;
- `ui.speech_mode.SpeechMode`: the speech queue is stopped and what Repeat would say is forgotten;
- `ui.idle.IdleController`, the staff presence, the help call and an assisted session: reset for the next person.

Ending the session (Finish, the idle timeout, a staff member, SIGTERM/SIGINT through `ui.app.KioskGui.shutdown`)
restores the site's defaults (`display.default_theme`, `speech.default_volume`...) and tells every subscriber to
forget. tests/test_session_wipe.py types a canary into every box and proves none of it survives any of those ends.
"""

from typing import NamedTuple

from kiosk.events import Event

# The colour themes a citizen can choose, in the order the kiosk offers them. The Qt-free colour tables are
# `accessibility.tokens.THEMES` (same names; a test keeps the two equal): the core and the settings only need the names.
THEME_NAMES: tuple[str, ...] = ("default", "high-contrast", "dark-high-contrast")
DEFAULT_VOLUME = 70  # percent; the site's own default is the setting `speech.default_volume`


class Presentation(NamedTuple):
    language: str
    text_step: int = 0  # index into the text-size scale; 0 is the default size
    read_aloud: bool = False
    theme: str = "default"  # one of THEME_NAMES
    volume: int = DEFAULT_VOLUME  # speech volume, percent 0..100


class CitizenSession:
    def __init__(self, defaults: Presentation, text_steps: int) -> None:
        checked_theme(defaults.theme)
        if not 0 <= defaults.volume <= 100:
            raise ValueError(f"volume must be 0..100 percent, got {defaults.volume}")
        self._defaults = defaults
        self._text_steps = text_steps
        self._presentation = defaults
        self.presentation_changed: Event[Presentation] = Event("session.presentation_changed")
        self.ended: Event[str] = Event("session.ended")  # payload: the reason (finished, timeout, shutdown…)

    @property
    def presentation(self) -> Presentation:
        return self._presentation

    @property
    def defaults(self) -> Presentation:
        """What a new session starts with and `end` returns to (the site's settings)."""
        return self._defaults

    def set_language(self, language: str) -> None:
        self._update(self._presentation._replace(language=language))

    def set_text_step(self, step: int) -> None:
        self._update(self._presentation._replace(text_step=max(0, min(step, self._text_steps - 1))))

    def set_read_aloud(self, on: bool) -> None:
        self._update(self._presentation._replace(read_aloud=on))

    def set_theme(self, name: str) -> None:
        """Choose a colour theme by name (one of THEME_NAMES; anything else is a programming error)."""
        self._update(self._presentation._replace(theme=checked_theme(name)))

    def set_volume(self, percent: int) -> None:
        """Speech volume in percent, clamped to 0..100."""
        self._update(self._presentation._replace(volume=max(0, min(int(percent), 100))))

    def end(self, reason: str) -> None:
        """Forget everything this citizen chose; subscribers wipe their own state on `ended`."""
        self._presentation = self._defaults
        self.ended.emit(reason)
        self.presentation_changed.emit(self._presentation)

    def _update(self, new: Presentation) -> None:
        if new != self._presentation:
            self._presentation = new
            self.presentation_changed.emit(new)


def checked_theme(name: str) -> str:
    if name not in THEME_NAMES:
        raise ValueError(f"unknown theme {name!r}; themes: {', '.join(THEME_NAMES)}")
    return name
