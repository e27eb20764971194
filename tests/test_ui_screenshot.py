"""Screenshots through the real MainWindow: the home screen is not blank, and every registered screen renders."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage

from accessibility.sizing import TEXT_STEPS
from accessibility.tokens import DEFAULT
from ui.screenshot import render_screen, save_screens

SIZE = (1920, 1080)


def colour_stats(image: QImage, step: int = 4) -> tuple[int, int]:
    """(distinct colours, pixels of body-text colour) on a sampling grid."""
    colours: set[int] = set()
    text_pixels = 0
    text = QColor(DEFAULT.text).rgb()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            rgb = image.pixel(x, y)
            colours.add(rgb)
            text_pixels += rgb == text
    return len(colours), text_pixels


def test_home_screenshot_is_not_blank(qapp, shell_deps, save_artifact) -> None:
    image = render_screen(shell_deps, "home", "en", SIZE)
    save_artifact(image, "home-en.png")
    assert image.size().toTuple() == SIZE
    distinct, text_pixels = colour_stats(image)
    assert distinct > 50  # header blue, white page, text, icons, anti-aliasing
    assert text_pixels > 200
    assert QColor(image.pixel(5, 5)).name() == DEFAULT.header_bg


def test_screenshots_in_several_languages_and_the_largest_text(qapp, shell_deps, save_artifact) -> None:
    blank_width: list[int] = []
    for lang in ("pt-PT", "uk", "ar", "es", "fr"):
        image = render_screen(shell_deps, "home", lang, SIZE)
        save_artifact(image, f"home-{lang}.png")
        blank_width.append(colour_stats(image)[0])
    largest = render_screen(shell_deps, "home", "en", SIZE, text_step=len(TEXT_STEPS) - 1)
    save_artifact(largest, "home-en-largest-text.png")
    save_artifact(render_screen(shell_deps, "home", "ar", SIZE, text_step=len(TEXT_STEPS) - 1), "home-ar-largest.png")
    assert all(count > 50 for count in blank_width)
    assert colour_stats(largest)[0] > 50


def test_rendering_does_not_touch_the_callers_session(qapp, shell_deps) -> None:
    render_screen(shell_deps, "help", "uk", SIZE, text_step=2)
    assert shell_deps.session.presentation.language == "en"
    assert shell_deps.session.presentation.text_step == 0


def test_every_registered_screen_renders(qapp, shell_deps, tmp_path) -> None:
    names = shell_deps.registry.names()
    written = save_screens(shell_deps, names, "en", SIZE, tmp_path / "all")
    assert [p.name for p in written] == [f"{n}.png" for n in names]
    for path in written:
        image = QImage(str(path))
        assert image.size().toTuple() == SIZE
        assert colour_stats(image)[0] > 20, path


def test_one_png_file_holds_one_screen(qapp, shell_deps, tmp_path, save_artifact) -> None:
    (path,) = save_screens(shell_deps, ["help"], "en", SIZE, tmp_path / "help.png")
    assert path == tmp_path / "help.png" and path.exists()
    save_artifact(QImage(str(path)), "help-en.png")
    try:
        save_screens(shell_deps, ["home", "help"], "en", SIZE, tmp_path / "two.png")
    except ValueError as exc:
        assert "one screen" in str(exc)
    else:
        raise AssertionError("two screens into one PNG must be refused")


def test_unknown_and_broken_screens_are_reported(qapp, shell_deps) -> None:
    from ui.screens.registry import UnknownScreenError
    from ui.screenshot import ScreenRenderError

    try:
        render_screen(shell_deps, "nope", "en", SIZE)
    except UnknownScreenError:
        pass
    else:
        raise AssertionError("unknown screen must raise")

    def broken(context):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    shell_deps.registry.register("broken", broken)
    try:
        render_screen(shell_deps, "broken", "en", SIZE)
    except ScreenRenderError:
        pass
    else:
        raise AssertionError("a screen that fails must not silently render as home")


def green_pixels(image: QImage, step: int = 4) -> int:
    """Pixels of the primary-button green: the start page's "Start now" shows only with a real service."""
    primary = QColor(DEFAULT.primary).rgb()
    return sum(
        image.pixel(x, y) == primary for y in range(0, image.height(), step) for x in range(0, image.width(), step)
    )


def test_browsing_screens_render_a_real_sample_when_nothing_is_chosen(qapp, shell_deps) -> None:
    from kiosk.catalog import DEMO_CATALOG_DIR

    assert green_pixels(render_screen(shell_deps, "service-start", "en", SIZE)) == 0  # no catalog: the polite message
    shell_deps.services.load(DEMO_CATALOG_DIR)
    assert shell_deps.journey.service_id is None
    assert green_pixels(render_screen(shell_deps, "service-start", "en", SIZE)) > 100
    assert shell_deps.journey.service_id is None  # the caller's journey is not touched


@pytest.mark.subprocess
def test_the_screenshot_command_loads_the_catalog_first(tmp_path) -> None:
    from tests.helpers import child_env, run_cli

    result = run_cli(["screenshot", "--all", str(tmp_path), "--data-dir", str(tmp_path / "data")], child_env(tmp_path))
    assert result.returncode == 0, result.stderr
    for name in ("services", "life-event", "search", "service-start"):
        assert colour_stats(QImage(str(tmp_path / f"{name}.png")))[0] > 20, name
    assert green_pixels(QImage(str(tmp_path / "service-start.png"))) > 100


# The form screens: a sample form on a page of every question type -----------------------------------------------------
FORM_PICTURES = ("question", "error", "check-answers", "confirmation", "lookup")


def test_the_screenshot_list_has_a_picture_of_every_question_type(shell_deps) -> None:
    from kiosk.catalog.model import QUESTION_TYPES
    from ui.screenshot import screenshot_names

    names = screenshot_names(shell_deps.registry)
    wanted = {f"question-{kind}" for kind in QUESTION_TYPES if kind != "calculated"} | {"question-add-another"}
    assert wanted | set(FORM_PICTURES) <= set(names)
    assert len(names) == len(set(names))
    assert names[: len(shell_deps.registry.names())] == shell_deps.registry.names()


def test_every_form_picture_renders(qapp, shell_deps, save_artifact) -> None:
    from ui.screenshot import screenshot_names

    for name in screenshot_names(shell_deps.registry):
        if not (name.startswith("question") or name in FORM_PICTURES):
            continue
        image = render_screen(shell_deps, name, "en", SIZE)
        save_artifact(image, f"form-{name}-en.png")
        assert colour_stats(image)[0] > 20, name
        if name not in ("check-answers", "confirmation", "question-address"):  # long pages scroll
            assert green_pixels(image) > 100, name  # the primary button is on screen: the page is not cut short


@pytest.mark.parametrize("name", ["question-date", "question-choice", "error", "check-answers", "confirmation"])
def test_form_pictures_in_arabic_and_at_the_largest_size(qapp, shell_deps, save_artifact, name) -> None:
    largest = len(TEXT_STEPS) - 1
    for lang, step in (("ar", 0), ("pt-PT", 0), ("en", largest), ("ar", largest)):
        image = render_screen(shell_deps, name, lang, SIZE, text_step=step)
        save_artifact(image, f"form-{name}-{lang}{'-largest' if step else ''}.png")
        assert colour_stats(image)[0] > 20, (name, lang, step)


def test_the_error_picture_shows_its_summary(qapp, shell_deps) -> None:
    error = QColor(DEFAULT.error).rgb()
    image = render_screen(shell_deps, "error", "en", SIZE)
    red = sum(image.pixel(x, y) == error for y in range(0, image.height(), 2) for x in range(0, image.width(), 2))
    assert red > 500  # the summary's border, its link and the bar beside the field
