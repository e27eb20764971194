"""Today's citizen sessions: counted by how they ended, only when the citizen did something, kept across restarts in
the kiosk database (counts only), and written from any thread without losing one."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.session import CitizenSession, Presentation
from kiosk.session_counts import (
    FINISHED,
    KINDS,
    OTHER,
    SHUTDOWN,
    STAFF,
    TIMEOUT,
    SessionCounts,
    SessionTally,
    is_citizen_screen,
    kind_of,
)
from kiosk.storage import open_storage

DAY = dt.date(2026, 3, 2)
LISBON_EVENING = dt.datetime(2026, 3, 2, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=0)))


def _session() -> CitizenSession:
    return CitizenSession(Presentation(language="pt-PT"), text_steps=5)


class Recorded:
    def __init__(self) -> None:
        self.calls: list[tuple[dt.date, str]] = []

    def __call__(self, day: dt.date, kind: str) -> None:
        self.calls.append((day, kind))


def _tally(session: CitizenSession, clock: Callable[[], dt.datetime] = lambda: LISBON_EVENING):  # type: ignore[no-untyped-def]
    recorded = Recorded()
    return SessionTally(session, recorded, clock=clock), recorded


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        ("finished", FINISHED),
        ("timeout", TIMEOUT),
        ("shutdown", SHUTDOWN),
        ("staff", STAFF),
        ("assist-end", STAFF),
        ("ended by mediator", STAFF),
        ("SIGTERM", OTHER),
        ("", OTHER),
    ],
)
def test_end_reasons_map_to_kinds(reason: str, kind: str) -> None:
    assert kind_of(reason) == kind


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_every_reason_has_a_known_kind(reason: str) -> None:
    assert kind_of(reason) in KINDS


def test_screens_that_are_no_citizen_activity() -> None:
    assert not is_citizen_screen("home") and not is_citizen_screen("idle-warning")
    assert not is_citizen_screen("staff-sign-in") and not is_citizen_screen("staff-home")
    assert is_citizen_screen("services") and is_citizen_screen("question") and is_citizen_screen("assist-consent")


def test_an_untouched_session_is_not_counted_and_activity_is_per_session() -> None:
    session = _session()
    tally, recorded = _tally(session)
    session.end("shutdown")  # nobody used it
    tally.screen_shown("home")
    tally.screen_shown("staff-home")  # staff work is not a citizen session
    session.end("timeout")  # a stray tap on home, then the idle timeout
    assert recorded.calls == []
    tally.screen_shown("services")
    session.end("timeout")
    session.end("timeout")  # the next session did nothing: not counted again
    assert recorded.calls == [(DAY, TIMEOUT)]


def test_finishing_always_counts_and_a_presentation_choice_is_activity() -> None:
    session = _session()
    tally, recorded = _tally(session)
    session.end("finished")
    session.set_language("uk")
    session.end("staff")
    session.set_text_step(2)
    session.end("shutdown")
    assert recorded.calls == [(DAY, FINISHED), (DAY, STAFF), (DAY, SHUTDOWN)]
    tally.close()
    session.set_language("en")
    session.end("finished")
    assert len(recorded.calls) == 3  # closed: no longer following
    assert len(session.ended) == 0 and len(session.presentation_changed) == 0


def test_a_failing_write_is_logged_without_the_reason_and_never_raised(caplog: pytest.LogCaptureFixture) -> None:
    session = _session()

    def broken(_day: dt.date, _kind: str) -> None:
        raise sqlite3.OperationalError("database is locked /home/maria")

    tally = SessionTally(session, broken, clock=lambda: LISBON_EVENING)
    tally.screen_shown("question")
    session.end("finished")
    assert "OperationalError" in caplog.text and "maria" not in caplog.text


def test_counts_survive_a_restart_and_are_per_day(tmp_path: Path) -> None:
    counts = SessionCounts(tmp_path / "data")
    for kind in (FINISHED, FINISHED, TIMEOUT, STAFF):
        counts.add(DAY, kind)
    counts.add(DAY - dt.timedelta(days=1), FINISHED)
    again = SessionCounts(tmp_path / "data")  # a new process: the same file
    assert again.on(DAY) == {FINISHED: 2, TIMEOUT: 1, STAFF: 1}
    assert again.on(DAY - dt.timedelta(days=1)) == {FINISHED: 1}
    assert again.on(DAY + dt.timedelta(days=1)) == {}
    with open_storage(tmp_path / "data") as storage:  # counts only: day, kind, count
        columns = [row[1] for row in storage.db.conn.execute("PRAGMA table_info(session_counts)")]
    assert columns == ["day", "kind", "count"]
    with pytest.raises(ValueError, match="unknown session kind"):
        counts.add(DAY, "Maria Silva")


def test_writes_from_many_threads_lose_nothing(tmp_path: Path) -> None:
    counts = SessionCounts(tmp_path / "data")
    counts.on(DAY)  # created once, as the kiosk's start-up does
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(10):
                counts.add(DAY, TIMEOUT)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and counts.on(DAY) == {TIMEOUT: 40}


def test_the_tally_writes_through_the_store_on_the_day_it_ended(tmp_path: Path) -> None:
    session, counts = _session(), SessionCounts(tmp_path / "data")
    late = [LISBON_EVENING]
    queued: list[Callable[[], None]] = []
    tally = SessionTally(session, counts.add, run=queued.append, clock=lambda: late[0])
    tally.screen_shown("question")
    session.end("finished")
    late[0] += dt.timedelta(minutes=5)  # the write runs after midnight: still yesterday's session
    for work in queued:
        work()
    assert counts.on(DAY) == {FINISHED: 1} and counts.on(DAY + dt.timedelta(days=1)) == {}
