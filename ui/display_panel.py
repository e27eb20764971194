"""The colour choice the header's "Contrast" button opens: one named button per theme, on every screen.

A band below the header's toolbar rather than a dialog or a three-way control in the toolbar: the toolbar already
wraps to two rows at the largest text size, and a band pushes the page down instead of covering it. Each choice
shows the theme's name (never colour alone), a small preview of its colours and, when chosen, a tick, like the language
switch. Choosing applies the theme at once (the session records it; the shell restyles everything) and keeps the band
open so the citizen can compare; Close, Escape or the header button again close it and return focus to that button.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QKeyEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QFrame

from accessibility.sizing import ReferencePanel
from accessibility.tokens import THEMES, Theme
from kiosk.i18n import Catalog
from kiosk.session import CitizenSession, Presentation
from ui import icons
from ui.typography import FONT_FAMILIES
from ui.widgets import FlowLayout, KioskButton


class DisplayPanel(QFrame):
    def __init__(
        self, catalog: Catalog, session: CitizenSession, panel: ReferencePanel, *, on_close: Callable[[], None]
    ) -> None:
        super().__init__()
        self.setObjectName("displayPanel")
        self._catalog, self._session, self._panel, self._on_close = catalog, session, panel, on_close
        self._presentation = session.presentation
        self._flow = FlowLayout(self)
        self.choices: dict[str, KioskButton] = {}
        for name in THEMES:
            button = KioskButton("theme")
            button.setCheckable(True)
            # Like the language switch: each theme is its own Tab stop; the checked state comes back from the session.
            button.clicked.connect(lambda _=False, n=name: self._choose(n))
            self.choices[name] = button
            self._flow.addWidget(button)
        self.close_button = KioskButton()
        self.close_button.clicked.connect(on_close)
        self._flow.addWidget(self.close_button)
        self.hide()

    def _choose(self, name: str) -> None:
        self._session.set_theme(name)
        self.apply(self._session.presentation, THEMES[self._session.presentation.theme])

    def t(self, key: str, **params: object) -> str:
        return self._catalog.t(key, self._presentation.language, **params)

    def apply(self, presentation: Presentation, theme: Theme) -> None:
        """Texts in the session's language, the current theme checked, sizes and icons for the text step and theme."""
        self._presentation = presentation
        # No visible title: the checked Contrast button right above says what this band is, and at the largest text
        # size a title would push the choices onto a second row. Assistive technology gets the band's name.
        self.setAccessibleName(self.t("display.title"))
        chrome = self._panel.chrome_px(presentation.text_step)
        gap = max(self._panel.min_gap_px, chrome // 2)
        self._flow.setContentsMargins(chrome, gap, chrome, gap)
        self._flow.set_gap(gap)
        size = round(chrome * 1.1)
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        for name, button in self.choices.items():
            button.set_label(self.t(f"theme.{name}"), self.t("display.choice_hint"))
            button.setChecked(name == presentation.theme)
            button.setIcon(theme_choice_icon(THEMES[name], size, theme, rtl=rtl))
            button.setIconSize(choice_extent(size))
        self.close_button.set_label(self.t("display.close"), self.t("display.close_hint"))
        self.updateGeometry()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        # Escape closes the band (it reaches here from any of its buttons) rather than going Back a screen.
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self._on_close()
            return
        super().keyPressEvent(event)


def choice_extent(size: int) -> QSize:
    """A choice's icon: a tick, a gap, the preview and the gap before the text."""
    return QSize(2 * size + 2 * icons.gap_for(size), size)


def theme_preview(preview: Theme, size: int) -> QPixmap:
    """A small page in `preview`'s colours: its header band on top, a bold "A" in its text colour on its page colour,
    outlined in its text colour (decorative: the button's name says which theme it is)."""
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    line = max(2.0, size / 12)
    frame = QRectF(line / 2, line / 2, size - line, size - line)
    radius = size / 6
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(preview.background))
    p.drawRoundedRect(frame, radius, radius)
    p.save()
    p.setClipRect(QRectF(0, 0, size, size * 0.3))
    p.setBrush(QColor(preview.header_bg))
    p.drawRoundedRect(frame, radius, radius)
    p.restore()
    p.setPen(QPen(QColor(preview.text), line))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(frame, radius, radius)
    font = QFont()
    font.setFamilies(list(FONT_FAMILIES))
    font.setPixelSize(round(size * 0.5))
    font.setBold(True)
    p.setFont(font)
    p.drawText(QRectF(0, size * 0.3, size, size * 0.65), Qt.AlignmentFlag.AlignCenter, "A")
    p.end()
    return pm


def theme_choice_icon(preview: Theme, size: int, current: Theme, *, rtl: bool = False) -> QIcon:
    """The icon of one choice: [tick] [preview] with the gap before the text, the tick only when chosen, drawn in
    the colour that keeps its contrast on the button's fill (selected, or focused)."""
    icon = QIcon()
    for checked in (False, True):
        state = QIcon.State.On if checked else QIcon.State.Off
        for mode, tick_colour in (
            (QIcon.Mode.Normal, current.selected_text),
            (QIcon.Mode.Active, current.focus_text),
        ):
            icon.addPixmap(_choice_pixmap(preview, size, tick_colour if checked else None, rtl), mode, state)
    return icon


def _choice_pixmap(preview: Theme, size: int, tick_colour: str | None, rtl: bool) -> QPixmap:
    extent = choice_extent(size)
    out = QPixmap(extent)
    out.fill(Qt.GlobalColor.transparent)
    p = QPainter(out)
    gap = icons.gap_for(size)
    # Left to right: gap-before-text is on the text's side, so in RTL everything shifts right by that gap.
    start = gap if rtl else 0
    tick_x, preview_x = (start + size + gap, start) if rtl else (start, start + size + gap)
    if tick_colour is not None:
        p.drawPixmap(tick_x, 0, icons.pixmap("check", size, tick_colour))
    p.drawPixmap(preview_x, 0, theme_preview(preview, size))
    p.end()
    return out
