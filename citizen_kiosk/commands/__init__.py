"""Every CLI command, registered in one table so tests can check each has help, docs and (if windowless) no Qt."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from citizen_kiosk.wiring import Context

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2  # reserved for usage errors, as argparse uses it


class UsageError(Exception):
    """The command line is wrong in a way argparse cannot see (exit code 2)."""


@dataclass(frozen=True)
class Command:
    name: str  # "secrets init" for a subcommand of a group
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Context], int]
    needs_qt: bool = False  # True only for commands that show or render a window
    example: str = ""  # an invocation that works on a fresh demo set-up (used by tests)
    creates_config: bool = False  # True: a --config file that does not exist yet is fine (the command writes it)


def all_commands() -> tuple[Command, ...]:
    # Imported here so that building the table imports no command's heavy dependencies.
    from citizen_kiosk.commands import alerts_cmd, config_cmd, doctor_cmd, gui_cmds, secrets_cmd

    return (
        *gui_cmds.COMMANDS,
        *doctor_cmd.COMMANDS,
        *config_cmd.COMMANDS,
        *secrets_cmd.COMMANDS,
        *alerts_cmd.COMMANDS,
    )
