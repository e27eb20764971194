"""`citizen-kiosk tutorials check`: validate tutorial definitions like `catalog check` validates services; Qt-free."""

from __future__ import annotations

import argparse
from pathlib import Path

from citizen_kiosk.commands import EXIT_FAILURE, EXIT_OK, Command
from citizen_kiosk.commands.catalog_cmd import catalog_dir
from citizen_kiosk.wiring import Context


def _add_check(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", nargs="?", metavar="DIR", help="tutorials folder (default: the shipped tutorials)")
    parser.add_argument(
        "--catalog",
        metavar="CATALOG_DIR",
        help="catalog the linked services and life events must exist in (default: catalog.directory, else the demo)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="treat warnings (plain language) as problems: exit 1 when there are any"
    )


def _run_check(args: argparse.Namespace, context: Context) -> int:
    from kiosk.catalog import load_catalog
    from tutorials.loader import CONTENT_DIR, link_problems, load_tutorials

    report = load_tutorials(Path(args.directory) if args.directory else CONTENT_DIR)
    catalog = load_catalog(catalog_dir(argparse.Namespace(directory=args.catalog), context)).catalog
    services, events = set(catalog.services), {event.id for event in catalog.life_events}
    links = [problem for t in report.tutorials.values() for problem in link_problems(t, services, events)]
    problems = [*report.problems, *links]
    for problem in problems:
        print(f"problem: {problem}")
    for warning in report.warnings:
        print(f"warning: {warning}")
    if args.strict and report.warnings:
        print(f"strict: the {len(report.warnings)} warnings count as problems")
        problems += report.warnings
    print(f"{len(report.tutorials)} tutorials, {len(problems)} problems")
    return EXIT_FAILURE if problems else EXIT_OK


COMMANDS = (
    Command(
        "tutorials check",
        "validate a folder of tutorials: each problem with its file and place, links checked against the catalog",
        _add_check,
        _run_check,
        example="tutorials check",
    ),
)
