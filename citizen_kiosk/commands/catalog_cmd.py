"""`citizen-kiosk catalog check|list`: tools for service designers; Qt-free, like every windowless command."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from citizen_kiosk.commands import EXIT_FAILURE, EXIT_OK, Command, UsageError
from citizen_kiosk.wiring import Context


def catalog_dir(args: argparse.Namespace, context: Context) -> Path:
    """DIR on the command line > `catalog.directory` in the configuration > the shipped demo catalog."""
    from kiosk.catalog import DEMO_CATALOG_DIR

    chosen = getattr(args, "directory", None)
    if chosen:
        return Path(chosen)
    return context.config.catalog.directory or DEMO_CATALOG_DIR


def _add_check(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "directory", nargs="?", metavar="DIR", help="catalog folder (default: catalog.directory, else the demo catalog)"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (long sentences, administrative words) as problems: exit 1 when there are any",
    )


def _run_check(args: argparse.Namespace, context: Context) -> int:
    from kiosk.catalog import load_catalog

    report = load_catalog(catalog_dir(args, context))
    for problem in report.problems:
        print(f"problem: {problem}")
    for warning in report.warnings:
        print(f"warning: {warning}")
    if args.strict and report.warnings:
        print(f"strict: the {len(report.warnings)} warnings count as problems")
    print(report.summary)
    failed = report.problems or (args.strict and report.warnings)
    return EXIT_FAILURE if failed else EXIT_OK


def _add_list(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the services as JSON")
    parser.add_argument("--lang", default="en", metavar="L", help="language of the titles (default: en)")
    parser.add_argument("--catalog", dest="directory", metavar="DIR", help="catalog folder (default as for check)")


def _run_list(args: argparse.Namespace, context: Context) -> int:
    from kiosk.catalog import load_catalog

    report = load_catalog(catalog_dir(args, context))
    rows = [
        {
            "id": s.id,
            "version": s.version,
            "title": s.title.t(args.lang),
            "life_events": list(s.life_events),
            "questions": sum(1 for q, _ in s.questions() if q.asks),
        }
        for s in report.catalog.services.values()
    ]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            events = ",".join(row["life_events"])  # type: ignore[arg-type]
            print(f"{row['id']}\t{row['version']}\t{row['title']}\t{events}\t{row['questions']} questions")
    if report.problems:
        # Listed services are usable; the others are left out until `catalog check` comes back clean.
        note = f"{len(report.problems)} problems left some files out: run `citizen-kiosk catalog check`"
        print(note, file=sys.stderr)
    return EXIT_OK


def _add_example(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("service_id", metavar="SERVICE_ID", help="the service, as `catalog list` shows it")
    parser.add_argument("--catalog", dest="directory", metavar="DIR", help="catalog folder (default as for check)")


def _run_example(args: argparse.Namespace, context: Context) -> int:
    import datetime

    from kiosk.catalog import load_catalog
    from kiosk.forms.answers_file import example_answers

    service = load_catalog(catalog_dir(args, context)).catalog.services.get(args.service_id)
    if service is None:
        raise UsageError(f"no service {args.service_id!r} in the catalog; `citizen-kiosk catalog list` shows them")
    answers = example_answers(service, today=datetime.date.today())
    print(json.dumps(answers, indent=2, ensure_ascii=False))
    return EXIT_OK


COMMANDS = (
    Command(
        "catalog check",
        "validate a folder of service definitions: problems and warnings with file and place (--strict: warnings fail)",
        _add_check,
        _run_check,
        example="catalog check",
    ),
    Command(
        "catalog list",
        "list the services of the catalog (id, version, title, life events, questions)",
        _add_list,
        _run_list,
        example="catalog list --json",
    ),
    Command(
        "catalog example",
        "print a valid example answers file for a service (the format of `submit --answers`)",
        _add_example,
        _run_example,
        example="catalog example register-birth",
    ),
)
