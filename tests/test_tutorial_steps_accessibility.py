"""Every step of every shipped tutorial passes the same accessibility checks as every other screen.

The matrix (tests/test_accessibility_matrix.py) shows one registered variant per step and simulation kind; here each
step of each tutorial in the content folder is shown on the tutorial-step screen and checked at the largest text size
in Portuguese and in one other language in turn (names and roles, target sizes and spacing, no clipped text, a Tab
cycle) and in high contrast (the colours), so a new tutorial whose labels clip or whose controls are unnamed fails
here the day it lands.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.i18n import SHIPPED_LANGUAGES
from tests.a11y_matrix import LARGEST, Combo, apply_combo, build_window, screen_failures
from tutorials.loader import load_tutorials
from ui.screenshot_samples import VARIANTS, Variant, _tutorial_step
from ui.shell import MainWindow

STEPS = [(tutorial.id, step.id) for tutorial in load_tutorials().tutorials.values() for step in tutorial.steps]
LAYOUT_CHECKS = ("accessible", "targets", "spacing", "clipping", "tab-order")
# Each step is also laid out at the largest size in one of the other languages, in turn (Arabic right to left, and the
# longer Spanish and French texts): every language's text of every kind of step is checked, at the cost of one more
# picture per step rather than five.
OTHER_LANGUAGES = tuple(lang for lang in SHIPPED_LANGUAGES if lang not in ("pt-PT", "en"))


@pytest.fixture(scope="module")
def window(qapp) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    window = build_window()
    yield window
    window.allow_close()
    window.close()
    window.deleteLater()


def _step_variant(monkeypatch: pytest.MonkeyPatch, tutorial_id: str, step_id: str) -> str:
    name = f"tutorial-{tutorial_id}-{step_id}"
    monkeypatch.setitem(
        VARIANTS, name, Variant("tutorial-step", lambda _journey: None, _tutorial_step(step_id, tutorial_id))
    )
    return name


def test_every_shipped_tutorial_step_is_checked() -> None:
    assert len({tutorial for tutorial, _ in STEPS}) >= 12 and len(STEPS) >= 60


@pytest.mark.parametrize(("tutorial_id", "step_id"), STEPS, ids=[f"{t}-{s}" for t, s in STEPS])
def test_each_step_passes_the_checks_at_200_percent_and_in_high_contrast(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tutorial_id: str, step_id: str
) -> None:
    name = _step_variant(monkeypatch, tutorial_id, step_id)
    apply_combo(window, Combo("default", LARGEST, "pt-PT"))
    failures = screen_failures(window, name, LAYOUT_CHECKS)
    run = window.screen_widget("tutorial-step").run  # type: ignore[union-attr]
    assert (run.tutorial.id, run.step.id) == (tutorial_id, step_id)  # the step itself was shown, not another
    apply_combo(window, Combo("high-contrast", 0, "en"))
    failures += screen_failures(window, name, ["contrast"])
    other = OTHER_LANGUAGES[STEPS.index((tutorial_id, step_id)) % len(OTHER_LANGUAGES)]
    apply_combo(window, Combo("default", LARGEST, other))
    failures += [f"{other}: {failure}" for failure in screen_failures(window, name, LAYOUT_CHECKS)]
    assert not failures, "\n".join(failures)
