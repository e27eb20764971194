"""`citizen-kiosk doctor [--json]`."""

from __future__ import annotations

import argparse
import json

from citizen_kiosk.commands import EXIT_FAILURE, EXIT_OK, Command
from citizen_kiosk.wiring import Context


def _add(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON list of {name, ok, required, detail, fix}")


def _run(args: argparse.Namespace, context: Context) -> int:
    from citizen_kiosk.doctor import run_checks

    results = run_checks(context)
    if args.json:
        print(json.dumps([result.as_dict() for result in results], indent=2, ensure_ascii=False))
    else:
        for result in results:
            print(result.line())
    return EXIT_FAILURE if any(result.required and not result.ok for result in results) else EXIT_OK


COMMANDS = (
    Command(
        "doctor",
        "check fonts, display, Qt platform plugins, secrets, speech, data directory and database integrity",
        _add,
        _run,
        example="doctor --json",
    ),
)
