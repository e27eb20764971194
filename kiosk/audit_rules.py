"""What an audit record may hold (docs/audit.md): its kind, its actor and the few checked detail values.

Records never hold citizen answers: the detail accepts only the keys listed in DETAIL_FIELDS, each with a narrow
value check (a short token without spaces, a submission reference, a UUID, a number or a yes/no), so free text, names
and typed answers have nowhere to go. Kinds are an open set of short words; KNOWN_KINDS lists those the kiosk writes.

Kept apart from the chain (kiosk.audit): this is the privacy rule, read and extended on its own (a new action's key
goes here and into docs/audit.md), while the chain's MACs and checkpoint never change for it.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Mapping

from kiosk.codes import CodeError, CodeKind, parse_code

DetailValue = str | int | bool
Detail = Mapping[str, DetailValue]

SYSTEM = "system"  # the actor of what no person did (e.g. the kiosk itself)
KNOWN_KINDS: tuple[str, ...] = (
    "sign-in",
    "sign-out",
    "sign-in-failed",
    "assist-start",
    "assist-consent",  # outcome given / refused
    "hand-over",
    "assist-more-time",
    "assist-end",
    "help-call-answered",
    "help-call-cancelled",
    "queue-retry",
    "queue-reroute",
    "export",
    "leave-attempt",
    # written by kiosk.staff: sign-in and account changes
    "staff-sign-in",
    "staff-sign-out",
    "staff-sign-in-failed",
    "staff-account-added",
    "staff-account-disabled",
    # written by tutorials.trainer: a trainer's group sessions (detail: the session number, never a learner)
    "training-session-created",
    "training-enrol",  # outcome existing-code / new-code
    "training-attendance",  # outcome present / absent
    "training-export",
)
MAX_VALUE_CHARS = 200
_KIND = re.compile(r"[a-z][a-z0-9-]{0,39}")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+:-]{0,63}")
_PHRASE = re.compile(r"[a-z][a-z0-9 -]{0,63}")  # a few lower-case words, e.g. "signed out"
_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z")
_MAX_INT = 10**12


def _token(value: DetailValue) -> bool:
    return isinstance(value, str) and _TOKEN.fullmatch(value) is not None


def _phrase(value: DetailValue) -> bool:
    return isinstance(value, str) and _PHRASE.fullmatch(value) is not None


def _utc(value: DetailValue) -> bool:
    return isinstance(value, str) and _UTC.fullmatch(value) is not None


def _staff_name(value: DetailValue) -> bool:
    return isinstance(value, str) and _valid_actor(value)


def _reference(value: DetailValue) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return parse_code(value, CodeKind.SUBMISSION) == value
    except CodeError:
        return False


def _uuid(value: DetailValue) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _count(value: DetailValue) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -_MAX_INT <= value <= _MAX_INT


def _flag(value: DetailValue) -> bool:
    return isinstance(value, bool)


# The only detail keys a record may carry, each with its value check. Add a key here (and to docs/audit.md) when a new
# action needs one; never add a key for free text.
DETAIL_FIELDS: Mapping[str, Callable[[DetailValue], bool]] = {
    "reference": _reference,  # a submission reference, R-XXXX-XXXX-XXXX-X
    "submission": _uuid,  # a submission's UUID
    "endpoint": _token,
    "from_state": _token,
    "to_state": _token,
    "role": _token,
    "screen": _token,
    "service": _token,
    "reason": _phrase,  # a machine word or a few lower-case words, e.g. locked, signed out
    "name": _staff_name,  # a staff account's name (only with the kinds in NAME_KINDS)
    "at": _utc,
    "until": _utc,
    "locked_until": _utc,
    "outcome": _token,
    "method": _token,  # pin or passphrase
    "shortcut": _token,  # a key combination that was refused, e.g. alt+F4
    "via": _token,  # cli or screen
    "language": _token,
    "attempt": _count,
    "training_session": _count,  # a trainer's group session number (tutorials.trainer)
    "failures": _count,
    "count": _count,
    "delay_seconds": _count,
    "factor_percent": _count,
    "assisted": _flag,
    "locked": _flag,
}


# `name` is free enough to hold anything a person types, so only staff-account records may carry it.
NAME_KINDS = frozenset({"staff-account-added", "staff-account-disabled", "staff-added", "staff-disabled"})


class AuditError(ValueError):
    """A record was refused (a bad kind, actor or detail) or could not be written; the message names no value."""


def check_kind(kind: str) -> str:
    if not isinstance(kind, str) or not _KIND.fullmatch(kind):
        raise AuditError("an audit kind is 1-40 lower-case letters, digits and hyphens, starting with a letter")
    return kind


def _valid_actor(actor: str) -> bool:
    return isinstance(actor, str) and 0 < len(actor) <= 64 and actor.isprintable() and actor == actor.strip()


def check_actor(actor: str) -> str:
    if not _valid_actor(actor):
        raise AuditError("an audit actor is a staff name or 'system': 1-64 printable characters")
    return actor


def canonical_detail(detail: Detail | None, kind: str = "") -> str:
    """The detail as canonical JSON, after checking every key and value; AuditError names the key, never the value."""
    items = dict(detail or {})
    if "name" in items and kind not in NAME_KINDS:
        raise AuditError(f"audit detail 'name' is only for the kinds {', '.join(sorted(NAME_KINDS))}")
    for key, value in items.items():
        check = DETAIL_FIELDS.get(key) if isinstance(key, str) else None
        if check is None:
            raise AuditError(f"audit detail key {key!r} is not allowed (see kiosk.audit.DETAIL_FIELDS)")
        if not isinstance(value, str | int | bool) or (isinstance(value, str) and len(value) > MAX_VALUE_CHARS):
            raise AuditError(f"audit detail {key!r} must be a short text, a number or a yes/no")
        if not check(value):
            raise AuditError(f"audit detail {key!r} has a value of the wrong form")
    return json.dumps(items, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
