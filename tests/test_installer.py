"""installer/system-deps.sh: installs missing Debian packages as root, and tells anyone else the exact command.
installer/drop-qt-virtual-keyboard.sh: removes Qt Virtual Keyboard (GPL) from PySide6 after every pip install."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

needs_debian = pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="needs a Debian-like system")


@pytest.fixture
def world_readable_dir() -> Iterator[Path]:
    # Not tmp_path: pytest's base folder is private to root, and the script must be readable by `nobody`.
    with tempfile.TemporaryDirectory() as name:
        os.chmod(name, 0o755)
        yield Path(name)


def _installer_with(folder: Path, packages: str) -> Path:
    shutil.copy(ROOT / "installer" / "system-deps.sh", folder / "system-deps.sh")
    (folder / "debian-packages.txt").write_text(packages)
    return folder / "system-deps.sh"


@needs_debian
def test_nothing_to_do_when_every_package_is_installed(world_readable_dir: Path) -> None:
    script = _installer_with(world_readable_dir, "[runtime]\n# a comment\ndpkg\n")
    result = subprocess.run(["sh", str(script), "runtime"], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@needs_debian
@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root to drop to nobody")
def test_a_normal_user_gets_the_exact_apt_command(world_readable_dir: Path) -> None:
    script = _installer_with(
        world_readable_dir, "[runtime]\ndpkg\ncitizen-kiosk-no-such-package\n[window]\nother-missing\n"
    )
    result = subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "sh", str(script), "runtime"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "sudo apt-get install --no-install-recommends citizen-kiosk-no-such-package\n" in result.stderr
    assert "other-missing" not in result.stderr  # only the groups asked for


# Qt Virtual Keyboard (GPL-3.0) is not in the bundle (reference checklist #34) -----------------------------------------
DROP_VK = ROOT / "installer" / "drop-qt-virtual-keyboard.sh"
# What PySide6-Addons 6.11 installs of it (as found in a real venv), and Qt parts beside it that must stay.
VIRTUAL_KEYBOARD = (
    "Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "Qt/lib/libQt6VirtualKeyboard.so.6",
    "Qt/lib/libQt6VirtualKeyboardQml.so.6",
    "Qt/lib/libQt6VirtualKeyboardSettings.so.6",
    "Qt/qml/QtQuick/VirtualKeyboard/Core/libvirtualkeyboardplugin.so",
    "Qt/qml/QtQuick/VirtualKeyboard/Plugins/Thai/libqtvkbthaiplugin.so",
    "Qt/metatypes/qt6virtualkeyboard_metatypes.json",
)
OTHER_QT = (
    "__init__.py",
    "Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
    "Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    "Qt/lib/libQt6Core.so.6",
    "Qt/qml/QtQuick/Controls/qmldir",
)


def _virtual_keyboard_files(pyside: Path) -> list[Path]:
    return [path for path in pyside.rglob("*") if "virtualkeyboard" in path.name.lower()]


def test_the_installer_removes_qt_virtual_keyboard_and_nothing_else(tmp_path: Path) -> None:
    pyside = tmp_path / "site" / "PySide6"
    for name in (*VIRTUAL_KEYBOARD, *OTHER_QT):
        (pyside / name).parent.mkdir(parents=True, exist_ok=True)
        (pyside / name).write_bytes(b"")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}  # the interpreter finds this PySide6 first

    def drop() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["sh", str(DROP_VK), sys.executable], env=env, capture_output=True, text=True, check=False
        )

    result = drop()
    assert result.returncode == 0, result.stderr
    assert f"removed Qt Virtual Keyboard (GPL) from {pyside}" in result.stdout
    assert not any((pyside / name).exists() for name in VIRTUAL_KEYBOARD)
    assert not (pyside / "Qt/qml/QtQuick/VirtualKeyboard").exists()
    assert all((pyside / name).exists() for name in OTHER_QT)
    again = drop()  # the next `make` after nothing changed: nothing to say
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


def test_both_install_targets_run_it_right_after_pip() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipes = [block for block in makefile.split("\n\n") if "-m pip install --quiet -e" in block]
    assert len(recipes) == 2  # make run's and make test's
    for recipe in recipes:
        lines = recipe.splitlines()
        pip = next(index for index, line in enumerate(lines) if "-m pip install --quiet -e" in line)
        assert lines[pip + 1].strip() == "@sh installer/drop-qt-virtual-keyboard.sh $(PY)", recipe
        target = next(line for line in lines if line.startswith("$(VENV)/.installed-"))
        assert target.endswith(" installer/drop-qt-virtual-keyboard.sh")  # a changed script reinstalls


MADE_BY_MAKE = Path(sys.prefix, ".installed-run").exists()  # the Makefile's marker, touched after the script ran


@pytest.mark.skipif(not MADE_BY_MAKE, reason=f"{sys.prefix} was not made by `make run` or `make test`")
def test_this_environment_has_no_qt_virtual_keyboard() -> None:
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    assert spec is not None and spec.submodule_search_locations
    assert _virtual_keyboard_files(Path(spec.submodule_search_locations[0])) == []
