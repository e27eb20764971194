"""The fixed header: the kiosk's name, the delivery indicator, read aloud, help; below it the language switch and the
text-size control.

The header only records choices on the `CitizenSession`; it shows what the session says (`apply`), so a session reset
or a change from elsewhere is reflected the same way as a tap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from accessibility.sizing import TEXT_STEPS, ReferencePanel
from accessibility.tokens import Theme
from kiosk.i18n import ENDONYMS, Catalog, is_rtl
from kiosk.session import CitizenSession, Presentation
from ui import icons
from ui.sync_indicator import SyncIndicator
from ui.widgets import FlowLayout, KioskButton

if TYPE_CHECKING:
    from sync.snapshot import SyncSnapshot


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
        outer = QVBoxLayout(self)
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
        self.sync = SyncIndicator(catalog, panel, theme)  # hidden until the first delivery snapshot (`show_sync`)
        for widget in (self.title, self.sync, self.read_aloud, self.help):
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
        size_row = QHBoxLayout(sizes)
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
        for button in (self.read_aloud, self.help, self.smaller, self.larger, *self.language_buttons.values()):
            # Buttons of one header row share its height (the Arabic endonym's line is taller than the others).
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.apply(session.presentation)

    def _choose_language(self, code: str) -> None:
        self._session.set_language(code)
        self.apply(self._session.presentation)  # re-check a tapped, already-current language

    def t(self, key: str, **params: object) -> str:
        return self._catalog.t(key, self._presentation.language, **params)

    def show_sync(self, snapshot: SyncSnapshot) -> None:
        """Show the delivery state (online, offline, sending N, network login needed) beside the kiosk's name."""
        self.sync.show_snapshot(snapshot)

    def apply(self, presentation: Presentation) -> None:
        """Show the session's presentation: texts in its language, checked states, sizes."""
        self._presentation = presentation
        p = presentation
        self.title.setText(self.t("app.title"))
        self.read_aloud.setChecked(p.read_aloud)
        self.read_aloud.set_label(
            self.t("header.read_aloud_on" if p.read_aloud else "header.read_aloud_off"),
            self.t("header.read_aloud_hint"),
        )
        self.help.set_label(self.t("header.help"), self.t("header.help_hint"))
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
        self._refresh_metrics()

    def _refresh_metrics(self) -> None:
        body = self._panel.chrome_px(self._presentation.text_step)
        gap = max(self._panel.min_gap_px, body // 2)
        for flow in (self._band_flow, self._toolbar_flow):
            flow.setContentsMargins(body, gap, body, gap)
        self._band_flow.set_gap(body)
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
