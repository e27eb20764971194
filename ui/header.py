"""The fixed header: the kiosk's name, the delivery indicator, read aloud, contrast, help; below it the language switch
and the text-size control; below that, while open, the colour choice (`ui.display_panel`).

The header only records choices on the `CitizenSession`; it shows what the session says (`apply`), so a session reset
or a change from elsewhere is reflected the same way as a tap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from accessibility.sizing import TEXT_STEPS, ReferencePanel
from accessibility.tokens import Theme, theme_named
from kiosk.i18n import ENDONYMS, Catalog, is_rtl
from kiosk.session import CitizenSession, Presentation
from ui import icons
from ui.display_panel import contrast_icon
from ui.sync_indicator import SyncIndicator
from ui.widgets import FlowLayout, KioskButton, lock_down

if TYPE_CHECKING:
    from sync.snapshot import SyncSnapshot
    from ui.display_panel import DisplayPanel

VOLUME_STEP = 10  # percent per tap of Quieter / Louder (and per volume key)


class Header(QFrame):
    def __init__(
        self,
        catalog: Catalog,
        session: CitizenSession,
        panel: ReferencePanel,
        theme: Theme,
        *,
        languages: tuple[str, ...],
        on_help: Callable[[], None],
    ) -> None:
        super().__init__()
        self.setObjectName("headerArea")
        self._catalog, self._session, self._panel, self._theme = catalog, session, panel, theme
        self._presentation = session.presentation
        outer = self._outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        band = QFrame()
        band.setObjectName("header")
        self._band_flow = FlowLayout(band, push_from=1)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.read_aloud = KioskButton("header")
        self.read_aloud.setCheckable(True)
        self.read_aloud.clicked.connect(lambda checked: session.set_read_aloud(bool(checked)))
        self.help = KioskButton("header")
        self.help.clicked.connect(on_help)
        self.speech_controls = self._speech_controls(session)  # shown while read aloud is on
        self.display = self._display_button()
        self._display_panel: DisplayPanel | None = None  # the colour choice: built when first opened
        self.sync = SyncIndicator(catalog, panel, theme)  # hidden until the first delivery snapshot (`show_sync`)
        for widget in (self.title, self.sync, self.read_aloud, self.speech_controls, self.display, self.help):
            self._band_flow.addWidget(widget)
        outer.addWidget(band)

        toolbar = QFrame()
        toolbar.setObjectName("toolbar")
        self._toolbar_flow = FlowLayout(toolbar, push_from=1 + len(languages))
        self.language_label = QLabel()
        self._toolbar_flow.addWidget(self.language_label)
        self.language_buttons: dict[str, KioskButton] = {}
        for code in languages:
            button = KioskButton("lang")
            button.setCheckable(True)
            button.setLocale(QLocale(code))
            # Not a QButtonGroup: that would make the switch one Tab stop with arrow keys inside; here every
            # language is its own Tab stop. The checked state always comes back from the session (`apply`).
            button.clicked.connect(lambda _=False, c=code: self._choose_language(c))
            self.language_buttons[code] = button
            self._toolbar_flow.addWidget(button)
        sizes = QWidget()
        size_row = self._size_row = QHBoxLayout(sizes)
        size_row.setContentsMargins(0, 0, 0, 0)
        self.text_size_label = QLabel()
        self.smaller = KioskButton()
        self.smaller.clicked.connect(lambda: session.set_text_step(session.presentation.text_step - 1))
        self.larger = KioskButton()
        self.larger.clicked.connect(lambda: session.set_text_step(session.presentation.text_step + 1))
        for widget in (self.text_size_label, self.smaller, self.larger):
            size_row.addWidget(widget)
        self._toolbar_flow.addWidget(sizes)
        outer.addWidget(toolbar)
        for button in (
            self.read_aloud,
            self.repeat,
            self.quieter,
            self.louder,
            self.display,
            self.help,
            self.smaller,
            self.larger,
            *self.language_buttons.values(),
        ):
            # Buttons of one header row share its height (the Arabic endonym's line is taller than the others).
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.apply(session.presentation)

    def _choose_language(self, code: str) -> None:
        self._session.set_language(code)
        self.apply(self._session.presentation)  # re-check a tapped, already-current language

    def t(self, key: str, **params: object) -> str:
        return self._catalog.t(key, self._presentation.language, **params)

    def _display_button(self) -> KioskButton:
        """The Contrast button (checked while the colour choice is open)."""
        button = KioskButton("header")
        button.setCheckable(True)
        button.clicked.connect(lambda checked: self.show_display_panel(bool(checked)))
        return button

    @property
    def display_panel(self) -> DisplayPanel:
        """The colour choice the Contrast button opens (hidden), below the toolbar; built on first use."""
        if self._display_panel is None:
            from ui.display_panel import DisplayPanel

            self._display_panel = DisplayPanel(
                self._catalog, self._session, self._panel, on_close=self.close_display_panel
            )
            lock_down(self._display_panel)  # as the window's other parts: no context menu
            self._outer.addWidget(self._display_panel)
        return self._display_panel

    def show_display_panel(self, show: bool = True) -> None:
        """Open (or close) the colour choice; opening moves focus to the current theme's button."""
        self.display_panel.setVisible(show)
        self.display.setChecked(show)
        if show:
            self.display_panel.apply(self._presentation, self._theme)
            self.display_panel.choices[self._presentation.theme].setFocus(Qt.FocusReason.OtherFocusReason)

    def close_display_panel(self) -> None:
        """Close the colour choice; focus goes back to the Contrast button if it was inside the band."""
        if self._display_panel is None:  # never opened
            self.display.setChecked(False)
            return
        focused = QApplication.focusWidget()
        had_focus = focused is not None and self.display_panel.isAncestorOf(focused)
        self.show_display_panel(False)
        if had_focus:
            self.display.setFocus(Qt.FocusReason.OtherFocusReason)

    def _speech_controls(self, session: CitizenSession) -> QWidget:
        """Repeat (the speech mode connects it), the volume and Quieter / Louder: only useful while read aloud is on."""
        holder = QWidget()
        row = self._speech_row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        self.repeat = KioskButton("header")
        self.volume = QLabel()
        self.quieter = KioskButton("header")
        self.quieter.clicked.connect(lambda: session.set_volume(session.presentation.volume - VOLUME_STEP))
        self.louder = KioskButton("header")
        self.louder.clicked.connect(lambda: session.set_volume(session.presentation.volume + VOLUME_STEP))
        for widget in (self.repeat, self.volume, self.quieter, self.louder):
            row.addWidget(widget)
        holder.setVisible(session.presentation.read_aloud)
        return holder

    def show_sync(self, snapshot: SyncSnapshot) -> None:
        """Show the delivery state (online, offline, sending N, network login needed) beside the kiosk's name."""
        self.sync.show_snapshot(snapshot)

    def apply(self, presentation: Presentation) -> None:
        """Show the session's presentation: texts in its language, checked states, sizes."""
        self._presentation = presentation
        p = presentation
        if p.theme != self._theme.name:
            self._theme = theme_named(p.theme)
            self.sync.set_theme(self._theme)
        self.title.setText(self.t("app.title"))
        self.read_aloud.setChecked(p.read_aloud)
        self.read_aloud.set_label(
            self.t("header.read_aloud_on" if p.read_aloud else "header.read_aloud_off"),
            self.t("header.read_aloud_hint"),
        )
        self.help.set_label(self.t("header.help"), self.t("header.help_hint"))
        self.speech_controls.setVisible(p.read_aloud)
        self.repeat.set_label(self.t("header.repeat"), self.t("header.repeat_hint"))
        self.volume.setText(self.t("header.volume", percent=p.volume))
        self.quieter.set_label(self.t("header.quieter"), self.t("header.quieter_hint"))
        self.louder.set_label(self.t("header.louder"), self.t("header.louder_hint"))
        self.quieter.setEnabled(p.volume > 0)
        self.louder.setEnabled(p.volume < 100)
        self.display.set_label(self.t("header.display"), self.t("header.display_hint"))
        self.language_label.setText(self.t("header.language"))
        for code, button in self.language_buttons.items():
            button.set_label(ENDONYMS.get(code, code), self.t("header.language_hint"))
            button.setChecked(code == p.language)
        self.text_size_label.setText(self.t("header.text_size", step=p.text_step + 1, steps=len(TEXT_STEPS)))
        self.smaller.set_label(self.t("header.text_smaller"), self.t("header.text_smaller_hint"))
        self.larger.set_label(self.t("header.text_larger"), self.t("header.text_larger_hint"))
        self.smaller.setEnabled(p.text_step > 0)
        self.larger.setEnabled(p.text_step < len(TEXT_STEPS) - 1)
        self.sync.apply(p.language, p.text_step)
        if self._display_panel is not None and self._display_panel.isVisibleTo(self):
            self.display_panel.apply(p, self._theme)
        self._refresh_metrics()

    def _refresh_metrics(self) -> None:
        body = self._panel.chrome_px(self._presentation.text_step)
        gap = max(self._panel.min_gap_px, body // 2)
        for flow in (self._band_flow, self._toolbar_flow):
            flow.setContentsMargins(body, gap, body, gap)
        self._band_flow.set_gap(body)
        self._speech_row.setSpacing(gap)
        self._size_row.setSpacing(self._panel.min_gap_px)  # Smaller and Larger side by side: 3 mm apart, no more
        self._toolbar_flow.set_gap(gap)
        size = round(body * 1.1)
        th = self._theme
        rtl = is_rtl(self._presentation.language)
        speaker = icons.state_icon(
            size,
            {False: ("speaker-off", th.header_text), True: ("speaker-on", th.header_bg)},
            th.focus_text,
            rtl=rtl,
        )
        for button, icon in (
            (self.read_aloud, speaker),
            (self.help, icons.state_icon(size, {False: ("help", th.header_text)}, th.focus_text, rtl=rtl)),
            (self.display, contrast_icon(size, {False: th.header_text, True: th.header_bg}, th.focus_text, rtl=rtl)),
            (self.smaller, icons.state_icon(size, {False: ("text-smaller", th.text)}, th.focus_text, rtl=rtl)),
            (self.larger, icons.state_icon(size, {False: ("text-larger", th.text)}, th.focus_text, rtl=rtl)),
        ):
            button.setIcon(icon)
            button.setIconSize(icons.icon_extent(size))
        check = icons.state_icon(size, {False: None, True: ("check", th.selected_text)}, th.focus_text, rtl=rtl)
        for button in self.language_buttons.values():
            button.setIcon(check)
            button.setIconSize(icons.icon_extent(size))
        self.updateGeometry()
