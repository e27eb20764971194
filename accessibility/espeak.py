"""The espeak-ng engine: one `espeak-ng` process per utterance, killed to stop it.

espeak-ng is small, offline, speaks all six kiosk languages and starts in milliseconds, so it is the fallback when Qt's
text to speech (speech-dispatcher) is missing or has no voice. The text goes to the process on standard input, never
on its command line: other local users can read command lines (`ps`), and the text may be a citizen's answer.
Pause and resume stop and continue the process (SIGSTOP/SIGCONT).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import signal
import subprocess
import threading
from pathlib import Path

from accessibility.speech import base_language

EXECUTABLE = "espeak-ng"
# BCP 47 -> espeak-ng voice. Portuguese from Portugal is espeak's "pt" ("pt-br" is Brazil's).
VOICES = {"pt-PT": "pt", "pt": "pt", "en": "en", "es": "es", "fr": "fr", "uk": "uk", "ar": "ar"}
MAX_AMPLITUDE = 200  # espeak-ng's -a runs 0..200 (100 is its own default)


def espeak_voice(lang: str) -> str:
    return VOICES.get(lang) or VOICES.get(base_language(lang)) or base_language(lang)


def amplitude(volume: int) -> int:
    """Volume 0..100 % as espeak's amplitude 0..200 (50 % is espeak's default loudness)."""
    return max(0, min(round(volume * MAX_AMPLITUDE / 100), MAX_AMPLITUDE))


def command(lang: str, volume: int, *, wav: Path | None = None, executable: str = EXECUTABLE) -> list[str]:
    """The command line for one utterance read from standard input (UTF-8); `wav` writes a file instead of playing."""
    args = [executable, "-v", espeak_voice(lang), "-a", str(amplitude(volume)), "-b", "1", "--stdin"]
    if wav is not None:
        args[1:1] = ["-w", str(wav)]
    return args


def installed(executable: str = EXECUTABLE) -> str | None:
    return shutil.which(executable)


def list_voices(executable: str = EXECUTABLE) -> dict[str, list[str]]:
    """Voices by espeak language code ("pt", "en-gb", "en"), from `espeak-ng --voices`; {} when it is not installed.

    A voice is listed under its own language and under the "other languages" espeak-ng gives it (English (Great
    Britain) is also "en", Portuguese (Portugal) also "pt-pt"), each list in espeak-ng's order of preference (its
    priority column): the first voice of a language is the one `-v` picks for it.
    """
    path = installed(executable)
    if path is None:
        return {}
    try:
        result = subprocess.run([path, "--voices"], capture_output=True, text=True, check=False, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return {}
    ranked: dict[str, list[tuple[int, int, str]]] = {}
    for order, line in enumerate(result.stdout.splitlines()[1:]):  # "Pty Language Age/Gender VoiceName File Other…"
        fields = line.split()
        if len(fields) < 4:
            continue
        name = fields[3]
        entries = [(fields[1], fields[0]), *_OTHER_LANGUAGE.findall(" ".join(fields[5:]))]
        for code, priority in entries:
            ranked.setdefault(code.lower(), []).append((int(priority) if priority.isdigit() else 99, order, name))
    return {code: [name for *_rank, name in sorted(entries)] for code, entries in ranked.items()}


_OTHER_LANGUAGE = re.compile(r"\(([\w-]+) (\d+)\)")  # "(en 2)": also speaks "en", priority 2 (lower: preferred)


def synthesize_to_wav(text: str, lang: str, volume: int, wav: Path, executable: str = EXECUTABLE) -> None:
    """Speak `text` into a WAV file (checks and tools: ~650 times faster than speaking it)."""
    subprocess.run(
        command(lang, volume, wav=wav, executable=executable),
        input=text.encode("utf-8"),
        capture_output=True,
        check=True,
        timeout=60,
    )


class EspeakEngine:
    name = "espeak-ng"

    def __init__(self, executable: str = EXECUTABLE) -> None:
        self._executable = executable
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._voices: dict[str, list[str]] | None = None

    @property
    def available(self) -> bool:
        return installed(self._executable) is not None

    def speak(self, text: str, lang: str, volume: int) -> None:
        process = subprocess.Popen(
            command(lang, volume, executable=self._executable),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # ALSA chatter without a sound card; never useful, and it could grow a log
        )
        with self._lock:
            self._process = process
        assert process.stdin is not None
        try:
            process.stdin.write(text.encode("utf-8"))
            process.stdin.close()
        except BrokenPipeError:  # it died at once (no voice data): wait() reports the end
            pass

    def wait(self, timeout: float) -> bool:
        with self._lock:
            process = self._process
        if process is None:
            return True
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    def stop(self) -> None:
        with self._lock:
            process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()  # SIGKILL: also ends a paused (stopped) process at once
            process.wait()

    def pause(self) -> None:
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    def _signal(self, number: int) -> None:
        with self._lock:
            process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(number)

    def voices(self) -> dict[str, list[str]]:
        if self._voices is None:
            self._voices = list_voices(self._executable)
        return self._voices
