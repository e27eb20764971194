"""`citizen-kiosk catalog check|list` for service designers: problems with file and place, a summary line, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citizen_kiosk.cli import main
from tests.test_catalog_loader import service, write_catalog


def test_check_of_the_demo_catalog_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "check", "--data-dir", str(tmp_path)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    services, events, problems, warnings = (int(part.split()[0]) for part in last.split(", "))
    assert services >= 24 and events >= 10 and problems == 0 and warnings == 0


def test_check_lists_problems_then_warnings_then_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = service("bad-one")
    bad["pages"][0]["type"] = "txt"
    wordy = service(summary={"pt-PT": "Curta.", "en": " ".join(["word"] * 25) + "."})
    root = write_catalog(tmp_path / "catalog", [wordy, bad])
    assert main(["catalog", "check", str(root), "--data-dir", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("problem: services/bad-one.json: pages[0].type: ")
    assert lines[1].startswith("warning: services/register-birth.json: summary [en]: a sentence of 25 words")
    assert lines[-1] == "1 services, 1 life events, 1 problems, 1 warnings"


def test_check_uses_the_configured_catalog(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_catalog(tmp_path / "catalog", [service()])
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[catalog]\ndirectory = "{root}"\n')
    assert main(["catalog", "check", "--config", str(config), "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 services, 1 life events, 0 problems, 0 warnings"


def test_list_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_catalog(tmp_path / "catalog", [service()])
    args = ["catalog", "list", "--json", "--lang", "pt-PT", "--catalog", str(root), "--data-dir", str(tmp_path)]
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)
    # Questions count what the citizen answers: the repeat's two questions count once each.
    assert rows == [
        {
            "id": "register-birth",
            "version": "1.0",
            "title": "Register a birth (pt)",
            "life_events": ["having-a-baby"],
            "questions": 6,
        }
    ]


def test_list_as_text_names_every_demo_service(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "list", "--data-dir", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 24
    assert any(line.startswith("propose-a-simplification\t1.0\t") for line in lines)


def test_example_prints_an_answers_file_that_completes_the_service(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import datetime

    from kiosk.catalog import load_catalog
    from kiosk.forms.answers_file import check_all

    assert main(["catalog", "example", "register-birth", "--data-dir", str(tmp_path)]) == 0
    answers = json.loads(capsys.readouterr().out)
    service = load_catalog().catalog.services["register-birth"]
    assert check_all(service, answers, today=datetime.date.today()) == []


def test_example_of_an_unknown_service_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "example", "register-unicorn", "--data-dir", str(tmp_path)]) == 2
    assert "no service 'register-unicorn'" in capsys.readouterr().err
