"""The tutorials' built-in pictures: every id docs/tutorials.md names is drawn, in the theme's colours, with a
description in every kiosk language, and the pictures with a direction mirror in right-to-left languages."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from accessibility.tokens import THEMES, theme_named
from kiosk.i18n import SHIPPED_LANGUAGES
from tutorials.loader import load_tutorials
from ui.tutorials.pictures import MIRRORED, PICTURES, pixmap

DOC = Path(__file__).parents[1] / "docs" / "tutorials.md"


def documented_ids() -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("`picture` is the id") : text.index("A **frame**")]
    return set(re.findall(r"`([a-z-]+)`", section)) - {"picture"}


def colours(image: QImage) -> Counter[str]:
    """Opaque pixels by colour (antialiased edges are partly transparent, or blends where two lines cross)."""
    found: Counter[str] = Counter()
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() == 255:
                found[pixel.name()] += 1
    return found


def test_every_documented_picture_is_drawn_and_nothing_else() -> None:
    assert set(PICTURES) == documented_ids()
    assert len(PICTURES) == 19


def test_every_shipped_tutorial_uses_known_pictures() -> None:
    used = {getattr(step, "picture", None) for t in load_tutorials().tutorials.values() for step in t.steps} - {None}
    assert used <= set(PICTURES)


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize("picture", sorted(PICTURES))
def test_each_picture_is_drawn_in_the_theme_colours(qapp, picture: str, theme: str) -> None:  # type: ignore[no-untyped-def]
    tokens = theme_named(theme).tokens()
    image = pixmap(picture, 240, theme_named(theme)).toImage()
    assert image.width() == 240 and image.height() == 160
    drawn = colours(image)
    assert drawn, f"{picture} draws nothing"
    # Solid pixels are theme colours (lines in text, key parts in primary, warnings in error); only blends where two
    # antialiased strokes meet are not, and they are few.
    allowed = {QColor(tokens[name]).name() for name in ("text", "primary", "error", "surface")}
    in_tokens = sum(n for colour, n in drawn.items() if colour in allowed)
    assert in_tokens >= 0.9 * sum(drawn.values()), drawn.most_common(6)
    assert QColor(tokens["text"]).name() in drawn


@pytest.mark.parametrize("picture", sorted(MIRRORED))
def test_pictures_with_a_direction_mirror_in_right_to_left(qapp, picture: str) -> None:  # type: ignore[no-untyped-def]
    theme = theme_named("default")
    left = pixmap(picture, 240, theme).toImage()
    right = pixmap(picture, 240, theme, rtl=True).toImage()
    mirrored = left.flipped(Qt.Orientation.Horizontal)
    assert _ink_difference(right, mirrored) < 0.03  # the same drawing, mirrored (up to smoothing)
    assert _ink_difference(right, left) > 0.05


def _ink_difference(a: QImage, b: QImage) -> float:
    """Share of pixels that are ink in one image and not in the other."""
    differ = total = 0
    for y in range(a.height()):
        for x in range(a.width()):
            ink_a, ink_b = a.pixelColor(x, y).alpha() > 128, b.pixelColor(x, y).alpha() > 128
            total += ink_a or ink_b
            differ += ink_a != ink_b
    return differ / max(total, 1)


def test_a_symmetric_picture_does_not_mirror(qapp) -> None:  # type: ignore[no-untyped-def]
    theme = theme_named("default")
    assert pixmap("padlock", 240, theme, rtl=True).toImage() == pixmap("padlock", 240, theme).toImage()


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_every_picture_has_a_description_in_every_language(catalog, lang: str) -> None:  # type: ignore[no-untyped-def]
    for picture in PICTURES:
        key = f"tutorial.picture.{picture}"
        text = catalog.t(key, lang)
        assert text and text != key, f"{key} missing in {lang}"
    if lang != "en":
        assert catalog.t("tutorial.picture.keyboard", lang) != catalog.t("tutorial.picture.keyboard", "en")


def test_a_picture_label_is_named_by_its_description(main_window) -> None:  # type: ignore[no-untyped-def]
    from ui.tutorials.pictures import picture_label

    label = picture_label(main_window.context, "finger-tap")
    assert label.accessibleName() == "A finger lightly taps a button on the screen."
    assert not label.pixmap().isNull()
