"""A mediator-assisted session: who is helping the current citizen, whether the citizen agreed, who has the keyboard,
and how much time the idle timer gives.

Assisted digital (GOV.UK): the citizen and the mediator both see the screen and, ideally, the citizen types their own
information. So a mediator `start`s, the citizen answers the consent screen (`consent`), and while assisting the
mediator can `hand_over` the keyboard (private questions are typed by the citizen only, the UI enforces it) and
`take_back` it, multiply or pause the idle time, `stop` the help (the citizen goes on alone) or `end` the session with
the same wipe as any other end. What the submission freezes is `record`: the mediator's first name and the citizen's
answer, kept until the session ends even after the help stopped (the mediator did see the answers).

One object per kiosk process, passed in (no singleton); it forgets everything when the citizen session ends. Staff
actions go to the audit sink under the mediator's account name with machine words only: never citizen data.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple, Protocol

from kiosk.events import Event
from kiosk.session import CitizenSession

if TYPE_CHECKING:  # kiosk.staff loads scrypt and the storage clock: not needed to build an Assistance at start-up
    from kiosk.journey import Journey
    from kiosk.staff import AuditDetail, AuditSink
    from kiosk.staff_presence import StaffPresence

ASSIST_FINISHED = "assist-finished"  # the session end reason of the banner's "End session"
MEDIATOR = "mediator"
CITIZEN = "citizen"
# "More time" steps through these: the site's time, twice, three times, then paused (None), then back to the start.
TIME_STEPS: tuple[float | None, ...] = (1.0, 2.0, 3.0, None)


class AssistError(RuntimeError):
    """An action that does not fit the assist's phase (e.g. hand over before the citizen agreed)."""


class Phase(StrEnum):
    OFF = "off"  # nobody is helping
    ASKING = "asking"  # a mediator started; the consent screen waits for the citizen's answer
    ASSISTING = "assisting"  # the citizen agreed: the banner shows
    DONE = "done"  # refused or stopped: the citizen goes on alone; `record` stays for the submission


class IdleDial(Protocol):
    """What the assist needs of kiosk.idle.IdleTimer."""

    def set_multiplier(self, factor: float) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...


class AssistRecord(NamedTuple):
    """Frozen into the submission: assisted by whom (first name only) and whether the citizen agreed."""

    mediator: str
    consent: bool

    def as_submission(self) -> dict[str, str | bool]:
        return {"consent": self.consent, "mediator": self.mediator}


def first_name(name: str) -> str:
    """What the citizen sees and the submission keeps of a staff account's name: its first word."""
    words = name.split()
    if not words:
        raise ValueError("a mediator needs a name")
    return words[0]


def _no_audit(_kind: str, _actor: str, _detail: AuditDetail) -> None:
    return None


def _no_idle() -> IdleDial | None:
    return None


def _no_sign_out(_reason: str) -> None:
    return None


class Assistance:
    """The assist of the current citizen session. Events: `changed` (any change, including the end)."""

    def __init__(
        self,
        session: CitizenSession,
        *,
        journey: Journey | None = None,
        audit: AuditSink = _no_audit,
        idle: Callable[[], IdleDial | None] = _no_idle,
        sign_out: Callable[[str], None] = _no_sign_out,
    ) -> None:
        self._session = session
        self._journey = journey  # its `assisted` flag reaches the submission (check answers reads it)
        self._audit = audit
        self._idle = idle  # the kiosk's idle timer once it exists (built after the first paint)
        self._sign_out = sign_out  # the mediator leaves when the citizen goes on alone
        self._phase = Phase.OFF
        self._mediator: str | None = None
        self._record: AssistRecord | None = None
        self._at_keyboard = MEDIATOR
        self._time: float | None = 1.0
        self.changed: Event[None] = Event("assist.changed")
        self._unsubscribe = session.ended.connect(self._on_session_ended)

    # Reading ---------------------------------------------------------------------------------------------------------
    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def assisting(self) -> bool:
        """The citizen agreed and the help goes on: the banner shows, private answers are the citizen's to type."""
        return self._phase is Phase.ASSISTING

    @property
    def mediator(self) -> str | None:
        """The helping staff member's account name (the audit actor); None when nobody helps."""
        return self._mediator if self._phase in (Phase.ASKING, Phase.ASSISTING) else None

    @property
    def mediator_first_name(self) -> str | None:
        mediator = self.mediator
        return first_name(mediator) if mediator is not None else None

    @property
    def at_keyboard(self) -> str:
        """MEDIATOR or CITIZEN: who types now."""
        return self._at_keyboard

    @property
    def time_factor(self) -> float | None:
        """The idle time's multiplier; None while paused."""
        return self._time

    def record(self) -> AssistRecord | None:
        """What the submission freezes (callable from the sending thread: one read of an immutable value)."""
        return self._record

    # The mediator and the citizen ------------------------------------------------------------------------------------
    def start(self, mediator_name: str) -> None:
        """A signed-in mediator offers help; the consent screen asks the citizen next."""
        first_name(mediator_name)
        if self._phase in (Phase.ASKING, Phase.ASSISTING):
            if self._mediator == mediator_name:
                return  # the consent screen shown again: the same offer
            raise AssistError("another mediator is already helping this citizen")
        self._mediator, self._phase, self._at_keyboard = mediator_name, Phase.ASKING, MEDIATOR
        self._audit("assist-start", mediator_name, {})
        self.changed.emit(None)

    def consent(self, given: bool) -> None:
        """The citizen's answer on the consent screen: help (ASSISTING) or alone (DONE, the mediator signs out)."""
        mediator = self._require(Phase.ASKING)
        self._record = AssistRecord(first_name(mediator), bool(given))
        self._audit("assist-consent", mediator, {"outcome": "given" if given else "refused"})
        if given:
            self._phase = Phase.ASSISTING
            if self._journey is not None:
                self._journey.assisted = True
            self.changed.emit(None)
        else:
            self._leave("consent refused")

    def hand_over(self) -> None:
        """The citizen types now (the private questions too)."""
        self._switch(CITIZEN)

    def take_back(self) -> None:
        self._switch(MEDIATOR)

    def set_idle_multiplier(self, factor: float | None) -> None:
        """Every idle timeout times `factor` (1: the site's settings); None pauses the countdown."""
        mediator = self._require(Phase.ASSISTING)
        if factor is not None and (not factor > 0 or math.isinf(factor)):
            raise ValueError(f"the idle multiplier must be a positive number, got {factor}")
        self._time = factor
        self._apply_time()
        detail: dict[str, str | int | bool] = (
            {"outcome": "paused"} if factor is None else {"factor_percent": round(factor * 100)}
        )
        self._audit("assist-more-time", mediator, detail)
        self.changed.emit(None)

    def more_time(self) -> float | None:
        """The banner's "More time": the next of TIME_STEPS (×1, ×2, ×3, paused, ×1...); returns it."""
        index = TIME_STEPS.index(self._time) if self._time in TIME_STEPS else 0
        factor = TIME_STEPS[(index + 1) % len(TIME_STEPS)]
        self.set_idle_multiplier(factor)
        return factor

    def stop(self) -> None:
        """The help stops; the citizen goes on alone with their answers (the mediator signs out)."""
        if self._phase in (Phase.ASKING, Phase.ASSISTING):
            self._leave("stopped")

    def cancel(self) -> None:
        """The mediator left the consent screen before the citizen answered (back to their console)."""
        if self._phase is Phase.ASKING:
            assert self._mediator is not None
            self._audit("assist-end", self._mediator, {"reason": "cancelled"})
            self._forget()

    def end(self) -> None:
        """The banner's "End session": the same wipe as any session end, audited. The mediator stays signed in
        (`follow_session`) to help the next person."""
        if self._phase is Phase.OFF:
            self._session.end(ASSIST_FINISHED)
            return
        mediator = self._mediator
        assert mediator is not None
        if self._phase in (Phase.ASKING, Phase.ASSISTING):
            self._audit("assist-end", mediator, {"reason": "finished"})
        self._forget()
        self._session.end(ASSIST_FINISHED)

    def close(self) -> None:
        """Stop following the session (an object made for one screen or test)."""
        self._unsubscribe()

    # Internals -------------------------------------------------------------------------------------------------------
    def _require(self, phase: Phase) -> str:
        if self._phase is not phase or self._mediator is None:
            raise AssistError(f"this needs the assist to be {phase.value}, it is {self._phase.value}")
        return self._mediator

    def _switch(self, who: str) -> None:
        mediator = self._require(Phase.ASSISTING)
        if self._at_keyboard == who:
            return
        self._at_keyboard = who
        self._audit("hand-over", mediator, {"outcome": f"to-{who}"})
        self.changed.emit(None)

    def _apply_time(self) -> None:
        dial = self._idle()
        if dial is None:
            return
        if self._time is None:
            dial.pause()
        else:
            dial.resume()
            dial.set_multiplier(self._time)

    def _leave(self, reason: str) -> None:
        """The citizen goes on alone: the help ends, the idle time is the site's again, the mediator signs out."""
        mediator = self._mediator
        assert mediator is not None
        self._audit("assist-end", mediator, {"reason": reason})
        self._phase, self._at_keyboard = Phase.DONE, MEDIATOR
        self._reset_time()
        self._sign_out(f"assist {reason}")
        self.changed.emit(None)

    def _reset_time(self) -> None:
        if self._time != 1.0:
            self._time = 1.0
            self._apply_time()

    def _forget(self) -> None:
        self._reset_time()
        self._phase, self._mediator, self._record, self._at_keyboard = Phase.OFF, None, None, MEDIATOR
        self.changed.emit(None)

    def _on_session_ended(self, reason: str) -> None:
        if self._phase in (Phase.ASKING, Phase.ASSISTING) and self._mediator is not None:
            self._audit("assist-end", self._mediator, {"reason": f"session ended {audit_words(reason)}".strip()})
        if self._phase is not Phase.OFF or self._record is not None:
            self._reset_time()  # the kiosk's idle controller stops the timer too; a paused timer must not outlive us
            self._phase, self._mediator, self._record, self._at_keyboard = Phase.OFF, None, None, MEDIATOR
            self.changed.emit(None)


def audit_words(reason: str) -> str:
    """A session end reason as the audit log's few lower-case words (it accepts nothing else)."""
    text = "".join(ch if ch.isascii() and (ch.isalnum() or ch in " -") else " " for ch in reason.lower())
    return " ".join(text.split())[:40].strip()


def follow_session(presence: StaffPresence, session: CitizenSession) -> Callable[[], None]:
    """Sign the staff member out whenever the citizen session ends, as `StaffPresence.follow` does, except after an
    assisted session its mediator finished ("End session"): they stay signed in at the console to help the next
    person, until they sign out or the console's own idle timeout ends the (empty) session. Returns the unsubscribe.
    """

    def ended(reason: str) -> None:
        if reason != ASSIST_FINISHED:
            presence.sign_out(f"session ended {audit_words(reason)}".strip())

    return session.ended.connect(ended)


def stop_when_signed_out(assistance: Assistance, presence: StaffPresence) -> Callable[[], None]:
    """The help stops when its mediator signs out (or another member signs in): a banner must never name someone
    who has left. Returns the unsubscribe."""

    def changed(member: object) -> None:
        helping = assistance.mediator
        if helping is not None and getattr(member, "name", None) != helping:
            assistance.stop()

    return presence.changed.connect(changed)
