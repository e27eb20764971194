"""`citizen-kiosk sandbox write-config FILE`: make a kiosk configuration that delivers to a sandbox, ready to run.

It registers an OAuth2 client in the sandbox's store, keeps the client secret in a credentials directory beside FILE
(never in FILE), provisions the kiosk's own keys there as `secrets init --credentials-dir` does, and writes one
endpoint `sandbox` with `[routing] default = "sandbox"` into FILE. Run again, it reuses the client while FILE, the
credentials directory and the store still agree on it, and replaces it otherwise.

The `[endpoints]` and `[routing]` tables are written here, not through the settings writer (which knows only the
fixed settings of the schema): they are cut out of FILE and written again at its end, with the other endpoints and
routing rules FILE had. Comments inside those two tables are not kept; the rest of FILE is untouched. The result is
loaded with the kiosk's own loader before this returns, so a file the kiosk would refuse is never left behind.
"""

from __future__ import annotations

import os
import re
import secrets
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from kiosk.secrets import ProvisionResult, SecretStore, init_secrets
from kiosk.secrets.backends import CredentialsDirKeyring
from kiosk.settings import ConfigError, load_config
from kiosk.settings.endpoints import client_secret_name
from kiosk.settings.writer import atomic_write, emit_document, emit_key, emit_value
from sync.sandbox.store import SandboxStore

ENDPOINT = "sandbox"
SECTIONS = ("endpoints", "routing")
CREDENTIALS_DIR_NAME = "credentials"
_HEADER = re.compile(r"\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


class WriteConfigResult(NamedTuple):
    config_path: Path
    credentials_dir: Path
    client_id: str
    client: str  # "created", "reused" or "replaced"
    base_url: str
    secrets: ProvisionResult

    def lines(self) -> list[str]:
        """What the command prints: what was done and where, never a secret."""
        secret = client_secret_name(ENDPOINT)
        return [
            f"sandbox client {self.client_id}: {self.client} in the sandbox's store",
            f"{secret}: stored in credentials directory {self.credentials_dir}",
            *self.secrets.lines(),
            f"Wrote endpoint '{ENDPOINT}' ({self.base_url}) and routing default '{ENDPOINT}' to {self.config_path}",
        ]


def base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def write_config(
    config_path: Path, *, store_dir: Path, port: int, env: Mapping[str, str], host: str = "127.0.0.1"
) -> WriteConfigResult:
    """Register (or reuse) the sandbox client and write FILE; see the module's docstring. Raises ConfigError when
    FILE (before or after) is not a configuration the kiosk accepts, ProvisionError or SecretStoreError when the keys
    cannot be written."""
    config_path = Path(os.path.abspath(config_path.expanduser()))
    credentials_dir = config_path.parent / CREDENTIALS_DIR_NAME
    data = _parse(config_path)
    load_config(config_path, missing_ok=True)  # a file the kiosk refuses stops everything before any change
    keys = SecretStore(CredentialsDirKeyring(credentials_dir), backend_name=f"credentials directory {credentials_dir}")
    client_id, secret, action = _client(data, keys, store_dir)
    keys.set(client_secret_name(ENDPOINT), secret)
    provisioned = init_secrets(config_path=config_path, credentials_dir=credentials_dir, env=env)
    url = base_url(host, port)
    before = config_path.read_text(encoding="utf-8")
    rest = _without_sections(before, _parse(config_path))
    atomic_write(config_path, rest.rstrip("\n") + "\n\n" + emit_sections(_sections(data, url, client_id)))
    try:
        load_config(config_path)
    except ConfigError:
        atomic_write(config_path, before)
        raise
    return WriteConfigResult(config_path, credentials_dir, client_id, action, url, provisioned)


def _client(data: Mapping[str, Any], keys: SecretStore, store_dir: Path) -> tuple[str, str, str]:
    """(client id, secret, what happened): the existing client when FILE, the credentials and the store agree."""
    endpoint = data.get("endpoints", {}).get(ENDPOINT, {})
    old_id = endpoint.get("client_id") if isinstance(endpoint, dict) else None
    old_secret = keys.read(client_secret_name(ENDPOINT))
    store = SandboxStore(store_dir)
    try:
        if isinstance(old_id, str) and old_secret and store.verify_client(old_id, old_secret):
            return old_id, old_secret, "reused"
        client_id = f"kiosk-{secrets.token_hex(4)}"
        secret = secrets.token_urlsafe(32)
        store.register_client(client_id, secret)
        replaced = isinstance(old_id, str) and store.remove_client(old_id)
    finally:
        store.close()
    return client_id, secret, "replaced" if replaced else "created"


def _sections(data: Mapping[str, Any], url: str, client_id: str) -> dict[str, Any]:
    """FILE's endpoints and routing with the sandbox endpoint (re)written and routed to by default."""
    endpoints = {name: value for name, value in data.get("endpoints", {}).items() if name != ENDPOINT}
    endpoints[ENDPOINT] = {
        "url": url + "submissions",
        "health_url": url + "health",
        "token_url": url + "oauth/token",
        "client_id": client_id,
    }
    routing = {**data.get("routing", {}), "default": ENDPOINT}
    return {"endpoints": endpoints, "routing": routing}


def emit_sections(sections: Mapping[str, Mapping[str, Any]]) -> str:
    """`[endpoints.<name>]` tables and the `[routing]` table, maps written inline as in docs/configuration.md."""
    tables: list[tuple[tuple[str, ...], Mapping[str, Any]]] = [
        (("endpoints", name), settings) for name, settings in sections["endpoints"].items()
    ]
    tables.append((("routing",), sections["routing"]))
    return "\n".join(
        "["
        + ".".join(emit_key(part) for part in path)
        + "]\n"
        + "".join(f"{emit_key(key)} = {_inline(value)}\n" for key, value in values.items())
        for path, values in tables
    )


def _inline(value: object) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{emit_key(k)} = {_inline(v)}" for k, v in value.items()) + " }"
    return emit_value(value)


def _parse(config_path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(config_path.read_text(encoding="utf-8")) if config_path.exists() else {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError([f"{config_path}: cannot be read as TOML ({error})"]) from None
    for section in SECTIONS:
        if not isinstance(data.get(section, {}), dict):
            raise ConfigError([f"{config_path}: {section} must be a table"])
    return data


def _without_sections(text: str, data: Mapping[str, Any]) -> str:
    """`text` without the [endpoints…] and [routing…] tables, comments elsewhere kept; the whole document emitted
    again when they cannot be cut out line by line (dotted keys or inline tables at the top level)."""
    kept: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        header = _HEADER.match(line)
        if header:
            skipping = header.group(1).split(".")[0].strip().strip("\"'") in SECTIONS
        if not skipping:
            kept.append(line)
    cut = "".join(kept)
    rest = {key: value for key, value in data.items() if key not in SECTIONS}
    try:
        if tomllib.loads(cut) == rest:
            return cut
    except tomllib.TOMLDecodeError:
        pass
    return emit_document(rest)
