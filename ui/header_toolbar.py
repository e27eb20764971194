"""The header's second row: the language switch and the text-size control.

One button per language, labelled with its endonym (the current one filled, with a tick), and "Text size 2 of 5",
Smaller, Larger. At the two largest text sizes the language buttons fold behind one "Language: English" button: there
the row took up to three rows and, with the top band, half the screen above the question.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from accessibility.sizing import TEXT_STEPS, ReferencePanel
from accessibility.tokens import Theme
from kiosk.i18n import ENDONYMS
from kiosk.session import CitizenSession, Presentation
from ui import icons
from ui.widgets import FlowLayout, KioskButton

FOLD_LANGUAGES_FROM_STEP = 3  # 175 % and 200 %


class Toolbar(QFrame):
    """`t(key, **params)` gives a text in the header's language; `on_change()` re-applies the whole header (a language
    chosen or the buttons unfolded change its height and its texts)."""

    def __init__(
        self,
        session: CitizenSession,
        panel: ReferencePanel,
        languages: tuple[str, ...],
        t: Callable[..., str],
        on_change: Callable[[], None],
    ) -> None:
        super().__init__()
        self.setObjectName("toolbar")
        self._session, self._panel, self._t, self._on_change = session, panel, t, on_change
        self._presentation = session.presentation
        self._open = False  # the folded language buttons are shown (`language_toggle` checked)
        self.flow = FlowLayout(self, push_from=2 + len(languages))
        self.language_label = QLabel()
        self.flow.addWidget(self.language_label)
        self.language_toggle = KioskButton()  # made before the language buttons: Tab reaches it first
        self.language_toggle.setCheckable(True)
        self.language_toggle.clicked.connect(self._show_languages)
        self.flow.addWidget(self.language_toggle)
        self.language_buttons: dict[str, KioskButton] = {}
        for code in languages:
            button = KioskButton("lang")
            button.setCheckable(True)
            button.setLocale(QLocale(code))
            # Not a QButtonGroup: that would make the switch one Tab stop with arrow keys inside; here every
            # language is its own Tab stop. The checked state always comes back from the session (`apply`).
            button.clicked.connect(lambda _=False, c=code: self._choose_language(c))
            self.language_buttons[code] = button
            self.flow.addWidget(button)
        sizes = QWidget()
        self._size_row = QHBoxLayout(sizes)
        self._size_row.setContentsMargins(0, 0, 0, 0)
        self.text_size_label = QLabel()
        self.smaller = KioskButton()
        self.smaller.clicked.connect(lambda: session.set_text_step(session.presentation.text_step - 1))
        self.larger = KioskButton()
        self.larger.clicked.connect(lambda: session.set_text_step(session.presentation.text_step + 1))
        for widget in (self.text_size_label, self.smaller, self.larger):
            self._size_row.addWidget(widget)
        self.flow.addWidget(sizes)
        for button in self.buttons():
            # Buttons of one header row share its height (the Arabic endonym's line is taller than the others).
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def buttons(self) -> list[KioskButton]:
        return [self.smaller, self.larger, self.language_toggle, *self.language_buttons.values()]

    @property
    def languages_folded(self) -> bool:
        """At the largest text sizes the language buttons sit behind `language_toggle` until it is tapped."""
        return self._presentation.text_step >= FOLD_LANGUAGES_FROM_STEP

    @property
    def language_entry(self) -> KioskButton:
        """The first language control Tab reaches: the first language button, or the toggle while they are folded."""
        return self.language_toggle if self.languages_folded else next(iter(self.language_buttons.values()))

    def apply(self, p: Presentation) -> None:
        self._presentation = p
        t = self._t
        folded = self.languages_folded
        self._open = self._open and folded
        self.language_label.setText(t("header.language"))
        self.language_label.setVisible(not folded)
        self.language_toggle.setVisible(folded)
        self.language_toggle.setChecked(self._open)
        self.language_toggle.set_label(
            t("header.language_current", name=ENDONYMS.get(p.language, p.language)), t("header.language_hint")
        )
        for code, button in self.language_buttons.items():
            button.set_label(ENDONYMS.get(code, code), t("header.language_hint"))
            button.setChecked(code == p.language)
            button.setVisible(not folded or self._open)
        self.text_size_label.setText(t("header.text_size", step=p.text_step + 1, steps=len(TEXT_STEPS)))
        self.smaller.set_label(t("header.text_smaller"), t("header.text_smaller_hint"))
        self.larger.set_label(t("header.text_larger"), t("header.text_larger_hint"))
        self.smaller.setEnabled(p.text_step > 0)
        self.larger.setEnabled(p.text_step < len(TEXT_STEPS) - 1)

    def set_metrics(self, body: int, gap: int) -> None:
        self.flow.setContentsMargins(body, gap, body, gap)
        self.flow.set_gap(gap)
        self._size_row.setSpacing(self._panel.min_gap_px)  # Smaller and Larger side by side: 3 mm apart, no more

    def set_icons(self, size: int, th: Theme, *, rtl: bool, first_frame: bool) -> None:
        """The row's icons (`Header.complete_icons`: the first frame draws only what each button shows)."""

        def only(button: KioskButton) -> bool | None:
            return button.isChecked() if first_frame else None

        specs: list[tuple[KioskButton, dict[bool, tuple[str, str] | None]]] = [
            (self.smaller, {False: ("text-smaller", th.text)}),
            (self.larger, {False: ("text-larger", th.text)}),
            (self.language_toggle, {False: ("globe", th.text), True: ("globe", th.selected_text)}),
            *((button, {False: None, True: ("check", th.selected_text)}) for button in self.language_buttons.values()),
        ]
        for button, spec in specs:
            if first_frame and button.isHidden():  # the toggle, until the largest text sizes
                continue
            button.setIcon(icons.state_icon(size, spec, th.focus_text, rtl=rtl, only=only(button)))
            button.setIconSize(icons.icon_extent(size))

    def _choose_language(self, code: str) -> None:
        folded = self.languages_folded
        self._open = False  # a choice folds the buttons away again
        self._session.set_language(code)
        self._on_change()  # re-check a tapped, already-current language
        if folded:
            self.language_toggle.setFocus(Qt.FocusReason.OtherFocusReason)  # the tapped button is gone

    def _show_languages(self, show: bool) -> None:
        self._open = show
        self._on_change()
        if show:  # focus on the current language, as the colour choice does with the current theme
            self.language_buttons[self._presentation.language].setFocus(Qt.FocusReason.OtherFocusReason)
