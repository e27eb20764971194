"""Creating or updating a configuration file, keeping everything else in it.

TOML writing is not in the standard library, so this holds a small emitter for our value types. An update first edits
the one line in place (keeping comments and layout); the edit is accepted only if re-parsing the text gives exactly
the intended data, otherwise the whole file is re-emitted from the parsed data (comments are then lost, values kept).
"""

from __future__ import annotations

import copy
import math
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.settings.loader import read_toml
from kiosk.settings.model import ConfigError
from kiosk.settings.schema import SETTINGS_BY_KEY, Value
from kiosk.settings.validate import InvalidValueError, check_value

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def write_setting(path: Path, key: str, value: Value | Path) -> None:
    """Set one dotted `key` in the TOML file at `path`, creating the file (and its directory) if needed."""
    write_settings(path, {key: value})


def write_settings(path: Path, updates: Mapping[str, Value | Path]) -> None:
    """Set several settings in one atomic write. Values are validated against the schema first."""
    checked: dict[str, Value] = {}
    problems: list[str] = []
    for key, value in updates.items():
        setting = SETTINGS_BY_KEY.get(key)
        if setting is None:
            problems.append(f"{path}: {key}: unknown setting")
            continue
        try:
            checked[key] = check_value(setting, str(value) if isinstance(value, Path) else value)
        except InvalidValueError as exc:
            problems.append(f"{path}: {key}: {exc}")
    if problems:
        raise ConfigError(problems)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    data = read_toml(path) if text else {}
    expected = copy.deepcopy(data)
    for key, value in checked.items():
        section, name = key.split(".", 1)
        table = expected.setdefault(section, {})
        if not isinstance(table, dict):
            raise ConfigError([f"{path}: {section}: must be a table to hold {key}"])
        table[name] = list(value) if isinstance(value, tuple) else value
    edited = text
    for key, value in checked.items():
        section, name = key.split(".", 1)
        edited = _edit_line(edited, section, name, emit_value(value))
    try:
        new_text = edited if _parses_to(edited, expected) else emit_document(expected)
    except TypeError as exc:
        keys = ", ".join(checked)
        raise ConfigError([f"{path}: cannot rewrite this file automatically ({exc}); set {keys} by hand"]) from None
    atomic_write(path, new_text)


def emit_value(value: object) -> str:
    """One TOML value: strings, integers, floats, booleans and arrays of those."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _emit_float(value)
    if isinstance(value, str):
        return '"' + "".join(_escape_char(c) for c in value) + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(emit_value(item) for item in value) + "]"
    raise TypeError(f"cannot write a {type(value).__name__} value")


def _emit_float(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)  # repr always has a "." or an exponent, as TOML floats need


def emit_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else emit_value(key)


def emit_document(data: Mapping[str, Any]) -> str:
    """A whole document: top-level values first, then one [table] per section (nested tables as [a.b])."""
    return _emit_table(data, ()).lstrip("\n")


def _emit_table(table: Mapping[str, Any], prefix: tuple[str, ...]) -> str:
    lines = [f"{emit_key(k)} = {emit_value(v)}" for k, v in table.items() if not isinstance(v, dict)]
    text = ""
    if prefix and (lines or not any(isinstance(v, dict) for v in table.values())):
        text += "\n[" + ".".join(emit_key(p) for p in prefix) + "]\n"
    if lines:
        text += "\n".join(lines) + "\n"
    for key, value in table.items():
        if isinstance(value, dict):
            text += _emit_table(value, (*prefix, key))
    return text


def _escape_char(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"\\u{ord(char):04X}"
    return char


def _edit_line(text: str, section: str, name: str, value_text: str) -> str:
    """Replace `name = ...` inside `[section]`, or add it at the end of that section, or add the section."""
    lines = text.splitlines(keepends=True)
    header = re.compile(r"\s*\[\s*" + re.escape(section) + r"\s*\]\s*(#.*)?$")
    assignment = re.compile(r"\s*" + re.escape(name) + r"\s*=")
    new_line = f"{emit_key(name)} = {value_text}\n"
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        separator = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        return text + separator + f"[{emit_key(section)}]\n" + new_line
    end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
    for i in range(start + 1, end):
        if assignment.match(lines[i]):
            lines[i] = new_line
            return "".join(lines)
    last = max((i for i in range(start, end) if lines[i].strip()), default=start)
    if not lines[last].endswith("\n"):
        lines[last] += "\n"
    lines.insert(last + 1, new_line)
    return "".join(lines)


def _parses_to(text: str, expected: Mapping[str, Any]) -> bool:
    import tomllib

    try:
        return tomllib.loads(text) == expected
    except tomllib.TOMLDecodeError:
        return False


def atomic_write(path: Path, text: str) -> None:
    """Write a temporary file next to `path` and rename it over: a crash leaves the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
