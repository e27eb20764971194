"""The fixed header: the kiosk's name, the delivery indicator, read aloud, contrast, call a mediator; below it the
language switch and the text-size control (`ui.header_toolbar`); below that, while open, the colour choice
(`ui.display_panel`).

The header only records choices on the `CitizenSession`; it shows what the session says (`apply`), so a session reset
or a change from elsewhere is reflected the same way as a tap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from accessibility.sizing import ReferencePanel
from accessibility.tokens import Theme, theme_named
from kiosk.i18n import Catalog, is_rtl
from kiosk.session import CitizenSession, Presentation
from ui import icons
from ui.header_toolbar import Toolbar
from ui.widgets import FlowLayout, KioskButton, lock_down

if TYPE_CHECKING:
    from sync.snapshot import SyncSnapshot
    from ui.display_panel import DisplayPanel
    from ui.sync_indicator import SyncIndicator

VOLUME_STEP = 10  # percent per tap of Quieter / Louder (and per volume key)


class _SpeechControls(QWidget):
    """Repeat, the volume and Quieter / Louder: only useful while read aloud is on."""

    def __init__(self, session: CitizenSession, on_repeat: Callable[[], None]) -> None:
        super().__init__()
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.repeat = KioskButton("header")
        self.repeat.clicked.connect(on_repeat)
        self.volume = QLabel()
        self.quieter = KioskButton("header")
        self.quieter.clicked.connect(lambda: session.set_volume(session.presentation.volume - VOLUME_STEP))
        self.louder = KioskButton("header")
        self.louder.clicked.connect(lambda: session.set_volume(session.presentation.volume + VOLUME_STEP))
        for widget in (self.repeat, self.volume, self.quieter, self.louder):
            self.row.addWidget(widget)


def _insert(flow: FlowLayout, index: int, widget: QWidget) -> None:
    """Add `widget` to `flow` at `index` (FlowLayout only appends): the later items are taken out and put back."""
    flow.addWidget(widget)
    tail = [flow.takeAt(index) for _ in range(flow.count() - 1 - index)]
    for item in tail:
        if item is not None:
            flow.addItem(item)
    flow.invalidate()


class Header(QFrame):
    # Repeat was tapped (the speech mode connects here: the button itself is built when read aloud is first on).
    repeat_clicked = Signal()
    _help_pending = False  # a call for a mediator is pending (`set_help_pending`)
    _first_frame = True  # only the icons the first frame shows (`complete_icons`)

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
        self.help = KioskButton("header")  # "Call a mediator"; "Mediator called" while a call is pending
        self.help.clicked.connect(on_help)
        # A tap leaves the focus where the citizen was typing, so the call's screen gives it back there; Tab reaches it.
        self.help.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.display = self._display_button()
        # Built on first use, not before the first paint: the colour choice when first opened, the speech controls
        # when read aloud is first on, the delivery indicator with the first snapshot (`show_sync`).
        self._display_panel: DisplayPanel | None = None
        self._speech_controls: _SpeechControls | None = None
        self._sync: SyncIndicator | None = None
        for widget in (self.title, self.read_aloud, self.display, self.help):
            self._band_flow.addWidget(widget)
        outer.addWidget(band)

        # The language and text-size row (hidden while typing: `set_compact`).
        self.toolbar = Toolbar(session, panel, languages, self.t, lambda: self.apply(session.presentation))
        outer.addWidget(self.toolbar)
        for button in (
            self.read_aloud,
            self.display,
            self.help,
        ):
            # Buttons of one header row share its height (the Arabic endonym's line is taller than the others).
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.apply(session.presentation)

    def set_compact(self, compact: bool) -> None:
        """While the on-screen keyboard is open, only the top row (read aloud, contrast, call a mediator) stays: at the
        largest text sizes the language and text-size row would leave the page too little room above the keyboard.
        The row comes back as soon as the keyboard closes."""
        self.toolbar.setVisible(not compact)

    def set_help_pending(self, pending: bool) -> None:
        """A call for a mediator is pending (or no longer): the help button's label and accessible name say so."""
        self._help_pending = pending
        self.apply(self._presentation)

    # The second row's parts, as the header's (`ui.header_toolbar.Toolbar`).
    @property
    def language_buttons(self) -> dict[str, KioskButton]:
        return self.toolbar.language_buttons

    @property
    def language_toggle(self) -> KioskButton:
        return self.toolbar.language_toggle

    @property
    def language_label(self) -> QLabel:
        return self.toolbar.language_label

    @property
    def languages_folded(self) -> bool:
        return self.toolbar.languages_folded

    @property
    def language_entry(self) -> KioskButton:
        return self.toolbar.language_entry

    @property
    def text_size_label(self) -> QLabel:
        return self.toolbar.text_size_label

    @property
    def smaller(self) -> KioskButton:
        return self.toolbar.smaller

    @property
    def larger(self) -> KioskButton:
        return self.toolbar.larger

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

    @property
    def speech_controls(self) -> QWidget:
        """Repeat, volume, Quieter / Louder after Read aloud (shown while read aloud is on); built on first use."""
        return self._speech()

    @property
    def repeat(self) -> KioskButton:
        return self._speech().repeat

    @property
    def volume(self) -> QLabel:
        return self._speech().volume

    @property
    def quieter(self) -> KioskButton:
        return self._speech().quieter

    @property
    def louder(self) -> KioskButton:
        return self._speech().louder

    def _speech(self) -> _SpeechControls:
        if self._speech_controls is None:
            controls = self._speech_controls = _SpeechControls(self._session, self.repeat_clicked.emit)
            for button in (controls.repeat, controls.quieter, controls.louder):
                button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            _insert(self._band_flow, self._band_flow.indexOf(self.read_aloud) + 1, controls)
            # Tab order as if built with the header: Read aloud, Repeat, Quieter, Louder, then Contrast.
            QWidget.setTabOrder(self.read_aloud, controls.repeat)
            QWidget.setTabOrder(controls.repeat, controls.quieter)
            QWidget.setTabOrder(controls.quieter, controls.louder)
            self._apply_speech(self._presentation)
            self._refresh_metrics()
        return self._speech_controls

    def _apply_speech(self, p: Presentation) -> None:
        controls = self._speech()
        controls.setVisible(p.read_aloud)
        controls.repeat.set_label(self.t("header.repeat"), self.t("header.repeat_hint"))
        controls.volume.setText(self.t("header.volume", percent=p.volume))
        controls.quieter.set_label(self.t("header.quieter"), self.t("header.quieter_hint"))
        controls.louder.set_label(self.t("header.louder"), self.t("header.louder_hint"))
        controls.quieter.setEnabled(p.volume > 0)
        controls.louder.setEnabled(p.volume < 100)

    @property
    def sync(self) -> SyncIndicator:
        """The delivery indicator beside the kiosk's name, hidden until the first snapshot; built on first use."""
        if self._sync is None:
            from ui.sync_indicator import SyncIndicator

            self._sync = SyncIndicator(self._catalog, self._panel, self._theme)
            self._sync.apply(self._presentation.language, self._presentation.text_step)
            _insert(self._band_flow, self._band_flow.indexOf(self.title) + 1, self._sync)
        return self._sync

    def show_sync(self, snapshot: SyncSnapshot) -> None:
        """Show the delivery state (online, offline, sending N, network login needed) beside the kiosk's name."""
        self.sync.show_snapshot(snapshot)

    def apply(self, presentation: Presentation) -> None:
        """Show the session's presentation: texts in its language, checked states, sizes."""
        self._presentation = presentation
        p = presentation
        if p.theme != self._theme.name:
            self._theme = theme_named(p.theme)
            if self._sync is not None:
                self._sync.set_theme(self._theme)
        self.title.setText(self.t("app.title"))
        self.read_aloud.setChecked(p.read_aloud)
        self.read_aloud.set_label(
            self.t("header.read_aloud_on" if p.read_aloud else "header.read_aloud_off"),
            self.t("header.read_aloud_hint"),
        )
        pending = self._help_pending
        self.help.set_label(
            self.t("header.help_pending" if pending else "header.help"),
            self.t("header.help_pending_hint" if pending else "header.help_hint"),
        )
        if p.read_aloud or self._speech_controls is not None:
            self._apply_speech(p)
        self.display.set_label(self.t("header.display"), self.t("header.display_hint"))
        self.toolbar.apply(p)
        if self._sync is not None:
            self._sync.apply(p.language, p.text_step)
        if self._display_panel is not None and self._display_panel.isVisibleTo(self):
            self.display_panel.apply(p, self._theme)
        self._refresh_metrics()

    def _refresh_metrics(self) -> None:
        body = self._panel.chrome_px(self._presentation.text_step)
        gap = max(self._panel.min_gap_px, body // 2)
        self._band_flow.setContentsMargins(body, gap, body, gap)
        self._band_flow.set_gap(body)
        self.toolbar.set_metrics(body, gap)
        if self._speech_controls is not None:
            self._speech_controls.row.setSpacing(gap)
        self._set_icons(round(body * 1.1))
        self.updateGeometry()

    def complete_icons(self) -> None:
        """Give the buttons their icons for every state and for focus. Until this is called (right after the first
        frame: `MainWindow`) each button has only the icon its first frame shows, drawn in a third of the time."""
        self._first_frame = False
        self._set_icons(round(self._panel.chrome_px(self._presentation.text_step) * 1.1))

    def _set_icons(self, size: int) -> None:
        th = self._theme
        rtl = is_rtl(self._presentation.language)

        def only(button: KioskButton) -> bool | None:  # the first frame draws what each button shows, no more
            return button.isChecked() if self._first_frame else None

        speaker = {False: ("speaker-off", th.header_text), True: ("speaker-on", th.header_bg)}
        for button, icon in (
            (self.read_aloud, icons.state_icon(size, speaker, th.focus_text, rtl=rtl, only=only(self.read_aloud))),
            (
                self.help,
                icons.state_icon(size, {False: ("help", th.header_text)}, th.focus_text, rtl=rtl, only=only(self.help)),
            ),
            (
                self.display,
                icons.contrast_icon(
                    size, {False: th.header_text, True: th.header_bg}, th.focus_text, rtl=rtl, only=only(self.display)
                ),
            ),
        ):
            button.setIcon(icon)
            button.setIconSize(icons.icon_extent(size))
        self.toolbar.set_icons(size, th, rtl=rtl, first_frame=self._first_frame)
