"""Physical sizes: text and touch targets are specified in millimetres and turned into pixels for one panel.

Panels often report a wrong DPI, so the kiosk does not trust the screen: the reference panel (diagonal and resolution)
is configuration, and every millimetre rule goes through it.
"""

import math
from typing import NamedTuple

MM_PER_INCH = 25.4

# Text-size steps the citizen can choose, as multiples of the default body size. The last step is 200 % (WCAG 1.4.4)
# and also meets EN 301 549 5.1.4 (capital letters subtend at least 0.7 degrees at the viewing distance).
TEXT_STEPS: tuple[float, ...] = (1.0, 1.25, 1.5, 1.75, 2.0)

BODY_MIN_PX = 24  # body text is never smaller than this, whatever the panel
BODY_MM = 6.0  # the default body size (em) on the glass: 24 px on the reference 21.5" Full HD panel
# BODY_MM is for a citizen at this distance; a kiosk read from further away gets text that is larger in proportion, so
# it subtends the same angle (and the largest steps still meet EN 301 549 5.1.4 at the configured distance).
BODY_DISTANCE_MM = 600.0
# Capital height of the bundled Noto Sans as a fraction of the em (capHeight 714 of 1000 units): lets the Qt-free
# layer check the 0.7 degree rule; the screen tests measure the real font with QFontMetricsF.
CAP_HEIGHT_EM = 0.714
# Headings and other text styles relative to body text.
TEXT_SCALE = {"body": 1.0, "h1": 1.75, "h2": 1.35, "title": 1.25}
# The fixed header and notice bar grow with the text size up to this factor only, so at 200 % the content keeps most
# of the screen; 1.75 x 24 px still gives capitals of 0.7 degrees at 60 cm (EN 301 549 5.1.4).
CHROME_MAX_SCALE = 1.75

MIN_TARGET_CSS_PX = 44  # WCAG 2.5.5
MIN_TARGET_MM = 15.0  # Colle & Hiszem: touch targets for older users
PRIMARY_TARGET_MM = 20.0  # primary actions and keypad keys
MIN_GAP_MM = 3.0
LARGE_TEXT_ANGLE_DEG = 0.7  # EN 301 549 5.1.4: capital letter height as seen from the viewing distance


class PanelSize(NamedTuple):
    """The fields of a `ReferencePanel` (a named tuple: cheaper to define at every start than a frozen dataclass)."""

    diagonal_inches: float = 21.5
    width_px: int = 1920
    height_px: int = 1080
    viewing_distance_mm: float = 600.0


class ReferencePanel(PanelSize):
    """The display the kiosk is designed for (configuration; defaults to a 21.5" Full HD panel read at 60 cm)."""

    __slots__ = ()

    def __init__(self, *args: float, **kwargs: float) -> None:
        # The named tuple's __new__ has set the fields; this only checks them.
        if self.diagonal_inches <= 0 or self.width_px <= 0 or self.height_px <= 0 or self.viewing_distance_mm <= 0:
            raise ValueError(f"reference panel sizes must be positive: {self}")

    @property
    def px_per_mm(self) -> float:
        diagonal_px = math.hypot(self.width_px, self.height_px)
        return diagonal_px / (self.diagonal_inches * MM_PER_INCH)

    @property
    def width_mm(self) -> float:
        return self.mm(self.width_px)

    @property
    def height_mm(self) -> float:
        return self.mm(self.height_px)

    def mm(self, px: float) -> float:
        return px / self.px_per_mm

    def px(self, mm: float) -> int:
        """Millimetres -> whole pixels, rounded up so a minimum is never missed."""
        return math.ceil(mm * self.px_per_mm - 1e-9)

    def body_px(self, step: int = 0) -> int:
        """Body text pixel size (font em) at a text-size step; >= 24 px at step 0, larger for far viewing distances."""
        distance_factor = max(1.0, self.viewing_distance_mm / BODY_DISTANCE_MM)
        base = max(BODY_MIN_PX, round(BODY_MM * distance_factor * self.px_per_mm))
        return round(base * TEXT_STEPS[_checked_step(step)])

    def chrome_px(self, step: int = 0) -> int:
        """Text size of the fixed header and notice bar: follows the steps up to CHROME_MAX_SCALE."""
        base = self.body_px(0)
        # Rounded up: at the cap the header has only ~2 % to spare on the 0.7 degree rule.
        return math.ceil(base * min(TEXT_STEPS[_checked_step(step)], CHROME_MAX_SCALE) - 1e-9)

    def text_px(self, style: str, step: int = 0) -> int:
        """Pixel size of a text style ("body", "h1", "h2", "title") at a text-size step."""
        return round(self.body_px(step) * TEXT_SCALE[style])

    @property
    def min_target_px(self) -> int:
        """Smallest side of any interactive target: >= 44 px and >= 15 mm."""
        return max(MIN_TARGET_CSS_PX, self.px(MIN_TARGET_MM))

    @property
    def primary_target_px(self) -> int:
        """Smallest side of a primary action: >= 20 mm."""
        return max(self.min_target_px, self.px(PRIMARY_TARGET_MM))

    @property
    def min_gap_px(self) -> int:
        return self.px(MIN_GAP_MM)

    @property
    def min_cap_height_mm(self) -> float:
        return cap_height_mm(self.viewing_distance_mm)

    @property
    def min_cap_height_px(self) -> float:
        return self.min_cap_height_mm * self.px_per_mm

    def meets_large_text(self, cap_height_px: float) -> bool:
        """True when a capital letter this many pixels high subtends >= 0.7 degrees at the viewing distance."""
        return cap_height_px + 1e-9 >= self.min_cap_height_px

    def large_text_steps(self) -> tuple[int, ...]:
        """The text steps at which body text and the header both meet the 0.7 degree rule (by CAP_HEIGHT_EM)."""
        return tuple(
            step
            for step in range(len(TEXT_STEPS))
            if self.meets_large_text(CAP_HEIGHT_EM * min(self.body_px(step), self.chrome_px(step)))
        )


def cap_height_mm(viewing_distance_mm: float, angle_deg: float = LARGE_TEXT_ANGLE_DEG) -> float:
    """Height that subtends `angle_deg` at `viewing_distance_mm` (about 7.3 mm at 600 mm for 0.7 degrees)."""
    return 2 * viewing_distance_mm * math.tan(math.radians(angle_deg) / 2)


def step_percent(step: int) -> int:
    """A text step as the percentage of the default size it shows (0 -> 100, the last step -> 200)."""
    return round(TEXT_STEPS[_checked_step(step)] * 100)


def closest_text_step(percent: float) -> int:
    """The text step whose size is closest to `percent` of the default (ties go to the larger step, so asking for
    a size between two steps never gives smaller text than the lower one); for `screenshot --text-scale`."""
    if not percent > 0:
        raise ValueError(f"text scale must be a positive percentage, got {percent}")
    return min(range(len(TEXT_STEPS)), key=lambda step: (abs(TEXT_STEPS[step] * 100 - percent), -step))


def body_px(step: int = 0, panel: ReferencePanel | None = None) -> int:
    """Body text size at `step` on `panel` (the default reference panel when None)."""
    return (panel or ReferencePanel()).body_px(step)


def _checked_step(step: int) -> int:
    if not 0 <= step < len(TEXT_STEPS):
        raise ValueError(f"text step {step} is outside 0..{len(TEXT_STEPS) - 1}")
    return step
