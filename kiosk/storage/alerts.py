"""Staff alerts: things staff must see (and acknowledge), such as a recovered database.

An alert stays open until a member of staff acknowledges it. `summary` is English text for staff and logs and must
never contain personal data; `details` holds machine-readable facts (counts, file names) as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from kiosk.storage.clock import Clock, iso_utc, utc_now

# Shown for a timestamp that a salvaged row no longer holds intact.
_UNKNOWN_TIME = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class StaffAlert:
    id: int
    created_at: datetime
    kind: str
    summary: str
    details: Mapping[str, Any]
    acknowledged_at: datetime | None
    acknowledged_by: str | None

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


def raise_alert(db: Database, kind: str, summary: str, details: Mapping[str, Any], *, clock: Clock = utc_now) -> int:
    """Record a new open alert and return its id. `details` must be JSON-serialisable."""
    if not kind.strip() or not summary.strip():
        raise ValueError("a staff alert needs a non-empty kind and summary")
    details_json = json.dumps(dict(details), sort_keys=True, ensure_ascii=False)
    cursor = db.execute(
        "INSERT INTO staff_alerts (created_at, kind, summary, details_json) VALUES (?, ?, ?, ?)",
        [iso_utc(clock()), kind, summary, details_json],
    )
    alert_id = cursor.lastrowid
    assert alert_id is not None  # an INSERT into a rowid table always yields one
    return alert_id


def open_alerts(db: Database) -> list[StaffAlert]:
    """Every alert not yet acknowledged, oldest first."""
    rows = db.query("SELECT * FROM staff_alerts WHERE acknowledged_at IS NULL ORDER BY id")
    return [_to_alert(row) for row in rows]


def get_alert(db: Database, alert_id: int) -> StaffAlert | None:
    rows = list(db.query("SELECT * FROM staff_alerts WHERE id = ?", [alert_id]))
    return _to_alert(rows[0]) if rows else None


def acknowledge(db: Database, alert_id: int, by: str, *, clock: Clock = utc_now) -> bool:
    """Close an open alert; `by` names the staff member. False if there is no such alert or it was already closed."""
    if not by.strip():
        raise ValueError("acknowledging a staff alert needs the name or id of the staff member")
    cursor = db.execute(
        "UPDATE staff_alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL",
        [iso_utc(clock()), by, alert_id],
    )
    return cursor.rowcount == 1


def _to_alert(row: Mapping[str, Any]) -> StaffAlert:
    acknowledged_at = row["acknowledged_at"]
    return StaffAlert(
        id=int(row["id"]),
        created_at=_parse_time(row["created_at"]) or _UNKNOWN_TIME,
        kind=str(row["kind"]),
        summary=str(row["summary"]),
        details=_parse_details(row["details_json"]),
        acknowledged_at=_parse_time(acknowledged_at) or (_UNKNOWN_TIME if acknowledged_at is not None else None),
        acknowledged_by=row["acknowledged_by"],
    )


def _parse_time(raw: object) -> datetime | None:
    try:
        return datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def _parse_details(raw: object) -> Mapping[str, Any]:
    # A row salvaged from a damaged file may hold broken JSON: show it raw rather than hide the alert.
    try:
        parsed = json.loads(raw) if isinstance(raw, str) else None
    except json.JSONDecodeError:
        parsed = None
    return parsed if isinstance(parsed, dict) else {"unparsed": raw}
