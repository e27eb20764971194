"""Calls for a mediator: the citizen's "Call a mediator" raises one call, which the staff screen shows and answers.

One small object per kiosk, created by the composition root and passed in (nothing global). A call records only when
it was raised and on which screen (a screen's name, e.g. `question`): nothing about the citizen or what they typed.
Raising again while a call is pending returns the same call (a second press must not page staff twice). The call ends
when a staff member answers it, when the citizen says they no longer need help, or when the citizen session ends
(`follow`): a call never outlives the citizen who made it. Answers and cancellations go to the audit sink (the
answering staff member is the actor; the citizen is never named). Used on the GUI thread; the lock only keeps a stray
call from another thread from seeing half a change.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from kiosk.events import Event

if TYPE_CHECKING:  # the shell imports this module before its first paint: keep kiosk.staff (scrypt) out of it
    from kiosk.session import CitizenSession
    from kiosk.staff import AuditSink

log = logging.getLogger(__name__)

ANSWERED = "answered"
CANCELLED = "cancelled"
SESSION_ENDED = "session-ended"
OUTCOMES: tuple[str, ...] = (ANSWERED, CANCELLED, SESSION_ENDED)
CITIZEN_ACTOR = "system"  # the audit log's actor for what the kiosk records on the citizen's behalf (never a name)
UNKNOWN_SCREEN = "unknown"
_SCREEN = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")  # a registered screen's name: the only thing a call says about where


class HelpCall(NamedTuple):
    screen: str  # the name of the screen the call was raised on (a registry name, never a page's text)
    raised_at: dt.datetime  # UTC

    def waited(self, now: dt.datetime) -> int:
        """Whole seconds since the call was raised (0 if the clock moved back)."""
        return max(0, int((now - self.raised_at).total_seconds()))


class ClearedCall(NamedTuple):
    call: HelpCall
    outcome: str  # one of OUTCOMES
    by: str | None = None  # the staff member who answered; None otherwise


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _no_audit(_kind: str, _actor: str, _detail: dict[str, str | int | bool]) -> None:
    """The default audit sink (tests, tools): nothing; the composition root passes kiosk.audit's recorder."""


def screen_token(screen_name: str) -> str:
    """`screen_name` if it looks like a registry name, else "unknown": a call must never carry free text."""
    return screen_name if _SCREEN.fullmatch(screen_name) else UNKNOWN_SCREEN


class HelpCalls:
    """The pending call of this kiosk (at most one). Events: `raised(HelpCall)` for a new call only, and
    `cleared(ClearedCall)` when it ends, however it ends."""

    def __init__(self, *, clock: Callable[[], dt.datetime] = _utc_now, audit: AuditSink = _no_audit) -> None:
        self._clock = clock
        self._audit = audit
        self._pending: HelpCall | None = None
        self._lock = threading.Lock()
        self._unsubscribe: Callable[[], None] | None = None
        self.raised: Event[HelpCall] = Event("help_calls.raised")
        self.cleared: Event[ClearedCall] = Event("help_calls.cleared")

    @property
    def pending(self) -> HelpCall | None:
        return self._pending

    def raise_call(self, screen_name: str) -> HelpCall:
        """Call a mediator from `screen_name`; while a call is pending this returns it unchanged (no second call)."""
        with self._lock:
            if self._pending is not None:
                return self._pending
            call = self._pending = HelpCall(screen_token(screen_name), self._clock())
        self.raised.emit(call)
        return call

    def answer(self, by: str) -> HelpCall | None:
        """Staff member `by` (their account name) took the call; None when nothing was pending."""
        if not by or not by.strip():
            raise ValueError("the staff member answering a call must be named")
        cleared = self._clear(ANSWERED, by)
        if cleared is not None:
            self._record("help-call-answered", by, cleared.call)
        return cleared.call if cleared is not None else None

    def cancel(self) -> HelpCall | None:
        """The citizen no longer needs help; None when nothing was pending."""
        cleared = self._clear(CANCELLED)
        if cleared is not None:
            self._record("help-call-cancelled", CITIZEN_ACTOR, cleared.call, reason="citizen no longer needs help")
        return cleared.call if cleared is not None else None

    def follow(self, session: CitizenSession) -> None:
        """Drop the pending call whenever `session` ends (the citizen who called is gone); replaces an earlier one."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._unsubscribe = session.ended.connect(self._on_session_ended)

    def _on_session_ended(self, _reason: str) -> None:
        self._clear(SESSION_ENDED)

    def _clear(self, outcome: str, by: str | None = None) -> ClearedCall | None:
        with self._lock:
            call, self._pending = self._pending, None
        if call is None:
            return None
        cleared = ClearedCall(call, outcome, by)
        self.cleared.emit(cleared)
        return cleared

    def _record(self, kind: str, actor: str, call: HelpCall, *, reason: str | None = None) -> None:
        detail: dict[str, str | int | bool] = {"screen": call.screen, "delay_seconds": call.waited(self._clock())}
        if reason is not None:
            detail["reason"] = reason
        try:
            self._audit(kind, actor, detail)
        except Exception as exc:  # noqa: BLE001 - the call is over either way; a failed audit write must not undo it
            log.warning("audit record %s not written: %s", kind, type(exc).__name__)
