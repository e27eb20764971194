"""Windowless commands run on machines without Qt: each one is run with PySide6 made unimportable."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from citizen_kiosk.commands import all_commands
from tests.helpers import child_env, run_cli

WINDOWLESS = [command for command in all_commands() if not command.needs_qt]


@pytest.fixture
def demo(tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    env = child_env(tmp_path)
    config = tmp_path / "kiosk.toml"
    options = ["--config", str(config), "--data-dir", str(tmp_path / "data")]
    result = run_cli(
        ["secrets", "init", "--credentials-dir", str(tmp_path / "credentials"), *options], env, block_qt=True
    )
    assert result.returncode == 0, result.stderr
    return options, env


def test_there_are_windowless_commands_to_check() -> None:
    names = {command.name for command in WINDOWLESS}
    assert {"doctor", "secrets init", "secrets status", "alerts list", "config check", "tutorials check"} <= names
    assert {"tutorials sessions", "tutorials export"} <= names


@pytest.mark.subprocess
@pytest.mark.parametrize("command", WINDOWLESS, ids=lambda c: c.name)
def test_windowless_command_runs_without_qt(command, demo) -> None:  # type: ignore[no-untyped-def]
    options, env = demo
    example = command.example or command.name
    if "{answers}" in example:  # a command that reads an answers file gets a valid one
        answers = run_cli(["catalog", "example", "propose-a-simplification", *options], env, block_qt=True)
        path = Path(options[options.index("--data-dir") + 1]).parent / "answers.json"
        path.write_text(answers.stdout, encoding="utf-8")
        example = example.replace("{answers}", str(path))
    args = [*shlex.split(example), *options]
    result = run_cli(args, env, block_qt=True)
    assert "QT-IMPORTED" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), (result.returncode, result.stderr)


@pytest.mark.subprocess
def test_doctor_json_without_qt_reports_qt_missing_but_not_crash(demo) -> None:  # type: ignore[no-untyped-def]
    import json

    options, env = demo
    result = run_cli(["doctor", "--json", *options], env, block_qt=True)
    assert "QT-IMPORTED" not in result.stderr
    checks = {check["name"]: check for check in json.loads(result.stdout)}
    assert set(checks) >= {"data-dir", "database", "secrets", "fonts", "qt-platform", "display", "speech"}
    for check in checks.values():
        assert set(check) == {"name", "ok", "required", "detail", "fix"}
    assert checks["secrets"]["ok"] is True
    assert checks["display"]["ok"] is False and checks["display"]["required"] is False
