"""`citizen-kiosk tutorials check`: problems with file and place, links checked against a catalog, a summary line,
exit 1 on any problem; Qt-free."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from citizen_kiosk.cli import main
from kiosk.catalog import DEMO_CATALOG_DIR
from tests.helpers import child_env, run_cli
from tests.test_tutorials_schema import tutorial_doc, write_tutorials


def check(tmp_path: Path, *args: str) -> int:
    return main(["tutorials", "check", *args, "--data-dir", str(tmp_path / "data")])


def test_the_shipped_tutorials_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(tmp_path) == 0
    assert capsys.readouterr().out.splitlines() == ["12 tutorials, 0 problems"]


def test_a_folder_with_a_broken_file_lists_the_problem_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tutorial_doc("broken")
    broken["steps"][0]["picture"] = "cat"
    root = write_tutorials(tmp_path / "tutorials", [tutorial_doc("good"), broken])
    (root / "empty.json").write_bytes(b"")
    assert check(tmp_path, str(root)) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith('problem: broken.json: steps[0].picture: "cat" is not one of touch-screen, ')
    assert lines[1] == "problem: empty.json: line 1, column 1: not JSON: Expecting value"
    assert lines[-1] == "1 tutorials, 2 problems"


def test_links_must_exist_in_the_catalog_it_is_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    linked = tutorial_doc("linked", services=["register-birth", "no-such-service"], life_events=["lost-at-sea"])
    root = write_tutorials(tmp_path / "tutorials", [linked])
    assert check(tmp_path, str(root)) == 1  # the demo catalog by default
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "problem: linked.json: services[1]: no service 'no-such-service' in the catalog",
        "problem: linked.json: life_events[0]: no life event 'lost-at-sea' in the catalog",
        "1 tutorials, 2 problems",
    ]
    catalog = tmp_path / "catalog"
    shutil.copytree(DEMO_CATALOG_DIR, catalog)
    (catalog / "services" / "register-birth.json").unlink()
    assert check(tmp_path, str(root), "--catalog", str(catalog)) == 1
    assert "problem: linked.json: services[0]: no service 'register-birth' in the catalog" in capsys.readouterr().out


def test_plain_language_warnings_fail_only_with_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wordy = tutorial_doc("wordy")
    wordy["steps"][0]["text"]["en"] = " ".join(["word"] * 25) + "."
    root = write_tutorials(tmp_path / "tutorials", [wordy])
    assert check(tmp_path, str(root)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("warning: wordy.json: steps[0] (hello).text [en]: a sentence of 25 words")
    assert lines[-1] == "1 tutorials, 0 problems"
    assert check(tmp_path, str(root), "--strict") == 1
    assert capsys.readouterr().out.splitlines()[-1] == "1 tutorials, 1 problems"


@pytest.mark.subprocess
def test_check_runs_without_qt_and_reports_through_the_exit_status(tmp_path: Path) -> None:
    root = write_tutorials(tmp_path / "tutorials", [tutorial_doc()])
    (root / "tiny.json").write_text(json.dumps({"id": "tiny"}), encoding="utf-8")
    env = child_env(tmp_path)
    result = run_cli(["tutorials", "check", str(root), "--data-dir", str(tmp_path / "data")], env, block_qt=True)
    assert result.returncode == 1, result.stderr
    assert "QT-IMPORTED" not in result.stderr and "Traceback" not in result.stderr
    assert result.stdout.splitlines()[0].startswith("problem: tiny.json: (the whole file): missing 'version'")
    assert result.stdout.splitlines()[-1] == "0 tutorials, 1 problems"
