"""`citizen-kiosk tutorials check|sessions|export`: validate tutorial definitions like `catalog check` validates
services; list this kiosk's trainer group sessions; export one as CSV (audited). Qt-free."""

from __future__ import annotations

import argparse
import json
import sys
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


def _add_sessions(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the sessions as JSON")


def _run_sessions(args: argparse.Namespace, context: Context) -> int:
    from kiosk.storage import open_storage
    from tutorials.trainer import GroupSessions

    with open_storage(context.data_dir.path) as storage:
        sessions = GroupSessions(storage.db, None, {}, actor="cli").sessions()
    if args.json:
        print(json.dumps([{**s._asdict(), "day": s.day.isoformat()} for s in sessions], indent=2, ensure_ascii=False))
    elif not sessions:
        print("no group sessions on this kiosk")
    for s in [] if args.json else sessions:
        counts = f"{s.enrolled} enrolled, {s.attended} attended"
        print(f"#{s.id} {s.day} {s.name} (trainer {s.trainer}): {counts}; tutorials {', '.join(s.tutorials)}")
    return EXIT_OK


def _add_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session", type=int, metavar="SESSION_ID", help="the session number `tutorials sessions` shows")
    parser.add_argument(
        "--out", required=True, metavar="FILE.csv", help="the CSV file to write (its folder must exist)"
    )
    parser.add_argument("--lang", default="pt-PT", help="language of the tutorial titles (default: pt-PT)")


def _run_export(args: argparse.Namespace, context: Context) -> int:
    from citizen_kiosk.commands.audit_cmd import audit_recorder, cli_actor
    from citizen_kiosk.wiring import open_secrets
    from kiosk.crypto import PayloadCipher
    from kiosk.storage import open_storage
    from tutorials.loader import load_tutorials
    from tutorials.trainer import GroupSessions
    from tutorials.trainer_records import TrainerError

    key = open_secrets(context).payload_key()
    if key is None:
        return _fail("no payload key, so the roster's names cannot be opened (see `citizen-kiosk secrets status`)")
    record = audit_recorder(context)
    try:
        with open_storage(context.data_dir.path) as storage:
            sessions = GroupSessions(
                storage.db,
                PayloadCipher(key),
                load_tutorials().tutorials,
                actor=cli_actor(context),
                audit=record,
            )
            rows = sessions.export_csv(
                args.session, Path(args.out), lang=args.lang, kiosk_id=context.config.site.kiosk_id, via="cli"
            )
    except TrainerError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"cannot write {args.out}: {error.strerror or error}")
    print(f"{rows} rows written to {args.out}")
    return EXIT_OK


def _fail(message: str) -> int:
    print(f"citizen-kiosk tutorials: {message}", file=sys.stderr)
    return EXIT_FAILURE


COMMANDS = (
    Command(
        "tutorials check",
        "validate a folder of tutorials: each problem with its file and place, links checked against the catalog",
        _add_check,
        _run_check,
        example="tutorials check",
    ),
    Command(
        "tutorials sessions",
        "list this kiosk's trainer group sessions: number, date, name, trainer, enrolled and attended, tutorials",
        _add_sessions,
        _run_sessions,
        example="tutorials sessions --json",
    ),
    Command(
        "tutorials export",
        "write a group session's progress as CSV, one row per learner and tutorial (no codes; audited)",
        _add_export,
        _run_export,
        example="tutorials export 1 --out session-1.csv",
    ),
)
