"""The one speech service (Qt-free): a queue of utterances spoken one after another by an engine.

Everything the kiosk says goes through one `SpeechService`, so "any input stops speech", "repeat" and the volume work
the same whatever is speaking. An utterance carries its own language (the voice follows the language each string is
really in, which may be a fallback) and a kind:

- `normal`: spoken as it is;
- `masked`: each character spoken as the language's word for "asterisk" (a password box on a loudspeaker);
- `private`: spoken as it is only when the output is a headset (`speech.headset`); otherwise masked.

Engines (`Engine`) start speaking without blocking and report the end through `wait()`; a worker thread of the service
waits, so neither the GUI nor the caller ever blocks on audio. An engine that fails or hangs is replaced by the
fallback engine for the rest of the process. Texts are never logged: they may be a citizen's answers.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple, Protocol, runtime_checkable

from kiosk.session import DEFAULT_VOLUME

log = logging.getLogger(__name__)

NORMAL, MASKED, PRIVATE = "normal", "masked", "private"
KINDS = (NORMAL, MASKED, PRIVATE)
# The word spoken for each hidden character, by base language (the kiosk's six; others fall back to English).
ASTERISK = {
    "pt": "asterisco",
    "en": "asterisk",
    "es": "asterisco",
    "fr": "astérisque",
    "uk": "зірочка",
    "ar": "نجمة",
}
# An utterance still "speaking" after this long (not counting pauses) means a hung engine (speech-dispatcher without a
# sound card stays "speaking" for ever): a few seconds plus four times a slow reading pace, at most two minutes.
HANG_BASE_SECONDS, HANG_SECONDS_PER_CHARACTER, LONGEST_WAIT_SECONDS = 5.0, 0.25, 120.0
WAIT_SLICE_SECONDS = 0.5


class Utterance(NamedTuple):
    text: str
    lang: str  # BCP 47: the language the text is really in
    kind: str = NORMAL


class Engine(Protocol):
    """A voice. `speak` starts and returns at once; `wait` blocks until that utterance ends or is stopped."""

    name: str

    @property
    def available(self) -> bool: ...

    def speak(self, text: str, lang: str, volume: int) -> None: ...

    def wait(self, timeout: float) -> bool:
        """True when the utterance ended (or was stopped) within `timeout` seconds; False: the engine hangs."""
        ...

    def stop(self) -> None: ...

    def voices(self) -> dict[str, list[str]]:
        """Voice names by the language code the engine uses ("pt", "en-gb", "pt-BR")."""
        ...


@runtime_checkable
class PausableEngine(Protocol):
    def pause(self) -> None: ...

    def resume(self) -> None: ...


class SilentEngine:
    """No voice at all: the kiosk keeps working, the texts just are not spoken (staff are told once)."""

    name = "none"
    available = False

    def __init__(self, reason: str = "") -> None:
        self.reason = reason

    def speak(self, text: str, lang: str, volume: int) -> None:
        return None

    def wait(self, timeout: float) -> bool:
        return True

    def stop(self) -> None:
        return None

    def voices(self) -> dict[str, list[str]]:
        return {}


# Bidi isolates and marks, word joiners, zero-width spaces: layout marks that must not reach a voice.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200e\u200f\u2060\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_FALLBACK_TEXTS: dict[str, str] = {}  # content text -> the language it is really in, when not the screen's
_FALLBACK_TEXTS_KEPT = 2048


def clean_text(text: str) -> str:
    """`text` without invisible layout marks, on one line with single spaces."""
    return " ".join(text.translate(_INVISIBLE).split())


def remember_language(text: str, lang: str) -> None:
    """Note that a content text shown on screen is in `lang` (a per-text fallback), so read aloud uses its voice.

    Catalog content only (service and life-event definitions): never anything a citizen typed. Bounded: the oldest
    entries go first.
    """
    key = clean_text(text)
    if not key:
        return
    _FALLBACK_TEXTS.pop(key, None)
    _FALLBACK_TEXTS[key] = lang
    while len(_FALLBACK_TEXTS) > _FALLBACK_TEXTS_KEPT:
        del _FALLBACK_TEXTS[next(iter(_FALLBACK_TEXTS))]


def language_of(text: str) -> str | None:
    """The language `remember_language` noted for this text (None: the screen's own)."""
    return _FALLBACK_TEXTS.get(clean_text(text))


def grouped_for_listening(groups: Sequence[str]) -> str:
    """A code read group by group, each symbol on its own: "R, 3 W X 5, R Z M V" (pauses between the groups)."""
    return ", ".join(" ".join(group) for group in groups)


def base_language(lang: str) -> str:
    return lang.replace("_", "-").split("-", 1)[0].lower()


def masked_form(text: str, lang: str) -> Utterance:
    """Each character (spaces included: they are typed too) as the word for "asterisk", in a language that has one."""
    base = base_language(lang)
    word_lang = lang if base in ASTERISK else "en"
    word = ASTERISK[base_language(word_lang)]
    return Utterance(" ".join(word for _ in text), word_lang, NORMAL)


def voices_for_language(voices: dict[str, list[str]], lang: str) -> list[str]:
    """The voices an engine has for a BCP 47 language: the exact code, else the base language, else any variant of
    it (Portuguese from Portugal may be listed as "pt" by espeak-ng and as "pt-BR" by speech-dispatcher)."""
    wanted = lang.replace("_", "-").lower()
    base = base_language(lang)
    by_code = {code.replace("_", "-").lower(): names for code, names in voices.items()}
    for code in (wanted, base):
        if by_code.get(code):
            return list(by_code[code])
    found: list[str] = []
    for code, names in sorted(by_code.items()):
        if code.startswith(base + "-"):
            found.extend(names)
    return found


class SpeechService:
    """One queue of utterances. Thread-safe; the worker thread exists only while there is something to say."""

    def __init__(
        self,
        engine: Engine,
        *,
        headset: bool = False,
        volume: int = DEFAULT_VOLUME,
        fallback: Callable[[], Engine] | None = None,
        on_engine_failed: Callable[[str], None] | None = None,
        hang_seconds: float = LONGEST_WAIT_SECONDS,
    ) -> None:
        self._engine = engine
        self._hang_seconds = hang_seconds
        self._fallback = fallback
        self._on_engine_failed = on_engine_failed
        self.headset = headset
        self._volume = _clamp(volume)
        self._lock = threading.Condition()
        self._queue: deque[Utterance] = deque()
        self._last: tuple[Utterance, ...] = ()
        self._worker: threading.Thread | None = None
        self._speaking = False
        self._paused = False

    # What is said ----------------------------------------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        return self._engine

    def set_engine(self, engine: Engine) -> None:
        self.stop()
        with self._lock:
            self._engine = engine

    def spoken(self, utterance: Utterance) -> Utterance:
        """What is actually said for `utterance` on this output (masked and private rules applied)."""
        if utterance.kind == MASKED or (utterance.kind == PRIVATE and not self.headset):
            return masked_form(utterance.text, utterance.lang)
        return utterance._replace(kind=NORMAL)

    def say(
        self, utterances: Utterance | Iterable[Utterance], *, interrupt: bool = False, remember: bool = True
    ) -> None:
        """Queue one announcement (one utterance or several); `interrupt` first stops whatever is being said.
        `remember=False`: not what Repeat says again (a volume level, the read-aloud switch's new state)."""
        items = (utterances,) if isinstance(utterances, Utterance) else tuple(utterances)
        items = tuple(u for u in items if u.text.strip())
        if interrupt:
            self.stop()
        if not items:
            return
        with self._lock:
            if remember:
                self._last = items
            self._queue.extend(self.spoken(u) for u in items)
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="speech", daemon=True)
                self._worker.start()
            self._lock.notify_all()

    def repeat(self) -> None:
        """The last complete announcement again, from its start."""
        with self._lock:
            last = self._last
        self.say(last, interrupt=True)

    @property
    def last_announcement(self) -> tuple[Utterance, ...]:
        with self._lock:
            return self._last

    def forget(self) -> None:
        """Stop and forget the last announcement too (the end of a session: nothing of it may be repeated)."""
        self.stop()
        with self._lock:
            self._last = ()

    def stop(self) -> None:
        """Empty the queue and cut the utterance being spoken."""
        with self._lock:
            self._queue.clear()
            self._paused = False
            if self._speaking:
                self._engine.stop()  # under the lock: the worker starts utterances under it too, so none slips by

    # Pause, volume ---------------------------------------------------------------------------------------------------
    @property
    def can_pause(self) -> bool:
        return isinstance(self._engine, PausableEngine)

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> bool:
        """Hold the current utterance where it is (False when the engine cannot)."""
        with self._lock:
            if not isinstance(self._engine, PausableEngine) or not self._speaking or self._paused:
                return False
            self._engine.pause()
            self._paused = True
            return True

    def resume(self) -> bool:
        with self._lock:
            if not isinstance(self._engine, PausableEngine) or not self._paused:
                return False
            self._engine.resume()
            self._paused = False
            return True

    @property
    def volume(self) -> int:
        return self._volume

    def set_volume(self, percent: int) -> None:
        """0..100; applies from the next utterance (and at once on engines that can)."""
        self._volume = _clamp(percent)
        setter = getattr(self._engine, "set_volume", None)
        if callable(setter):
            setter(self._volume)

    # State -----------------------------------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        with self._lock:
            return self._speaking or bool(self._queue)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Block until everything queued has been said (tests and tools; never on the GUI thread with a Qt engine)."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._speaking and not self._queue, timeout)

    # The worker ------------------------------------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._worker = None
                    self._lock.notify_all()
                    return
                utterance = self._queue.popleft()
                engine = self._engine
                self._speaking = True
                try:
                    engine.speak(utterance.text, utterance.lang, self._volume)
                    started = True
                except Exception as error:  # noqa: BLE001 - a broken voice must not end speech for the session
                    started = False
                    self._replace_engine(engine, f"{type(error).__name__} while starting")
            ended = self._wait_for(engine, utterance.text) if started else True
            with self._lock:
                self._speaking = False
                self._paused = False
                if not ended:
                    engine.stop()
                    self._replace_engine(engine, "an utterance never ended")
                self._lock.notify_all()

    def _wait_for(self, engine: Engine, text: str) -> bool:
        """Wait for the utterance to end; time spent paused does not count towards a hang."""
        limit = min(HANG_BASE_SECONDS + HANG_SECONDS_PER_CHARACTER * len(text), self._hang_seconds)
        waited = 0.0
        step = min(WAIT_SLICE_SECONDS, limit)
        while not engine.wait(step):
            if not self._paused:
                waited += step
            if waited >= limit:
                return False
        return True

    def _replace_engine(self, failed: Engine, reason: str) -> None:
        """Called with the lock held: log once (never the text) and go on with the fallback engine, if any."""
        if self._engine is not failed:
            return
        replacement = "the fallback" if self._fallback is not None else "no voice"
        log.warning("speech engine %s failed (%s); using %s", failed.name, reason, replacement)
        self._engine = self._fallback() if self._fallback is not None else SilentEngine(reason)
        self._fallback = None
        if self._on_engine_failed is not None:
            self._on_engine_failed(failed.name)


def _clamp(percent: int) -> int:
    return max(0, min(int(percent), 100))


def announcement(texts: Sequence[tuple[str, str]], kind: str = NORMAL) -> list[Utterance]:
    """(text, lang) pairs as utterances of one kind: the usual shape of `kiosk.i18n.LocalizedText`s."""
    return [Utterance(text, lang, kind) for text, lang in texts]
