"""The command line: every command has help and docs, usage errors exit 2, bad configuration is one clear message."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import citizen_kiosk
from citizen_kiosk.cli import main
from citizen_kiosk.commands import all_commands
from tests.helpers import ROOT, child_env, run_cli

DOCS = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


def test_version_matches_the_package_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert capsys.readouterr().out.strip() == f"citizen-kiosk {version}" == f"citizen-kiosk {citizen_kiosk.__version__}"


@pytest.mark.parametrize("command", all_commands(), ids=lambda c: c.name)
def test_every_command_has_help_and_common_options(command, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_info:
        main([*command.name.split(), "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "--data-dir D" in text and "--config F" in text
    assert command.help.split()[0] in text


@pytest.mark.parametrize("command", all_commands(), ids=lambda c: c.name)
def test_every_command_is_documented(command) -> None:  # type: ignore[no-untyped-def]
    assert f"citizen-kiosk {command.name}" in DOCS, f"`citizen-kiosk {command.name}` is not in README.md or docs/"


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


def test_unknown_language_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", "--lang", "xx-YY", "--data-dir", str(tmp_path)])
    assert code == 2
    assert "unknown language 'xx-YY'" in capsys.readouterr().err


def test_screenshot_needs_one_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["screenshot", "--data-dir", str(tmp_path)]) == 2


def test_bad_config_key_is_one_clear_message_naming_file_and_key(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[site]\nid = "x"\ncolour = "red"\n[idle]\nwarning_seconds = 5\n')
    result = run_cli(["config", "check", "--config", str(config)], child_env(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(config) in result.stderr
    assert "site.colour" in result.stderr and "idle.warning_seconds" in result.stderr
    assert result.stdout == ""


def test_data_dir_precedence(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[storage]\ndata_dir = "{tmp_path / "from-config"}"\n')
    env = child_env(tmp_path)
    by_config = run_cli(["config", "check", "--config", str(config)], env)
    assert f"{tmp_path / 'from-config'} (from config file)" in by_config.stdout
    env["CITIZEN_KIOSK_DATA_DIR"] = str(tmp_path / "from-env")
    by_env = run_cli(["config", "check", "--config", str(config)], env)
    assert f"{tmp_path / 'from-env'} (from CITIZEN_KIOSK_DATA_DIR)" in by_env.stdout
    by_option = run_cli(["config", "check", "--config", str(config), "--data-dir", str(tmp_path / "opt")], env)
    assert f"{tmp_path / 'opt'} (from --data-dir)" in by_option.stdout
    del env["CITIZEN_KIOSK_DATA_DIR"]
    config.write_text("")
    default = run_cli(["config", "check", "--config", str(config)], env)
    assert f"{tmp_path / 'home' / '.local' / 'share' / 'citizen-kiosk'} (from default)" in default.stdout
