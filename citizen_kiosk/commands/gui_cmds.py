"""`citizen-kiosk run` and `citizen-kiosk screenshot`: the two commands that need Qt (imported lazily, here only)."""

from __future__ import annotations

import argparse
import re
import sys

from citizen_kiosk.commands import EXIT_FAILURE, Command, UsageError
from citizen_kiosk.wiring import Context
from kiosk.i18n import SHIPPED_LANGUAGES, normalise_language


def _language(value: str | None, context: Context) -> str:
    if value is None:
        return context.config.languages.default
    lang = normalise_language(value, context.config.languages.available)
    if lang is None:
        raise UsageError(f"unknown language {value!r}; choose one of: {', '.join(context.config.languages.available)}")
    return lang


def _add_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--windowed", action="store_true", help="a normal window instead of full screen (development)")
    parser.add_argument("--lang", metavar="L", help=f"start language, BCP 47 ({', '.join(SHIPPED_LANGUAGES)})")
    parser.add_argument(
        "--exit-after-first-paint",
        action="store_true",
        help="quit as soon as the home screen is painted (start-up benchmark)",
    )


def _run_run(args: argparse.Namespace, context: Context) -> int:
    from citizen_kiosk import gui, platform_probe

    lang = _language(args.lang, context)
    display = platform_probe.display_status(context.env)
    if not display.ok:
        print(f"citizen-kiosk: {platform_probe.no_display_message()}", file=sys.stderr)
        return EXIT_FAILURE
    problem = gui.platform_problem(display.platform)
    if problem:
        print(f"citizen-kiosk: {problem}", file=sys.stderr)
        return EXIT_FAILURE
    return gui.run_kiosk(
        context, language=lang, windowed=args.windowed, exit_after_first_paint=args.exit_after_first_paint
    )


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{2,5})x(\d{2,5})", text)
    if not match:
        raise argparse.ArgumentTypeError(f"size must look like 1920x1080, not {text!r}")
    return int(match[1]), int(match[2])


def _add_screenshot(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", nargs="?", metavar="OUT.png", help="where to write the picture")
    parser.add_argument("--screen", metavar="NAME", default="home", help="registered screen to render (default home)")
    parser.add_argument("--lang", metavar="L", help="language of the screen")
    parser.add_argument("--size", type=_size, metavar="WxH", help="picture size (default: the reference panel's)")
    parser.add_argument("--list", action="store_true", help="print the registered screen names, one per line")
    parser.add_argument("--all", metavar="DIR", help="write every registered screen as DIR/NAME.png")


def _run_screenshot(args: argparse.Namespace, context: Context) -> int:
    chosen = [bool(args.out), args.list, bool(args.all)]
    if sum(chosen) != 1:
        raise UsageError("give exactly one of OUT.png, --list or --all DIR")
    from citizen_kiosk import gui

    return gui.screenshot(
        context,
        out=args.out,
        screen=args.screen,
        language=_language(args.lang, context),
        size=args.size,
        list_only=args.list,
        all_dir=args.all,
    )


COMMANDS = (
    Command(
        "run",
        "start the kiosk (full screen; --windowed for development)",
        _add_run,
        _run_run,
        needs_qt=True,
        example="run --exit-after-first-paint",
    ),
    Command(
        "screenshot",
        "render a registered screen offscreen to PNG (--list, --all DIR)",
        _add_screenshot,
        _run_screenshot,
        needs_qt=True,
        example="screenshot --list",
    ),
)
