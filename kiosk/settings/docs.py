"""Renders docs/configuration.md from the schema, so the documentation cannot drift from the code.

Regenerate with `python -m kiosk.settings.docs > docs/configuration.md`; a test compares the file with this output.
"""

from __future__ import annotations

import sys

from kiosk.paths import DATA_DIR_ENV
from kiosk.settings.endpoints import ENDPOINT_FIELDS
from kiosk.settings.loader import CONFIG_ENV
from kiosk.settings.schema import SECTIONS, Setting, section_settings
from kiosk.settings.writer import emit_document, emit_value

TYPE_NAMES = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "true/false",
    "path": "path",
    "str-list": "list of strings",
}

INTRO = f"""\
# Configuration

<!-- Generated from kiosk/settings/schema.py by `python -m kiosk.settings.docs > docs/configuration.md`.
     Do not edit by hand: a test fails when this file and the schema differ. -->

The kiosk reads one [TOML](https://toml.io) file. Every setting is optional: a missing setting takes its default.
An unknown setting or a value of the wrong type is refused with one line per problem, naming the file, the setting
and the reason, for example:

```text
/etc/citizen-kiosk/config.toml: idle.warning_seconds: must be at least 20, got 5
/etc/citizen-kiosk/config.toml: site.nmae: unknown setting (did you mean site.name?)
```

All problems in a file are reported at once.

## Which file is read

The first of these wins:

1. `--config FILE` on the command line (every command accepts it);
2. the environment variable `{CONFIG_ENV}`;
3. `config.toml` in platformdirs' `user_config_dir("citizen-kiosk")` (on Linux `~/.config/citizen-kiosk/config.toml`),
   if that file exists;
4. the built-in defaults below.

A file named by 1 or 2 must exist; the kiosk does not silently fall back to defaults when it is missing.

## Where the data lives

The data directory (database, logs) is, the first of these that is set:

1. `--data-dir DIR` on the command line (every command accepts it);
2. the environment variable `{DATA_DIR_ENV}`;
3. `storage.data_dir` in the configuration file;
4. platformdirs' `user_data_dir("citizen-kiosk")` (on Linux `~/.local/share/citizen-kiosk`).

## Paths

Settings of type *path* take a string. An empty string means "not set". `~` expands to the home directory, and a
relative path is relative to the directory of the configuration file, so a kiosk's configuration and its credentials
directory can move together.

Secrets (keys) are never stored in this file; see [secrets.md](secrets.md).

## Settings
"""


ENDPOINTS_INTRO = """
## Delivery endpoints and routing

Submissions are delivered to the government APIs named here (see [sync.md](sync.md)). Each endpoint is a table
`[endpoints.NAME]` (NAME: lower-case letters, digits and inner hyphens); `[routing]` says which endpoint receives which
service. Without endpoints the kiosk still takes submissions and keeps them queued until one is configured.

```toml
[endpoints.civil-registry]
url = "https://api.example.gov.pt/kiosk/submissions"
token_url = "https://auth.example.gov.pt/oauth/token"
client_id = "kiosk-lisboa-01"

[routing]
default = "civil-registry"
services = { "register-birth" = "civil-registry" }
targets = { "tax-authority" = "civil-registry" }
```

An endpoint's OAuth client secret is never in this file: it is the secret `endpoint-NAME-client-secret` in the secrets
backend ([secrets.md](secrets.md)). A `client_secret` key in the file is refused.

### [endpoints.NAME]

| Setting | Type | Default | Allowed | Meaning |
|---|---|---|---|---|
"""

ROUTING_DOC = """
### [routing]

| Setting | Meaning |
|---|---|
| `default` | The endpoint of every submission not matched below. Not set: such submissions wait, queued. |
| `services` | A table of service id = endpoint name; wins over `targets`. |
| `targets` | A table of the catalog's delivery target id (`targets.json`) = endpoint name. |

Every endpoint named in `[routing]` must be defined. A change of routing applies to submissions still queued; staff can
also re-route one submission from the queue screen.
"""


def render_markdown() -> str:
    parts = [INTRO]
    for section in SECTIONS:
        parts.append(f"\n### [{section}]\n\n| Setting | Type | Default | Allowed | Meaning |\n|---|---|---|---|---|\n")
        for setting in section_settings(section):
            parts.append(
                f"| `{setting.key}` | {TYPE_NAMES[setting.type]} | `{emit_value(setting.default)}` "
                f"| {_allowed(setting)} | {setting.doc} |\n"
            )
    parts.append(ENDPOINTS_INTRO)
    for setting in ENDPOINT_FIELDS:
        default = "" if setting.default == "" else f"`{emit_value(setting.default)}`"
        parts.append(
            f"| `{setting.name}` | {TYPE_NAMES[setting.type]} | {default} | {_allowed(setting)} | {setting.doc} |\n"
        )
    parts.append(ROUTING_DOC)
    parts.append(
        "\n## The defaults as a file\n\nA configuration file that repeats every default; copy the parts you change."
        f"\n\n```toml\n{emit_document(_defaults_document())}```\n"
    )
    return "".join(parts)


def _allowed(setting: Setting) -> str:
    rules: list[str] = []
    if setting.choices is not None:
        prefix = "each of " if setting.type == "str-list" else ""
        rules.append(prefix + ", ".join(f"`{c}`" for c in setting.choices))
    if setting.minimum is not None:
        rules.append(f"≥ {_number(setting.minimum)}")
    if setting.maximum is not None:
        rules.append(f"≤ {_number(setting.maximum)}")
    if setting.min_length:
        rules.append("not empty" if setting.min_length == 1 else f"at least {setting.min_length} items")
    return "; ".join(rules) or "any"


def _number(value: float) -> str:
    return f"{int(value):_}".replace("_", " ") if float(value).is_integer() else str(value)


def _defaults_document() -> dict[str, dict[str, object]]:
    document: dict[str, dict[str, object]] = {}
    for section in SECTIONS:
        document[section] = {s.name: s.default for s in section_settings(section)}
    return document


if __name__ == "__main__":
    sys.stdout.write(render_markdown())
