"""Fixed staff data for pictures and the every-screen checks: a kiosk with one site manager (PIN 246810, the demo's)
in a database in memory, and a console signed in as her. The composition root registers the kiosk's own instead."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from kiosk.staff import StaffAccounts, StaffMember
from kiosk.staff_presence import StaffGate, StaffPresence
from kiosk.storage.migrations import MIGRATIONS
from ui.screens.staff_home import AlertLine, HealthLine, StaffConsole

SAMPLE_PIN = "246810"
SAMPLE_MANAGER = StaffMember("Sofia", "site-manager", False, dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC))


def sample_accounts_db(*, with_manager: bool = True) -> sqlite3.Connection:
    """An in-memory database with only the staff accounts table (migration 8), optionally with the site manager."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    step = next(m.step for m in MIGRATIONS if m.name.startswith("staff accounts"))
    assert isinstance(step, str)
    conn.executescript(step)
    if with_manager:
        StaffAccounts(conn).add("Sofia", "site-manager", SAMPLE_PIN, now=SAMPLE_MANAGER.created_at)
    return conn


def sample_gate(conn: sqlite3.Connection | None = None, presence: StaffPresence | None = None) -> StaffGate:
    db = conn if conn is not None else sample_accounts_db()

    @contextmanager
    def accounts() -> Iterator[StaffAccounts]:
        yield StaffAccounts(db)

    return StaffGate(accounts, presence if presence is not None else StaffPresence())


def sample_console(presence: StaffPresence | None = None) -> StaffConsole:
    from ui.sample_queue import SampleQueue

    if presence is None:
        presence = StaffPresence()
        presence.sign_in(SAMPLE_MANAGER)
    return StaffConsole(
        presence=presence,
        queue=SampleQueue(),
        default_language="pt-PT",
        idle_seconds=90,
        sessions_today=lambda: 14,
        health=lambda: (
            HealthLine("database", True, ""),
            HealthLine("secrets", True, ""),
            HealthLine("speech", False, "espeak-ng is not installed"),
        ),
        alerts=lambda: (
            AlertLine("The database was recovered after a power cut", False),
            AlertLine("Catalog file with problems left out", True),
        ),
    )
