"""Tokens, client secrets and citizens' answers never reach the disk in clear: after submitting and delivering through
the real commands (OAuth token fetched, one submission quarantined with a server message that echoes the answer, the
log at DEBUG level), a byte search of every file in the data directory (database, WAL, logs) and of the configuration
finds none of them."""

from __future__ import annotations

import base64
import datetime
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from citizen_kiosk.cli import main
from kiosk.catalog import load_catalog
from kiosk.forms.answers_file import example_answers

CANARY_ANSWER = "Canary-Answer-Rua-das-Flores-77"
CLIENT_SECRET = "Canary-Client-Secret-5f0c2a9e"
TOKEN = "Canary-Access-Token-0b7d41c3"


class Backend(ThreadingHTTPServer):
    daemon_threads = True
    posts = 0


class Handler(BaseHTTPRequestHandler):
    server: Backend

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/oauth/token":
            expected = "Basic " + base64.b64encode(f"kiosk-1:{CLIENT_SECRET}".encode()).decode()
            ok = self.headers.get("Authorization") == expected
            self._answer(200 if ok else 401, {"access_token": TOKEN, "expires_in": 300} if ok else {})
            return
        assert self.headers.get("Authorization") == f"Bearer {TOKEN}"
        self.server.posts += 1
        uuid = json.loads(body)["uuid"]
        if self.server.posts == 1:  # servers echo answers in their error messages
            self._answer(422, {"title": "Invalid", "detail": f"which_service: {CANARY_ANSWER} is not a service"})
        else:
            self._answer(201, {"submission_uuid": uuid, "receipt": f"GOV-{self.server.posts}"})

    def _answer(self, status: int, data: dict[str, object]) -> None:
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def backend() -> Iterator[str]:
    server = Backend(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    yield
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_citizen_kiosk", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.WARNING)


def test_no_token_secret_or_answer_is_on_disk_in_clear(tmp_path: Path, backend: str) -> None:
    config, data, credentials = tmp_path / "kiosk.toml", tmp_path / "data", tmp_path / "credentials"
    config.write_text(
        f'[logging]\nlevel = "DEBUG"\n\n[endpoints.gov]\nurl = "{backend}/submissions"\n'
        f'token_url = "{backend}/oauth/token"\nclient_id = "kiosk-1"\n\n[routing]\ndefault = "gov"\n',
        encoding="utf-8",
    )
    options = ["--config", str(config), "--data-dir", str(data)]
    assert main(["secrets", "init", "--credentials-dir", str(credentials), *options]) == 0
    (credentials / "endpoint-gov-client-secret").write_text(CLIENT_SECRET, encoding="utf-8")
    service = load_catalog().catalog.services["propose-a-simplification"]
    answers = example_answers(service, today=datetime.date.today())
    answers["which_service"] = CANARY_ANSWER
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps(answers), encoding="utf-8")
    for _ in range(2):
        assert main(["submit", service.id, "--answers", str(answers_file), *options]) == 0
    answers_file.unlink()  # the test's own input file is not the kiosk's
    assert main(["sync", "now", *options]) == 1  # one delivered, one quarantined with the echoing message
    for handler in logging.getLogger().handlers:
        handler.flush()

    files = [p for p in data.rglob("*") if p.is_file()] + [config]
    assert any(p.name.endswith(".log") for p in files) and any("sqlite" in p.name or p.suffix == ".db" for p in files)
    log_text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in files if ".log" in p.name)
    assert "sync now: delivered 1, scheduled 0, quarantined 1, paused 0" in log_text  # the log did record the sync
    for path in files:
        content = path.read_bytes()
        for canary in (CANARY_ANSWER, CLIENT_SECRET, TOKEN):
            assert canary.encode() not in content, f"{canary} found in {path.relative_to(tmp_path)}"
            assert canary.encode("utf-16-le") not in content
