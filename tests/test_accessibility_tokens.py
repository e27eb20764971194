"""Contrast and physical sizes, computed from the same tokens and scale the UI is generated from.

Every theme is checked against its own thresholds: text pairs (4.5:1 default, 7:1 high contrast), UI parts and the
focus ring (>= 3:1) on every fill a focused control can sit on, and a focus ring thicker than any resting border.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accessibility.contrast import contrast_ratio, parse_hex, relative_luminance
from accessibility.sizing import (
    CAP_HEIGHT_EM,
    CHROME_MAX_SCALE,
    TEXT_STEPS,
    ReferencePanel,
    body_px,
    cap_height_mm,
    closest_text_step,
    step_percent,
)
from accessibility.tokens import (
    DEFAULT,
    FOCUS_BACKGROUNDS,
    TEXT_PAIRS,
    THEMES,
    UI_PAIRS,
    Theme,
    colour_tokens,
    theme_named,
)
from kiosk.session import THEME_NAMES
from kiosk.settings.schema import SETTINGS_BY_KEY

HIGH_CONTRAST_THEMES = ("high-contrast", "dark-high-contrast")


def test_contrast_maths_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#fff", "#fff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the classic 4.5:1 grey
    assert contrast_ratio("#ffffff", "#767676") == contrast_ratio("#767676", "#ffffff")
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    with pytest.raises(ValueError, match="#12345"):
        parse_hex("#12345")


@pytest.mark.parametrize("theme", THEMES.values(), ids=list(THEMES))
def test_text_reaches_the_themes_contrast(theme: Theme) -> None:
    failures = [
        (fg, bg, round(theme.contrast(fg, bg), 2))
        for fg, bg in TEXT_PAIRS
        if theme.contrast(fg, bg) < theme.min_text_contrast
    ]
    assert not failures


@pytest.mark.parametrize("theme", THEMES.values(), ids=list(THEMES))
def test_ui_parts_and_focus_ring_reach_3_to_1(theme: Theme) -> None:
    assert theme.min_ui_contrast >= 3.0
    failures = [
        (part, bg, round(theme.contrast(part, bg), 2))
        for part, bg in UI_PAIRS
        if theme.contrast(part, bg) < theme.min_ui_contrast
    ]
    assert not failures


def test_default_theme_meets_aa_and_pairs_name_real_tokens() -> None:
    assert THEMES["default"].min_text_contrast >= 4.5
    tokens = set(colour_tokens())
    for fg, bg in TEXT_PAIRS + UI_PAIRS:
        assert {fg, bg} <= tokens
    assert set(FOCUS_BACKGROUNDS) <= tokens


def test_the_three_themes_and_their_thresholds() -> None:
    assert tuple(THEMES) == THEME_NAMES == ("default", "high-contrast", "dark-high-contrast")
    assert SETTINGS_BY_KEY["display.default_theme"].choices == THEME_NAMES
    for name in HIGH_CONTRAST_THEMES:
        assert THEMES[name].min_text_contrast >= 7.0  # WCAG 1.4.6 (AAA)
    # "Dark" means light text on a dark page; the light high-contrast theme is black on white.
    dark, light = THEMES["dark-high-contrast"], THEMES["high-contrast"]
    assert relative_luminance(dark.background) < 0.02 and relative_luminance(dark.text) > 0.9
    assert relative_luminance(light.background) > 0.9 and relative_luminance(light.text) < 0.02
    for theme in THEMES.values():
        assert theme.tokens().keys() == DEFAULT.tokens().keys()  # every token the default has
        assert theme_named(theme.name) is theme
    with pytest.raises(KeyError, match="unknown theme 'sepia'; themes: default, high-contrast"):
        theme_named("sepia")


@pytest.mark.parametrize("theme", THEMES.values(), ids=list(THEMES))
def test_the_focus_ring_is_thick_and_stands_out_on_every_fill_it_can_sit_on(theme: Theme) -> None:
    failures = [
        (fill, round(theme.contrast("focus_ring", fill), 2))
        for fill in FOCUS_BACKGROUNDS
        if theme.contrast("focus_ring", fill) < max(3.0, theme.min_ui_contrast)
    ]
    assert not failures
    # Thick (WCAG 2.4.13 asks for 2 CSS px) and always thicker than a resting border, so focus is shown by width as
    # well as colour.
    assert theme.focus_width >= 5 and theme.focus_width >= theme.border_width + 3
    if theme.name in HIGH_CONTRAST_THEMES:
        assert theme.focus_width > DEFAULT.focus_width and theme.border_width > DEFAULT.border_width


def test_a_theme_whose_focus_ring_is_not_thicker_than_a_border_is_refused() -> None:
    fields = DEFAULT._asdict() | {"name": "thin", "focus_width": 2, "border_width": 2}
    with pytest.raises(ValueError, match="thicker"):
        Theme(**fields)


def test_a_theme_with_a_bad_colour_is_refused() -> None:
    values = THEMES["default"].tokens() | {"text": "black"}
    with pytest.raises(ValueError, match="black"):
        Theme(
            name="broken",
            min_text_contrast=4.5,
            min_ui_contrast=3.0,
            border_width=2,
            focus_width=5,
            rule_width=0,
            **values,
        )


def test_reference_panel_geometry() -> None:
    panel = ReferencePanel()
    assert panel.px_per_mm == pytest.approx(4.034, abs=0.01)
    assert panel.width_mm == pytest.approx(476, abs=1)
    assert panel.px(panel.mm(100)) == 100


def test_text_scale() -> None:
    panel = ReferencePanel()
    assert len(TEXT_STEPS) >= 4 and TEXT_STEPS[0] == 1.0 and TEXT_STEPS[-1] >= 2.0
    assert panel.body_px(0) >= 24 == body_px(0)
    sizes = [panel.body_px(step) for step in range(len(TEXT_STEPS))]
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)
    assert panel.text_px("h1") > panel.text_px("h2") > panel.body_px(0)
    assert panel.chrome_px(len(TEXT_STEPS) - 1) == round(panel.body_px(0) * CHROME_MAX_SCALE)
    with pytest.raises(ValueError, match="text step"):
        panel.body_px(len(TEXT_STEPS))


def test_targets_are_at_least_44px_and_15mm_primary_20mm() -> None:
    panel = ReferencePanel()
    assert panel.min_target_px >= 44 and panel.mm(panel.min_target_px) >= 15
    assert panel.mm(panel.primary_target_px) >= 20
    dense = ReferencePanel(diagonal_inches=13.3, width_px=2560, height_px=1600)
    assert dense.mm(dense.min_target_px) >= 15 and dense.body_px(0) > 24  # physical sizes hold on other panels


def test_cap_height_rule() -> None:
    assert cap_height_mm(600) == pytest.approx(2 * 600 * math.tan(math.radians(0.35)))
    assert cap_height_mm(600) == pytest.approx(7.33, abs=0.01)
    panel = ReferencePanel()
    assert panel.meets_large_text(panel.min_cap_height_px)
    assert not panel.meets_large_text(panel.min_cap_height_px - 1)


def test_text_steps_reach_200_percent_in_at_least_four_steps() -> None:
    assert len(TEXT_STEPS) >= 4 and step_percent(0) == 100 and step_percent(len(TEXT_STEPS) - 1) >= 200
    assert [closest_text_step(step_percent(step)) for step in range(len(TEXT_STEPS))] == list(range(len(TEXT_STEPS)))
    assert closest_text_step(1) == 0 and closest_text_step(400) == len(TEXT_STEPS) - 1
    assert closest_text_step(112.5) == 1  # halfway between 100 and 125: the larger
    assert closest_text_step(190) == len(TEXT_STEPS) - 1
    with pytest.raises(ValueError, match="positive"):
        closest_text_step(0)


def test_the_largest_steps_meet_the_07_degree_rule_on_the_reference_panel() -> None:
    panel = ReferencePanel()
    large = panel.large_text_steps()
    assert len(TEXT_STEPS) - 1 in large and len(TEXT_STEPS) - 2 in large  # 175 % and 200 %
    assert 0 not in large  # 24 px text is not "large": the rule is why the big steps exist
    assert CAP_HEIGHT_EM * panel.chrome_px(len(TEXT_STEPS) - 1) >= panel.min_cap_height_px


def _bounds(key: str) -> tuple[float, float]:
    setting = SETTINGS_BY_KEY[key]
    assert setting.minimum is not None and setting.maximum is not None
    return setting.minimum, setting.maximum


@settings(max_examples=300, deadline=None)
@given(
    diagonal=st.floats(*_bounds("panel.diagonal_inches")),
    width=st.integers(*map(int, _bounds("panel.width_px"))),
    height=st.integers(*map(int, _bounds("panel.height_px"))),
    distance=st.integers(*map(int, _bounds("panel.viewing_distance_mm"))),
)
def test_the_largest_step_meets_07_degrees_on_any_configurable_panel_and_distance(
    diagonal: float, width: int, height: int, distance: int
) -> None:
    """EN 301 549 5.1.4 at the *configured* viewing distance: text is sized in millimetres for 60 cm and grows for a
    kiosk read from further away, so the largest step (body text and the header) always meets 0.7 degrees."""
    panel = ReferencePanel(diagonal_inches=diagonal, width_px=width, height_px=height, viewing_distance_mm=distance)
    assert len(TEXT_STEPS) - 1 in panel.large_text_steps(), (panel.body_px(0), panel.min_cap_height_px)
