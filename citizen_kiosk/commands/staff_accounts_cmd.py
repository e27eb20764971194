"""`citizen-kiosk staff add|list|disable`: staff accounts from the command line (no Qt); the logic is kiosk.staff.

The PIN or passphrase never appears on the command line (other users see arguments in `ps`, shells keep them in
history): it is the first line of standard input (on a terminal: asked twice, without echo). Every change is audited.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from typing import TYPE_CHECKING

from citizen_kiosk.commands import EXIT_FAILURE, EXIT_OK, Command
from citizen_kiosk.commands.audit_cmd import cli_actor
from citizen_kiosk.wiring import Context

if TYPE_CHECKING:
    from kiosk.staff import AuditSink

ROLES = ("site-manager", "mediator", "trainer")  # kiosk.staff.ROLES (a test keeps them equal; importing it costs time)


def _add_add(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the staff member's name as they sign in (e.g. a first name)")
    parser.add_argument("--role", required=True, choices=ROLES, help="what they may do on the kiosk")
    parser.add_argument(
        "--exists-ok", action="store_true", help="exit 0 without changes when NAME already has an account (scripts)"
    )


def _run_add(args: argparse.Namespace, context: Context) -> int:
    from kiosk.staff import StaffAccounts, StaffError, checked_name
    from kiosk.storage import StorageError, open_storage

    try:
        name = checked_name(args.name)  # before asking for a secret
    except StaffError as error:
        return _fail(str(error))
    try:
        with open_storage(context.data_dir.path) as storage:
            accounts = StaffAccounts(storage.db.conn, audit=_audit_sink(context))
            if accounts.get(name) is not None and args.exists_ok:
                return EXIT_OK
            if accounts.get(name) is not None:
                raise StaffError("name-taken", f"there is already an account named {name!r}")
            secret = _read_secret()
            if secret is None:
                raise StaffError("no-secret", "no PIN or passphrase: give it on the first line of standard input")
            member = accounts.add(name, args.role, secret, now=dt.datetime.now(dt.UTC), by=cli_actor(context))
    except (StaffError, StorageError) as error:
        return _fail(str(error))
    print(f"added {member.name} ({member.role})")
    return EXIT_OK


def _add_list(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of a table")


def _run_list(args: argparse.Namespace, context: Context) -> int:
    from kiosk.staff import StaffAccounts
    from kiosk.storage import StorageError, open_storage
    from kiosk.storage.clock import iso_utc

    try:
        with open_storage(context.data_dir.path) as storage:
            members = StaffAccounts(storage.db.conn).members()
    except StorageError as error:
        return _fail(str(error))
    rows = [
        {"name": m.name, "role": m.role, "disabled": m.disabled, "created_at": iso_utc(m.created_at)} for m in members
    ]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    elif not rows:
        print("no staff accounts (add one with `citizen-kiosk staff add NAME --role site-manager`)")
    else:
        width = max(len(m.name) for m in members)
        for row in rows:
            state = "disabled" if row["disabled"] else "active"
            print(f"{row['name']:<{width}}  {row['role']:<12}  {state:<8}  created {row['created_at']}")
    return EXIT_OK


def _add_disable(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the account to disable (it can no longer sign in)")


def _run_disable(args: argparse.Namespace, context: Context) -> int:
    from kiosk.staff import StaffAccounts
    from kiosk.storage import StorageError, open_storage

    try:
        with open_storage(context.data_dir.path) as storage:
            accounts = StaffAccounts(storage.db.conn, audit=_audit_sink(context))
            member = accounts.get(args.name)
            if member is None:
                return _fail(f"no account named {args.name!r}")
            if not accounts.disable(member.name, now=dt.datetime.now(dt.UTC), by=cli_actor(context)):
                print(f"{member.name} was already disabled")
                return EXIT_OK
    except StorageError as error:
        return _fail(str(error))
    print(f"disabled {member.name}")
    return EXIT_OK


def _read_secret() -> str | None:
    """The first line of standard input; on a terminal, typed twice without echo."""
    if sys.stdin is None:
        return None
    if sys.stdin.isatty():
        secret = getpass.getpass("PIN or passphrase: ")
        if getpass.getpass("Again: ") != secret:
            print("citizen-kiosk staff: the two entries differ", file=sys.stderr)
            return None
    else:
        secret = sys.stdin.readline().rstrip("\r\n")
    return secret or None


def _audit_sink(context: Context) -> AuditSink:
    """The kiosk's audit log (kiosk.audit, keyed from the secrets backend); a failed write never stops the change."""
    from citizen_kiosk.commands.audit_cmd import audit_recorder

    return audit_recorder(context)


def _fail(message: str) -> int:
    print(f"citizen-kiosk staff: {message}", file=sys.stderr)
    return EXIT_FAILURE


COMMANDS = (
    Command(
        "staff add",
        "add a staff account (site-manager, mediator or trainer); its PIN or passphrase comes from standard input",
        _add_add,
        _run_add,
        # A name that is refused before standard input is read: the test harness gives this example no input.
        example="staff add 123 --role mediator",
    ),
    Command(
        "staff list",
        "list the staff accounts: name, role, active or disabled, created (never a PIN or its hash)",
        _add_list,
        _run_list,
        example="staff list --json",
    ),
    Command(
        "staff disable",
        "disable a staff account: it can no longer sign in (the account and its audit trail stay)",
        _add_disable,
        _run_disable,
        example="staff disable nobody",
    ),
)
