"""The helper thread that loads Qt's libraries (and fontconfig's configuration) during the Qt-free start-up: only when
the kiosk starts, without importing PySide6, harmless to Qt, and silent when it cannot help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citizen_kiosk import qt_preload
from citizen_kiosk.commands import runs_kiosk
from tests.helpers import run_offscreen_probe


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], True),  # bare `citizen-kiosk` runs the kiosk
        (["run"], True),
        (["--config", "k.toml", "--data-dir=d", "run", "--windowed"], True),
        (["--conf", "k.toml"], True),  # still runs the kiosk (argparse takes the abbreviation)
        (["screenshot", "--all", "shots"], False),  # offscreen, and `--list-themes` needs no Qt at all
        (["doctor", "--json"], False),
        (["--config", "k.toml", "secrets", "init"], False),
        (["catalog", "check"], False),
        (["--help"], False),
        (["--config", "k.toml", "--version"], False),
        (["-h"], False),
    ],
)
def test_only_starting_the_kiosk_preloads_qt(argv: list[str], expected: bool) -> None:
    assert runs_kiosk(argv) is expected


def test_other_commands_start_no_helper() -> None:
    assert qt_preload.start(["doctor"]) is None
    assert qt_preload.start(["--version"]) is None
    assert qt_preload.start(["screenshot", "--list-themes"]) is None


def test_the_preload_finds_the_binding_modules_pyside_imports() -> None:
    import PySide6.QtCore
    import PySide6.QtGui
    import PySide6.QtWidgets

    modules = [PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets]
    assert [Path(path).resolve() for path in qt_preload.extension_paths()] == [
        Path(str(module.__file__)).resolve() for module in modules
    ]


def test_a_failing_preload_is_silent(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "QtCore.abi3.so"
    broken.write_bytes(b"not a shared library")
    qt_preload.preload([str(broken), str(tmp_path / "missing.so")])  # returns, raises nothing
    assert capfd.readouterr() == ("", "")


PROBE = """
import json, re, sys
from citizen_kiosk import qt_preload
helper = qt_preload.start(["run"])
helper.join(30)
maps = open("/proc/self/maps").read()
report = {
    "finished": not helper.is_alive(),
    "mapped": all(path in maps for path in qt_preload.extension_paths()),
    # fontconfig maps its cache files as it initialises (on a clean process only FcInit can have done that here)
    "fontconfig": bool(re.search(r"[.]cache-[0-9]+$", maps, re.MULTILINE)),
    "imported": sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6")),
}
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
report["gui_thread"] = app.thread() == QThread.currentThread() and QThread.isMainThread()
label = QLabel("Olá — Привіт — مرحبا")
label.show()
QTimer.singleShot(0, app.quit)
app.exec()
report["text_width"] = label.fontMetrics().horizontalAdvance(label.text())
print(json.dumps(report))
"""


@pytest.mark.subprocess
def test_the_helper_loads_qt_without_importing_pyside_and_qt_then_starts_normally(tmp_path: Path) -> None:
    result = run_offscreen_probe(PROBE, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no Qt warning (thread affinity, fonts) and no traceback from the helper
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["finished"] and report["mapped"] and report["fontconfig"]
    assert report["imported"] == []  # libraries mapped, PySide6 itself still to be imported (ui.pyside_startup)
    assert report["gui_thread"]  # Qt's main thread is the one that created the application, not the helper
    assert report["text_width"] > 0


EXTENSIONS_PROBE = """
import importlib.machinery, sys, threading
loaded, started, pyside = [], [], []
create_module = importlib.machinery.ExtensionFileLoader.create_module
def record(self, spec):
    if threading.current_thread() is threading.main_thread() and started and not pyside:
        loaded.append(spec.name)
    return create_module(self, spec)
importlib.machinery.ExtensionFileLoader.create_module = record
from citizen_kiosk import qt_preload
start = qt_preload.start
def noting_start(argv):
    helper = start(argv)
    started.append(helper)
    return helper
qt_preload.start = noting_start
import ui.pyside_startup as startup
load_pyside = startup.load_pyside
def noting_load_pyside():
    pyside.append(True)
    return load_pyside()
startup.load_pyside = noting_load_pyside
from citizen_kiosk.cli import main
code = main(sys.argv[1:])
import json
print(json.dumps({"code": code, "loaded": loaded, "helper": started[0] is not None}))
"""


@pytest.mark.subprocess
def test_the_qt_free_start_up_loads_no_c_extension_after_the_helper_starts(tmp_path: Path) -> None:
    """A C extension module imported on the GUI thread while the helper loads Qt waits for the dynamic loader's lock
    (~4 ms were seen): each one the start-up imports before PySide must be in EARLY_EXTENSIONS."""
    args = ["run", "--exit-after-first-paint", "--data-dir", str(tmp_path / "data")]
    result = run_offscreen_probe(EXTENSIONS_PROBE, tmp_path, args)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["code"] == 0 and report["helper"]
    late = [name for name in report["loaded"] if name not in qt_preload.EARLY_EXTENSIONS]
    assert late == [], f"add these to qt_preload.EARLY_EXTENSIONS: {late}"
