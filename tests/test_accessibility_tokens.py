"""Contrast and physical sizes, computed from the same tokens and scale the UI is generated from."""

from __future__ import annotations

import math

import pytest

from accessibility.contrast import contrast_ratio, parse_hex, relative_luminance
from accessibility.sizing import CHROME_MAX_SCALE, TEXT_STEPS, ReferencePanel, body_px, cap_height_mm
from accessibility.tokens import TEXT_PAIRS, THEMES, UI_PAIRS, Theme, colour_tokens


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


def test_a_theme_with_a_bad_colour_is_refused() -> None:
    values = THEMES["default"].tokens() | {"text": "black"}
    with pytest.raises(ValueError, match="black"):
        Theme(name="broken", min_text_contrast=4.5, min_ui_contrast=3.0, **values)


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
