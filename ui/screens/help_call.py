"""Call a mediator: the screen the header's help button shows over the citizen's page, the controller behind the
button, and the call's line on the staff console.

Pressing "Call a mediator" never resets anything: `HelpCallController` raises the call (`kiosk.help_calls`), plays
the "help-call" cue, announces it (assertive), holds the idle expiry while the call is pending and shows
`HelpCallScreen` *over* the current page (`MainWindow.cover`), so the page beneath keeps what was typed, its Back
history and its focus. "Back to my form" (and Escape) takes the screen away and leaves the call pending (the header
button then says "Mediator called"); "I no longer need help" cancels it. A call that ends (answered by staff,
cancelled, or the session ended) takes the screen away, gives the idle countdown back and restores the header.

The screen also says how this kiosk works (the former help page's texts). It is registered as `help-call` for
screenshots and the checks, with a sample call; shown that way both buttons go back. `StaffHelpCalls` is the staff
console's part: "Help called from question at 10:42" and "I am on my way", which answers as the signed-in member.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from accessibility.sizing import PRIMARY_TARGET_MM
from kiosk.help_calls import ANSWERED, CANCELLED, ClearedCall, HelpCall, HelpCalls
from kiosk.sounds import HELP_CALL, Sounds
from ui.bridge import EventBridge
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import plain_label
from ui.widgets import KioskButton

if TYPE_CHECKING:
    from kiosk.staff_presence import StaffPresence
    from ui.shell import MainWindow

SCREEN_NAME = "help-call"
IDLE_HOLD = "help-call"  # the reason the idle timer is held for (kiosk.idle.IdleTimer.hold)
# The sample call of the registered screen (pictures, checks): raised at 10:42 UTC on a question page.
SAMPLE_CALL = HelpCall("question", dt.datetime(2026, 11, 28, 10, 42, tzinfo=dt.UTC))


def clock_time(moment: dt.datetime) -> str:
    """The kiosk's local time of day, "10:42" (digits and a colon in every language)."""
    return moment.astimezone().strftime("%H:%M")


class HelpCallScreen(Screen):
    def __init__(
        self,
        context: ScreenContext,
        call: HelpCall = SAMPLE_CALL,
        *,
        on_back: Callable[[], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(context)
        self.call = call
        self._on_back = on_back if on_back is not None else context.back
        self._on_cancel = on_cancel if on_cancel is not None else context.back
        # What a mediator is doing and what to do meanwhile first, in large words; the two actions right under it.
        self.title = self.add_heading("help_call.title")
        self.lead = self.add_label("sounds.help-call", role="lead")  # the message that goes with the sound cue
        self.already = self.add_label("help_call.already", role="lead")
        self.already.setVisible(False)
        self.since = QLabel()
        self.since.setProperty("role", "h2")
        self.since.setWordWrap(True)
        self.body.addWidget(self.since)
        self.meanwhile = self.add_label("help_call.meanwhile", role="lead")
        self.back_button = self.add_button("help_call.back", self.back_to_form, kind="primary")
        self.bind_icon(self.back_button, "back", token="primary_text")  # drawn in the primary button's text colour
        self.cancel_button = self.add_button("help_call.cancel", self.no_longer_needed)
        for button in (self.back_button, self.cancel_button):
            row = QHBoxLayout()
            row.addWidget(button, 1)
            self.body.addLayout(row)
        self.add_heading("help_call.how_title", level=2)
        self.add_label("help.together")
        self.add_label("help.tools")
        self.body.addStretch(1)
        self.on_restyle()
        self.on_retranslate()

    def show_already(self, already: bool) -> None:
        """A second press of "Call a mediator": say the call is already made (no second call)."""
        self.already.setVisible(already)

    def message(self) -> str:
        """What is announced when the screen appears."""
        parts = [self.title.text(), self.lead.text()]
        if not self.already.isHidden():
            parts.append(self.already.text())
        return " ".join([*parts, self.since.text(), self.meanwhile.text()])

    def back_to_form(self) -> None:
        self._on_back()

    def no_longer_needed(self) -> None:
        self._on_cancel()

    def go_back(self) -> None:
        self.back_to_form()  # Escape: back to the page, the call stays

    def on_retranslate(self) -> None:
        self.since.setText(self.context.t("help_call.since", time=clock_time(self.call.raised_at)))
        self.set_page_title(self.title.text())

    def on_restyle(self) -> None:
        panel = self.context.panel
        self.back_button.setMinimumHeight(max(panel.primary_target_px, panel.px(PRIMARY_TARGET_MM)))

    def first_focus(self) -> QWidget | None:
        return self.back_button


class HelpCallController(QObject):
    """The header's "Call a mediator" in one window: see the module's docstring."""

    def __init__(self, window: MainWindow, calls: HelpCalls, sounds: Sounds) -> None:
        super().__init__(window)
        self.window, self.calls, self.sounds = window, calls, sounds
        self.screen: HelpCallScreen | None = None
        self._bridges = [
            EventBridge(calls.raised, self),
            EventBridge(calls.cleared, self),
            # The screen is over the stack, not one of the shell's screens: it follows the session by itself.
            EventBridge(window.deps.session.presentation_changed, self),
        ]
        self._bridges[0].fired.connect(self._on_raised)
        self._bridges[1].fired.connect(self._on_cleared)
        self._bridges[2].fired.connect(self._on_presentation)
        if calls.pending is not None:  # raised before this window was built: show its state, quietly
            self._hold(True)

    def press(self) -> None:
        """The header button: call (or, while a call is pending, show it again and say it is already made)."""
        if self.screen is not None and self.window.stack.currentWidget() is self.screen:
            self.screen.show_already(True)
            self._announce_screen()
            return
        already = self.calls.pending is not None
        call = self.calls.raise_call(self.window.current_screen_name())  # a new call: `_on_raised` runs first
        screen = HelpCallScreen(self.window.context, call, on_back=self.back_to_form, on_cancel=self.no_longer_needed)
        screen.screen_name = SCREEN_NAME
        screen.show_already(already)
        self.screen = screen
        self.window.cover(screen)
        self._announce_screen()

    def back_to_form(self) -> None:
        """Take the screen away: the page beneath, as it was; the call stays pending."""
        screen, self.screen = self.screen, None
        if screen is not None:
            self.window.uncover(screen)

    def no_longer_needed(self) -> None:
        self.calls.cancel()  # `_on_cleared` takes the screen away

    # Call events -----------------------------------------------------------------------------------------------------
    def _on_raised(self, _call: HelpCall) -> None:
        self.sounds.play(HELP_CALL)
        self._hold(True)

    def _on_cleared(self, cleared: ClearedCall) -> None:
        self._hold(False)
        self.back_to_form()
        key = {ANSWERED: "help_call.answered", CANCELLED: "help_call.cancelled"}.get(cleared.outcome)
        if key is not None:  # a session that ended shows home and says so itself
            self.window.announce(self.window.header.help, self.window.context.t(key), assertive=True)

    def _on_presentation(self, _presentation: object) -> None:
        if self.screen is not None:
            self.screen.retranslate()
            self.screen.restyle()

    def _hold(self, pending: bool) -> None:
        """Header state and idle expiry follow the call: no expiry while a mediator is on the way."""
        self.window.header.set_help_pending(pending)
        idle = self.window.idle
        if idle is not None:
            if pending:
                idle.timer.hold(IDLE_HOLD)
            else:
                idle.timer.release(IDLE_HOLD)

    def _announce_screen(self) -> None:
        if self.screen is not None:
            self.window.announce(self.screen.title, self.screen.message(), assertive=True)


class StaffHelpCalls(QWidget):
    """The staff console's part: the pending call and "I am on my way" (answers as the signed-in member); hidden
    while no call is pending or the member's role does not assist citizens."""

    def __init__(self, context: ScreenContext, calls: HelpCalls, presence: StaffPresence) -> None:
        super().__init__()
        self.context, self.calls, self.presence = context, calls, presence
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = plain_label("h2")
        self.line = plain_label("body")
        self.answer_button = KioskButton()  # not green: the console's one primary action is Sign out
        self.answer_button.clicked.connect(self.answer)
        row = QHBoxLayout()
        row.addWidget(self.answer_button)
        row.addStretch(1)
        for widget in (self.heading, self.line):
            layout.addWidget(widget)
        layout.addLayout(row)
        # Deleted with the console at each session's end: the bridges unsubscribe then.
        self._bridges = [
            EventBridge(calls.raised, self),
            EventBridge(calls.cleared, self),
            EventBridge(context.session.presentation_changed, self),
            EventBridge(presence.changed, self),
        ]
        for bridge in self._bridges:
            bridge.fired.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        t, call = self.context.t, self.calls.pending
        shown = call is not None and self.presence.may("assist")
        self.setVisible(shown)
        if call is None:
            return
        self._layout.setSpacing(self.context.px())
        self.heading.setText(t("staff.home.help_title"))
        self.line.setText(t("staff.home.help_called", screen=call.screen, time=clock_time(call.raised_at)))
        self.answer_button.set_label(t("staff.home.help_answer"))

    def answer(self) -> None:
        member = self.presence.member
        if member is not None:
            self.calls.answer(member.name)


def sample_help_calls() -> HelpCalls:
    """A kiosk's calls with the sample clock (pictures and checks raise one on the staff console)."""
    return HelpCalls(clock=lambda: SAMPLE_CALL.raised_at)
