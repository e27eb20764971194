"""The kiosk's sound cues, behind one small interface so the core can ask for a sound without knowing about audio.

A cue is a name; the UI plays it (`ui/sounds_qt.py`: Qt Multimedia when an audio device exists, else nothing) and tests
record it (`RecordingSounds`). A sound is never the only signal: every cue names the catalog key of the visible
message shown with it (`CUE_MESSAGES`; accessibility checklist item 7), and a kiosk without speakers loses nothing.
"""

from __future__ import annotations

from typing import Protocol

IDLE_WARNING = "idle-warning"
HELP_CALL = "help-call"
ERROR = "error"

# Each cue and the catalog key of the message the screen shows with it (a test checks every key in every language).
CUE_MESSAGES: dict[str, str] = {
    IDLE_WARNING: "idle.warning.title",
    HELP_CALL: "sounds.help-call",
    ERROR: "sounds.error",
}
CUES: tuple[str, ...] = tuple(CUE_MESSAGES)


class Sounds(Protocol):
    def play(self, cue: str) -> None:
        """Play `cue` (one of CUES) without waiting; never raises for want of an audio device."""


def checked_cue(cue: str) -> str:
    if cue not in CUE_MESSAGES:
        raise ValueError(f"unknown sound cue {cue!r}; cues: {', '.join(CUES)}")
    return cue


class SilentSounds:
    """No audio device (or none wanted): the visible message carries the cue alone."""

    def play(self, cue: str) -> None:
        checked_cue(cue)


class RecordingSounds:
    """For tests: remembers every cue played, in order."""

    def __init__(self) -> None:
        self.played: list[str] = []

    def play(self, cue: str) -> None:
        self.played.append(checked_cue(cue))
