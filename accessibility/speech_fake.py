"""A recording engine for tests: what would have been spoken, in order, with its language; no audio.

`transcript` holds (lang, text) for every utterance started. With `hold=True` each utterance "speaks" until
`finish()` or `stop()` (to test stopping, pausing and the queue); otherwise it ends at once.
"""

from __future__ import annotations

import threading


class RecordingEngine:
    name = "recording"

    def __init__(self, *, hold: bool = False, voices: dict[str, list[str]] | None = None) -> None:
        self.hold = hold
        self.transcript: list[tuple[str, str]] = []
        self.volumes: list[int] = []
        self.stops = 0
        self.paused = False
        self.cut: list[tuple[str, str]] = []  # utterances stopped before their end
        self._voices = voices if voices is not None else {lang: [f"fake-{lang}"] for lang in _SIX}
        self._done = threading.Event()
        self._done.set()
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return True

    def speak(self, text: str, lang: str, volume: int) -> None:
        with self._lock:
            self.transcript.append((lang, text))
            self.volumes.append(volume)
            if self.hold:
                self._done.clear()

    def wait(self, timeout: float) -> bool:
        return self._done.wait(timeout)

    def finish(self) -> None:
        """The utterance being "spoken" ends normally (hold mode)."""
        self._done.set()

    def stop(self) -> None:
        with self._lock:
            self.stops += 1
            if not self._done.is_set() and self.transcript:
                self.cut.append(self.transcript[-1])
            self.paused = False
            self._done.set()

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def voices(self) -> dict[str, list[str]]:
        return {lang: list(names) for lang, names in self._voices.items()}

    # For assertions ---------------------------------------------------------------------------------------------------
    def texts(self) -> list[str]:
        return [text for _lang, text in self.transcript]

    def spoken(self) -> str:
        """Everything said, one utterance per line."""
        return "\n".join(self.texts())

    def clear(self) -> None:
        with self._lock:
            self.transcript.clear()
            self.volumes.clear()
            self.cut.clear()


_SIX = ("pt-PT", "en", "es", "fr", "uk", "ar")
