"""`citizen-kiosk sync status` (the delivery queue at a glance) and `sync now` (deliver what is due), no Qt."""

from __future__ import annotations

import argparse
import json
import logging
from datetime import UTC, datetime

from citizen_kiosk.commands import EXIT_FAILURE, EXIT_OK, Command
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
        "breakers": {
            b.endpoint: {"state": b.breaker, "next_probe_at": b.next_probe_at, "paused": b.paused_reason}
            for b in breakers
        },
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
        paused = f", PAUSED: {breaker.paused_reason} (next try {breaker.paused_until})" if breaker.paused_reason else ""
        print(f"endpoint {breaker.endpoint}: {breaker.breaker}{probe}{paused}")
    return EXIT_OK


def _add_now(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max", type=int, default=None, metavar="N", help="deliver at most N submissions (default: all that are due)"
    )


def _run_now(args: argparse.Namespace, context: Context) -> int:
    """Deliver what is due now; exit 1 when something is quarantined or paused (it needs staff), else 0."""
    import sys

    from citizen_kiosk.delivery import engine_factory
    from citizen_kiosk.wiring import start_logging
    from kiosk.outbox import counts
    from kiosk.storage import open_storage

    start_logging(context)  # deliveries made from the command line are in the kiosk's log like the worker's

    if not context.config.endpoints:
        print("citizen-kiosk sync now: no delivery endpoint is configured (docs/configuration.md)", file=sys.stderr)
    build = engine_factory(context, owner="sync-now")
    with open_storage(context.data_dir.path) as storage:
        engine = build(storage.db)
        if not context.config.endpoints or engine_has_key(context):
            try:
                report = engine.run_once(max_items=args.max)
            finally:
                engine.close()
        else:
            print(
                "citizen-kiosk sync now: the payload key is missing: run `citizen-kiosk secrets status`",
                file=sys.stderr,
            )
            return EXIT_FAILURE
        parked = {k: v for k, v in counts(storage.db).per_state.items() if k in ("quarantined", "auth-paused")}
    print(report.line())
    logging.getLogger(__name__).info("sync now: %s", report.line())
    if parked:
        waiting = ", ".join(f"{state} {n}" for state, n in sorted(parked.items()))
        print(f"need staff: {waiting} (see `citizen-kiosk sync status` and the staff queue screen)")
    return EXIT_FAILURE if parked or report.quarantined or report.paused else EXIT_OK


def engine_has_key(context: Context) -> bool:
    from citizen_kiosk.wiring import open_secrets

    return open_secrets(context).payload_key() is not None


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
    Command(
        "sync now",
        "deliver what is due now and print: delivered N, scheduled N, quarantined N, paused N "
        "(exit 1 if something is quarantined or paused)",
        _add_now,
        _run_now,
        example="sync now",
    ),
)
