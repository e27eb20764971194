"""Delivery endpoints and the routing of services to them: `[endpoints.NAME]` tables and one `[routing]` table.

Unlike the fixed settings of `schema.SETTINGS`, a file names its own endpoints, so these tables are checked here, field
by field with the same value checks (`validate.check_value`) and the same one-line-per-problem messages. Client
secrets never live in the file: each endpoint's secret is read from the secrets backend under `client_secret_name`.
Only the standard library: checking that a URL is https (or loopback http) is string work, no network.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit, urlunsplit

from kiosk.settings.model import EndpointSettings, RoutingSettings
from kiosk.settings.schema import Setting
from kiosk.settings.validate import InvalidValueError, check_value, describe, resolve_path

ENDPOINT_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?")  # also part of a secret's (file) name

ENDPOINT_FIELDS: tuple[Setting, ...] = (
    Setting(
        "endpoints.url", "str", "", "The submissions URL (`POST`). https; plain http only to loopback.", min_length=1
    ),
    Setting("endpoints.health_url", "str", "", "The health probe (`GET`). Empty: `health` beside `url`."),
    Setting("endpoints.token_url", "str", "", "OAuth 2.0 token URL (client credentials). Empty: no token is sent."),
    Setting("endpoints.client_id", "str", "", "OAuth 2.0 client id; required with `token_url`."),
    Setting("endpoints.scope", "str", "", "OAuth 2.0 scope to ask for. Empty: none."),
    Setting("endpoints.ca_bundle", "path", "", "A private CA's certificates (PEM). Empty: the system's trust store."),
    Setting("endpoints.client_cert", "path", "", "Client certificate (PEM) for mutual TLS; needs `client_key`."),
    Setting("endpoints.client_key", "path", "", "The client certificate's private key (PEM)."),
    Setting("endpoints.connect_timeout_seconds", "float", 10.0, "Time allowed to connect.", minimum=0.1, maximum=120),
    Setting("endpoints.read_timeout_seconds", "float", 30.0, "Time allowed for the answer.", minimum=0.1, maximum=600),
)
_FIELDS = {s.name: s for s in ENDPOINT_FIELDS}
_ROUTING_KEYS = ("default", "services", "targets")


def client_secret_name(endpoint: str) -> str:
    """The secrets-backend name of an endpoint's OAuth client secret (also a file name in a credentials directory)."""
    return f"endpoint-{endpoint}-client-secret"


def parse_endpoints(raw: object, base: Path | None, problems: list[str]) -> MappingProxyType[str, EndpointSettings]:
    """The `[endpoints.NAME]` tables; every problem is appended to `problems` as "endpoints.NAME.field: reason"."""
    if raw is None:
        return MappingProxyType({})
    if not isinstance(raw, dict):
        problems.append(f"endpoints: must be tables like [endpoints.NAME], got {describe(raw)}")
        return MappingProxyType({})
    found: dict[str, EndpointSettings] = {}
    for name, table in raw.items():
        where = f"endpoints.{name}"
        if not ENDPOINT_NAME.fullmatch(name):
            problems.append(f"{where}: an endpoint name is 1-40 lower-case letters, digits and inner hyphens")
            continue
        if not isinstance(table, dict):
            problems.append(f"{where}: must be a table ([{where}]), got {describe(table)}")
            continue
        endpoint = _endpoint(name, table, base, problems)
        if endpoint is not None:
            found[name] = endpoint
    return MappingProxyType(found)


def _endpoint(
    name: str, table: Mapping[str, object], base: Path | None, problems: list[str]
) -> EndpointSettings | None:
    where = f"endpoints.{name}"
    before = len(problems)
    values: dict[str, object] = {s.name: s.default for s in ENDPOINT_FIELDS}
    for key, raw in table.items():
        field = _FIELDS.get(key)
        if key == "client_secret":
            secret = client_secret_name(name)
            problems.append(f"{where}.{key}: secrets never go in this file; store it as {secret} (docs/secrets.md)")
            continue
        if field is None:
            problems.append(f"{where}.{key}: unknown endpoint setting (known: {', '.join(_FIELDS)})")
            continue
        try:
            values[key] = check_value(field, raw)
        except InvalidValueError as error:
            problems.append(f"{where}.{key}: {error}")
    if "url" not in table:
        problems.append(f"{where}.url: missing (every endpoint needs its submissions URL)")
    for key in ("url", "health_url", "token_url"):
        text = str(values[key])
        if text and (reason := _url_problem(text)):
            problems.append(f"{where}.{key}: {reason}")
    if values["token_url"] and not values["client_id"]:
        problems.append(f"{where}.client_id: required when token_url is set")
    if bool(values["client_cert"]) != bool(values["client_key"]):
        problems.append(f"{where}: client_cert and client_key go together (mutual TLS needs both)")
    if len(problems) > before:
        return None
    url = str(values["url"])
    return EndpointSettings(
        name=name,
        url=url,
        health_url=str(values["health_url"]) or _beside(url, "health"),
        token_url=str(values["token_url"]) or None,
        client_id=str(values["client_id"]) or None,
        scope=str(values["scope"]) or None,
        ca_bundle=resolve_path(str(values["ca_bundle"]), base),
        client_cert=resolve_path(str(values["client_cert"]), base),
        client_key=resolve_path(str(values["client_key"]), base),
        connect_timeout_seconds=float(values["connect_timeout_seconds"]),  # type: ignore[arg-type]
        read_timeout_seconds=float(values["read_timeout_seconds"]),  # type: ignore[arg-type]
    )


def parse_routing(raw: object, endpoints: Mapping[str, EndpointSettings], problems: list[str]) -> RoutingSettings:
    """The `[routing]` table; every endpoint it names must be defined."""
    if raw is None:
        return RoutingSettings()
    if not isinstance(raw, dict):
        problems.append(f"routing: must be a table ([routing]), got {describe(raw)}")
        return RoutingSettings()
    for key in raw:
        if key not in _ROUTING_KEYS:
            problems.append(f"routing.{key}: unknown routing setting (known: {', '.join(_ROUTING_KEYS)})")
    default = raw.get("default")
    if default is not None and not _known("routing.default", default, endpoints, problems):
        default = None
    maps: dict[str, Mapping[str, str]] = {}
    for key in ("services", "targets"):
        table = raw.get(key, {})
        if not isinstance(table, dict):
            problems.append(f"routing.{key}: must be a table of id = endpoint name, got {describe(table)}")
            table = {}
        maps[key] = MappingProxyType(
            {k: v for k, v in table.items() if _known(f"routing.{key}.{k}", v, endpoints, problems)}
        )
    return RoutingSettings(default, maps["services"], maps["targets"])


def _known(where: str, value: object, endpoints: Mapping[str, EndpointSettings], problems: list[str]) -> bool:
    if not isinstance(value, str):
        problems.append(f"{where}: must be an endpoint name (a string), got {describe(value)}")
        return False
    if value not in endpoints:
        defined = ", ".join(endpoints) or "none is defined"
        problems.append(f'{where}: no endpoint named "{value}" ([endpoints.{value}]; defined: {defined})')
        return False
    return True


def _url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return f'must be an absolute https URL, got "{url[:80]}"'
    if parts.scheme == "http" and not _loopback(parts.hostname):
        return "must use https: plain http is allowed only to this machine (127.0.0.1, ::1, localhost)"
    return None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _beside(url: str, name: str) -> str:
    """`https://h/api/submissions` -> `https://h/api/health`: the contract puts both under one base."""
    parts = urlsplit(url)
    folder = parts.path.rsplit("/", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, f"{folder}/{name}", "", ""))
