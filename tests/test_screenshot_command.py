"""`citizen-kiosk screenshot`: every registered screen renders offscreen to a real, non-blank PNG."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.helpers import child_env, run_cli

pytestmark = pytest.mark.subprocess


def _distinct_colours(image: QImage) -> int:
    step = 16
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


def test_list_then_all_writes_one_picture_per_screen(tmp_path: Path) -> None:
    env = child_env(tmp_path)  # no display at all: screenshots must not need one
    options = ["--data-dir", str(tmp_path / "data")]
    listed = run_cli(["screenshot", "--list", *options], env)
    assert listed.returncode == 0, listed.stderr
    names = listed.stdout.split()
    assert {"home", "help"} <= set(names)
    result = run_cli(["screenshot", "--all", str(tmp_path / "shots"), *options], env)
    assert result.returncode == 0, result.stderr
    for name in names:
        image = QImage(str(tmp_path / "shots" / f"{name}.png"))
        assert (image.width(), image.height()) == (1920, 1080)
        assert _distinct_colours(image) > 8, f"{name}.png looks blank"


def test_one_screen_in_a_language_and_size(tmp_path: Path) -> None:
    out = tmp_path / "help-uk.png"
    args = ["screenshot", str(out), "--screen", "help", "--lang", "uk", "--size", "1280x800"]
    result = run_cli([*args, "--data-dir", str(tmp_path / "data")], child_env(tmp_path))
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)


def test_unknown_screen_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(["screenshot", str(tmp_path / "x.png"), "--screen", "nope"], child_env(tmp_path))
    assert result.returncode == 2
    assert "no screen named 'nope'" in result.stderr
