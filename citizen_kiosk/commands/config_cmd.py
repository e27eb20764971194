"""`citizen-kiosk config check`: validate a configuration file and report every problem at once."""

from __future__ import annotations

import argparse

from citizen_kiosk.commands import EXIT_OK, Command
from citizen_kiosk.wiring import Context


def _add(parser: argparse.ArgumentParser) -> None:
    pass


def _run(args: argparse.Namespace, context: Context) -> int:
    # Loading the context already validated the file: a bad one never reaches this point (exit 1 with its problems).
    source = context.config_path or "built-in defaults (no configuration file found)"
    print(f"configuration OK: {source}")
    print(f"data directory: {context.data_dir.path} (from {context.data_dir.source})")
    return EXIT_OK


COMMANDS = (
    Command(
        "config check", "validate the configuration file and show which one is used", _add, _run, example="config check"
    ),
)
