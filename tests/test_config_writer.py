"""Writing configuration files: a small, correct TOML emitter and in-place updates that keep everything else."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from kiosk.settings import ConfigError, load_config, write_setting, write_settings
from kiosk.settings.schema import SECTIONS, SETTINGS
from kiosk.settings.writer import emit_document, emit_value

TRICKY_STRINGS = [
    "",
    "plain",
    'say "hi"',
    "back\\slash C:\\kiosk\\",
    "tab\tnew\nline\rcr",
    "bell\x07 esc\x1b del\x7f nul-free",
    "Loja do Cidadão — Українська — العربية — 😀",
    '\'single\' and """triple"""',
    "".join(chr(c) for c in range(1, 128)),
]


@pytest.mark.parametrize("text", TRICKY_STRINGS)
def test_strings_round_trip_through_tomllib(text: str) -> None:
    assert tomllib.loads(f"v = {emit_value(text)}")["v"] == text


@pytest.mark.parametrize("value", [0, -7, 10**15, 0.1, -2.5, 1e20, 1e-7, 21.5, True, False, ["a", 'b"c', ""], []])
def test_other_values_round_trip(value: object) -> None:
    parsed = tomllib.loads(f"v = {emit_value(value)}")["v"]
    assert parsed == value
    assert type(parsed) is type(value)


def test_unsupported_values_are_refused() -> None:
    with pytest.raises(TypeError):
        emit_value(object())


def test_a_document_round_trips() -> None:
    data: dict[str, Any] = {
        s: {x.name: list(x.default) if isinstance(x.default, tuple) else x.default for x in SETTINGS if x.section == s}
        for s in SECTIONS
    }
    data["site"]["name"] = 'quote " and \\ backslash'
    data["odd key"] = {"needs quoting": 1, "nested": {"deep": "yes"}}
    assert tomllib.loads(emit_document(data)) == data


def test_creates_a_file_and_its_directory(tmp_path: Path) -> None:
    path = tmp_path / "etc" / "kiosk" / "config.toml"
    write_setting(path, "site.id", "lisboa-01")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"site": {"id": "lisboa-01"}}
    assert load_config(path).site.id == "lisboa-01"


def test_updates_in_place_keeping_comments_and_other_settings(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    original = (
        "# Kiosk at the town hall\n"
        "[site]\n"
        'id = "old"  # set by the installer\n'
        'name = "Town hall"\n'
        "\n"
        "[idle]\n"
        "# older visitors need time\n"
        "question_seconds = 180\n"
    )
    path.write_text(original, encoding="utf-8")
    write_settings(path, {"site.id": "new", "idle.warning_seconds": 30, "secrets.backend": "credentials-dir"})
    text = path.read_text(encoding="utf-8")
    assert "# Kiosk at the town hall" in text
    assert "# older visitors need time" in text
    config = load_config(path)
    assert config.site.id == "new"
    assert config.site.name == "Town hall"
    assert config.idle.question_seconds == 180
    assert config.idle.warning_seconds == 30
    assert config.secrets.backend == "credentials-dir"


def test_multiline_values_and_dotted_keys_fall_back_to_a_full_rewrite(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('site.id = "dotted"\n[languages]\navailable = [\n  "en",\n  "fr",\n]\ndefault = "en"\n')
    write_settings(path, {"languages.available": ("en", "fr", "uk"), "site.name": "Here"})
    config = load_config(path)
    assert config.languages.available == ("en", "fr", "uk")
    assert config.languages.default == "en"
    assert config.site.id == "dotted"
    assert config.site.name == "Here"


def test_paths_are_written_as_strings(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    write_setting(path, "secrets.credentials_dir", Path("creds"))
    assert load_config(path).secrets.credentials_dir == tmp_path.absolute() / "creds"


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("site.colour", "red", "site.colour: unknown setting"),
        ("idle.warning_seconds", 5, "idle.warning_seconds: must be at least 20, got 5"),
        ("idle.warning_seconds", True, "idle.warning_seconds: must be an integer, got true (boolean)"),
        ("secrets.backend", "plaintext", "secrets.backend: must be one of"),
    ],
)
def test_invalid_updates_change_nothing(tmp_path: Path, key: str, value: object, reason: str) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('[site]\nid = "keep"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        write_setting(path, key, value)  # type: ignore[arg-type]
    assert info.value.problems[0].startswith(f"{path}: {reason}")
    assert path.read_text(encoding="utf-8") == '[site]\nid = "keep"\n'


def test_a_broken_file_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("[site\nid = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        write_setting(path, "site.id", "x")
    assert "invalid TOML" in str(info.value)
    assert path.read_text(encoding="utf-8") == "[site\nid = 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.toml"]  # no temporary file left behind


def test_file_mode_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("", encoding="utf-8")
    path.chmod(0o640)
    write_setting(path, "site.id", "x")
    assert path.stat().st_mode & 0o777 == 0o640
