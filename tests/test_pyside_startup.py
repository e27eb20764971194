"""PySide reads the source of every module imported after it unless told what it would find: `load_pyside` tells it."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from ui.pyside_startup import QT_PACKAGES, module_names

ROOT = Path(__file__).resolve().parents[1]
APPLICATION = ("kiosk", "ui", "sync", "tutorials", "accessibility", "citizen_kiosk")

# Imports the kiosk's Qt side after PySide is loaded (with or without `load_pyside`) and prints the application
# modules whose source PySide's import hook read to look for `__feature__`.
PROBE = """
import inspect, json, sys
read = []
original = inspect.getsource
def recording(module):
    read.append(getattr(module, "__name__", "?"))
    return original(module)
inspect.getsource = recording
import citizen_kiosk.gui
application = sys.argv[2].split(",")
if sys.argv[1] == "load_pyside":
    from ui.pyside_startup import load_pyside
    load_pyside()
else:
    import PySide6.QtCore
import ui.app, ui.shell, ui.screens.home
print(json.dumps([name for name in read if name.split(".")[0] in application]))
"""


def _modules_read(mode: str) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, mode, ",".join(APPLICATION)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_the_hook_reads_our_sources_unless_told() -> None:
    # The control: without load_pyside, PySide reads the source of our modules as they are imported.
    assert {"ui.shell", "ui.screens.home"} <= set(_modules_read("plain"))


def test_load_pyside_spares_every_source_read_of_ours() -> None:
    assert _modules_read("load_pyside") == []


def test_no_module_of_ours_selects_a_pyside_feature() -> None:
    # What load_pyside records (default features for every module) is only true while nobody opts in.
    opt_in = re.compile(r"^\s*(from\s+__feature__\s+import|import\s+__feature__)", re.MULTILINE)
    offenders = [
        str(path.relative_to(ROOT))
        for package in APPLICATION
        for path in (ROOT / package).rglob("*.py")
        if opt_in.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_module_names_are_the_qt_side_modules() -> None:
    names = set(module_names())
    expected = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for package in QT_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert names == expected
    assert all(importlib.util.find_spec(name) is not None for name in ("ui.shell", "citizen_kiosk.gui"))
