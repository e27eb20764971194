"""Idle handling: when the kiosk warns that time is running out, and when the citizen's session expires.

Qt-free and driven by a clock passed in, so tests move time by hand; the UI ticks it (`ui/idle.py`). Each screen says
what kind it is ("question": typing and choosing; "reading": long texts) and the policy gives each kind its timeout
(settings `idle.question_seconds`, `idle.reading_seconds`). The warning starts `idle.warning_seconds` before the end
and never lasts less than `MIN_WARNING_SECONDS`, even when a tick comes late (a busy GUI thread must not turn the
warning into a silent wipe). Any input extends: the number of extensions is unlimited (the reference asks for at least
ten). A mediator may multiply the time (`set_multiplier`) or pause it (`pause`/`resume`); a pending call for help holds
it (`hold`/`release`). Nothing is running before the first input of a session and after it expires: an untouched
kiosk has nothing to wipe and must not keep "ending" sessions nobody started.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from enum import Enum
from typing import NamedTuple

from kiosk.events import Event

QUESTION = "question"
READING = "reading"
SCREEN_KINDS: tuple[str, ...] = (QUESTION, READING)
MIN_WARNING_SECONDS = 20.0  # WCAG 2.2.1: the warning gives at least 20 seconds to answer
MIN_EXTENSIONS = 10  # what the reference asks for; this timer allows any number
MEDIATOR_PAUSE = "mediator-pause"  # the hold reason `pause()` uses


class IdlePolicy(NamedTuple):
    """Seconds of inactivity allowed per screen kind, and how long before the end the warning starts."""

    question_seconds: float = 120.0
    reading_seconds: float = 300.0
    warning_seconds: float = 60.0

    def timeout_for(self, kind: str) -> float:
        if kind == READING:
            return self.reading_seconds
        if kind == QUESTION:
            return self.question_seconds
        raise ValueError(f"unknown screen kind {kind!r}; kinds: {', '.join(SCREEN_KINDS)}")

    def warning_for(self, timeout: float) -> float:
        """The warning's length for a timeout: the setting, at least the minimum, at most the whole timeout."""
        return min(max(self.warning_seconds, MIN_WARNING_SECONDS), timeout)


class IdleState(Enum):
    STOPPED = "stopped"  # no session activity yet, or the session has expired
    RUNNING = "running"  # counting down, no warning
    WARNING = "warning"  # the warning shows; any input extends
    HELD = "held"  # paused by a mediator or a pending help call: no warning, no expiry


class IdleTimer:
    """The countdown of one kiosk. Call `touch()` on any input and `tick()` often (a few times a second).

    Events (emitted in the calling thread): `warning_started(seconds_left)`, `countdown(seconds_left)` (whole seconds,
    while the warning shows, when the number changes), `warning_cancelled(reason)` ("activity", "held"...),
    `expired(kind)` (the screen kind at expiry). After `expired` the timer is stopped until the next `touch()`.
    """

    def __init__(
        self, policy: IdlePolicy, clock: Callable[[], float] = time.monotonic, *, kind: str = QUESTION
    ) -> None:
        policy.timeout_for(kind)  # validates the kind
        self.policy = policy
        self._clock = clock
        self._kind = kind
        self._multiplier = 1.0
        self._holds: set[str] = set()
        self._state = IdleState.STOPPED
        self._last_activity = 0.0
        self._deadline = 0.0
        self._last_second = -1
        self.extensions = 0  # extensions granted during warnings since the session started
        self.warning_started: Event[int] = Event("idle.warning_started")
        self.countdown: Event[int] = Event("idle.countdown")
        self.warning_cancelled: Event[str] = Event("idle.warning_cancelled")
        self.expired: Event[str] = Event("idle.expired")

    # Reading ---------------------------------------------------------------------------------------------------------
    @property
    def state(self) -> IdleState:
        return self._state

    @property
    def kind(self) -> str:
        return self._kind

    @property
    def multiplier(self) -> float:
        return self._multiplier

    @property
    def holds(self) -> frozenset[str]:
        return frozenset(self._holds)

    def timeout(self) -> float:
        """Seconds of inactivity allowed now (the screen kind's timeout times the mediator's multiplier)."""
        return self.policy.timeout_for(self._kind) * self._multiplier

    def warning_seconds(self) -> float:
        return self.policy.warning_for(self.timeout())

    def seconds_left(self) -> float:
        """Until expiry; infinity while stopped or held."""
        if self._state in (IdleState.STOPPED, IdleState.HELD):
            return math.inf
        return max(0.0, self._deadline - self._clock())

    # Input -----------------------------------------------------------------------------------------------------------
    def touch(self) -> None:
        """Any touch, click or key: the countdown starts again (and a showing warning goes away)."""
        if self._state is IdleState.WARNING:
            self.extensions += 1
        elif self._state is IdleState.STOPPED:
            self.extensions = 0  # the first input of a new session
        self._last_activity = self._clock()
        if self._holds:
            self._state = IdleState.HELD
            return
        self._restart("activity")

    def set_kind(self, kind: str) -> None:
        """The current screen's kind; the countdown since the last input follows the new kind's timeout."""
        self.policy.timeout_for(kind)
        if kind != self._kind:
            self._kind = kind
            self._recompute("activity")

    def set_multiplier(self, factor: float) -> None:
        """A mediator's extended time: every timeout times `factor` (1 = the site's settings)."""
        if not factor > 0 or math.isinf(factor):
            raise ValueError(f"the multiplier must be a positive number, got {factor}")
        self._multiplier = float(factor)
        self._recompute("activity")

    def pause(self) -> None:
        """A mediator pauses the countdown (until `resume`)."""
        self.hold(MEDIATOR_PAUSE)

    def resume(self) -> None:
        self.release(MEDIATOR_PAUSE)

    def hold(self, reason: str) -> None:
        """No warning and no expiry while any reason holds (a pending help call, a mediator's pause)."""
        self._holds.add(reason)
        if self._state is IdleState.WARNING:
            self.warning_cancelled.emit("held")
        if self._state is not IdleState.STOPPED:
            self._state = IdleState.HELD

    def release(self, reason: str) -> None:
        """Drop one reason; when none is left the full countdown starts again from now."""
        self._holds.discard(reason)
        if not self._holds and self._state is IdleState.HELD:
            self._last_activity = self._clock()
            self._restart("activity")

    def stop(self) -> None:
        """The session ended some other way (Finish, staff): nothing counts down until the next input, and the
        mediator's multiplier and every hold belonged to the ended session."""
        if self._state is IdleState.WARNING:
            self.warning_cancelled.emit("stopped")
        self._forget_session()

    def _forget_session(self) -> None:
        self._state = IdleState.STOPPED
        self._multiplier = 1.0
        self._holds.clear()

    # Time ------------------------------------------------------------------------------------------------------------
    def tick(self) -> None:
        """Look at the clock: start the warning, update its countdown, or expire."""
        if self._state not in (IdleState.RUNNING, IdleState.WARNING):
            return
        now = self._clock()
        if self._state is IdleState.RUNNING:
            if now < self._deadline - self.warning_seconds():
                return
            # A late tick still gives the full minimum warning: the deadline moves, never the citizen's chance.
            self._deadline = max(self._deadline, now + min(MIN_WARNING_SECONDS, self.timeout()))
            self._state = IdleState.WARNING
            self._last_second = self._whole_seconds(now)
            self.warning_started.emit(self._last_second)
            return
        if now >= self._deadline:
            self._forget_session()
            self.expired.emit(self._kind)
            return
        second = self._whole_seconds(now)
        if second != self._last_second:
            self._last_second = second
            self.countdown.emit(second)

    # Internals -------------------------------------------------------------------------------------------------------
    def _whole_seconds(self, now: float) -> int:
        return max(0, math.ceil(self._deadline - now))

    def _restart(self, cancel_reason: str) -> None:
        was_warning = self._state is IdleState.WARNING
        self._deadline = self._last_activity + self.timeout()
        self._state = IdleState.RUNNING
        if was_warning:
            self.warning_cancelled.emit(cancel_reason)

    def _recompute(self, cancel_reason: str) -> None:
        """Timeout changed: the deadline follows, from the last input (a running warning ends if now far enough)."""
        if self._state is IdleState.RUNNING:
            self._deadline = self._last_activity + self.timeout()
        elif self._state is IdleState.WARNING:
            # Changing the time limit is the mediator's or the screen's doing: count it as fresh activity.
            self._last_activity = self._clock()
            self._restart(cancel_reason)
