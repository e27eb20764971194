"""`citizen-kiosk sync status`: the queue's figures from the real database, as text or JSON."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from citizen_kiosk.cli import main
from kiosk.catalog import load_catalog
from kiosk.forms.answers_file import example_answers


def test_status_counts_what_submit_queued(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    options = ["--config", str(tmp_path / "kiosk.toml"), "--data-dir", str(tmp_path / "data")]
    assert main(["secrets", "init", "--credentials-dir", str(tmp_path / "credentials"), *options]) == 0
    capsys.readouterr()
    assert main(["sync", "status", "--json", *options]) == 0
    empty = json.loads(capsys.readouterr().out)
    assert empty == {"states": {}, "pending": 0, "oldest_pending_seconds": None, "last_success": None, "breakers": {}}
    service = load_catalog().catalog.services["propose-a-simplification"]
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(example_answers(service, today=datetime.date.today())), encoding="utf-8")
    for _ in range(2):
        assert main(["submit", service.id, "--answers", str(answers), *options]) == 0
    capsys.readouterr()
    assert main(["sync", "status", "--json", *options]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["states"] == {"queued": 2} and figures["pending"] == 2
    assert 0 <= figures["oldest_pending_seconds"] < 60 and figures["last_success"] is None
    assert main(["sync", "status", *options]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "queue: queued 2"


def test_status_shows_an_open_breaker(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import UTC, datetime

    from kiosk.storage import open_storage
    from sync.breaker import FAILURE_THRESHOLD, record_failure

    options = ["--config", str(tmp_path / "kiosk.toml"), "--data-dir", str(tmp_path / "data")]
    assert main(["secrets", "init", "--credentials-dir", str(tmp_path / "credentials"), *options]) == 0
    with open_storage(tmp_path / "data") as storage:
        for _ in range(FAILURE_THRESHOLD):
            record_failure(storage.db, "civil-registry", now=datetime.now(UTC), reason="the connection was cut")
    capsys.readouterr()
    assert main(["sync", "status", "--json", *options]) == 0
    assert json.loads(capsys.readouterr().out)["breakers"]["civil-registry"]["state"] == "open"
    assert main(["sync", "status", *options]) == 0
    assert "endpoint civil-registry: open, next probe " in capsys.readouterr().out
    from sync.breaker import pause

    with open_storage(tmp_path / "data") as storage:
        pause(storage.db, "civil-registry", now=datetime.now(UTC), reason="the server refused the kiosk's credentials")
    assert main(["sync", "status", "--json", *options]) == 0
    paused = json.loads(capsys.readouterr().out)["breakers"]["civil-registry"]["paused"]
    assert paused == "the server refused the kiosk's credentials"
    assert main(["sync", "status", *options]) == 0
    assert "PAUSED: the server refused the kiosk's credentials (next try " in capsys.readouterr().out


def test_sync_now_delivers_what_is_due_and_exits_1_when_something_needs_staff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.receiver import running_receiver

    config = tmp_path / "kiosk.toml"
    options = ["--config", str(config), "--data-dir", str(tmp_path / "data")]
    assert main(["sync", "now", *options[2:]]) == 0  # nothing configured, nothing queued: nothing to do
    assert capsys.readouterr().out.strip() == "delivered 0, scheduled 0, quarantined 0, paused 0"
    with running_receiver() as receiver:
        config.write_text(f'[endpoints.gov]\nurl = "{receiver.url}"\n\n[routing]\ndefault = "gov"\n', encoding="utf-8")
        assert main(["secrets", "init", "--credentials-dir", str(tmp_path / "credentials"), *options]) == 0
        service = load_catalog().catalog.services["propose-a-simplification"]
        answers = tmp_path / "answers.json"
        answers.write_text(json.dumps(example_answers(service, today=datetime.date.today())), encoding="utf-8")
        for _ in range(3):
            assert main(["submit", service.id, "--answers", str(answers), *options]) == 0
        receiver.script += [(503, {}, b""), (422, {}, b'{"detail": "unknown field"}')]
        capsys.readouterr()
        assert main(["sync", "now", *options]) == 1
        out = capsys.readouterr().out.splitlines()
        assert out == [
            "delivered 1, scheduled 1, quarantined 1, paused 0",
            "need staff: quarantined 1 (see `citizen-kiosk sync status` and the staff queue screen)",
        ]
        assert receiver.requests() == 3
        assert main(["sync", "status", "--json", *options]) == 0
        assert json.loads(capsys.readouterr().out)["states"] == {
            "delivered": 1,
            "quarantined": 1,
            "retry-scheduled": 1,
        }
