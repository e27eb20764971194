"""Idle handling in the window: a Qt timer ticks the core's `IdleTimer`, an application event filter turns every
touch, click and key into `touch()`, and the warning screen comes and goes with the timer's events.

While the warning shows, the first input only answers it (more time) and is not passed on: a tap must not act on
the screen that reappears under the finger, and Escape must not also mean Back. On expiry the citizen's session ends
with reason "timeout": the shell wipes everything and shows home with a neutral message. The screen's kind
(`Screen.idle_kind`) picks the timeout. Installed after the first frame, like the other application filters.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer

from kiosk.idle import IdlePolicy, IdleState, IdleTimer
from kiosk.sounds import IDLE_WARNING, Sounds
from ui.bridge import EventBridge
from ui.screens.base import Screen
from ui.screens.idle_warning import IdleWarningScreen
from ui.widgets import AppFilter

if TYPE_CHECKING:
    from ui.shell import MainWindow

TICK_MS = 250
SPEAK_AGAIN_AT = 10  # seconds left: the warning is announced once more
TIMEOUT = "timeout"  # the reason the session ends with (the shell shows its neutral message for it)

_INPUT = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.TouchBegin,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)
_RELEASES = frozenset({QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd})


class IdleController(AppFilter):
    def __init__(
        self,
        window: MainWindow,
        policy: IdlePolicy,
        sounds: Sounds,
        *,
        clock: Callable[[], float] = time.monotonic,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.sounds = sounds
        self.timer = IdleTimer(policy, clock)
        self.warning: IdleWarningScreen | None = None
        self._swallow_release = False
        self._ticker = QTimer(self)
        self._ticker.setInterval(tick_ms)
        self._ticker.timeout.connect(self.timer.tick)
        self.timer.warning_started.connect(self._on_warning)
        self.timer.countdown.connect(self._on_countdown)
        self.timer.warning_cancelled.connect(self._on_cancelled)
        self.timer.expired.connect(self._on_expired)
        window.screen_changed.connect(self._on_screen_changed)
        self._ended = EventBridge(window.deps.session.ended, self)
        self._ended.fired.connect(self._on_session_ended)

    def install(self) -> None:
        """Start listening to input and ticking (after the first frame: the filter costs a call per event)."""
        if not self._installed:
            super().install()
            if self._installed:
                self._ticker.start()

    def remove(self) -> None:
        super().remove()
        self._ticker.stop()

    # Input -----------------------------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind in _RELEASES and self._swallow_release:
            self._swallow_release = False
            return True
        if kind not in _INPUT:
            return False
        answering = self.timer.state is IdleState.WARNING
        self.timer.touch()
        if answering:  # this input only answered the warning
            self._swallow_release = kind not in (QEvent.Type.KeyPress, QEvent.Type.Wheel)
            return True
        return False

    def more_time(self) -> None:
        """The warning's button (and Escape): the same as any input."""
        self.timer.touch()

    # Timer events ----------------------------------------------------------------------------------------------------
    def _on_screen_changed(self, _name: str) -> None:
        current = self.window.stack.currentWidget()
        if isinstance(current, Screen) and current is not self.warning:
            self.timer.set_kind(current.idle_kind)

    def _on_warning(self, seconds: int) -> None:
        warning = IdleWarningScreen(self.window.context, on_more_time=self.more_time, seconds=seconds)
        warning.screen_name = "idle-warning"
        self.warning = warning
        self.window.cover(warning)
        self.sounds.play(IDLE_WARNING)
        self.window.announcer.announce(warning.more_time_button, warning.message(), assertive=True)

    def _on_countdown(self, seconds: int) -> None:
        if self.warning is None:
            return
        self.warning.set_seconds(seconds)
        if seconds == SPEAK_AGAIN_AT:
            self.window.announcer.announce(
                self.warning.seconds_label, self.warning.seconds_label.text(), assertive=True
            )

    def _on_cancelled(self, _reason: str) -> None:
        self._take_warning_away()

    def _on_expired(self, _kind: str) -> None:
        # End first, then take the warning away: the other way round the page beneath comes back for a moment,
        # takes the focus, and read aloud speaks the citizen's answer to whoever stands there now.
        self.window.deps.session.end(TIMEOUT)
        self._take_warning_away()

    def _on_session_ended(self, reason: str) -> None:
        if reason != TIMEOUT:  # Finish, staff, shutdown: the next citizen starts the countdown afresh
            self.timer.stop()

    def _take_warning_away(self) -> None:
        warning, self.warning = self.warning, None
        if warning is not None:
            self.window.uncover(warning)
