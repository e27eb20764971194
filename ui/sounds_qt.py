"""The kiosk's sound cues played through Qt Multimedia (`QSoundEffect`), or nothing when there is no way to play them.

The chimes are synthesised here (short sine tones, under a second, so they never talk over read aloud for long) and
written once as WAV files to a directory the composition root gives. Qt Multimedia loads on the first cue, not at
start-up. No Qt Multimedia, no audio output device, or a file that cannot be written: the cue is silently dropped;
the visible message shown with every cue (`kiosk.sounds.CUE_MESSAGES`) carries it alone. Nothing here ever raises.
"""

from __future__ import annotations

import array
import logging
import math
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl

from kiosk.logs import safe_exception_summary
from kiosk.sounds import CUES, checked_cue

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

log = logging.getLogger(__name__)

RATE = 22_050
# Each cue as (frequency Hz, seconds) notes: a falling two-note chime, a rising call, one low note.
NOTES: dict[str, tuple[tuple[float, float], ...]] = {
    "idle-warning": ((880.0, 0.22), (660.0, 0.32)),
    "help-call": ((523.3, 0.16), (659.3, 0.16), (784.0, 0.28)),
    "error": ((330.0, 0.3),),
}


def chime(notes: tuple[tuple[float, float], ...], rate: int = RATE) -> bytes:
    """16-bit mono PCM: each note a sine with a quick attack and an exponential decay (no clicks)."""
    samples = array.array("h")
    for frequency, seconds in notes:
        count = int(rate * seconds)
        for i in range(count):
            t = i / rate
            envelope = min(1.0, i / (0.005 * rate)) * math.exp(-4.0 * t / seconds)
            samples.append(int(0.45 * 32767 * envelope * math.sin(2 * math.pi * frequency * t)))
    return samples.tobytes()


def write_wav(path: Path, pcm: bytes, rate: int = RATE) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)


class QtSounds(QObject):
    """`kiosk.sounds.Sounds` on Qt Multimedia. `volume()` gives the percent to play at (the session's volume)."""

    def __init__(
        self,
        directory: Path | None = None,
        volume: Callable[[], int] = lambda: 70,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        if directory is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="citizen-kiosk-sounds-")
            directory = Path(self._temporary.name)
        self.directory = directory
        self._volume = volume
        self._effects: dict[str, QSoundEffect] = {}
        self._available: bool | None = None  # None: not looked at yet (first cue)

    @property
    def available(self) -> bool:
        """Whether cues are audible: Qt Multimedia loads and there is an audio output (looked at once)."""
        if self._available is None:
            self._available = self._probe()
        return self._available

    def play(self, cue: str) -> None:
        checked_cue(cue)
        try:
            if not self.available:
                return
            effect = self._effects.get(cue) or self._load(cue)
            effect.setVolume(max(0, min(self._volume(), 100)) / 100)
            effect.play()
        except Exception as exc:  # noqa: BLE001 - a sound must never take a screen down
            log.warning("sound cue %s not played: %s", cue, safe_exception_summary(exc))
            self._available = False

    def _probe(self) -> bool:
        try:
            from PySide6.QtMultimedia import QMediaDevices
        except ImportError:
            log.info("Qt Multimedia is not installed: sound cues are silent")
            return False
        if not QMediaDevices.audioOutputs():
            log.info("no audio output device: sound cues are silent")
            return False
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            for name in CUES:
                path = self.directory / f"{name}.wav"
                if not path.exists():
                    write_wav(path, chime(NOTES[name]))
        except OSError as exc:
            log.warning("sound cues not written: %s", safe_exception_summary(exc))
            return False
        return True

    def _load(self, cue: str) -> QSoundEffect:
        from PySide6.QtMultimedia import QSoundEffect

        effect = QSoundEffect(self)
        effect.setSource(QUrl.fromLocalFile(str(self.directory / f"{cue}.wav")))
        self._effects[cue] = effect
        return effect


def build_sounds(directory: Path | None, volume: Callable[[], int], parent: QObject | None = None) -> QtSounds:
    """The kiosk's sounds (silent by itself when no audio is possible, so callers need no fallback)."""
    return QtSounds(directory, volume, parent)
