"""The one way the kiosk announces something: a page change, an error summary, a warning, a confirmation.

`Announcer.announce` always raises a `QAccessibleAnnouncementEvent` on the widget concerned (so a screen reader a
member of staff runs hears it too) and, while the citizen has read aloud on, speaks it through the speech service.
Tests spy on `announced` (PySide6 offers no hook to observe accessibility events). Announcements never reach the log:
an error message may quote what was typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget

from accessibility.speech import SpeechService, Utterance
from kiosk.session import CitizenSession

Parts = str | Utterance | Sequence[Utterance]


class Announcer(QObject):
    # (widget, message, assertive): after the accessibility event was raised and speech queued
    announced = Signal(object, str, bool)

    def __init__(self, speech: SpeechService, session: CitizenSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.speech = speech
        self._session = session

    def utterances(self, parts: Parts) -> list[Utterance]:
        if isinstance(parts, str):
            return [Utterance(parts, self._session.presentation.language)]
        if isinstance(parts, Utterance):
            return [parts]
        return list(parts)

    def announce(
        self,
        widget: QWidget | None,
        parts: Parts,
        *,
        spoken: Sequence[Utterance] | None = None,
        assertive: bool = False,
        interrupt: bool = True,
        always_speak: bool = False,
        remember: bool = True,
    ) -> str:
        """Announce `parts` (a string in the screen's language, or utterances in their own languages).

        `spoken` replaces what is spoken (a page change announces its title but reads the whole page); `assertive`
        interrupts a screen reader; `always_speak` speaks even with read aloud off (the switch saying "off");
        `remember=False` keeps it out of Repeat (a volume level). Returns the message of the accessibility event.
        """
        items = self.utterances(parts)
        message = " ".join(self.speech.spoken(u).text for u in items if u.text.strip())
        if widget is not None and message:
            event = QAccessibleAnnouncementEvent(widget, message)
            event.setPoliteness(
                QAccessible.AnnouncementPoliteness.Assertive if assertive else QAccessible.AnnouncementPoliteness.Polite
            )
            QAccessible.updateAccessibility(event)
        if always_speak or self._session.presentation.read_aloud:
            self.speech.say(list(spoken) if spoken is not None else items, interrupt=interrupt, remember=remember)
        self.announced.emit(widget, message, assertive)
        return message


class SilentAnnouncer:
    """For screens built outside a window (tools, some tests): announcing does nothing."""

    def announce(self, widget: QWidget | None, parts: Parts, **_options: object) -> str:
        return ""
