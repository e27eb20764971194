"""The assisted-session banner: a strip under the header on every screen while a mediator helps, and what goes with it.

It says "Assisted session — with Miguel" (the first name only) and holds the mediator's controls: Hand over / Take back
(who types), More time (the idle time ×1, ×2, ×3 or paused), Stop help (the citizen goes on alone, the mediator signs
out) and End session (the same wipe as any end; the mediator stays signed in and gets their console back, which times
out like any screen). It also keeps private answers the citizen's: while the mediator has the keyboard every private
question's box is read-only with a note to hand over (the on-screen keyboard skips read-only boxes), re-checked on
every focus change and screen change, so a page built later is covered before anyone can type in it. With a second
screen it opens the mediator's mirror there (ui.assist_mirror). Built by the shell after the first paint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QLineEdit, QWidget

from kiosk.assist import CITIZEN, MEDIATOR, Assistance
from ui.assist_mirror import AssistMirror, mediator_screen
from ui.bridge import EventBridge
from ui.forms.text_inputs import PRIVATE_ANSWER
from ui.widgets import FlowLayout, KioskButton

if TYPE_CHECKING:
    from ui.shell import MainWindow

STAFF_HOME = "staff-home"  # where the mediator goes after "End session"
TIME_KEYS = {1.0: "assist.banner.time_1", 2.0: "assist.banner.time_2", 3.0: "assist.banner.time_3"}


class AssistBanner(QFrame):
    def __init__(
        self,
        window: MainWindow,
        assistance: Assistance,
        *,
        screens: Callable[[], Sequence[QScreen]] = QGuiApplication.screens,
    ) -> None:
        super().__init__()
        self.setObjectName("assistBanner")
        self.setProperty("role", "inline-message")  # the theme's information strip: its colours pass in every theme
        self.window_ = window
        self.assistance = assistance
        self.screens = screens  # which screens exist (tests pass their own)
        self.mirror: AssistMirror | None = None
        self._focus_hooked = False
        self.label = QLabel()
        self.label.setProperty("role", "title")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.hand_button = self._button(self.toggle_keyboard)
        self.time_button = self._button(self.more_time)
        self.stop_button = self._button(self.stop_help)
        self.end_button = self._button(self.end_session, kind="primary")
        self.flow = FlowLayout(self, push_from=1)
        for widget in (self.label, self.hand_button, self.time_button, self.stop_button, self.end_button):
            self.flow.addWidget(widget)
        self._bridges = [
            EventBridge(assistance.changed, self),
            EventBridge(window.deps.session.presentation_changed, self),
        ]
        self._bridges[0].fired.connect(lambda _payload: self.refresh())
        self._bridges[1].fired.connect(lambda _payload: self.refresh())
        window.screen_changed.connect(lambda _name: self.guard_private_answers())
        self.hide()
        self.refresh()

    def _button(self, on_click: Callable[[], None], kind: str = "secondary") -> KioskButton:
        button = KioskButton(kind)
        button.clicked.connect(on_click)
        return button

    # Showing ---------------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Texts, visibility, the private answers' lock and the mirror, from the assistance."""
        assistance, t = self.assistance, self.window_.context.t
        shown = assistance.assisting
        if shown:
            with_name = t("assist.banner.with", name=assistance.mediator_first_name or "")
            citizen = assistance.at_keyboard == CITIZEN
            self.label.setText(f"{with_name} · {t('assist.banner.citizen_types')}" if citizen else with_name)
            self.hand_button.set_label(t("assist.banner.take_back" if citizen else "assist.banner.hand_over"))
            factor = assistance.time_factor
            paused = "assist.banner.time_paused"
            nearest = paused if factor is None else TIME_KEYS[min(TIME_KEYS, key=lambda step: abs(step - factor))]
            self.time_button.set_label(t(nearest))
            self.stop_button.set_label(t("assist.banner.stop"))
            self.end_button.set_label(t("assist.banner.end"))
            self.setAccessibleName(self.label.text())
            self.flow.set_gap(max(self.window_.deps.panel.min_gap_px, self.window_.context.px() // 2))
        self.setVisible(shown)
        self._hook_focus(shown)
        self.guard_private_answers()
        self._follow_with_mirror(shown)

    # The mediator's controls -----------------------------------------------------------------------------------------
    def toggle_keyboard(self) -> None:
        if self.assistance.at_keyboard == MEDIATOR:
            self.assistance.hand_over()
        else:
            self.assistance.take_back()

    def more_time(self) -> None:
        self.assistance.more_time()

    def stop_help(self) -> None:
        self.assistance.stop()  # the mediator signs out; the citizen stays where they are, with their answers

    def end_session(self) -> None:
        window = self.window_
        self.assistance.end()  # audited, then session.end: the shell wipes everything and shows home
        window.show_screen(STAFF_HOME)  # the mediator stays signed in (kiosk.assist.follow_session)
        idle = window.idle
        if idle is not None:
            idle.timer.touch()  # the console counts down like any screen: left alone, it signs the mediator out

    # Private answers -------------------------------------------------------------------------------------------------
    def guard_private_answers(self) -> None:
        """Read-only with a note while the mediator has the keyboard; the citizen's to type otherwise."""
        assistance = self.assistance
        locked = assistance.assisting and assistance.at_keyboard == MEDIATOR
        note = self.window_.context.t("assist.private_locked") if locked else ""
        screen = self.window_.stack.currentWidget()
        if screen is None:
            return
        for box in screen.findChildren(QLineEdit):
            if box.property(PRIVATE_ANSWER) and (box.isReadOnly() != locked or box.placeholderText() != note):
                box.setReadOnly(locked)
                box.setPlaceholderText(note)
                box.setAccessibleDescription(note)

    def _hook_focus(self, on: bool) -> None:
        app = QApplication.instance()
        if not isinstance(app, QApplication) or on == self._focus_hooked:
            return
        if on:
            app.focusChanged.connect(self._focus_changed)
        else:
            app.focusChanged.disconnect(self._focus_changed)
        self._focus_hooked = on

    def _focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        self.guard_private_answers()

    # The second screen -----------------------------------------------------------------------------------------------
    def _follow_with_mirror(self, shown: bool) -> None:
        if shown and self.mirror is None:
            screen = mediator_screen(self.window_, self.screens)
            if screen is not None:
                self.mirror = AssistMirror(self.window_, screen)
                self.mirror.start()
        elif not shown and self.mirror is not None:
            mirror, self.mirror = self.mirror, None
            mirror.stop()
            mirror.deleteLater()
