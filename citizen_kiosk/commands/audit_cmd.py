"""`citizen-kiosk audit verify|list`: check the staff audit log's chain and checkpoint, or list its records (no Qt).

`audit_recorder(context)` is also what the GUI and `staff export` use to write records: the key comes from the
secrets backend at each write (created on first use while the log is empty, kiosk.audit.audit_key).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from citizen_kiosk.commands import EXIT_FAILURE, EXIT_OK, Command
from citizen_kiosk.wiring import Context, open_secrets

if TYPE_CHECKING:
    from sqlite_utils import Database

    from kiosk.audit import Recorder


def audit_recorder(context: Context) -> Recorder:
    """`record(kind, actor, detail) -> bool` on this kiosk's database; never raises (kiosk.audit.recorder).

    The audit code (and sqlite-utils with it) is imported at the first record, not here: the kiosk builds its
    recorders before its first frame is painted."""
    built: list[Recorder] = []

    def record(kind: str, actor: str, detail: Mapping[str, str | int | bool] | None = None) -> bool:
        if not built:
            built.append(_build_recorder(context))
        return built[0](kind, actor, detail)

    return record


def _build_recorder(context: Context) -> Recorder:
    from kiosk.audit import audit_key, recorder

    @contextmanager
    def open_db() -> Iterator[Database]:
        from kiosk.storage import open_storage

        with open_storage(context.data_dir.path) as storage:
            yield storage.db

    def key(db: Database) -> bytes | None:
        return audit_key(open_secrets(context), db, context.data_dir.path)

    return recorder(open_db, context.data_dir.path, key)


def cli_actor(context: Context) -> str:
    """Who ran a command, for the audit log: the operating-system account (commands have no staff sign-in)."""
    name = (context.env.get("USER") or context.env.get("LOGNAME") or "").strip()
    return f"cli:{name}"[:64] if name.isprintable() and name else "cli"


def _add_verify(parser: argparse.ArgumentParser) -> None:
    del parser  # no options: the data directory and the secrets come from --data-dir and --config


def _run_verify(args: argparse.Namespace, context: Context) -> int:
    del args
    from kiosk.audit import AuditLog
    from kiosk.secrets import AUDIT_KEY
    from kiosk.secrets.keys import decode_key
    from kiosk.storage import StorageError, open_storage

    text = open_secrets(context).get(AUDIT_KEY)
    try:
        key = decode_key(text) if text is not None else None
    except ValueError:
        key = None
    if key is None:
        what = "missing" if text is None else "not a 256-bit key"
        print(f"citizen-kiosk audit: cannot verify: the secret {AUDIT_KEY} is {what}", file=sys.stderr)
        print("Restore it from the backup (docs/secrets.md); see `citizen-kiosk secrets status`.", file=sys.stderr)
        return EXIT_FAILURE
    try:
        with open_storage(context.data_dir.path) as storage:
            result = AuditLog(storage.db, context.data_dir.path, key).verify()
    except StorageError as error:
        print(f"citizen-kiosk audit: {error}", file=sys.stderr)
        return EXIT_FAILURE
    print(result.line())
    if result.ok and result.reason:
        print(f"note: {result.reason}; it moves forward with the next record")
    return EXIT_OK if result.ok else EXIT_FAILURE


def _add_list(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the records as JSON")
    parser.add_argument("--limit", type=_positive, metavar="N", help="only the last N records")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("N must be 1 or more")
    return value


def _run_list(args: argparse.Namespace, context: Context) -> int:
    from kiosk.audit import list_records
    from kiosk.storage import StorageError, open_storage

    try:
        with open_storage(context.data_dir.path) as storage:
            records = list_records(storage.db, limit=args.limit)
    except StorageError as error:
        print(f"citizen-kiosk audit: {error}", file=sys.stderr)
        return EXIT_FAILURE
    if args.json:
        rows = [{"seq": r.seq, "at": r.at, "actor": r.actor, "kind": r.kind, "detail": r.detail} for r in records]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not records:
        print("no audit records")
    for r in records:
        detail = " ".join(f"{key}={value}" for key, value in sorted(r.detail.items()))
        print(f"#{r.seq} {r.at} {r.actor}: {r.kind}" + (f" {detail}" if detail else ""))
    return EXIT_OK


COMMANDS = (
    Command(
        "audit verify",
        "check the staff audit log: every record's MAC, no gaps, and the checkpoint; exit 1 when it is broken",
        _add_verify,
        _run_verify,
    ),
    Command(
        "audit list",
        "list the staff audit log's records (time, staff member, action, detail), oldest first",
        _add_list,
        _run_list,
        example="audit list --limit 5",
    ),
)
