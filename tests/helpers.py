"""Helpers shared by tests that run the real `citizen-kiosk` command in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run inside the child before the CLI: makes PySide6 unimportable, then proves at exit that nothing imported it.
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
