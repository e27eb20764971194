"""`citizen-kiosk secrets init|status`: provision the keys the kiosk needs and show whether they are usable."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from citizen_kiosk.commands import EXIT_FAILURE, EXIT_OK, Command, UsageError
from citizen_kiosk.wiring import Context, open_secrets


def _add_init(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--credentials-dir",
        metavar="DIR",
        help="store the keys as files in DIR (mode 0600), as systemd's LoadCredential= provides them",
    )


def _run_init(args: argparse.Namespace, context: Context) -> int:
    from kiosk.secrets import ProvisionError, SecretStoreError, init_secrets
    from kiosk.settings import ConfigError

    config_path = context.config_path  # --config, else CITIZEN_KIOSK_CONFIG, else an existing per-user file
    if config_path is None:
        raise UsageError("--config F is required: the file records where the keys are, for every later command")
    credentials_dir = Path(args.credentials_dir).absolute() if args.credentials_dir else None
    try:
        result = init_secrets(config_path=config_path.absolute(), credentials_dir=credentials_dir, env=context.env)
    except (ProvisionError, SecretStoreError, ConfigError) as error:
        print(f"citizen-kiosk secrets init: {error}", file=sys.stderr)
        return EXIT_FAILURE
    for line in result.lines():
        print(line)
    return EXIT_OK if result.ok else EXIT_FAILURE


def _add_status(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the status as JSON")


def _run_status(args: argparse.Namespace, context: Context) -> int:
    status = open_secrets(context).status()
    if args.json:
        print(
            json.dumps(
                {"ok": status.ok, "backend": status.backend, "missing": list(status.missing), "reason": status.reason}
            )
        )
    else:
        print(f"backend: {status.backend}")
        print("all keys present: submissions can be accepted" if status.ok else status.reason)
    return EXIT_OK if status.ok else EXIT_FAILURE


COMMANDS = (
    Command(
        "secrets init",
        "create the keys the kiosk needs and record where they are in the --config file",
        _add_init,
        _run_init,
        example="secrets init",
        creates_config=True,
    ),
    Command(
        "secrets status",
        "show the secrets backend and whether every key is present",
        _add_status,
        _run_status,
        example="secrets status --json",
    ),
)
