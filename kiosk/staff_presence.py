"""Who is signed in to the staff area right now: one small object the composition root creates and passes in.

Nothing global: the sign-in screen calls `sign_in`, the staff screens read `member` and listen to `changed`. The
staff member is signed out when the citizen session ends (finish, idle timeout, staff action, shutdown), so a kiosk
left alone never stays open to the next person. Sign-outs are audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import NamedTuple

from kiosk.events import Event
from kiosk.session import CitizenSession
from kiosk.staff import AuditSink, StaffAccounts, StaffMember, no_audit


class StaffPresence:
    def __init__(self, *, audit: AuditSink = no_audit) -> None:
        self._member: StaffMember | None = None
        self._audit = audit
        self._unsubscribe: Callable[[], None] | None = None
        self.changed: Event[StaffMember | None] = Event("staff.presence_changed")

    @property
    def member(self) -> StaffMember | None:
        return self._member

    @property
    def signed_in(self) -> bool:
        return self._member is not None

    def may(self, area: str) -> bool:
        """Whether the signed-in member's role opens `area`; False when nobody is signed in."""
        return self._member is not None and self._member.may(area)

    def sign_in(self, member: StaffMember) -> None:
        """`member` has just passed `StaffAccounts.verify` (which audited the sign-in)."""
        if member.disabled:
            raise ValueError("a disabled account cannot sign in")
        if self._member is not None and self._member != member:
            self.sign_out("another staff member signed in")
        self._member = member
        self.changed.emit(member)

    def sign_out(self, reason: str = "signed out") -> None:
        member, self._member = self._member, None
        if member is not None:
            self._audit("staff-sign-out", member.name, {"reason": reason})
            self.changed.emit(None)

    def follow(self, session: CitizenSession) -> None:
        """Sign out whenever `session` ends (the reason becomes the audit's)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._unsubscribe = session.ended.connect(lambda reason: self.sign_out(f"session ended {_word(reason)}"))


def _word(reason: str) -> str:
    """A session's end reason as the audit log's few lower-case words (it accepts nothing else)."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in " -") else " " for ch in reason.lower())[:40].strip()


class StaffGate(NamedTuple):
    """What the staff sign-in screen needs: the accounts (opened for each attempt, closed after), who is signed in,
    and the time (UTC; a fake in tests)."""

    accounts: Callable[[], AbstractContextManager[StaffAccounts]]
    presence: StaffPresence
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
