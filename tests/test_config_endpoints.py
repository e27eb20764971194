"""`[endpoints.NAME]` and `[routing]` in the configuration file: parsed, checked with one line per problem, routed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.settings import ConfigError, load_config
from kiosk.settings.endpoints import client_secret_name

GOOD = """
[site]
id = "lisboa-01"

[endpoints.civil]
url = "https://api.example.gov.pt/kiosk/submissions"
token_url = "https://auth.example.gov.pt/oauth/token"
client_id = "kiosk-7"
scope = "submissions"
ca_bundle = "certs/ca.pem"
client_cert = "certs/kiosk.pem"
client_key = "certs/kiosk.key"
read_timeout_seconds = 12

[endpoints.sandbox]
url = "http://127.0.0.1:8765/submissions"

[routing]
default = "sandbox"
services = { "register-birth" = "civil" }
targets = { "civil-registry" = "civil" }
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> tuple[str, ...]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.problems


def test_endpoints_and_routing_load_with_paths_beside_the_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    civil = config.endpoints["civil"]
    assert civil.url == "https://api.example.gov.pt/kiosk/submissions"
    assert civil.health_url == "https://api.example.gov.pt/kiosk/health"  # the contract's /health beside /submissions
    assert (civil.token_url, civil.client_id, civil.scope) == (
        "https://auth.example.gov.pt/oauth/token",
        "kiosk-7",
        "submissions",
    )
    assert civil.ca_bundle == tmp_path / "certs" / "ca.pem"
    assert (civil.client_cert, civil.client_key) == (tmp_path / "certs/kiosk.pem", tmp_path / "certs/kiosk.key")
    assert (civil.connect_timeout_seconds, civil.read_timeout_seconds) == (10.0, 12.0)
    sandbox = config.endpoints["sandbox"]
    assert sandbox.token_url is None and sandbox.ca_bundle is None
    assert config.site.id == "lisboa-01"  # the fixed settings still load beside them


def test_routing_by_service_then_target_then_default(tmp_path: Path) -> None:
    routing = load_config(write(tmp_path, GOOD)).routing
    assert routing.endpoint_for("register-birth", "tax-authority") == "civil"
    assert routing.endpoint_for("change-address", "civil-registry") == "civil"
    assert routing.endpoint_for("change-address", "tax-authority") == "sandbox"


def test_without_endpoints_nothing_is_routed(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[site]\nid = "x"\n'))
    assert dict(config.endpoints) == {}
    assert config.routing.endpoint_for("any", "thing") is None


def test_every_problem_is_named_with_its_table_and_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[endpoints.tax]
url = "http://api.example.gov.pt/submissions"
token_url = "https://auth.example.gov.pt/token"
client_cert = "kiosk.pem"
read_timeout_seconds = 0
colour = "red"

[endpoints.Bad_Name]
url = "https://x.example/submissions"

[endpoints.nourl]
scope = "x"

[routing]
default = "taxes"
services = { "register-birth" = 3 }
fallback = "tax"
""",
    )
    problems = problems_of(path)
    expected = [
        "endpoints.tax.url: must use https: plain http is allowed only to this machine",
        "endpoints.tax.client_id: required when token_url is set",
        "endpoints.tax: client_cert and client_key go together",
        "endpoints.tax.read_timeout_seconds: must be at least 0.1, got 0",
        "endpoints.tax.colour: unknown endpoint setting",
        "endpoints.Bad_Name: an endpoint name is 1-40 lower-case letters",
        "endpoints.nourl.url: missing",
        'routing.default: no endpoint named "taxes"',
        "routing.services.register-birth: must be an endpoint name (a string), got 3 (integer)",
        "routing.fallback: unknown routing setting",
    ]
    for start in expected:
        assert any(p.startswith(f"{path}: {start}") for p in problems), (start, problems)
    assert len(problems) == len(expected)


def test_the_client_secret_has_a_name_in_the_secrets_backend_never_a_field() -> None:
    assert client_secret_name("sandbox") == "endpoint-sandbox-client-secret"


def test_a_client_secret_in_the_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, '[endpoints.x]\nurl = "https://x.example/s"\nclient_secret = "hunter2"\n')
    (problem,) = problems_of(path)
    assert problem.startswith(
        f"{path}: endpoints.x.client_secret: secrets never go in this file; store it as endpoint-x-client-secret"
    )
    assert "hunter2" not in problem


def test_the_endpoints_example_in_the_docs_loads(tmp_path: Path) -> None:
    from kiosk.settings.docs import render_markdown

    text = render_markdown().split("## Delivery endpoints", 1)[1]
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    config = load_config(write(tmp_path, example))
    assert config.routing.endpoint_for("register-birth", "x") == "civil-registry"
    assert config.endpoints["civil-registry"].client_id == "kiosk-lisboa-01"
