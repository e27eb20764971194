"""Staff alerts: raised, listed while open, closed only by an acknowledgement, kept across restarts."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.storage import StaffAlert, acknowledge, get_alert, open_alerts, open_storage, raise_alert

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
T1 = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)


def test_raised_alert_is_open_with_its_details(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        alert_id = raise_alert(storage.db, "printer-offline", "The printer is offline.", {"port": 3}, clock=lambda: T0)
        [alert] = open_alerts(storage.db)
    assert alert == StaffAlert(alert_id, T0, "printer-offline", "The printer is offline.", {"port": 3}, None, None)
    assert alert.is_open
    with pytest.raises(dataclasses.FrozenInstanceError):
        alert.summary = "changed"  # type: ignore[misc]


def test_alert_stays_open_until_acknowledged_even_across_restarts(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        first = raise_alert(storage.db, "a", "First.", {})
        second = raise_alert(storage.db, "b", "Second.", {"n": 1})
    with open_storage(tmp_path) as storage:
        assert [a.id for a in open_alerts(storage.db)] == [first, second]
        assert acknowledge(storage.db, first, "staff-42", clock=lambda: T1) is True
    with open_storage(tmp_path) as storage:
        assert [a.id for a in open_alerts(storage.db)] == [second]
        closed = get_alert(storage.db, first)
        assert closed is not None and not closed.is_open
        assert (closed.acknowledged_at, closed.acknowledged_by) == (T1, "staff-42")


def test_acknowledging_twice_or_an_unknown_alert_reports_false(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        alert_id = raise_alert(storage.db, "a", "First.", {})
        assert acknowledge(storage.db, alert_id, "staff-1", clock=lambda: T0)
        assert acknowledge(storage.db, alert_id, "staff-2", clock=lambda: T1) is False
        assert acknowledge(storage.db, 999, "staff-1") is False
        kept = get_alert(storage.db, alert_id)
        assert kept is not None and (kept.acknowledged_by, kept.acknowledged_at) == ("staff-1", T0)


def test_acknowledgement_needs_a_staff_name_and_alerts_need_text(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        alert_id = raise_alert(storage.db, "a", "First.", {})
        with pytest.raises(ValueError, match="staff member"):
            acknowledge(storage.db, alert_id, "  ")
        with pytest.raises(ValueError, match="kind and summary"):
            raise_alert(storage.db, "", "x", {})
        with pytest.raises(TypeError):
            raise_alert(storage.db, "a", "Not JSON.", {"when": T0})
        assert [a.id for a in open_alerts(storage.db)] == [alert_id]


def test_timestamps_are_stored_as_iso_utc_text(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        raise_alert(storage.db, "a", "First.", {}, clock=lambda: T0)
        [row] = storage.db.query("SELECT created_at FROM staff_alerts")
    assert row["created_at"] == "2025-03-01T09:30:00.000Z"


def test_an_alert_with_damaged_details_is_still_shown(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        storage.db.execute(
            "INSERT INTO staff_alerts (created_at, kind, summary, details_json) VALUES ('garbled', 'k', 's', '{oops')"
        )
        [alert] = open_alerts(storage.db)
    assert alert.details == {"unparsed": "{oops"}
    assert alert.created_at.tzinfo is not None
