"""`citizen-kiosk sync status`: the delivery queue at a glance, for staff and monitoring (no Qt)."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from citizen_kiosk.commands import EXIT_OK, Command
from citizen_kiosk.wiring import Context


def _add_status(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")


def _run_status(args: argparse.Namespace, context: Context) -> int:
    from kiosk.outbox import counts
    from kiosk.storage import open_storage
    from sync.breaker import states

    with open_storage(context.data_dir.path) as storage:
        queue = counts(storage.db)
        breakers = states(storage.db)
    now = datetime.now(UTC)
    oldest = _seconds_since(queue.oldest_pending_at, now)
    figures = {
        "states": queue.per_state,
        "pending": sum(n for state, n in queue.per_state.items() if state not in ("delivered", "quarantined")),
        "oldest_pending_seconds": oldest,
        "last_success": queue.last_delivered_at,
        "breakers": {b.endpoint: {"state": b.breaker, "next_probe_at": b.next_probe_at} for b in breakers},
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return EXIT_OK
    per_state = ", ".join(f"{state} {n}" for state, n in sorted(queue.per_state.items())) or "empty"
    print(f"queue: {per_state}")
    print(f"oldest pending: {'none' if oldest is None else f'{oldest} s ago'}")
    print(f"last delivery: {queue.last_delivered_at or 'never'}")
    for breaker in breakers:
        probe = f", next probe {breaker.next_probe_at}" if breaker.breaker == "open" else ""
        print(f"endpoint {breaker.endpoint}: {breaker.breaker}{probe}")
    return EXIT_OK


def _seconds_since(stamp: str | None, now: datetime) -> int | None:
    if stamp is None:
        return None
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return max(0, int((now - moment).total_seconds()))


COMMANDS = (
    Command(
        "sync status",
        "show the delivery queue: items per state, oldest pending age, last delivery, each endpoint's breaker",
        _add_status,
        _run_status,
        example="sync status --json",
    ),
)
