"""JSON Schema validation of definition files, with messages a service designer can act on.

The schemas ship in `kiosk/catalog/schemas/` and are the contract documented in docs/services.md. jsonschema's own
messages quote whole objects for some failures ("{...} should not be valid under ..."); `describe` rewrites those
into one short sentence naming the property.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

SCHEMA_DIR = Path(__file__).with_name("schemas")
SCHEMA_FILES = {
    "service": "service.schema.json",
    "life_event": "life_event.schema.json",
    "targets": "targets.schema.json",
}
_MAX_QUOTE = 60


@cache
def _registry() -> Registry:
    resources = []
    for name in SCHEMA_FILES.values():
        contents = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@cache
def validator(kind: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / SCHEMA_FILES[kind]).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=_registry())


def schema_errors(kind: str, document: Any) -> Iterator[tuple[str, str]]:
    """(place, message) for every schema violation, in document order; place is like `pages[2].label`."""
    errors = sorted(validator(kind).iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        yield place_of(error.absolute_path), describe(error)


def place_of(path: Any) -> str:
    place = ""
    for part in path:
        place += f"[{part}]" if isinstance(part, int) else (f".{part}" if place else str(part))
    return place or "(the whole file)"


def _quote(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _MAX_QUOTE else text[: _MAX_QUOTE - 1] + "…"


def describe(error: ValidationError) -> str:
    """One short sentence for a schema violation (jsonschema's message, shortened, when no better one is known)."""
    rewrite = _REWRITES.get(str(error.validator))
    message = rewrite(error.instance, error.schema, error.validator_value) if rewrite else None
    return message or _shorten(error.message)


def _not_allowed(instance: Any, schema: Any, _value: Any) -> str | None:
    # The schema forbids some properties for this question type (e.g. `choices` on a text question).
    if not (isinstance(instance, dict) and isinstance(schema, dict)):
        return None
    present = [name for name in _names_in(schema.get("not", {})) if name in instance]
    qtype = instance.get("type", "?")
    return f"{', '.join(repr(p) for p in present) or 'this property'} is not allowed on a {qtype!r} question"


def _any_of(_instance: Any, schema: Any, _value: Any) -> str | None:
    if not isinstance(schema, dict):
        return None
    options = sorted({name for option in schema.get("anyOf", []) for name in _names_in(option)})
    return f"needs at least one of {', '.join(repr(o) for o in options)}"


def _required(instance: Any, _schema: Any, value: Any) -> str | None:
    if not isinstance(instance, dict):
        return None
    return f"missing {', '.join(repr(name) for name in value if name not in instance)}"


def _unknown(instance: Any, schema: Any, _value: Any) -> str | None:
    if not (isinstance(instance, dict) and isinstance(schema, dict)):
        return None
    unexpected = [name for name in instance if name not in schema.get("properties", {})]
    return f"unknown property {', '.join(repr(u) for u in unexpected)} (a typo?)"


_REWRITES: dict[str, Callable[[Any, Any, Any], str | None]] = {
    "not": _not_allowed,
    "anyOf": _any_of,
    "required": _required,
    "additionalProperties": _unknown,
    "pattern": lambda instance, _s, value: f"{_quote(instance)} is not in the expected form ({value})",
    "enum": lambda instance, _s, value: f"{_quote(instance)} is not one of {', '.join(str(v) for v in value)}",
    "propertyNames": lambda instance, _s, _v: f"{_quote(instance)} is not a language code like 'pt-PT' or 'en'",
}


def _names_in(schema: Any) -> list[str]:
    """Property names a (sub)schema requires, looking through anyOf/allOf."""
    if not isinstance(schema, dict):
        return []
    names = list(schema.get("required", []))
    for key in ("anyOf", "allOf", "oneOf"):
        for option in schema.get(key, []):
            names.extend(_names_in(option))
    return names


def _shorten(message: str) -> str:
    return message if len(message) <= 200 else message[:199] + "…"
