"""`citizen-kiosk sandbox`: the reference server of the submission API on loopback, for tests, benchmarks and demos.

`sandbox [--port P] [faults…]` serves until SIGINT/SIGTERM; `sandbox write-config FILE` makes a kiosk configuration
that delivers to it; `sandbox records` lists what it received. For these commands `--data-dir D` is the SANDBOX's
store (D/sandbox.sqlite3), not a kiosk's data directory; without it the store is the `sandbox/` folder of the kiosk's
data directory. No Qt; the server and its store are imported only when a subcommand runs.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

from citizen_kiosk.commands import EXIT_FAILURE, EXIT_OK, Command
from citizen_kiosk.wiring import Context

DEFAULT_PORT = 8765


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"a probability between 0 and 1, not {text}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text}")
    return value


def _port(text: str) -> int:
    value = _count(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {text}")
    return value


def _global_options(parser: argparse.ArgumentParser) -> None:
    # As the CLI adds them to every command: accepted after the subcommand too, without overriding earlier values.
    parser.add_argument("--data-dir", metavar="D", default=argparse.SUPPRESS, help="the sandbox's store directory")
    parser.add_argument("--config", metavar="F", default=argparse.SUPPRESS, help="configuration file (TOML)")


def _address(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    # Suppressed on write-config, so that `sandbox --port P write-config FILE` keeps P as well.
    port, host = (argparse.SUPPRESS, argparse.SUPPRESS) if suppress else (DEFAULT_PORT, "127.0.0.1")
    parser.add_argument("--port", type=_port, default=port, help=f"TCP port (default {DEFAULT_PORT}; 0: any)")
    parser.add_argument("--host", default=host, help="address (default 127.0.0.1: the kiosk's http is loopback)")


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    _address(parser)
    faults = parser.add_argument_group("fault injection (after validation; all but --captive-rate after committing)")
    add = faults.add_argument
    add("--fail-first", type=_count, default=0, metavar="K", help="answer 503 to each submission's first K attempts")
    add("--fail-rate", type=_rate, default=0.0, metavar="R", help="probability of a random 500/502/503/504")
    add("--drop-rate", type=_rate, default=0.0, metavar="R", help="probability of closing without an answer")
    add("--latency-ms", type=_count, default=0, metavar="MS", help="sleep before each answer to POST /submissions")
    add("--latency-jitter-ms", type=_count, default=0, metavar="J", help="plus a random 0..J ms more per answer")
    add("--captive-rate", type=_rate, default=0.0, metavar="R", help="probability of a 200 text/html login page")
    add("--seed", type=int, default=None, metavar="N", help="make the random choices reproducible")
    add("--retry-after", type=_count, default=1, metavar="S", help="Retry-After of 409 and 503 (default 1; 0: none)")
    parser.epilog = (
        "Without an ACTION the sandbox serves until Ctrl+C or SIGTERM, printing its base URL as the first line. "
        "--data-dir D is the sandbox's own store (D/sandbox.sqlite3); without it, the kiosk data directory's sandbox/."
    )
    actions = parser.add_subparsers(dest="sandbox_action", metavar="[ACTION]")
    write = actions.add_parser(
        "write-config",
        help="register a client in the store and write a kiosk configuration FILE that delivers to the sandbox",
        description="Register an OAuth2 client in the sandbox's store, keep its secret in FILE's credentials/ folder, "
        "provision the kiosk's keys there and write endpoint 'sandbox' (the routing default) to FILE.",
    )
    write.add_argument("file", metavar="FILE", help="the kiosk configuration to create or update")
    _address(write, suppress=True)
    _global_options(write)
    records = actions.add_parser("records", help="list what the sandbox received, one row per submission")
    records.add_argument(
        "--json", action="store_true", help="a JSON list: submission_uuid, service, received_at, attempts"
    )
    _global_options(records)


def _store_dir(context: Context) -> Path:
    if context.data_dir.source == "--data-dir":
        return context.data_dir.path
    return context.data_dir.path / "sandbox"


def _run(args: argparse.Namespace, context: Context) -> int:
    action = getattr(args, "sandbox_action", None)
    if action == "write-config":
        return _write_config(args, context)
    if action == "records":
        return _records(args, context)
    return _serve(args, context)


def _serve(args: argparse.Namespace, context: Context) -> int:
    import sqlite3

    from sync.sandbox import Faults, Sandbox

    faults = Faults(
        fail_first=args.fail_first,
        fail_rate=args.fail_rate,
        drop_rate=args.drop_rate,
        latency_ms=args.latency_ms,
        latency_jitter_ms=args.latency_jitter_ms,
        captive_rate=args.captive_rate,
        seed=args.seed,
        retry_after=args.retry_after,
    )
    stop = threading.Event()
    previous = {number: signal.signal(number, lambda *_: stop.set()) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            sandbox = Sandbox(_store_dir(context), faults, host=args.host, port=args.port)
        except (OSError, sqlite3.Error) as error:  # the port is taken, or the store cannot be opened
            print(f"citizen-kiosk sandbox: cannot serve on {args.host}:{args.port}: {error}", file=sys.stderr)
            return EXIT_FAILURE
        with sandbox:
            print(sandbox.url, flush=True)  # the first line: `--port 0` callers read the port from it
            print(f"store: {sandbox.store.path}; stop with Ctrl+C", file=sys.stderr, flush=True)
            while not stop.wait(0.5):
                pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return EXIT_OK


def _write_config(args: argparse.Namespace, context: Context) -> int:
    import sqlite3

    from kiosk.secrets import ProvisionError, SecretStoreError
    from kiosk.settings import ConfigError
    from sync.sandbox.provision import write_config

    try:
        result = write_config(
            Path(args.file), store_dir=_store_dir(context), port=args.port, host=args.host, env=context.env
        )
    except (ConfigError, ProvisionError, SecretStoreError, OSError, sqlite3.Error) as error:
        print(f"citizen-kiosk sandbox write-config: {error}", file=sys.stderr)
        return EXIT_FAILURE
    for line in result.lines():
        print(line)
    return EXIT_OK if result.secrets.ok else EXIT_FAILURE


def _records(args: argparse.Namespace, context: Context) -> int:
    from sync.sandbox import read_records

    records = read_records(_store_dir(context))
    if args.json:
        print(json.dumps([record._asdict() for record in records], indent=2))
        return EXIT_OK
    if not records:
        print("no submissions received")
    for record in records:
        print(f"{record.submission_uuid}  {record.service or '-'}  {record.received_at}  attempts {record.attempts}")
    return EXIT_OK


COMMANDS = (
    Command(
        "sandbox",
        "run the reference server of the submission API on loopback (faults on demand), write a kiosk configuration "
        "for it, or list what it received",
        _add_arguments,
        _run,
        example="sandbox records --json",
    ),
)
