"""Reading the configuration: which file, parsed with tomllib, validated against the schema in one pass.

Every problem in a file is collected and reported together, so staff fix a file once, not once per error.
Functions take the environment as a mapping: nothing here reads `os.environ` behind the caller's back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.paths import APP_NAME
from kiosk.settings.model import SECTION_CLASSES, Config, ConfigError
from kiosk.settings.schema import RESERVED_SECTIONS, SECTIONS, SETTINGS, SETTINGS_BY_KEY, Value
from kiosk.settings.validate import InvalidValueError, check_value, describe, resolve_path

CONFIG_ENV = "CITIZEN_KIOSK_CONFIG"
CONFIG_FILE_NAME = "config.toml"

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def default_config_path() -> Path:
    """The per-user location: `<platformdirs user_config_dir>/config.toml` (~/.config/citizen-kiosk on Linux)."""
    import platformdirs  # only when no file was named: keeps `import kiosk.settings` stdlib-only

    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE_NAME


def resolve_config_path(
    cli_value: str | Path | None, env: Mapping[str, str], default: Path | None = None
) -> Path | None:
    """`--config F` > `$CITIZEN_KIOSK_CONFIG` > the per-user file if it exists > None (built-in defaults).

    A file named explicitly is returned even if missing, so that `load_config` reports it rather than silently
    running on defaults. `default` replaces the per-user location (tests).
    """
    if cli_value is not None and str(cli_value) != "":
        return Path(cli_value).expanduser()
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV]).expanduser()
    candidate = default if default is not None else default_config_path()
    return candidate if candidate.is_file() else None


def default_config() -> Config:
    """The built-in defaults, as if no file existed."""
    return _build({s.key: s.default for s in SETTINGS}, None)


def load_config(path: Path | None, *, missing_ok: bool = False) -> Config:
    """Read and validate `path`; None gives the built-in defaults. Raises ConfigError listing every problem.

    A named file that does not exist is an error (a mistyped `--config` must not silently run on defaults), unless
    `missing_ok`: then the defaults come back with `source=path`, for commands that create the file (`secrets init`).
    """
    if path is None:
        return default_config()
    if missing_ok and not path.exists():
        return default_config()._replace(source=path)
    data = read_toml(path)
    problems: list[str] = []
    endpoints_raw, routing_raw = data.pop("endpoints", None), data.pop("routing", None)
    values: dict[str, Value] = {s.key: s.default for s in SETTINGS}
    for key, raw in _flatten(data, problems):
        setting = SETTINGS_BY_KEY.get(key)
        if setting is None:
            problems.append(f"{key}: unknown setting{_suggest(key)}")
            continue
        try:
            values[key] = check_value(setting, raw)
        except InvalidValueError as exc:
            problems.append(f"{key}: {exc}")
    bad_keys = {p.split(":", 1)[0] for p in problems}
    problems.extend(_cross_checks(values, bad_keys))
    config = _build(values, path)
    if endpoints_raw is not None or routing_raw is not None:
        from kiosk.settings.endpoints import parse_endpoints, parse_routing  # only files that name endpoints

        endpoints = parse_endpoints(endpoints_raw, path.absolute().parent, problems)
        config = config._replace(endpoints=endpoints, routing=parse_routing(routing_raw, endpoints, problems))
    if problems:
        raise ConfigError(f"{path}: {p}" for p in problems)
    return config


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a syntax error names the file, line and column."""
    import tomllib  # here, not at the top: a kiosk without a configuration file never pays for it

    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        raise ConfigError([f"{path}: configuration file not found"]) from None
    except IsADirectoryError:
        raise ConfigError([f"{path}: is a directory, not a configuration file"]) from None
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read configuration file: {exc.strerror or type(exc).__name__}"]) from None
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: not valid UTF-8 text (TOML files must be UTF-8)"]) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION.search(message)
        if position:
            line, column = position.groups()
            reason = message[: position.start()]
            raise ConfigError([f"{path}: line {line}, column {column}: invalid TOML: {reason}"]) from None
        raise ConfigError([f"{path}: invalid TOML: {message}"]) from None


def _flatten(data: dict[str, Any], problems: list[str]) -> list[tuple[str, object]]:
    """Yield (dotted key, raw value) for every setting-shaped entry; report misplaced ones."""
    items: list[tuple[str, object]] = []
    for section, table in data.items():
        if section in RESERVED_SECTIONS:
            problems.append(f"{section}: {RESERVED_SECTIONS[section]}")
        elif section not in SECTIONS:
            kind = "section" if isinstance(table, dict) else "setting"
            problems.append(f"{section}: unknown {kind}{_suggest(section, SECTIONS)}")
        elif not isinstance(table, dict):
            problems.append(f"{section}: must be a table ([{section}]), got {describe(table)}")
        else:
            items.extend((f"{section}.{name}", raw) for name, raw in table.items())
    return items


def _cross_checks(values: Mapping[str, Value], bad_keys: set[str]) -> list[str]:
    """Rules between settings; skipped when a setting involved is already reported."""
    problems: list[str] = []
    if not bad_keys & {"languages.default", "languages.available"}:
        available = values["languages.available"]
        assert isinstance(available, tuple)
        if values["languages.default"] not in available:
            problems.append(
                f'languages.default: "{values["languages.default"]}" is not in languages.available '
                f"({', '.join(available)})"
            )
    if "idle.warning_seconds" not in bad_keys:
        warning = values["idle.warning_seconds"]
        assert isinstance(warning, int)
        for key in ("idle.question_seconds", "idle.reading_seconds"):
            timeout = values[key]
            if key not in bad_keys and isinstance(timeout, int) and warning >= timeout:
                problems.append(f"idle.warning_seconds: must be less than {key} ({timeout}), got {warning}")
    return problems


def _suggest(key: str, candidates: tuple[str, ...] | None = None) -> str:
    pool = list(candidates) if candidates is not None else list(SETTINGS_BY_KEY)
    import difflib  # only on the error path

    matches = difflib.get_close_matches(key, pool, n=1, cutoff=0.6)
    return f" (did you mean {matches[0]}?)" if matches else ""


def _build(values: Mapping[str, Value], source: Path | None) -> Config:
    base = source.absolute().parent if source is not None else None
    sections: dict[str, Any] = {}
    for section, cls in SECTION_CLASSES.items():
        fields: dict[str, Any] = {}
        for setting in SETTINGS:
            if setting.section != section:
                continue
            value = values[setting.key]
            fields[setting.name] = resolve_path(str(value), base) if setting.type == "path" else value
        sections[section] = cls(**fields)
    return Config(**sections, source=source)
