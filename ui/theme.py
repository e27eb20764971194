"""QPalette and stylesheet, both generated from one theme's tokens (any of `accessibility.tokens.THEMES`) and the
physical size scale.

Widgets never name colours or pixel sizes: they set an `objectName` or a `kind`/`role` property and this module decides
how that looks. Changing the text-size step or the theme regenerates both, so every screen follows at once.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from accessibility.sizing import ReferencePanel
from accessibility.tokens import DEFAULT, Theme

# The default theme's line widths, for code that draws its own focus ring; the stylesheet uses the theme's own.
BORDER_PX = DEFAULT.border_width  # the resting border of a control
FOCUS_PX = DEFAULT.focus_width  # the focus ring: thick, and drawn by changing colour and width, never by colour alone
ERROR_BAR_PX = 5  # the red bar beside a question with an error, and the error summary's border (GOV.UK)


def build_palette(theme: Theme) -> QPalette:
    c = theme.tokens()
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: c["background"],
        QPalette.ColorRole.WindowText: c["text"],
        QPalette.ColorRole.Base: c["background"],
        QPalette.ColorRole.AlternateBase: c["surface"],
        QPalette.ColorRole.Text: c["text"],
        QPalette.ColorRole.PlaceholderText: c["text_muted"],
        QPalette.ColorRole.Button: c["background"],
        QPalette.ColorRole.ButtonText: c["text"],
        QPalette.ColorRole.BrightText: c["error"],
        QPalette.ColorRole.Highlight: c["focus_bg"],
        QPalette.ColorRole.HighlightedText: c["focus_text"],
        QPalette.ColorRole.Link: c["accent"],
        QPalette.ColorRole.ToolTipBase: c["background"],
        QPalette.ColorRole.ToolTipText: c["text"],
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(c["text_muted"]))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor(c["text_muted"]))
    return palette


def build_stylesheet(theme: Theme, panel: ReferencePanel, step: int) -> str:
    c = theme.tokens()
    border, ring = theme.border_width, theme.focus_width  # this theme's resting border and focus ring
    error_bar = max(ERROR_BAR_PX, theme.focus_width)
    body = panel.text_px("body", step)
    chrome = panel.chrome_px(step)
    target = panel.min_target_px
    gap = panel.min_gap_px
    pad_v = max(gap, chrome // 3)
    pad_h = chrome
    # Heights are minimums: a button grows with its text, it is never shorter than a target (a primary one: 20 mm).
    inner = target - 2 * border
    primary_inner = panel.primary_target_px - 2 * border
    return f"""
* {{ font-size: {body}px; }}
QWidget#mainWindow, QWidget#screenContent, QScrollArea, QScrollArea > QWidget > QWidget {{
    background: {c["background"]};
}}
QLabel {{ color: {c["text"]}; }}
QLabel[role="h1"] {{ font-size: {panel.text_px("h1", step)}px; font-weight: bold; }}
QLabel[role="h2"] {{ font-size: {panel.text_px("h2", step)}px; font-weight: bold; }}
QLabel[role="title"] {{ font-size: {panel.text_px("title", step)}px; font-weight: bold; }}
QLabel[role="lead"] {{ font-size: {panel.text_px("title", step)}px; }}
QLabel[role="muted"] {{ color: {c["text_muted"]}; }}
QFrame#headerArea *, QFrame#noticeBar * {{ font-size: {chrome}px; }}
QFrame#headerArea QLabel[role="title"], QFrame#noticeBar QLabel[role="title"] {{
    font-size: {round(chrome * 1.15)}px; font-weight: bold;
}}
QFrame#header {{ background: {c["header_bg"]}; border-bottom: {theme.rule_width}px solid {c["header_text"]}; }}
QFrame#header QLabel {{ color: {c["header_text"]}; }}
QFrame#toolbar, QFrame#displayPanel {{
    background: {c["surface"]}; border-bottom: {max(1, theme.rule_width)}px solid {c["divider"]};
}}
QFrame#noticeBar {{ background: {c["notice_bg"]}; border-bottom: 4px solid {c["notice_accent"]}; }}
QFrame#noticeBar QLabel {{ color: {c["notice_text"]}; }}
QFrame[role="inline-message"] {{
    background: {c["info_bg"]}; border: 4px solid {c["info_accent"]}; border-radius: 6px;
}}
QFrame[role="inline-message"] QLabel {{ color: {c["info_text"]}; }}
QPushButton {{
    color: {c["text"]}; background: {c["background"]};
    border: {border}px solid {c["border"]}; border-radius: 8px;
    padding: {pad_v}px {pad_h}px; min-height: {max(0, inner - 2 * pad_v)}px; min-width: {max(0, inner - 2 * pad_h)}px;
    outline: none; /* after a Tab, Fusion would lay a translucent box over the label: our focus ring is the cue */
}}
QPushButton:hover {{ background: {c["surface"]}; }}
QPushButton:pressed {{ background: {c["divider"]}; }}
QPushButton:checked {{
    color: {c["selected_text"]}; background: {c["selected_bg"]}; border-color: {c["selected_bg"]};
}}
QPushButton:disabled {{ color: {c["text_muted"]}; border-color: {c["divider"]}; background: {c["surface"]}; }}
QPushButton[kind="header"] {{
    color: {c["header_text"]}; background: {c["header_bg"]}; border-color: {c["header_text"]};
}}
QPushButton[kind="header"]:checked {{ color: {c["header_bg"]}; background: {c["header_text"]}; }}
QPushButton[kind="primary"] {{
    color: {c["primary_text"]}; background: {c["primary"]}; border-color: {c["primary"]}; font-weight: bold;
    min-height: {max(0, primary_inner - 2 * pad_v)}px;
}}
QPushButton[kind="entry"] {{ padding: {body}px; border-width: {border}px; border-bottom-width: 6px; }}
QPushButton[kind="link"], QPushButton[kind="option"] {{ background: transparent; border-color: transparent; }}
QPushButton:focus, QPushButton[kind="header"]:focus, QPushButton[kind="primary"]:focus,
QPushButton[kind="link"]:focus {{
    color: {c["focus_text"]}; background: {c["focus_bg"]}; border: {ring}px solid {c["focus_ring"]};
    padding: {pad_v - (ring - border)}px {pad_h - (ring - border)}px;
}}
QPushButton[kind="entry"]:focus {{ padding: {body - (ring - border)}px; border-bottom-width: {ring + 1}px; }}
QLineEdit {{
    color: {c["text"]}; background: {c["background"]}; border: {border}px solid {c["text"]}; border-radius: 0px;
    padding: {pad_v}px {body // 2}px; min-height: {max(0, inner - 2 * pad_v)}px;
    selection-color: {c["focus_text"]}; selection-background-color: {c["focus_bg"]};
}}
QPlainTextEdit {{
    color: {c["text"]}; background: {c["background"]}; border: {border}px solid {c["text"]}; border-radius: 0px;
    padding: {pad_v}px {body // 2}px; selection-color: {c["focus_text"]}; selection-background-color: {c["focus_bg"]};
}}
QLineEdit[error="true"], QPlainTextEdit[error="true"] {{ border: {border}px solid {c["error"]}; }}
QLineEdit:focus, QPlainTextEdit:focus {{
    border: {ring}px solid {c["focus_ring"]};
    padding: {pad_v - (ring - border)}px {body // 2 - (ring - border)}px;
}}
QFrame[role="form-group"] {{ border: none; }}
QFrame[role="form-group"][error="true"] {{ border-left: {error_bar}px solid {c["error"]}; }}
QFrame[role="form-group"][error="rtl"] {{ border-right: {error_bar}px solid {c["error"]}; }}
QLabel[role="error"] {{ color: {c["error"]}; font-weight: bold; }}
QFrame[role="error-summary"] {{ border: {error_bar}px solid {c["error"]}; background: {c["background"]}; }}
QFrame[role="error-summary"]:focus {{ border: {error_bar}px solid {c["focus_ring"]}; }}
QFrame[role="panel"] {{ background: {c["primary"]}; border-radius: 0px; }}
QFrame[role="panel"]:focus {{ border: {ring}px solid {c["focus_ring"]}; }}
QFrame[role="panel"] QLabel {{ color: {c["primary_text"]}; }}
QLabel[role="reference"] {{ font-size: {panel.text_px("h1", step) + body // 2}px; font-weight: bold; }}
QFrame[role="summary-row"] {{ border: none; border-bottom: 1px solid {c["divider"]}; }}
QScrollBar:vertical {{ width: {target}px; background: {c["surface"]}; }}
QScrollBar:horizontal {{ height: {target}px; background: {c["surface"]}; }}
QScrollBar::handle {{ background: {c["border"]}; border-radius: 8px; min-height: {target}px; min-width: {target}px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0px; height: 0px; }}
"""
