"""`citizen-kiosk staff export|open-export`: one submission as an encrypted file for delivery by hand (no Qt).

The passphrase never appears on the command line (other users see arguments in `ps`, shells keep them in history): it
comes from `CITIZEN_KIOSK_EXPORT_PASSPHRASE`, else from standard input (its first line; asked twice, without echo,
when standard input is a terminal). The payload key comes from the secrets backend, as for `submit`.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from citizen_kiosk.commands import EXIT_FAILURE, EXIT_OK, Command, UsageError
from citizen_kiosk.commands.staff_accounts_cmd import COMMANDS as ACCOUNT_COMMANDS
from citizen_kiosk.wiring import Context, open_secrets

PASSPHRASE_ENV = "CITIZEN_KIOSK_EXPORT_PASSPHRASE"


def _add_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("reference", metavar="REFERENCE", help="the submission's reference, e.g. R-3WX5-RZMV-5N7P-6")
    parser.add_argument("--to", required=True, metavar="DIR", help="folder to write REFERENCE.kiosk-export in")


def _run_export(args: argparse.Namespace, context: Context) -> int:
    from kiosk.codes import CodeError, CodeKind, parse_code
    from kiosk.crypto import PayloadCipher
    from kiosk.export import ExportError
    from kiosk.outbox_staff import find_item
    from kiosk.storage import StorageError, open_storage

    try:
        reference = parse_code(args.reference, CodeKind.SUBMISSION)
    except CodeError as error:
        raise UsageError(f"{args.reference!r} is not a submission reference: {error}") from None
    try:
        with open_storage(context.data_dir.path) as storage:
            item = find_item(storage.db, reference)
            if item is None:
                return _fail(f"no submission {reference} on this kiosk")
            key = open_secrets(context).payload_key()
            if key is None:
                return _fail("no payload key, so the answers cannot be opened (see `citizen-kiosk secrets status`)")
            passphrase = _passphrase(context, confirm=True)
            from kiosk.export import export_submission

            path = export_submission(storage.db, item.submission_uuid, PayloadCipher(key), passphrase, Path(args.to))
    except (ExportError, StorageError, PassphraseError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"cannot write to {args.to}: {error.strerror or error}")
    from citizen_kiosk.commands.audit_cmd import audit_recorder, cli_actor

    audit_recorder(context)("export", cli_actor(context), {"reference": reference, "via": "cli"})
    print(path)
    return EXIT_OK


def _add_open(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a .kiosk-export file written by `staff export` or the screen")


def _run_open(args: argparse.Namespace, context: Context) -> int:
    from kiosk.export import ExportError, open_export

    path = Path(args.file)
    if not path.is_file():
        return _fail(f"no file {path}")
    try:
        document = open_export(path, _passphrase(context, confirm=False))
    except (ExportError, PassphraseError) as error:
        return _fail(str(error))
    print(json.dumps(document, indent=2, ensure_ascii=False))
    return EXIT_OK


class PassphraseError(Exception):
    """No usable passphrase was given."""


def _passphrase(context: Context, *, confirm: bool) -> str:
    """From the environment, else standard input: typed twice without echo on a terminal, else its first line."""
    passphrase = context.env.get(PASSPHRASE_ENV, "")
    if not passphrase and sys.stdin is not None and sys.stdin.isatty():
        passphrase = getpass.getpass("Passphrase: ")
        if confirm and getpass.getpass("Passphrase again: ") != passphrase:
            raise PassphraseError("the two passphrases differ")
    elif not passphrase and sys.stdin is not None:
        passphrase = sys.stdin.readline().rstrip("\r\n")
    if not passphrase:
        raise PassphraseError(f"no passphrase: set {PASSPHRASE_ENV} or give it on standard input")
    return passphrase


def _fail(message: str) -> int:
    print(f"citizen-kiosk staff: {message}", file=sys.stderr)
    return EXIT_FAILURE


COMMANDS = (
    Command(
        "staff export",
        "write one submission to an encrypted REFERENCE.kiosk-export file for delivery by hand",
        _add_export,
        _run_export,
        example="staff export R-3WX5-RZMV-5N7P-6 --to exports",
    ),
    Command(
        "staff open-export",
        "decrypt a .kiosk-export file and print its JSON (reference, service, payload, server message)",
        _add_open,
        _run_open,
        example="staff open-export missing.kiosk-export",
    ),
    *ACCOUNT_COMMANDS,  # staff add|list|disable
)
