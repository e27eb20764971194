"""`citizen-kiosk sandbox`: the real CLI serving in a child process until a signal, `write-config` making a kiosk
configuration whose credentials a sandbox accepts (and no secret in the file), and `records`."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

import pytest
import requests

from sync.classify import Outcome
from sync.oauth import ClientCredentials, TokenSource
from sync.rest import Connections, Endpoint, deliver
from sync.sandbox import Sandbox
from tests.helpers import ROOT, child_env, run_cli

SECRET_NAME = "endpoint-sandbox-client-secret"


def submission() -> tuple[str, bytes]:
    key = str(uuid.uuid4())
    return key, json.dumps({"uuid": key, "service_id": "register-birth", "answers": {}}).encode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.subprocess
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_cli_serves_on_the_port_it_prints_until_a_signal(tmp_path: Path, stop: signal.Signals) -> None:
    store = tmp_path / "store"
    command = [sys.executable, "-m", "citizen_kiosk", "--data-dir", str(store), "sandbox", "--port", "0"]
    child = subprocess.Popen(
        [*command, "--fail-first", "1"], cwd=ROOT, env=child_env(tmp_path), stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        url = child.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/"), url
        key, body = submission()
        with requests.Session() as http:
            assert http.get(url + "health", timeout=5).json() == {"status": "ok"}
            headers = {"Idempotency-Key": f'"{key}"'}
            statuses = [http.post(url + "submissions", data=body, headers=headers, timeout=5) for _ in range(2)]
        assert [s.status_code for s in statuses] == [503, 201]
        child.send_signal(stop)
        assert child.wait(timeout=10) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    records = run_cli(["--data-dir", str(store), "sandbox", "records", "--json"], child_env(tmp_path), block_qt=True)
    assert records.returncode == 0, records.stderr
    [record] = json.loads(records.stdout)
    assert set(record) == {"submission_uuid", "service", "received_at", "attempts"}
    assert (record["submission_uuid"], record["service"], record["attempts"]) == (key, "register-birth", 2)
    text = run_cli(["--data-dir", str(store), "sandbox", "records"], child_env(tmp_path))
    assert key in text.stdout and "attempts 2" in text.stdout


def test_records_of_a_missing_store_are_empty_and_create_nothing(tmp_path: Path) -> None:
    result = run_cli(["--data-dir", str(tmp_path / "none"), "sandbox", "records", "--json"], child_env(tmp_path))
    assert (result.returncode, json.loads(result.stdout)) == (0, [])
    assert not (tmp_path / "none").exists()


def test_a_probability_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(["sandbox", "--fail-rate", "1.5"], child_env(tmp_path))
    assert result.returncode == 2 and "between 0 and 1" in result.stderr


def write_config(
    tmp_path: Path, config: Path, port: int, store: Path | None = None
) -> subprocess.CompletedProcess[str]:
    store = store or tmp_path / "store"
    args = ["--data-dir", str(store), "sandbox", "write-config", str(config), "--port", str(port)]
    result = run_cli(args, child_env(tmp_path), block_qt=True)
    assert result.returncode == 0, result.stderr
    return result


def test_write_config_keeps_the_secret_out_of_the_file_and_a_sandbox_accepts_it(tmp_path: Path) -> None:
    config, port = tmp_path / "kiosk" / "kiosk.toml", free_port()
    result = write_config(tmp_path, config, port)
    secret = (tmp_path / "kiosk" / "credentials" / SECRET_NAME).read_text(encoding="utf-8")
    assert len(secret) >= 43
    assert secret not in config.read_text(encoding="utf-8")
    assert secret not in result.stdout + result.stderr
    data = tomllib.loads(config.read_text(encoding="utf-8"))
    endpoint = data["endpoints"]["sandbox"]
    base = f"http://127.0.0.1:{port}/"
    assert endpoint["url"] == base + "submissions" and endpoint["health_url"] == base + "health"
    assert endpoint["token_url"] == base + "oauth/token"
    assert endpoint["client_id"].startswith("kiosk-") and len(endpoint["client_id"]) == len("kiosk-") + 8
    assert data["routing"] == {"default": "sandbox"}
    assert data["secrets"] == {"backend": "credentials-dir", "credentials_dir": "credentials"}
    assert (tmp_path / "kiosk" / "credentials" / "payload-key").is_file()  # what `secrets init` provisions
    # A sandbox started later on the same store and port accepts the credentials; the kiosk's adapter delivers.
    with Sandbox(tmp_path / "store", port=port) as sandbox, requests.Session() as session:
        assert sandbox.url == base
        credentials = ClientCredentials(endpoint["token_url"], endpoint["client_id"])
        tokens = TokenSource(credentials, lambda: secret, session)
        key, body = submission()
        outcome = deliver(
            Connections(), Endpoint("sandbox", endpoint["url"]), submission_uuid=key, body=body, token=tokens.token()
        )
        assert outcome.outcome is Outcome.ACK


def test_write_config_twice_reuses_the_client_and_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '# this kiosk\n[site]\nid = "demo-site"  # the site\n\n[endpoints.civil]\nurl = "https://civil.example/s"\n'
        '\n[routing]\ndefault = "civil"\nservices = { "register-birth" = "civil" }\n',
        encoding="utf-8",
    )
    write_config(tmp_path, config, 8001)
    first = tomllib.loads(config.read_text(encoding="utf-8"))
    secret = (tmp_path / "credentials" / SECRET_NAME).read_text(encoding="utf-8")
    again = write_config(tmp_path, config, 8002)
    text = config.read_text(encoding="utf-8")
    second = tomllib.loads(text)
    assert "reused" in again.stdout
    assert second["endpoints"]["sandbox"]["client_id"] == first["endpoints"]["sandbox"]["client_id"]
    assert second["endpoints"]["sandbox"]["url"] == "http://127.0.0.1:8002/submissions"
    assert (tmp_path / "credentials" / SECRET_NAME).read_text(encoding="utf-8") == secret
    assert second["endpoints"]["civil"] == {"url": "https://civil.example/s"}
    assert second["routing"] == {"default": "sandbox", "services": {"register-birth": "civil"}}
    assert second["site"] == {"id": "demo-site"} and "# the site" in text and text.startswith("# this kiosk")
    assert text.count("[endpoints.sandbox]") == 1 and text.count("[routing]") == 1
    # A new store does not know the client: a new one replaces it, and that store accepts the new secret.
    replaced = write_config(tmp_path, config, 8002, store=tmp_path / "other-store")
    assert "created" in replaced.stdout
    third = tomllib.loads(config.read_text(encoding="utf-8"))
    new_secret = (tmp_path / "credentials" / SECRET_NAME).read_text(encoding="utf-8")
    assert third["endpoints"]["sandbox"]["client_id"] != first["endpoints"]["sandbox"]["client_id"]
    with Sandbox(tmp_path / "other-store") as sandbox, requests.Session() as session:
        grant = {"grant_type": "client_credentials"}
        client = third["endpoints"]["sandbox"]["client_id"]
        assert session.post(sandbox.url + "oauth/token", data=grant, auth=(client, new_secret)).status_code == 200
        assert session.post(sandbox.url + "oauth/token", data=grant, auth=(client, secret)).status_code == 401


def test_the_kiosk_loads_the_written_configuration(tmp_path: Path) -> None:
    from kiosk.settings import load_config
    from kiosk.settings.endpoints import client_secret_name

    config = tmp_path / "kiosk.toml"
    write_config(tmp_path, config, 8765)
    loaded = load_config(config)
    assert loaded.routing.endpoint_for("x", "y") == "sandbox"
    sandbox = loaded.endpoints["sandbox"]
    assert (sandbox.url, sandbox.token_url) == (
        "http://127.0.0.1:8765/submissions",
        "http://127.0.0.1:8765/oauth/token",
    )
    assert client_secret_name("sandbox") == SECRET_NAME
    status = run_cli(["secrets", "status", "--config", str(config)], child_env(tmp_path))
    assert status.returncode == 0, status.stdout + status.stderr


def test_write_config_refuses_a_file_the_kiosk_refuses_and_changes_nothing(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[site]\ncolour = "red"\n', encoding="utf-8")
    args = ["--data-dir", str(tmp_path / "store"), "sandbox", "write-config", str(config)]
    result = run_cli(args, child_env(tmp_path), block_qt=True)
    assert result.returncode == 1 and "site.colour" in result.stderr and "Traceback" not in result.stderr
    assert config.read_text(encoding="utf-8") == '[site]\ncolour = "red"\n'
    assert not (tmp_path / "credentials").exists() and not (tmp_path / "store").exists()
