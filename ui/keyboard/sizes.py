"""The on-screen keyboard's physical maths: key and label sizes, the panel's height, and the keys' stylesheet.

Every size follows from the reference panel (`accessibility.sizing.ReferencePanel`: keys of 20 mm, 3 mm apart) and the
citizen's text step, and nothing else, so it lives apart from the panel widget as plain functions the panel calls when
the text size changes and whenever the labels change.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics

from accessibility.sizing import ReferencePanel
from ui.typography import ui_font

TOP_LINE_PX = 2  # the line between the page and the keyboard, in the text colour
FOCUS_BORDER_PX = 5  # ui.theme.FOCUS_PX: a label must fit inside the focus ring too


def char_px(panel: ReferencePanel, step: int) -> int:
    """Letters: never smaller than a title at the default size, and growing with the citizen's text size."""
    return max(panel.text_px("title", 0), panel.body_px(step))


def dead_px(panel: ReferencePanel, step: int) -> int:
    """Accents are small marks: their keys show them larger than letters."""
    return round(char_px(panel, step) * 1.5)


def padding_px(panel: ReferencePanel) -> int:
    """Between a label and the key's edge: the focus ring and a little air."""
    return FOCUS_BORDER_PX + panel.min_gap_px // 2


def key_height(panel: ReferencePanel, step: int) -> int:
    """20 mm, or more if a label's line (with the focus ring) needs it: keys never grow for nothing, so five rows
    leave the page room at the largest text size."""
    line = QFontMetrics(ui_font(char_px(panel, step))).height()
    return max(panel.primary_target_px, line + 2 * FOCUS_BORDER_PX)


def label_fonts(panel: ReferencePanel, step: int) -> dict[str, QFont]:
    """The label font of each kind of key, by its `function` property (as in `key_stylesheet`)."""
    return {
        "false": ui_font(char_px(panel, step)),
        "true": ui_font(panel.body_px(step)),
        "dead": ui_font(dead_px(panel, step)),
    }


def key_width(panel: ReferencePanel, units: int, font: QFont, text: str) -> int:
    """`units` letter keys and the gaps between them, or wider if the label (inside the padding) needs it."""
    unit, gap = panel.primary_target_px, panel.min_gap_px
    needed = QFontMetrics(font).horizontalAdvance(text) + 2 * padding_px(panel)
    return max(units * unit + (units - 1) * gap, needed)


def keyboard_height(panel: ReferencePanel, rows: int, height: int) -> int:
    """The panel's fixed height: `rows` rows of keys `height` high, the gaps between and around them, the top line."""
    gap = panel.min_gap_px
    return rows * height + max(0, rows - 1) * gap + 2 * gap + TOP_LINE_PX


def key_stylesheet(panel: ReferencePanel, step: int) -> str:
    """Sizes only: colours come from the window's theme stylesheet and palette, so a theme change reaches the keys."""
    return f"""
QPushButton[kind="key"] {{
    font-size: {char_px(panel, step)}px; padding: 0px; min-width: 0px; min-height: 0px;
}}
QPushButton[kind="key"]:focus {{ padding: 0px; }}
QPushButton[kind="key"][function="true"] {{ font-size: {panel.body_px(step)}px; }}
QPushButton[kind="key"][function="dead"] {{ font-size: {dead_px(panel, step)}px; }}
"""
