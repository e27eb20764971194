"""Checks one raw TOML value against its `Setting`; shared by the loader and the writer.

A check returns the converted value or raises `InvalidValueError` with a reason that reads after "key: ".
"""

from __future__ import annotations

import math
from pathlib import Path

from kiosk.i18n import normalise_language
from kiosk.settings.schema import Setting, Value

TOML_TYPE_NAMES = {bool: "boolean", int: "integer", float: "float", str: "string", list: "array", dict: "table"}
EXPECTED = {
    "str": "a string",
    "path": "a string (a path, or empty)",
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "str-list": "an array of strings",
}


class InvalidValueError(ValueError):
    """The reason a value is not acceptable (without file or key: the caller adds them)."""


def describe(raw: object) -> str:
    """A short rendering of a raw value for messages: `5 (integer)`, `"x" (string)`."""
    kind = TOML_TYPE_NAMES.get(type(raw), type(raw).__name__)
    if isinstance(raw, bool):
        text = "true" if raw else "false"
    elif isinstance(raw, str):
        text = '"' + raw[:60] + ('…"' if len(raw) > 60 else '"')
    elif isinstance(raw, (list, dict)):
        return f"{kind} of {len(raw)} item(s)"
    else:
        text = str(raw)
    return f"{text} ({kind})"


def check_value(setting: Setting, raw: object) -> Value:
    """Validate and convert a raw value (as tomllib returns it) for `setting`; paths stay strings here."""
    if setting.type in ("str", "path"):
        return _check_str(setting, raw)
    if setting.type == "bool":
        if not isinstance(raw, bool):
            raise InvalidValueError(f"must be {EXPECTED['bool']}, got {describe(raw)}")
        return raw
    if setting.type in ("int", "float"):
        return _check_number(setting, raw)
    return _check_str_list(setting, raw)


def _check_str(setting: Setting, raw: object) -> str:
    if not isinstance(raw, str):
        raise InvalidValueError(f"must be {EXPECTED[setting.type]}, got {describe(raw)}")
    if "\x00" in raw:
        raise InvalidValueError("must not contain a NUL character")
    if len(raw.strip()) < setting.min_length:
        raise InvalidValueError("must not be empty")
    if setting.choices is not None and raw not in setting.choices:
        raise InvalidValueError(f"must be one of {_quoted(setting.choices)}; got {describe(raw)}{_hint(setting, raw)}")
    return raw


def _check_number(setting: Setting, raw: object) -> int | float:
    # bool is a subclass of int in Python, but `true` is not a number in a config file.
    is_int = isinstance(raw, int) and not isinstance(raw, bool)
    if setting.type == "int" and not is_int:
        raise InvalidValueError(f"must be {EXPECTED['int']}, got {describe(raw)}")
    if setting.type == "float" and not (is_int or isinstance(raw, float)):
        raise InvalidValueError(f"must be {EXPECTED['float']}, got {describe(raw)}")
    assert isinstance(raw, (int, float))
    value: int | float = raw if setting.type == "int" else float(raw)
    if not math.isfinite(value):
        raise InvalidValueError(f"must be a finite number, got {raw}")
    if setting.minimum is not None and value < setting.minimum:
        raise InvalidValueError(f"must be at least {_number(setting.minimum)}, got {raw}")
    if setting.maximum is not None and value > setting.maximum:
        raise InvalidValueError(f"must be at most {_number(setting.maximum)}, got {raw}")
    return value


def _check_str_list(setting: Setting, raw: object) -> tuple[str, ...]:
    if isinstance(raw, tuple):  # the writer passes tuples (as in defaults); TOML arrays arrive as lists
        raw = list(raw)
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise InvalidValueError(f"must be {EXPECTED['str-list']}, got {describe(raw)}")
    items: list[str] = raw
    if len(items) < setting.min_length:
        raise InvalidValueError(f"must list at least {setting.min_length} item(s)")
    if setting.choices is not None:
        for item in items:
            if item not in setting.choices:
                allowed = _quoted(setting.choices)
                raise InvalidValueError(f'"{item}" is not one of {allowed}{_hint(setting, item)}')
    duplicates = sorted({item for item in items if items.count(item) > 1})
    if duplicates:
        raise InvalidValueError(f"lists {_quoted(tuple(duplicates))} more than once")
    return tuple(items)


def resolve_path(text: str, base: Path | None) -> Path | None:
    """Empty means unset; `~` expands; a relative path is relative to `base` (the config file's directory)."""
    if not text.strip():
        return None
    path = Path(text).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


def _hint(setting: Setting, raw: str) -> str:
    """For language codes, suggest the shipped spelling (`pt-pt`, `pt` -> `pt-PT`)."""
    if setting.choices is None or not setting.key.startswith("languages."):
        return ""
    match = normalise_language(raw, setting.choices)
    return f' (did you mean "{match}"?)' if match else ""


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f'"{v}"' for v in values)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
