"""Staff accounts: who may use the staff area, in which role, and the sign-in check with its lockout.

An account has a name, a role (`site-manager`, `mediator`, `trainer`), a disabled flag and a creation time; its PIN or
passphrase is kept only as a slow salted hash (kiosk.staff_secret). Repeated wrong secrets lock the account for a
growing delay (LockoutPolicy), stored in the database so that a restart does not reset it. Stored times are UTC wall
clock (a monotonic clock does not survive a restart), so a clock that moves back could stretch a lock: it is capped to
the lock's own length from the moved-back "now". Every attempt goes to the audit sink; an unknown name is audited as
"unknown" (people type PINs into the name field), never as typed. Tables: migration 8 (`staff_accounts`).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import NamedTuple

from kiosk.staff_secret import CURRENT, ScryptParams, check_secret, dummy_check, hash_secret, needs_rehash, weakness
from kiosk.storage.clock import iso_utc

ROLES: tuple[str, ...] = ("site-manager", "mediator", "trainer")
MAX_NAME_CHARS = 40
# What each role may open in the staff area; the site manager everything.
ROLE_AREAS: dict[str, frozenset[str]] = {
    "site-manager": frozenset({"queue", "assist", "tutorials", "health", "alerts", "settings"}),
    "mediator": frozenset({"queue", "assist"}),
    "trainer": frozenset({"tutorials"}),
}
UNKNOWN_ACTOR = "unknown"

AuditDetail = dict[str, str | int | bool]  # the values kiosk.audit accepts
AuditSink = Callable[[str, str, AuditDetail], object]  # (kind, actor, detail): never a secret, never a citizen's answer
AuditRecord = tuple[str, str, AuditDetail]


def no_audit(_kind: str, _actor: str, _detail: AuditDetail) -> None:
    """The default audit sink: nothing (the composition root passes kiosk.audit's append)."""


class StaffError(ValueError):
    """An account cannot be added or changed (bad name or role, name taken, weak secret); `code` names the rule."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class StaffMember(NamedTuple):
    name: str
    role: str
    disabled: bool
    created_at: dt.datetime

    def may(self, area: str) -> bool:
        """Whether this member's role opens `area` (queue, assist, tutorials, health, alerts, settings)."""
        return area in ROLE_AREAS.get(self.role, frozenset())


class Refusal(StrEnum):
    WRONG = "wrong"
    UNKNOWN = "unknown"
    LOCKED = "locked"
    DISABLED = "disabled"


class SignInRefused(NamedTuple):
    reason: Refusal
    locked_until: dt.datetime | None = None  # set when the account is locked now (also right after the failure)

    @property
    def message_key(self) -> str:
        """The catalog key to show: the same one for a wrong secret and an unknown name (names stay secret)."""
        if self.locked_until is not None:
            return "staff.sign_in.locked"
        return "staff.sign_in.disabled" if self.reason is Refusal.DISABLED else "staff.sign_in.wrong"


class LockoutPolicy(NamedTuple):
    free_failures: int = 3  # consecutive failures before the first lock
    first_delay: dt.timedelta = dt.timedelta(seconds=30)
    cap: dt.timedelta = dt.timedelta(minutes=15)

    def delay(self, failures: int) -> dt.timedelta | None:
        """How long the account locks after its `failures`-th consecutive failure: 30 s, 60 s, 120 s… up to 15 min."""
        if failures < self.free_failures:
            return None
        doublings = min(failures - self.free_failures, 30)  # bounded: 2**30 · 30 s is far past any cap
        delay: dt.timedelta = self.first_delay * (2**doublings)
        return min(delay, self.cap)


class StaffAccounts:
    """The accounts in one kiosk database (`sqlite3.Connection`; pass `storage.db.conn`)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        audit: AuditSink = no_audit,
        policy: LockoutPolicy = LockoutPolicy(),  # noqa: B008 - an immutable NamedTuple
        params: ScryptParams = CURRENT,
    ) -> None:
        self._conn = conn
        self._audit = audit
        self.policy = policy
        self._params = params

    # Accounts --------------------------------------------------------------------------------------------------------
    def add(
        self, name: str, role: str, secret: str, *, now: dt.datetime, by: str = "cli", only_if_empty: bool = False
    ) -> StaffMember:
        name = checked_name(name)
        if role not in ROLES:
            raise StaffError("bad-role", f"unknown role {role!r}; roles: {', '.join(ROLES)}")
        weak = weakness(secret)
        if weak is not None:
            raise StaffError(weak.code, str(weak))
        stored = hash_secret(secret, self._params)
        with self._write():
            if only_if_empty and not self.is_empty():
                raise StaffError("not-first", "this kiosk already has staff accounts")
            if self._row(name) is not None:
                raise StaffError("name-taken", f"there is already an account named {name!r}")
            self._conn.execute(
                "INSERT INTO staff_accounts (name, role, secret_hash, created_at) VALUES (?, ?, ?, ?)",
                [name, role, stored, iso_utc(now)],
            )
        self._audit("staff-account-added", by, {"name": name, "role": role})
        return StaffMember(name, role, False, now.astimezone(dt.UTC))

    def create_first_site_manager(self, name: str, secret: str, *, now: dt.datetime) -> StaffMember:
        """The first account of a new kiosk, from the sign-in screen: refused (StaffError "not-first") once any account
        exists, a disabled one included: a kiosk whose accounts were all disabled must not let whoever walks up make
        themselves its manager (the CLI adds one). Checked in the write transaction that inserts, so two screens or
        processes racing cannot both create one. Audited as `staff-account-added` by "first-start"."""
        return self.add(name, "site-manager", secret, now=now, by="first-start", only_if_empty=True)

    def is_empty(self) -> bool:
        """No account at all (a disabled one counts: a kiosk whose accounts were all disabled needs the CLI)."""
        return self._conn.execute("SELECT 1 FROM staff_accounts LIMIT 1").fetchone() is None

    def members(self) -> list[StaffMember]:
        """Every account, by name (never its hash)."""
        rows = self._conn.execute(
            "SELECT name, role, disabled, created_at FROM staff_accounts ORDER BY name COLLATE NOCASE"
        ).fetchall()
        return [_member(row) for row in rows]

    def get(self, name: str) -> StaffMember | None:
        row = self._row(name)
        return None if row is None else _member(row[:4])

    def has_active(self) -> bool:
        """Whether any account can sign in (none: the sign-in screen offers to create the first site manager)."""
        return self._conn.execute("SELECT 1 FROM staff_accounts WHERE disabled = 0 LIMIT 1").fetchone() is not None

    def disable(self, name: str, *, now: dt.datetime, by: str = "cli") -> bool:
        """Refuse this account's sign-ins from now on; False when there is no such (enabled) account."""
        with self._write():
            changed = self._conn.execute(
                "UPDATE staff_accounts SET disabled = 1 WHERE name = ? COLLATE NOCASE AND disabled = 0", [name.strip()]
            ).rowcount
        if changed:
            self._audit("staff-account-disabled", by, {"name": name.strip(), "at": iso_utc(now)})
        return changed == 1

    # Signing in ------------------------------------------------------------------------------------------------------
    def verify(self, name: str, secret: str, now: dt.datetime) -> StaffMember | SignInRefused:
        """Check a sign-in attempt at `now` (UTC); audited whatever the outcome (after the commit: the audit log may
        open its own connection, which must not wait for this one's write lock)."""
        with self._write():
            outcome, record = self._check(name, secret, now)
        self._audit(*record)
        return outcome

    def _check(self, name: str, secret: str, now: dt.datetime) -> tuple[StaffMember | SignInRefused, AuditRecord]:
        row = self._row(name)
        if row is None:
            dummy_check(secret)
            return SignInRefused(Refusal.UNKNOWN), ("staff-sign-in-failed", UNKNOWN_ACTOR, {"reason": "unknown"})
        member = _member(row[:4])
        account_id, stored, failures, last_failure, locked_until = row[4:]
        until = self._lock_in_force(account_id, failures, _parse(last_failure), _parse(locked_until), now)
        if until is not None:
            detail: AuditDetail = {"reason": "locked", "until": iso_utc(until)}
            return SignInRefused(Refusal.LOCKED, until), ("staff-sign-in-failed", member.name, detail)
        if not check_secret(secret, stored):
            return self._record_failure(account_id, member.name, failures + 1, now)
        if member.disabled:
            return SignInRefused(Refusal.DISABLED), ("staff-sign-in-failed", member.name, {"reason": "disabled"})
        new_hash = hash_secret(secret, self._params) if needs_rehash(stored, self._params) else stored
        self._conn.execute(
            "UPDATE staff_accounts SET failed_attempts = 0, last_failure_at = NULL, locked_until = NULL, "
            "secret_hash = ? WHERE id = ?",
            [new_hash, account_id],
        )
        return member, ("staff-sign-in", member.name, {"role": member.role})

    def locked_until(self, name: str, now: dt.datetime) -> dt.datetime | None:
        """When this account's lock ends, if it is locked at `now` (for showing the time left)."""
        with self._write():
            row = self._row(name)
            if row is None:
                return None
            account_id, _stored, failures, last_failure, locked_until = row[4:]
            return self._lock_in_force(account_id, failures, _parse(last_failure), _parse(locked_until), now)

    def _lock_in_force(
        self,
        account_id: int,
        failures: int,
        last_failure: dt.datetime | None,
        until: dt.datetime | None,
        now: dt.datetime,
    ) -> dt.datetime | None:
        if until is None or now >= until:
            return None
        delay = self.policy.delay(failures) or self.policy.cap
        if (last_failure is not None and now < last_failure) or until - now > delay:
            # The clock moved back: never lock for longer than the lock's own length from now, and remember that.
            until = now + min(until - now, delay)
            self._conn.execute(
                "UPDATE staff_accounts SET locked_until = ?, last_failure_at = ? WHERE id = ?",
                [iso_utc(until), iso_utc(now), account_id],
            )
        return until

    def _record_failure(
        self, account_id: int, name: str, failures: int, now: dt.datetime
    ) -> tuple[SignInRefused, AuditRecord]:
        delay = self.policy.delay(failures)
        until = None if delay is None else now + delay
        self._conn.execute(
            "UPDATE staff_accounts SET failed_attempts = ?, last_failure_at = ?, locked_until = ? WHERE id = ?",
            [failures, iso_utc(now), None if until is None else iso_utc(until), account_id],
        )
        detail: AuditDetail = {"reason": "wrong", "failures": failures}
        if until is not None:
            detail["locked_until"] = iso_utc(until)
        return SignInRefused(Refusal.WRONG, until), ("staff-sign-in-failed", name, detail)

    def _row(self, name: str) -> tuple[str, str, int, str, int, str, int, str | None, str | None] | None:
        row: tuple[str, str, int, str, int, str, int, str | None, str | None] | None = self._conn.execute(
            "SELECT name, role, disabled, created_at, id, secret_hash, failed_attempts, last_failure_at, locked_until "
            "FROM staff_accounts WHERE name = ? COLLATE NOCASE",
            [name.strip()],
        ).fetchone()
        return row

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction taken at once, so two kiosk processes never count the same failure twice."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._conn.execute("COMMIT")
        finally:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")


def checked_name(name: str) -> str:
    """A staff name as stored: trimmed, 1–40 characters, with a letter, no control characters."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME_CHARS:
        raise StaffError("bad-name", f"a staff name needs 1 to {MAX_NAME_CHARS} characters")
    if not any(ch.isalpha() for ch in name) or any(unicodedata.category(ch).startswith("C") for ch in name):
        raise StaffError("bad-name", "a staff name needs a letter and no control characters")
    return name


def _member(row: tuple[str, str, int, str]) -> StaffMember:
    name, role, disabled, created_at = row
    return StaffMember(name, role, bool(disabled), _parse(created_at) or dt.datetime(1970, 1, 1, tzinfo=dt.UTC))


def _parse(stamp: str | None) -> dt.datetime | None:
    if not stamp:
        return None
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
