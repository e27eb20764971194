"""`citizen-kiosk alerts list|ack`: staff alerts (a recovered database…) stay open until a person acknowledges them."""

from __future__ import annotations

import argparse
import json

from citizen_kiosk.commands import EXIT_FAILURE, EXIT_OK, Command
from citizen_kiosk.wiring import Context


def _add_list(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the open alerts as JSON")


def _run_list(args: argparse.Namespace, context: Context) -> int:
    from kiosk.storage import open_alerts, open_storage

    with open_storage(context.data_dir.path) as storage:
        alerts = open_alerts(storage.db)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": a.id,
                        "created_at": a.created_at.isoformat(),
                        "kind": a.kind,
                        "summary": a.summary,
                        "details": dict(a.details),
                    }
                    for a in alerts
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
    elif not alerts:
        print("no open alerts")
    for alert in [] if args.json else alerts:
        print(f"#{alert.id} {alert.created_at:%Y-%m-%d %H:%M} UTC {alert.kind}: {alert.summary}")
    return EXIT_OK


def _add_ack(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("alert_id", type=int, metavar="ID", help="the alert number shown by `alerts list`")
    parser.add_argument("--by", required=True, metavar="NAME", help="who acknowledges it (kept with the alert)")


def _run_ack(args: argparse.Namespace, context: Context) -> int:
    from kiosk.storage import acknowledge, open_storage

    with open_storage(context.data_dir.path) as storage:
        done = acknowledge(storage.db, args.alert_id, by=args.by)
    print(f"alert #{args.alert_id} acknowledged" if done else f"no open alert #{args.alert_id}")
    return EXIT_OK if done else EXIT_FAILURE


COMMANDS = (
    Command(
        "alerts list", "list the staff alerts that are still open", _add_list, _run_list, example="alerts list --json"
    ),
    Command(
        "alerts ack",
        "acknowledge a staff alert so it is no longer shown",
        _add_ack,
        _run_ack,
        example="alerts ack 1 --by demo",
    ),
)
