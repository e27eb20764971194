"""Every CLI command, registered in one table so tests can check each has help, docs and (if windowless) no Qt."""

import argparse
import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # at run time the wiring loads after the Qt preload has started (citizen_kiosk.cli)
    from citizen_kiosk.wiring import Context

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2  # reserved for usage errors, as argparse uses it


class UsageError(Exception):
    """The command line is wrong in a way argparse cannot see (exit code 2)."""


class Command(NamedTuple):
    name: str  # "secrets init" for a subcommand of a group
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, "Context"], int]
    needs_qt: bool = False  # True only for commands that show or render a window
    example: str = ""  # an invocation that works on a fresh demo set-up (tests; {answers} = an answers file)
    creates_config: bool = False  # True: a --config file that does not exist yet is fine (the command writes it)


# The module of each command word (a group's first word for "secrets init"), in the order `--help` lists them. Modules
# are imported on demand so that building the table imports no command's heavy dependencies.
COMMAND_MODULES = {
    "run": "gui_cmds",
    "screenshot": "gui_cmds",
    "doctor": "doctor_cmd",
    "catalog": "catalog_cmd",
    "tutorials": "tutorials_cmd",
    "submit": "submit_cmd",
    "sync": "sync_cmd",
    "config": "config_cmd",
    "secrets": "secrets_cmd",
    "alerts": "alerts_cmd",
    "staff": "staff_cmd",
    "audit": "audit_cmd",
    "sandbox": "sandbox_cmd",
}
GLOBAL_VALUE_OPTIONS = ("--data-dir", "--config")  # the options before the command word that take a value


def all_commands() -> tuple[Command, ...]:
    modules = dict.fromkeys(COMMAND_MODULES.values())  # each module once, in table order
    return tuple(command for module in modules for command in _module_commands(module))


def commands_for(argv: Sequence[str]) -> tuple[Command, ...]:
    """The commands a parser of `argv` needs: only those of the command word it names (building every command's
    parser costs ~2.5 ms at each start), else all of them, so that help and errors list every command."""
    word = command_word(argv)
    if word not in COMMAND_MODULES:
        return all_commands()
    return tuple(c for c in _module_commands(COMMAND_MODULES[word]) if c.name.split()[0] == word)


def command_word(argv: Sequence[str]) -> str | None:
    """The first word of the command `argv` names; None when anything but the global value options comes first."""
    first = _after_global_options(argv)
    return first if first is not None and not first.startswith("-") else None


def runs_kiosk(argv: Sequence[str]) -> bool:
    """Whether `argv` starts the kiosk: `run`, or no command at all (`citizen-kiosk --config F` runs it); not `--help`
    or `--version`."""
    first = _after_global_options(argv)
    return first is None or first == "run"


def _after_global_options(argv: Sequence[str]) -> str | None:
    """The first argument after the leading global value options and their values (`--config F`, `--data-dir=D`)."""
    args = iter(argv)
    for arg in args:
        if not _global_value_option(arg):
            return arg
        if "=" not in arg:
            next(args, None)  # the option's value
    return None


def _global_value_option(arg: str) -> bool:
    # argparse accepts unambiguous abbreviations ("--conf F").
    name = arg.split("=", 1)[0]
    return len(name) >= 3 and name.startswith("--") and any(option.startswith(name) for option in GLOBAL_VALUE_OPTIONS)


def _module_commands(module: str) -> tuple[Command, ...]:
    commands: tuple[Command, ...] = importlib.import_module(f"citizen_kiosk.commands.{module}").COMMANDS
    return commands
