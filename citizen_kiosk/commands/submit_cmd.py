"""`citizen-kiosk submit SERVICE_ID --answers FILE.json`: back-office entry, validated exactly as the screens validate.

The answers walk the same flow a citizen walks (kiosk.forms.answers_file); valid ones are sealed and queued in one
transaction (kiosk.submissions.finalise) and the command prints `REFERENCE SUBMISSION_UUID`. Invalid answers exit 3 with
one line per field; nothing is stored.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from citizen_kiosk.commands import EXIT_FAILURE, EXIT_OK, Command, UsageError
from citizen_kiosk.wiring import Context

EXIT_INVALID_ANSWERS = 3


def _add(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("service_id", metavar="SERVICE_ID", help="the service, as `catalog list` shows it")
    parser.add_argument("--answers", required=True, metavar="FILE", help="answers file (JSON; see `catalog example`)")
    parser.add_argument("--assisted", action="store_true", help="a mediator entered or helped with these answers")
    parser.add_argument("--lang", metavar="L", help="the language the citizen used (default: languages.default)")


def _run(args: argparse.Namespace, context: Context) -> int:
    import datetime

    from citizen_kiosk.wiring import catalog_cache_path
    from kiosk.catalog import DEMO_CATALOG_DIR, load_catalog
    from kiosk.forms.answers_file import fill, place

    directory = context.config.catalog.directory or DEMO_CATALOG_DIR
    service = load_catalog(directory, cache_path=catalog_cache_path(context)).catalog.services.get(args.service_id)
    if service is None:
        raise UsageError(f"no service {args.service_id!r} in the catalog; `citizen-kiosk catalog list` shows them")
    answers = _read_answers(Path(args.answers))
    if isinstance(answers, str):
        print(f"citizen-kiosk submit: {answers}", file=sys.stderr)
        return EXIT_INVALID_ANSWERS
    result = fill(service, answers, today=datetime.date.today())
    problems = [(where, error.code, error.part) for where, error in result.errors]
    if result.ok:
        problems += [(place(step), error.code, error.part) for step, error in result.flow.missing()]
    elif not problems:
        problems.append(("(answers)", "incomplete", None))
    if problems:
        for where, code, part in problems:
            print(f"{where}{f' ({part})' if part else ''}: {_describe(code)}")
        return EXIT_INVALID_ANSWERS
    return _store(context, service, result.flow, language=args.lang or context.config.languages.default, args=args)


def _read_answers(path: Path) -> dict[str, object] | str:
    """The answers file as a JSON object, or the reason it is not one (never its content: it is personal data)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        return f"cannot read {path}: {error.strerror or error}"
    except UnicodeDecodeError:
        return f"{path} is not UTF-8 text"
    except json.JSONDecodeError as error:
        return f"{path} is not JSON (line {error.lineno}, column {error.colno}: {error.msg})"
    if not isinstance(data, dict):
        return f"{path} must hold one JSON object of answers keyed by question id"
    return data


def _describe(code: str) -> str:
    from kiosk.i18n import Catalog

    catalog = Catalog.load(languages=("en",))
    key = f"errors.{code}"
    return f"{catalog.t(key, 'en')} ({code})" if key in catalog.keys("en") else code


def _store(context: Context, service, flow, *, language: str, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime
    from functools import partial

    from kiosk.crypto import PayloadCipher
    from kiosk.secrets import open_secret_store
    from kiosk.storage import StorageError, open_storage
    from kiosk.submissions import finalise, new_submission, reference_exists

    key = open_secret_store(context.config.secrets, context.env).payload_key()
    if key is None:
        reason = "no payload key, so nothing can be stored encrypted: run `citizen-kiosk secrets init`"
        print(f"citizen-kiosk submit: {reason} (or check `citizen-kiosk secrets status`)", file=sys.stderr)
        return EXIT_FAILURE
    site = context.config.site
    try:
        with open_storage(context.data_dir.path) as storage:
            submission = new_submission(
                service_id=service.id,
                service_version=service.version,
                site_id=site.id,
                kiosk_id=site.kiosk_id,
                locale=language,
                assisted=bool(args.assisted),
                consents=flow.consents(),
                answers=flow.final_answers(),
                now=datetime.now(UTC),
                reference_exists=partial(reference_exists, storage.db),
            )
            finalise(
                storage.db,
                submission,
                PayloadCipher(key),
                target=service.target,
                retention_days=service.retention_days,
            )
    except StorageError as error:
        print(f"citizen-kiosk submit: not stored: {error}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"{submission.reference} {submission.uuid}")
    return EXIT_OK


COMMANDS = (
    Command(
        "submit",
        "validate an answers file exactly as the screens do and queue it: prints REFERENCE SUBMISSION_UUID",
        _add,
        _run,
        # {answers}: tests put the path of `catalog example propose-a-simplification`'s output here.
        example="submit propose-a-simplification --answers {answers}",
    ),
)
