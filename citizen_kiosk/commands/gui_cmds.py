"""`citizen-kiosk run` and `citizen-kiosk screenshot`: the two commands that need Qt (imported lazily, here only)."""

from __future__ import annotations

import argparse
import re
import sys

from accessibility.sizing import TEXT_STEPS, closest_text_step, step_percent
from accessibility.tokens import THEMES
from citizen_kiosk.commands import EXIT_FAILURE, EXIT_OK, Command, UsageError
from citizen_kiosk.wiring import Context
from kiosk.i18n import SHIPPED_LANGUAGES, normalise_language


def _language(value: str | None, context: Context, *, testing: tuple[str, ...] = ()) -> str:
    """The configured language `value` names (None: the default); `testing`: codes accepted besides, never offered."""
    if value is None:
        return context.config.languages.default
    lang = normalise_language(value, (*context.config.languages.available, *testing))
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


def _percent(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"text scale must be a positive percentage like 200, not {text!r}")
    return value


def _theme(value: str | None) -> str | None:
    if value is not None and value not in THEMES:
        raise UsageError(f"unknown theme {value!r}; choose one of: {', '.join(THEMES)} (see --list-themes)")
    return value


def _text_step(percent: float | None) -> int:
    """The text step closest to `percent` (ties: the larger); says so on stderr when it is not exactly that size."""
    if percent is None:
        return 0
    step = closest_text_step(percent)
    if step_percent(step) != round(percent):
        print(
            f"citizen-kiosk: text scale {percent:g} % is not a step; using the closest, {step_percent(step)} %",
            file=sys.stderr,
        )
    return step


def _add_screenshot(parser: argparse.ArgumentParser) -> None:
    steps = ", ".join(f"{step_percent(step)}" for step in range(len(TEXT_STEPS)))
    parser.add_argument("out", nargs="?", metavar="OUT.png", help="where to write the picture")
    parser.add_argument("--screen", metavar="NAME", default="home", help="registered screen to render (default home)")
    parser.add_argument(
        "--lang",
        metavar="L",
        help="language of the screen; en-XA, the pseudo-locale (every text ~40 %% longer, accented), shows where "
        "longer translations would be cut off (a testing aid, never offered to citizens)",
    )
    parser.add_argument("--theme", metavar="NAME", help="colour theme (default: display.default_theme; --list-themes)")
    parser.add_argument(
        "--text-scale",
        type=_percent,
        metavar="PERCENT",
        help=f"text size in percent of the default; the closest text step is used ({steps})",
    )
    parser.add_argument("--size", type=_size, metavar="WxH", help="picture size (default: the reference panel's)")
    parser.add_argument("--list", action="store_true", help="print the registered screen names, one per line")
    parser.add_argument("--list-themes", action="store_true", help="print the colour theme names, one per line")
    parser.add_argument("--all", metavar="DIR", help="write every registered screen as DIR/NAME.png")


def _run_screenshot(args: argparse.Namespace, context: Context) -> int:
    chosen = [bool(args.out), args.list, bool(args.all), args.list_themes]
    if sum(chosen) != 1:
        raise UsageError("give exactly one of OUT.png, --list, --list-themes or --all DIR")
    if args.list_themes:  # no Qt needed
        print("\n".join(THEMES))
        return EXIT_OK
    theme = _theme(args.theme)
    from kiosk.pseudo_locale import PSEUDO_LANGUAGE  # only here: `run` never offers it

    language = _language(args.lang, context, testing=(PSEUDO_LANGUAGE,))
    text_step = _text_step(args.text_scale)
    from citizen_kiosk import gui

    return gui.screenshot(
        context,
        out=args.out,
        screen=args.screen,
        language=language,
        size=args.size,
        list_only=args.list,
        all_dir=args.all,
        theme=theme,
        text_step=text_step,
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
        "render a registered screen offscreen to PNG (--list, --all DIR; --theme, --text-scale, --lang)",
        _add_screenshot,
        _run_screenshot,
        needs_qt=True,
        example="screenshot --list",
    ),
)
