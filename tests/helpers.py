"""Helpers shared by tests: running the real `citizen-kiosk` command in a child process, queueing submissions, finding
the multilingual texts of content files."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

    from kiosk.crypto import PayloadCipher

ROOT = Path(__file__).resolve().parents[1]

# Run inside the child before the CLI: makes PySide6 unimportable, then proves at exit that nothing imported it, nor
# loaded Qt's libraries (citizen_kiosk.qt_preload does that only for the commands that need Qt).
BLOCK_QT = """
import importlib.abc, sys
class _NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError(f"{name} is blocked: this command must not need Qt")
        return None
sys.meta_path.insert(0, _NoQt())
from citizen_kiosk.cli import main
try:
    code = main(sys.argv[1:])
finally:
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
    with open("/proc/self/maps") as maps:
        leaked += sorted({line.split("/")[-1].strip() for line in maps if "libQt6" in line})
    if leaked:
        print("QT-IMPORTED:", leaked, file=sys.stderr)
        code = 99
sys.exit(code)
"""


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment: no display, no user keyring, data and config only under tmp_path."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CITIZEN_KIOSK_", "PYTHON_KEYRING"))}
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "CREDENTIALS_DIRECTORY"):
        env.pop(key, None)
    env["HOME"] = str(tmp_path / "home")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "home" / ".config")
    env["XDG_DATA_HOME"] = str(tmp_path / "home" / ".local" / "share")
    env.update(extra)
    return env


def run_cli(
    args: list[str],
    env: dict[str, str],
    *,
    block_qt: bool = False,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    prefix = [sys.executable, "-c", BLOCK_QT] if block_qt else [sys.executable, "-m", "citizen_kiosk"]
    return subprocess.run(
        [*prefix, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def run_offscreen_probe(probe: str, tmp_path: Path, args: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run Python code `probe` (with `args` as sys.argv[1:]) in a child process on an offscreen screen the size of the
    reference panel, with the clean environment of `child_env`."""
    from ui.offscreen import offscreen_platform  # Qt-free

    env = child_env(tmp_path, QT_QPA_PLATFORM=offscreen_platform(1920, 1080, 21.5, directory=tmp_path))
    return subprocess.run(
        [sys.executable, "-c", probe, *(args or [])],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def queue_submissions(
    db: Database,
    n: int,
    cipher: PayloadCipher,
    *,
    now: dt.datetime,
    service_id: str = "register-birth",
    target: str = "civil-registry",
    answers: dict[str, object] | None = None,
) -> list[str]:
    """Finalise `n` submissions (oldest first, a minute apart, ending at `now`) and return their uuids."""
    import uuid as uuid_module

    from kiosk.codes import CodeKind, new_code
    from kiosk.submissions import Submission, finalise

    uuids = []
    for i in range(n):
        submission = Submission(
            uuid=str(uuid_module.uuid4()),
            reference=new_code(CodeKind.SUBMISSION),
            service_id=service_id,
            service_version="1.0",
            site_id="ec-lisboa",
            kiosk_id="kiosk-01",
            created_at=now - dt.timedelta(minutes=n - i),
            locale="pt-PT",
            assisted=False,
            consents={},
            answers=answers if answers is not None else {"n": i},
        )
        finalise(db, submission, cipher, target=target, retention_days=30, clock=lambda: now)
        uuids.append(submission.uuid)
    return uuids


def ensure_test_packages(what: str, missing: Callable[[], list[str]]) -> None:
    """Install the Debian `[test]` packages a test needs when root (as `make test` does); otherwise skip, naming them.

    `missing()` lists what is still absent; `what` names the test in the messages."""
    import shutil

    import pytest

    absent = missing()
    if not absent:
        return
    if shutil.which("dpkg-query") is None or shutil.which("apt-get") is None:
        pytest.skip(f"{what} needs Debian packages (not a Debian-like system); missing: {', '.join(absent)}")
    if os.geteuid() != 0:
        pytest.skip(
            f"{what} skipped: not root, and these are missing: {', '.join(absent)}; install them with: "
            "sudo sh installer/system-deps.sh window test"
        )
    result = subprocess.run(
        ["sh", str(ROOT / "installer" / "system-deps.sh"), "window", "test"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, f"installing the {what}'s packages failed: {result.stderr}"
    assert not missing(), f"still missing after installing: {missing()}"


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb (1280x800) on a free display number (it writes the number it chose to the pipe given as -displayfd)."""
    import pytest

    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    if not number:
        xvfb.kill()
        pytest.fail("Xvfb did not start")
    return xvfb, f":{number}"


class FakeClock:
    """A clock for tests (seconds, like time.monotonic): it moves only when a test sets or advances `now`."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def text_objects(paths: list[Path], root: Path) -> list[tuple[str, dict[str, object]]]:
    """Every text object (`{"pt-PT": ..., "en": ..., ...}`) of these JSON content files, with its place
    (`services/x.json.pages[2].label`), in file order."""
    import json

    found: list[tuple[str, dict[str, object]]] = []

    def collect(value: object, place: str) -> None:
        if isinstance(value, dict):
            if "pt-PT" in value and "en" in value:
                found.append((place, value))
                return
            for key, inner in value.items():
                collect(inner, f"{place}.{key}")
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                collect(inner, f"{place}[{index}]")

    for path in paths:
        collect(json.loads(path.read_text(encoding="utf-8")), str(path.relative_to(root)))
    return found
