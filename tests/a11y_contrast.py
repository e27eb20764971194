"""The accessibility matrix's contrast checks: the colours each text is really drawn with, read from the rendered
page, must be theme tokens with enough contrast against what they are drawn on; also with keyboard focus on each stop.
Run through tests/a11y_matrix.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QWidget,
)

from accessibility.contrast import contrast_ratio
from accessibility.tokens import Theme
from tests.test_accessibility_screens import (
    interactive,
    painted_texts,
    tab_stops,
)

if TYPE_CHECKING:
    from ui.shell import MainWindow

# isort: split
from tests.a11y_window import describe, settle, visible_widgets

BUTTON_RADIUS_PX = 8  # ui.theme: rounded button corners, where the border reaches furthest inwards
MIN_INK_PIXELS = 4  # a colour on fewer pixels than this is noise, not text
SOLID_SHARE = 0.5  # an ink whose pixels are mostly inside a solid area is a shape (a badge, a fill), not text


# Contrast -------------------------------------------------------------------------------------------------------------
class _Rendered:
    """The page as drawn: the window, and the scrolled page in full (parts outside the viewport are not in a grab of
    the window), as 0xAARRGGBB arrays."""

    def __init__(self, window: MainWindow) -> None:
        screen = window.stack.currentWidget()
        self.content: QWidget = screen.content
        self.window = window
        self._window_pixels = _pixels(window.grab().toImage())
        self._content_pixels = _pixels(self.content.grab().toImage())

    def region(self, widget: QWidget, inset: int) -> np.ndarray:
        inner = widget.rect().adjusted(inset, inset, -inset, -inset)
        if inner.width() <= 0 or inner.height() <= 0:
            inner = widget.rect()
        if self.content.isAncestorOf(widget):
            top_left, pixels = widget.mapTo(self.content, inner.topLeft()), self._content_pixels
        else:
            top_left, pixels = widget.mapTo(self.window, inner.topLeft()), self._window_pixels
        x, y = max(0, top_left.x()), max(0, top_left.y())
        return pixels[y : y + inner.height(), x : x + inner.width()]


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    buffer = np.frombuffer(image.constBits(), dtype=np.uint32, count=image.bytesPerLine() * image.height() // 4)
    return buffer.reshape(image.height(), image.bytesPerLine() // 4)[:, : image.width()].copy()


def _token_colours(theme: Theme) -> dict[int, list[str]]:
    colours: dict[int, list[str]] = {}
    for token, value in theme.tokens().items():
        colours.setdefault(0xFF000000 | int(value.lstrip("#"), 16), []).append(token)
    return colours


def _is_blend(colour: int, background: int, ink: int, tolerance: float = 2.5) -> bool:
    """True when `colour` lies between `background` and `ink` (an anti-aliased edge of `ink` on `background`)."""
    c, b, i = (np.array([(v >> 16) & 255, (v >> 8) & 255, v & 255], dtype=float) for v in (colour, background, ink))
    span = i - b
    if not np.any(span):
        return False
    t = float(np.dot(c - b, span) / np.dot(span, span))
    return 0 < t < 1 and float(np.max(np.abs(b + t * span - c))) <= tolerance


def _hex(argb: int) -> str:
    return f"#{argb & 0xFFFFFF:06x}"


def check_contrast(window: MainWindow, widgets: list[QWidget] | None = None) -> list[str]:
    """Text is drawn in theme tokens, on a theme token, with the theme's text contrast against what it is drawn on
    (computed from the tokens); fills and icons with the theme's contrast for UI parts. `widgets`: only these
    (default: every visible one)."""
    theme = window.context.theme
    tokens = _token_colours(theme)
    rendered = _Rendered(window)
    # Inside a button's border, rounded corners and focus ring: what is left is its fill, text and icons.
    button_inset = max(theme.focus_width, BUTTON_RADIUS_PX) + 2
    failures = []
    for widget in visible_widgets(window) if widgets is None else widgets:
        has_text = bool(painted_texts(widget)) or (isinstance(widget, QLabel | QAbstractButton) and widget.text())
        if not has_text or not widget.isVisible() or not widget.isEnabled():  # WCAG 1.4.3 exempts inactive controls
            continue
        region = rendered.region(widget, button_inset if isinstance(widget, QAbstractButton) else 0)
        failures += [f"contrast: {describe(widget)}{problem}" for problem in _region_contrast(region, theme, tokens)]
    return failures


def _region_contrast(region: np.ndarray, theme: Theme, tokens: dict[int, list[str]]) -> list[str]:
    """What is wrong with the colours of one widget's pixels (its fill, text and icons); [] when nothing is."""
    values, counts = np.unique(region, return_counts=True)
    if not len(values):
        return []
    background = int(values[np.argmax(counts)])
    if background not in tokens:
        return [f" is drawn on {_hex(background)}, which is no theme token"]
    # The glyphs' own pixels are exactly the text token; their anti-aliased edges blend it with what is under them,
    # and a blend can equal another token by chance (info_bg is a tint of the header blue): those are not inks.
    inks = [int(v) for v, n in zip(values, counts, strict=True) if int(v) in tokens and n >= MIN_INK_PIXELS]
    inks = [ink for ink in inks if ink != background]
    inks = [
        ink
        for ink in inks
        if not any(
            _is_blend(ink, under, other) for under in (background, *inks) for other in inks if other not in (ink, under)
        )
    ]
    if not inks:
        return [f" shows no text in a theme token on {'/'.join(tokens[background])}"]
    problems = []
    for ink in inks:
        mask = region == ink
        under = _under(region, mask, ink, tokens) or background
        ratio = contrast_ratio(_hex(ink), _hex(under))
        # Thin strokes are text (or a pictogram, which gets the same treatment); a solid shape is a fill or a badge.
        solid = _interior_share(mask) > SOLID_SHARE
        needed = theme.min_ui_contrast if solid else theme.min_text_contrast
        if ratio + 1e-9 < needed:
            problems.append(
                f": {'/'.join(tokens[ink])} {'shape' if solid else 'text'} on {'/'.join(tokens[under])} is "
                f"{ratio:.2f}:1, the {theme.name} theme needs {needed}:1"
            )
    return problems


def _shifted(array: np.ndarray, dy: int, dx: int, fill: int) -> np.ndarray:
    out = np.full_like(array, fill)
    h, w = array.shape
    out[max(0, dy) : h + min(0, dy), max(0, dx) : w + min(0, dx)] = array[
        max(0, -dy) : h + min(0, -dy), max(0, -dx) : w + min(0, -dx)
    ]
    return out


def _under(region: np.ndarray, mask: np.ndarray, ink: int, tokens: dict[int, list[str]]) -> int | None:
    """The token colour most often found just outside an ink's strokes: what it is drawn on."""
    found: dict[int, int] = {}
    for dy, dx in ((-3, 0), (3, 0), (0, -3), (0, 3)):
        around = _shifted(region, dy, dx, ink)[mask]
        values, counts = np.unique(around[around != ink], return_counts=True)
        for value, count in zip(values, counts, strict=True):
            if int(value) in tokens:
                found[int(value)] = found.get(int(value), 0) + int(count)
    return max(found, key=lambda value: found[value]) if found else None


def _interior_share(mask: np.ndarray) -> float:
    """Share of an ink's pixels with the same ink 3 px away on all four sides (thin strokes: near 0; fills: near 1)."""
    inside = mask.copy()
    for dy, dx in ((-3, 0), (3, 0), (0, -3), (0, 3)):
        inside &= _shifted(mask, dy, dx, 0).astype(bool)
    return float(inside.sum()) / max(1, int(mask.sum()))


def check_focused_contrast(window: MainWindow) -> list[str]:
    """Each Tab stop keeps its contrast while it has the focus from the keyboard (the look a keyboard or keypad user
    sees: Qt's styles draw some things only after a keyboard focus change)."""
    focusable = [w for w in interactive(window) if w.isEnabled()]
    singles, groups = tab_stops(focusable)
    QTest.keyClick(window.header.language_entry, Qt.Key.Key_Tab)
    failures: list[str] = []
    for _ in range(len(singles) + len(groups)):
        focused = QApplication.focusWidget()
        if focused is None:
            return ["focus contrast: the focus was lost"]
        settle()
        failures += [f"focused {failure}" for failure in check_contrast(window, [focused])]
        QTest.keyClick(focused, Qt.Key.Key_Tab)
    return failures
