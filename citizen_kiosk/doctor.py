"""`citizen-kiosk doctor`: checks everything the kiosk depends on, one line each, with what to do when it fails.

It never changes anything (a corrupt database is reported, not moved aside) and never imports Qt, so it works on a
machine whose Qt is broken: that is when it is needed most. Hardware checks (display, audio, speech) are advisory
unless the configuration's `doctor.required` lists them.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from citizen_kiosk import platform_probe
from citizen_kiosk.wiring import Context, open_secrets

MIN_FREE_BYTES = 200 * 1024 * 1024
FONT_SUFFIXES = (".ttf", ".otf")


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    required: bool
    detail: str
    fix: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def line(self) -> str:
        mark = "ok  " if self.ok else ("FAIL" if self.required else "warn")
        text = f"{mark} {self.name:<12} {self.detail}"
        return text if self.ok or not self.fix else f"{text}\n     {'':<12} fix: {self.fix}"


def run_checks(context: Context) -> list[CheckResult]:
    required = set(context.config.doctor.required)
    checks: list[tuple[str, Callable[[Context], tuple[bool, str, str]]]] = [
        ("data-dir", _data_dir),
        ("database", _database),
        ("secrets", _secrets),
        ("fonts", _fonts),
        ("qt-platform", _qt_platform),
        ("qt-keyboard", _qt_virtual_keyboard),
        ("display", _display),
        ("audio", _audio),
        ("speech", _speech),
    ]
    results = []
    for name, check in checks:
        try:
            ok, detail, fix = check(context)
        except Exception as error:  # noqa: BLE001 - a crashing check is itself a finding, never a crash of doctor
            ok, detail, fix = False, f"the check itself failed: {type(error).__name__}", "report this to the developers"
        results.append(CheckResult(name, ok, name in required, detail, "" if ok else fix))
    return results


def _data_dir(context: Context) -> tuple[bool, str, str]:
    path = context.data_dir.path
    where = f"{path} (from {context.data_dir.source})"
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    if existing is None or not existing.is_dir():
        return False, f"{where} cannot be created", "choose another directory with --data-dir"
    import os

    if not os.access(existing, os.W_OK):
        return False, f"{where} is not writable", f"give the kiosk user write access to {existing}"
    free = shutil.disk_usage(existing).free
    if free < MIN_FREE_BYTES:
        return False, f"{where}: only {free // 2**20} MiB free", "free disk space (at least 200 MiB)"
    state = "exists" if path.exists() else "will be created"
    return True, f"{where} {state}, {free // 2**30} GiB free", ""


def _database(context: Context) -> tuple[bool, str, str]:
    from kiosk.storage import DB_FILENAME, MIGRATIONS
    from kiosk.storage.migrations import newest_version

    newest = newest_version(MIGRATIONS)
    path = context.data_dir.path / DB_FILENAME
    if not path.exists():
        return True, f"{path} does not exist yet; it is created on first start", ""
    repair = "start the kiosk: it moves the file aside, salvages what it can and alerts staff"
    try:
        version, problems = _read_only_check(path)
    except sqlite3.DatabaseError as error:
        return False, f"{path} cannot be read ({type(error).__name__})", repair
    if version > newest:
        return (
            False,
            f"{path} has schema {version}, newer than this kiosk's {newest}",
            "install the newer kiosk version that wrote it, or restore a backup; do not downgrade",
        )
    if problems != ["ok"]:
        return False, f"{path} fails its integrity check: {problems[0]}", repair
    return True, f"{path}: schema {version}, integrity ok", ""


def _read_only_check(path: Path) -> tuple[int, list[str]]:
    from kiosk.storage.salvage import open_read_only

    # Read-only, as salvage reads a damaged file: the doctor examines the file and must never change it (no recorded
    # check time, no migration, no -wal/-shm created beside it), unlike the kiosk's own start-up check.
    connection = open_read_only(path, has_wal=path.with_name(path.name + "-wal").exists())
    try:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        problems = [str(row[0]) for row in connection.execute("PRAGMA integrity_check(5)")]
    finally:
        connection.close()
    return version, problems


def _secrets(context: Context) -> tuple[bool, str, str]:
    status = open_secrets(context).status()
    if status.ok:
        return True, f"backend {status.backend}: all keys present", ""
    return (
        False,
        f"backend {status.backend}: {status.reason}",
        "citizen-kiosk secrets init --config FILE (see docs/secrets.md)",
    )


def _fonts(context: Context) -> tuple[bool, str, str]:
    folder = _ui_dir() / "fonts"
    fonts = sorted(p.name for p in folder.glob("*") if p.suffix.lower() in FONT_SUFFIXES) if folder.is_dir() else []
    if not fonts:
        return False, f"no bundled fonts in {folder}", "reinstall citizen-kiosk: its fonts are part of the package"
    unreadable = [
        name for name in fonts if (folder / name).read_bytes()[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true")
    ]
    if unreadable:
        return False, f"not font files: {', '.join(unreadable)}", "reinstall citizen-kiosk"
    return True, f"{len(fonts)} bundled fonts: {', '.join(fonts)}", ""


def _ui_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("ui")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent


def _qt_platform(context: Context) -> tuple[bool, str, str]:
    if platform_probe.qt_dir() is None:
        return False, "PySide6 is not installed", "make run (or: pip install citizen-kiosk)"
    missing_plugins = [name for name in ("offscreen", "xcb") if platform_probe.platform_plugin(name) is None]
    if missing_plugins:
        return False, f"Qt platform plugins missing: {', '.join(missing_plugins)}", "reinstall PySide6-Essentials"
    plugin = platform_probe.platform_plugin("xcb")
    assert plugin is not None
    missing = platform_probe.missing_libraries(plugin)
    if missing:
        packages = " ".join(platform_probe.packages_for(missing))
        return False, f"the X11 plugin cannot load: missing {', '.join(missing)}", f"apt-get install {packages}"
    return True, "offscreen and xcb plugins present, all their libraries found", ""


def _qt_virtual_keyboard(context: Context) -> tuple[bool, str, str]:
    """Qt Virtual Keyboard is GPL-3.0 only: the install removes it (installer/drop-qt-virtual-keyboard.sh), and a pip
    reinstall of PySide6 would bring it back."""
    base = platform_probe.qt_dir()
    found = sorted(str(path.relative_to(base)) for path in base.rglob("*[Vv]irtual[Kk]eyboard*")) if base else []
    if found:
        return (
            False,
            f"Qt Virtual Keyboard (GPL-3.0 only) is installed: {', '.join(found[:3])}{' …' * (len(found) > 3)}",
            f"sh installer/drop-qt-virtual-keyboard.sh {sys.executable} (make run and make test do it)",
        )
    return True, "Qt Virtual Keyboard is not installed (the kiosk has its own keyboard)", ""


def _display(context: Context) -> tuple[bool, str, str]:
    status = platform_probe.display_status(context.env)
    return status.ok, status.detail, "" if status.ok else "run on the kiosk's desktop session or under xvfb-run"


def _audio(context: Context) -> tuple[bool, str, str]:
    runtime = context.env.get("XDG_RUNTIME_DIR", "")
    pulse = Path(runtime, "pulse", "native") if runtime else None
    if pulse is not None and pulse.exists():
        return True, f"PulseAudio/PipeWire socket {pulse}", ""
    if Path("/dev/snd").is_dir() and any(Path("/dev/snd").iterdir()):
        return True, "ALSA sound devices in /dev/snd", ""
    return False, "no sound server and no sound device", "connect speakers or a headset; check the sound server"


SPEECH_PACKAGES = "espeak-ng speech-dispatcher speech-dispatcher-espeak-ng libpulse0"


def _speech(context: Context) -> tuple[bool, str, str]:
    """The voice each configured language is read with, per engine read aloud may use (`speech.engine`): the first
    voice the kiosk would pick (Qt ranks by locale and territory, espeak-ng by its own priorities), not any voice
    listed under the language (speech-dispatcher lists "Portuguese (Brazil)" beside "Portuguese (Portugal)")."""
    from accessibility.espeak import list_voices
    from accessibility.speech import voices_for_language

    choice = context.config.speech.engine
    if choice == "none":
        return True, "speech.engine is none: read aloud stays silent on purpose", ""
    languages = context.config.languages.available
    engines: list[tuple[str, dict[str, list[str]]]] = []
    if choice in ("auto", "qt"):
        qt_voices = _qt_voices(context, languages)
        if qt_voices:
            engines.append(("Qt/speech-dispatcher", qt_voices))
    if choice in ("auto", "espeak-ng"):
        espeak = list_voices()
        if espeak:
            engines.append(("espeak-ng", espeak))
    if not engines:
        return False, f"no voice for read aloud (speech.engine = {choice})", f"apt-get install {SPEECH_PACKAGES}"
    parts, lacking = [], []
    for lang in languages:
        found = [(name, voices_for_language(voices, lang)) for name, voices in engines]
        picked = [f"{name}: {names[0]}" for name, names in found if names]
        if not picked:
            lacking.append(lang)
        parts.append(f"{lang} ({'; '.join(picked) or 'none'})")
    detail = f"voices by language: {', '.join(parts)}"
    if lacking:
        return False, f"{detail}; no voice for {', '.join(lacking)}", f"install voices for {', '.join(lacking)}"
    return True, detail, ""


def _qt_voices(context: Context, languages: tuple[str, ...]) -> dict[str, list[str]]:
    """Qt's text-to-speech voices for each of `languages`, in the order the kiosk picks them, asked in a child process
    (this command never imports Qt; a wedged speech-dispatcher cannot hang it): {} when QtTextToSpeech,
    speech-dispatcher or voices are missing."""
    import json
    import subprocess
    import sys

    base = platform_probe.qt_dir()
    if base is None or not (base / "QtTextToSpeech.abi3.so").exists() or shutil.which("speech-dispatcher") is None:
        return {}
    import os

    env = {**os.environ, **context.env, "QT_QPA_PLATFORM": "offscreen"}  # the probe needs no window
    try:
        result = subprocess.run(
            [sys.executable, "-m", "ui.speech_qt", "speechd", *languages],
            capture_output=True,
            text=True,
            timeout=15,
            check=False,
            env=env,
        )
        voices = json.loads(result.stdout.strip().splitlines()[-1]) if result.stdout.strip() else {}
    except (OSError, subprocess.SubprocessError, json.JSONDecodeError):
        return {}
    return voices if isinstance(voices, dict) else {}
