"""The layers are enforced, not just described: lint-imports passes, and breaking a rule makes it fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kiosk", "ui", "sync", "tutorials", "accessibility", "citizen_kiosk")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    # Run on `tree` only: PYTHONPATH puts its packages first; no cache so a changed file is always re-read.
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "fonts"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_contracts_hold_on_the_real_tree() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().split("contracts:")[-1].split("kept")[0]


@pytest.mark.parametrize(
    ("file", "line", "contract"),
    [
        ("kiosk/events.py", "import PySide6", "Only ui (and the composition root) may import Qt"),
        ("accessibility/__init__.py", "from PySide6 import QtCore", "Only ui (and the composition root) may import Qt"),
        ("kiosk/paths.py", "import requests", "The core does no network I/O"),
        ("kiosk/i18n.py", "import socket", "The core does no network I/O"),
        ("kiosk/session.py", "import ui", "Layers point inwards"),
        ("sync/__init__.py", "import tutorials", "Layers point inwards"),
        ("citizen_kiosk/cli.py", "import PySide6.QtWidgets", "Windowless commands never reach Qt"),
    ],
)
def test_breaking_a_rule_fails_the_suite(tree_copy: Path, file: str, line: str, contract: str) -> None:
    target = tree_copy / file
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # deliberately against the rules\n")
    result = _lint_imports(tree_copy)
    assert result.returncode != 0, f"lint-imports accepted `{line}` in {file}"
    assert contract in result.stdout
