"""`citizen-kiosk screenshot`: every registered screen renders offscreen to a real, non-blank PNG; also in the
pseudo-locale (a testing aid); and a listing piped into a reader that stops early ends without a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.helpers import ROOT, child_env, run_cli

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


# --- themes and text sizes (issue 5) --------------------------------------------------------------------------------


def test_list_themes_prints_the_theme_names_without_qt(tmp_path: Path) -> None:
    from accessibility.tokens import THEMES

    result = run_cli(["screenshot", "--list-themes"], child_env(tmp_path), block_qt=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == list(THEMES) == ["default", "high-contrast", "dark-high-contrast"]


def test_an_unknown_theme_is_a_usage_error_naming_the_themes(tmp_path: Path) -> None:
    result = run_cli(["screenshot", str(tmp_path / "x.png"), "--theme", "sepia"], child_env(tmp_path), block_qt=True)
    assert result.returncode == 2
    assert "unknown theme 'sepia'; choose one of: default, high-contrast, dark-high-contrast" in result.stderr
    assert not (tmp_path / "x.png").exists()
    bad = run_cli(["screenshot", str(tmp_path / "x.png"), "--text-scale", "big"], child_env(tmp_path), block_qt=True)
    assert bad.returncode == 2 and "positive percentage" in bad.stderr


def _render(tmp_path: Path, name: str, *args: str) -> tuple[QImage, str]:
    out = tmp_path / f"{name}.png"
    result = run_cli(["screenshot", str(out), *args, "--data-dir", str(tmp_path / "data")], child_env(tmp_path))
    assert result.returncode == 0, result.stderr
    return QImage(str(out)), result.stderr


def test_theme_text_scale_and_language_change_the_picture(tmp_path: Path) -> None:
    from accessibility.tokens import THEMES

    dark = THEMES["dark-high-contrast"]
    standard, _ = _render(tmp_path, "standard", "--screen", "question")
    big_dark, note = _render(
        tmp_path, "big-dark", "--screen", "question", "--theme", "dark-high-contrast", "--text-scale", "190"
    )
    assert "text scale 190 % is not a step; using the closest, 200 %" in note
    # The page and the header band are the dark theme's; the default picture's are not.
    for image, theme in ((standard, THEMES["default"]), (big_dark, dark)):
        assert image.pixelColor(image.width() // 2, image.height() - 4).name() == theme.background
        assert image.pixelColor(3, 3).name() == theme.header_bg

    # 200 %: the header's toolbar (the `surface` band at the left edge) ends much lower.
    def header_height(image: QImage, surface: str) -> int:
        return max(y for y in range(image.height() // 2) if image.pixelColor(4, y).name() == surface)

    # (Not twice as low: at 200 % the language buttons fold behind one button: ui.header_toolbar.)
    assert header_height(big_dark, dark.surface) > 1.3 * header_height(standard, THEMES["default"].surface)
    # Arabic mirrors the page: the kiosk's name moves from the left end of the header to the right end.
    arabic, _ = _render(tmp_path, "arabic", "--lang", "ar", "--theme", "high-contrast")
    english, _ = _render(tmp_path, "english", "--lang", "en", "--theme", "high-contrast")
    ink = THEMES["high-contrast"].header_text

    def ink_columns(image: QImage) -> list[int]:
        return [x for x in range(0, image.width(), 4) for y in range(20, 60, 4) if image.pixelColor(x, y).name() == ink]

    assert min(ink_columns(english)) < english.width() // 4 and max(ink_columns(arabic)) > 3 * arabic.width() // 4


def test_all_takes_the_theme_and_text_scale_too(tmp_path: Path) -> None:
    from accessibility.tokens import THEMES

    env = child_env(tmp_path)
    args = ["screenshot", "--all", str(tmp_path / "shots"), "--theme", "high-contrast", "--text-scale", "200"]
    result = run_cli([*args, "--lang", "ar", "--data-dir", str(tmp_path / "data")], env)
    assert result.returncode == 0, result.stderr
    written = result.stdout.split()
    assert len(written) > 20
    for path in written:
        image = QImage(path)
        assert image.pixelColor(image.width() // 2, 3).name() == THEMES["high-contrast"].header_bg, path


# --- the pseudo-locale, a testing aid for screenshots only ------------------------------------------------------------


def test_the_pseudo_locale_lengthens_the_picture_s_texts_and_run_refuses_it(tmp_path: Path) -> None:
    from accessibility.tokens import THEMES

    ink = THEMES["high-contrast"].header_text

    def name_end(image: QImage) -> int:  # the kiosk's name, alone at the left end of the header's top row
        return max(x for x in range(0, 700, 2) for y in range(20, 60, 2) if image.pixelColor(x, y).name() == ink)

    english, _ = _render(tmp_path, "english", "--lang", "en", "--theme", "high-contrast")
    pseudo, _ = _render(tmp_path, "pseudo", "--lang", "en-xa", "--theme", "high-contrast")
    assert name_end(pseudo) > 1.25 * name_end(english)  # "[Çîţîžéñ Šþöţ one]", not "Citizen Spot"
    refused = run_cli(["run", "--lang", "en-XA", "--data-dir", str(tmp_path / "data")], child_env(tmp_path))
    assert refused.returncode == 2 and "unknown language 'en-XA'; choose one of: pt-PT, en" in refused.stderr


# --- output to a reader that has gone (`citizen-kiosk screenshot --list | head -1`) -----------------------------------


@pytest.mark.parametrize("args", [["screenshot", "--list"], ["screenshot", "--list-themes"], ["catalog", "list"]])
@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_a_closed_pipe_ends_a_listing_quietly(tmp_path: Path, args: list[str], buffered: bool) -> None:
    env = child_env(tmp_path)
    env.pop("PYTHONUNBUFFERED", None)
    if not buffered:  # the error then comes from the first print, not from the flush at the end
        env["PYTHONUNBUFFERED"] = "1"
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line is written
    try:
        result = subprocess.run(
            [sys.executable, "-m", "citizen_kiosk", *args, "--data-dir", str(tmp_path / "data")],
            env=env,
            cwd=ROOT,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write)
    assert result.stderr == ""  # no traceback, no "Exception ignored ... BrokenPipeError" at exit
    assert result.returncode == 1
