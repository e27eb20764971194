"""`citizen-kiosk submit`: answers files checked like the screens, sealed and queued, or refused per field (exit 3)."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from citizen_kiosk.cli import main
from kiosk.catalog import load_catalog
from kiosk.crypto import PayloadCipher
from kiosk.forms.answers_file import example_answers
from kiosk.secrets.keys import decode_key
from kiosk.storage import open_storage
from kiosk.submissions import lookup, read_payload

SERVICES = load_catalog().catalog.services
REFERENCE_AND_UUID = re.compile(r"^(R(?:-[0-9A-Z]+)+) ([0-9a-f-]{36})$")


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """One demo set-up for the module: a configuration with a credentials directory holding the payload key."""
    root = tmp_path_factory.mktemp("kiosk")
    options = ["--config", str(root / "kiosk.toml"), "--data-dir", str(root / "data")]
    assert main(["secrets", "init", "--credentials-dir", str(root / "credentials"), *options]) == 0
    return options


def answers_file(tmp_path: Path, answers: object) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("service_id", list(SERVICES))
def test_every_shipped_service_is_submitted_with_its_example(
    service_id: str, kiosk: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = example_answers(SERVICES[service_id], today=datetime.date.today())
    assert main(["submit", service_id, "--answers", answers_file(tmp_path, answers), *kiosk]) == 0
    match = REFERENCE_AND_UUID.match(capsys.readouterr().out.strip())
    assert match, "prints REFERENCE SUBMISSION_UUID"
    data_dir = Path(kiosk[kiosk.index("--data-dir") + 1])
    with open_storage(data_dir) as storage:
        status = lookup(storage.db, match.group(1))
        assert status is not None and status.state == "queued" and status.service_id == service_id
        key = (Path(kiosk[1]).parent / "credentials" / "payload-key").read_text().strip()
        payload = json.loads(read_payload(storage.db, match.group(2), PayloadCipher(decode_key(key))))
    assert payload["answers"] == answers and payload["service_id"] == service_id
    assert payload["reference"] == match.group(1) and payload["assisted"] is False


def test_invalid_answers_exit_3_with_one_line_per_field_and_store_nothing(
    kiosk: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = example_answers(SERVICES["child-benefit"], today=datetime.date.today())
    answers["iban"] = "PT50 0002 0123 1234 5678 9015 5"
    data_dir = Path(kiosk[kiosk.index("--data-dir") + 1])
    with open_storage(data_dir) as storage:
        before = storage.db["submissions"].count
    assert main(["submit", "child-benefit", "--answers", answers_file(tmp_path, answers), *kiosk]) == 3
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("iban: ") and "iban.check_digits" in out[0]
    with open_storage(data_dir) as storage:
        assert storage.db["submissions"].count == before


def test_a_file_that_is_not_json_exits_3_without_echoing_it(
    kiosk: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"full_name": "CANARY-5e1f",', encoding="utf-8")
    assert main(["submit", "child-benefit", "--answers", str(path), *kiosk]) == 3
    err = capsys.readouterr().err
    assert "is not JSON (line 1" in err and "CANARY" not in err


def test_without_the_payload_key_nothing_is_stored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "credentials"
    empty.mkdir()
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[secrets]\nbackend = "credentials-dir"\ncredentials_dir = "{empty}"\n')
    answers = example_answers(SERVICES["propose-a-simplification"], today=datetime.date.today())
    args = ["submit", "propose-a-simplification", "--answers", answers_file(tmp_path, answers)]
    assert main([*args, "--config", str(config), "--data-dir", str(tmp_path / "data")]) == 1
    assert "no payload key" in capsys.readouterr().err


def test_an_unknown_service_is_a_usage_error(kiosk: list[str], tmp_path: Path) -> None:
    assert main(["submit", "register-unicorn", "--answers", answers_file(tmp_path, {}), *kiosk]) == 2
