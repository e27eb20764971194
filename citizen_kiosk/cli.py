"""`citizen-kiosk`: parse the command line, load the configuration and hand over to one command.

Nothing here imports Qt: windowless commands (doctor, secrets, alerts, config, and later catalog, submit, sync…) run on
machines without a display or without Qt at all. `run` and `screenshot` import the GUI inside their own functions.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence

from citizen_kiosk import __version__, qt_preload
from citizen_kiosk.commands import EXIT_FAILURE, EXIT_USAGE, Command, UsageError, commands_for


def _common_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    # On subcommands the defaults are suppressed so that `citizen-kiosk --config F run` keeps F.
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--data-dir",
        metavar="D",
        default=default,
        help="data directory (overrides CITIZEN_KIOSK_DATA_DIR and the config file)",
    )
    parser.add_argument(
        "--config", metavar="F", default=default, help="configuration file (TOML; overrides CITIZEN_KIOSK_CONFIG)"
    )


def build_parser(commands: Sequence[Command]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citizen-kiosk",
        description="Citizen Kiosk: an offline-first, accessible kiosk for citizen spots. Without a command, runs it.",
    )
    parser.add_argument("--version", action="version", version=f"citizen-kiosk {__version__}")
    _common_options(parser, suppress=False)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    groups: dict[str, argparse._SubParsersAction[argparse.ArgumentParser]] = {}
    for command in commands:
        words = command.name.split()
        if len(words) == 1:
            target = subparsers.add_parser(words[0], help=command.help, description=command.help)
        else:
            group, sub = words
            if group not in groups:
                group_parser = subparsers.add_parser(group, help=f"{group} commands")
                groups[group] = group_parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
            target = groups[group].add_parser(sub, help=command.help, description=command.help)
        _common_options(target, suppress=True)
        command.add_arguments(target)
        target.set_defaults(handler=command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Start-up allocates tens of thousands of objects that live as long as the process (Qt bindings, settings, widgets)
    # and frees almost none: the cyclic collector would scan them ~50 times before the first frame (~6 ms) for nothing.
    # It is paused for start-up: `run` resumes it once the first frame is painted (`gui.resume_collection`), other
    # commands when they end.
    gc.disable()
    argv = list(argv if argv is not None else sys.argv[1:])
    # Before anything else: when this starts the kiosk, Qt's libraries load on a helper thread meanwhile.
    qt_preload.start(argv)
    try:
        try:
            return _main(argv)
        finally:
            sys.stdout.flush()  # here, not at exit: a closed pipe is then caught below
    except BrokenPipeError:
        return _reader_gone()
    finally:
        gc.enable()


def _reader_gone() -> int:
    """The output's reader stopped reading (`citizen-kiosk screenshot --list | head -1`): no traceback, like any Unix
    tool; and stdout goes to /dev/null, or Python's own flush at exit would fail on the closed pipe again."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)
    return EXIT_FAILURE


def _main(argv: list[str]) -> int:
    parser = build_parser(commands_for(argv))
    args = parser.parse_args(argv)
    command: Command | None = getattr(args, "handler", None)
    if command is None:  # bare `citizen-kiosk` runs the kiosk, like `citizen-kiosk run`
        return _main([*argv, "run"])
    from citizen_kiosk.wiring import load_context  # here, not above: after the Qt preload has started
    from kiosk.settings import ConfigError

    try:
        context = load_context(
            config_option=args.config,
            data_dir_option=args.data_dir,
            env=os.environ,
            missing_ok=command.creates_config,
        )
    except ConfigError as error:
        print(f"citizen-kiosk: {error}", file=sys.stderr)
        return EXIT_FAILURE
    try:
        return command.run(args, context)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"citizen-kiosk {command.name}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
