"""UTC timestamps as stored in the database: ISO-8601 with a `Z`, e.g. `2025-03-01T09:30:00.123Z`.

A clock is passed in (never read from a global) so tests can pin time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    """Millisecond ISO-8601 in UTC; text order equals time order, so SQL can sort and compare it."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def compact_utc(moment: datetime) -> str:
    """`20250301T093000Z`: safe in file names on every file system."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
