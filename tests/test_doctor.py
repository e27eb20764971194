"""`citizen-kiosk doctor`: one line per check, JSON on request, exit 1 only for a failed required check, and it
never changes what it examines."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from citizen_kiosk.cli import main
from citizen_kiosk.doctor import run_checks
from citizen_kiosk.wiring import load_context
from kiosk.storage import open_storage

FAIL_KEYRING = "keyring.backends.fail.Keyring"


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    config = tmp_path / "kiosk.toml"
    options = ["--config", str(config), "--data-dir", str(tmp_path / "data")]
    assert main(["secrets", "init", "--credentials-dir", str(tmp_path / "credentials"), *options]) == 0
    return options


def test_healthy_kiosk_passes_every_required_check(configured: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["doctor", "--json", *configured]) == 0
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)}
    assert all(c["ok"] for c in checks.values() if c["required"])
    required = {name for name, check in checks.items() if check["required"]}
    assert required == {"data-dir", "database", "secrets", "fonts", "qt-platform"}


def test_missing_secrets_is_a_required_failure_with_a_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FAIL_KEYRING)
    assert main(["doctor", "--data-dir", str(tmp_path / "data")]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if " secrets " in line)
    assert line.startswith("FAIL")
    assert "fix: citizen-kiosk secrets init" in out


def test_doctor_reports_a_damaged_database_without_touching_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FAIL_KEYRING)
    data = tmp_path / "data"
    open_storage(data).close()
    path = data / "kiosk.db"
    path.write_bytes(path.read_bytes()[:100] + b"\x00garbage" * 500)
    before = _digest(data)
    checks = {c.name: c for c in run_checks(load_context(config_option=None, data_dir_option=str(data), env={}))}
    assert not checks["database"].ok and checks["database"].required
    assert "moves the file aside" in checks["database"].fix
    assert _digest(data) == before


def test_doctor_refuses_nothing_but_names_a_newer_schema(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(data / "kiosk.db") as conn:
        conn.execute("PRAGMA user_version = 42")
    before = _digest(data)
    checks = {c.name: c for c in run_checks(load_context(config_option=None, data_dir_option=str(data), env={}))}
    assert "schema 42, newer than this kiosk's" in checks["database"].detail
    assert _digest(data) == before


def test_doctor_leaves_a_healthy_database_byte_identical(configured: list[str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_storage(data).close()
    before = _digest(data)
    assert main(["doctor", *configured]) == 0
    assert _digest(data) == before


def test_doctor_reports_qt_virtual_keyboard_when_pip_brought_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citizen_kiosk import doctor, platform_probe

    pyside = tmp_path / "PySide6"
    monkeypatch.setattr(platform_probe, "qt_dir", lambda: pyside)
    (pyside / "Qt" / "plugins" / "platforminputcontexts").mkdir(parents=True)
    ok, detail, _ = doctor._qt_virtual_keyboard(None)  # type: ignore[arg-type]  # the check reads no context
    assert ok and "not installed" in detail
    plugin = pyside / "Qt" / "plugins" / "platforminputcontexts" / "libqtvirtualkeyboardplugin.so"
    plugin.write_bytes(b"")
    ok, detail, fix = doctor._qt_virtual_keyboard(None)  # type: ignore[arg-type]
    assert not ok and "GPL" in detail and "libqtvirtualkeyboardplugin.so" in detail
    assert "installer/drop-qt-virtual-keyboard.sh" in fix
