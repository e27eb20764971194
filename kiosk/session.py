"""The citizen session: everything one citizen chose or typed, owned in one place so it can be wiped at once.

For now it holds the presentation choices a citizen makes (language, text size, read aloud); later issues add answers,
drafts and consents. Ending the session restores the site's defaults and tells every subscriber to forget.
"""

from typing import NamedTuple

from kiosk.events import Event


class Presentation(NamedTuple):
    language: str
    text_step: int = 0  # index into the text-size scale; 0 is the default size
    read_aloud: bool = False


class CitizenSession:
    def __init__(self, defaults: Presentation, text_steps: int) -> None:
        self._defaults = defaults
        self._text_steps = text_steps
        self._presentation = defaults
        self.presentation_changed: Event[Presentation] = Event("session.presentation_changed")
        self.ended: Event[str] = Event("session.ended")  # payload: the reason (finished, timeout, shutdown…)

    @property
    def presentation(self) -> Presentation:
        return self._presentation

    def set_language(self, language: str) -> None:
        self._update(self._presentation._replace(language=language))

    def set_text_step(self, step: int) -> None:
        self._update(self._presentation._replace(text_step=max(0, min(step, self._text_steps - 1))))

    def set_read_aloud(self, on: bool) -> None:
        self._update(self._presentation._replace(read_aloud=on))

    def end(self, reason: str) -> None:
        """Forget everything this citizen chose; subscribers wipe their own state on `ended`."""
        self._presentation = self._defaults
        self.ended.emit(reason)
        self.presentation_changed.emit(self._presentation)

    def _update(self, new: Presentation) -> None:
        if new != self._presentation:
            self._presentation = new
            self.presentation_changed.emit(new)
