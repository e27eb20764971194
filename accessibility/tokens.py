"""Colour tokens: the one table per theme that the Qt palette, the stylesheet and the contrast tests all read.

A token names a role ("text", "surface"), never a colour ("dark-grey"), so a high-contrast theme is just another
`Theme` with the same fields and stricter `min_text_contrast`. Every field is required, so a new theme cannot forget a
token; `TEXT_PAIRS` and `UI_PAIRS` say which tokens are drawn on which, `FOCUS_BACKGROUNDS` where a focused control
can sit, and tests check each pair per theme against that theme's own thresholds.

Three themes (`THEMES`, names also in `kiosk.session.THEME_NAMES`): `default` (WCAG AA: text 4.5:1), `high-contrast`
(light, WCAG AAA: text 7:1) and `dark-high-contrast` (light text on black, 7:1). Besides colours a theme sets line
widths: the resting border of controls, the focus ring (thick in every theme, thicker in the high-contrast ones) and
the rule under the header's top band (the high-contrast headers are the page colour, so a rule marks them off).
"""

from functools import cache
from typing import NamedTuple

from accessibility.contrast import contrast_ratio, parse_hex


class ThemeFields(NamedTuple):
    """The fields of a `Theme`. A named tuple, not a frozen dataclass: defining a 30-field dataclass costs ~1 ms at
    every start of the kiosk, a named tuple a tenth of that; both are immutable."""

    name: str
    min_text_contrast: float  # WCAG 1.4.3 (4.5) for the default theme, 1.4.6 (7.0) for high-contrast themes
    min_ui_contrast: float  # WCAG 1.4.11: boundaries of controls, icons and the focus ring
    # Line widths in pixels (not colours)
    border_width: int  # the resting border of a control
    focus_width: int  # the focus ring: always thicker than a resting border, so focus never shows by colour alone
    rule_width: int  # the line under the header's top band (0: none; the band's fill sets it apart)
    # Page
    background: str
    surface: str  # panels and bands that sit on the background
    text: str
    text_muted: str  # secondary text: still body size, still >= min_text_contrast
    divider: str  # decorative lines only; never the sole boundary of a control
    border: str  # the boundary of a control
    accent: str  # icons and links on the background
    # Actions
    primary: str
    primary_text: str
    selected_bg: str  # a chosen option (current language, read aloud on): always paired with a tick and text
    selected_text: str
    # Focus: a thick ring plus a filled background, visible on every band
    focus_ring: str
    focus_bg: str
    focus_text: str
    # Bands and messages
    header_bg: str
    header_text: str
    notice_bg: str
    notice_text: str
    notice_accent: str
    info_bg: str
    info_text: str
    info_accent: str
    error: str  # error text and borders on the background
    error_text: str  # text on an `error` fill


class Theme(ThemeFields):
    __slots__ = ()

    def __init__(self, *args: str | float, **kwargs: str | float) -> None:
        # The named tuple's __new__ has set (and required) every field; a typo in a colour is caught here, at import.
        for token in colour_tokens():
            parse_hex(getattr(self, token))
        if not 0 < self.border_width < self.focus_width or self.rule_width < 0:
            raise ValueError(f"theme {self.name!r}: the focus ring must be thicker than a border, both positive")

    def colour(self, token: str) -> str:
        if token not in colour_tokens():
            raise KeyError(f"theme {self.name!r} has no colour token {token!r}")
        value: str = getattr(self, token)
        return value

    def tokens(self) -> dict[str, str]:
        return {token: self.colour(token) for token in colour_tokens()}

    def contrast(self, foreground: str, background: str) -> float:
        return contrast_ratio(self.colour(foreground), self.colour(background))


_NOT_COLOURS = ("name", "min_text_contrast", "min_ui_contrast", "border_width", "focus_width", "rule_width")


@cache
def colour_tokens() -> tuple[str, ...]:
    return tuple(name for name in ThemeFields._fields if name not in _NOT_COLOURS)


# (foreground, background): text drawn on a fill. Must reach `min_text_contrast`.
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("text", "background"),
    ("text", "surface"),
    ("text_muted", "background"),
    ("text_muted", "surface"),
    ("accent", "background"),
    ("primary_text", "primary"),
    ("selected_text", "selected_bg"),
    ("focus_text", "focus_bg"),
    ("header_text", "header_bg"),
    ("notice_text", "notice_bg"),
    ("info_text", "info_bg"),
    ("error", "background"),
    ("error_text", "error"),
)

# Where a focused control can sit: the focus ring must stand out (>= min_ui_contrast) against each of these fills.
FOCUS_BACKGROUNDS: tuple[str, ...] = ("background", "surface", "header_bg")

# (part, neighbour): control boundaries, icons and the focus indicator against what surrounds them (>= 3:1).
UI_PAIRS: tuple[tuple[str, str], ...] = (
    ("border", "background"),
    ("border", "surface"),
    ("accent", "background"),
    ("primary", "background"),
    ("selected_bg", "surface"),
    ("selected_bg", "background"),
    *(("focus_ring", fill) for fill in FOCUS_BACKGROUNDS),
    ("notice_accent", "notice_bg"),
    ("info_accent", "info_bg"),
    ("error", "background"),
)

# Calm, GOV.UK-like palette: white page, blue header, green primary action, yellow focus with a black ring.
DEFAULT = Theme(
    name="default",
    min_text_contrast=4.5,
    min_ui_contrast=3.0,
    border_width=2,
    focus_width=5,
    rule_width=0,
    background="#ffffff",
    surface="#f3f2f1",
    text="#0b0c0c",
    text_muted="#505a5f",
    divider="#b1b4b6",
    border="#6f777b",
    accent="#1d70b8",
    primary="#00703c",
    primary_text="#ffffff",
    selected_bg="#003078",
    selected_text="#ffffff",
    focus_ring="#0b0c0c",
    focus_bg="#ffdd00",
    focus_text="#0b0c0c",
    header_bg="#1d70b8",
    header_text="#ffffff",
    notice_bg="#fff3c4",
    notice_text="#0b0c0c",
    notice_accent="#0b0c0c",
    info_bg="#d2e2f1",
    info_text="#0b0c0c",
    info_accent="#1d70b8",
    error="#d4351c",
    error_text="#ffffff",
)

# Black on white, AAA text, thick black lines. The header is white too (a black band would leave the black focus ring
# invisible on it); the rule under it sets it apart. Focus: yellow fill inside a thick black ring.
HIGH_CONTRAST = Theme(
    name="high-contrast",
    min_text_contrast=7.0,
    min_ui_contrast=4.5,
    border_width=3,
    focus_width=7,
    rule_width=4,
    background="#ffffff",
    surface="#f2f2f2",
    text="#000000",
    text_muted="#303030",
    divider="#595959",
    border="#000000",
    accent="#00308f",
    primary="#005a1f",
    primary_text="#ffffff",
    selected_bg="#000000",
    selected_text="#ffffff",
    focus_ring="#000000",
    focus_bg="#ffff00",
    focus_text="#000000",
    header_bg="#ffffff",
    header_text="#000000",
    notice_bg="#fff0a0",
    notice_text="#000000",
    notice_accent="#000000",
    info_bg="#e0ebff",
    info_text="#000000",
    info_accent="#00308f",
    error="#b00000",
    error_text="#ffffff",
)

# White on black, AAA text, for citizens dazzled by a bright page. Light fills (primary, selected) carry black text;
# focus: yellow fill inside a thick white ring.
DARK_HIGH_CONTRAST = Theme(
    name="dark-high-contrast",
    min_text_contrast=7.0,
    min_ui_contrast=4.5,
    border_width=3,
    focus_width=7,
    rule_width=4,
    background="#000000",
    surface="#1a1a1a",
    text="#ffffff",
    text_muted="#e6e6e6",
    divider="#8c8c8c",
    border="#ffffff",
    accent="#99ccff",
    primary="#8ff0a4",
    primary_text="#000000",
    selected_bg="#ffffff",
    selected_text="#000000",
    focus_ring="#ffffff",
    focus_bg="#ffff00",
    focus_text="#000000",
    header_bg="#000000",
    header_text="#ffffff",
    notice_bg="#3d3000",
    notice_text="#ffffff",
    notice_accent="#ffdd00",
    info_bg="#0a2540",
    info_text="#ffffff",
    info_accent="#99ccff",
    error="#ff9a9a",
    error_text="#000000",
)

THEMES: dict[str, Theme] = {theme.name: theme for theme in (DEFAULT, HIGH_CONTRAST, DARK_HIGH_CONTRAST)}


def theme_named(name: str) -> Theme:
    """The theme of that name; an unknown name is a KeyError that lists the known ones."""
    try:
        return THEMES[name]
    except KeyError:
        raise KeyError(f"unknown theme {name!r}; themes: {', '.join(THEMES)}") from None
