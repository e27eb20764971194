"""Configuration: one schema, validated loading with every problem reported, file and data-dir precedence, docs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.i18n import SHIPPED_LANGUAGES
from kiosk.settings import ConfigError, default_config, load_config, resolve_config_path
from kiosk.settings.docs import render_markdown
from kiosk.settings.model import SECTION_CLASSES, Config
from kiosk.settings.schema import SECTIONS, SETTINGS
from kiosk.settings.validate import check_value

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str, name: str = "kiosk.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> tuple[str, ...]:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value.problems


# --- the schema is the one description -----------------------------------------------------------------------------


def test_records_match_the_schema_exactly() -> None:
    assert tuple(SECTION_CLASSES) == SECTIONS
    for section, cls in SECTION_CLASSES.items():
        fields = cls._fields
        assert fields == tuple(s.name for s in SETTINGS if s.section == section), section
    assert list(Config._fields) == [*SECTIONS, "endpoints", "routing", "source"]  # endpoints: own tables


def test_every_default_passes_its_own_validation() -> None:
    for setting in SETTINGS:
        check_value(setting, setting.default)
        assert setting.doc.strip(), setting.key


def test_defaults_without_a_file() -> None:
    config = load_config(None)
    assert config == default_config()
    assert config.source is None
    assert config.site.id == "demo-site"
    assert config.languages.available == SHIPPED_LANGUAGES
    assert config.languages.default == "pt-PT"
    assert config.storage.data_dir is None
    assert (config.idle.question_seconds, config.idle.reading_seconds, config.idle.warning_seconds) == (120, 300, 60)
    assert (config.panel.diagonal_inches, config.panel.width_px, config.panel.height_px) == (21.5, 1920, 1080)
    assert config.secrets.backend == "auto"
    assert config.secrets.credentials_dir is None
    assert config.doctor.required == ("data-dir", "database", "secrets", "fonts", "qt-platform")
    assert (config.logging.level, config.logging.max_bytes, config.logging.backups) == ("INFO", 1_000_000, 5)


def test_docs_page_is_the_rendered_schema() -> None:
    page = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert page == render_markdown(), "regenerate: python -m kiosk.settings.docs > docs/configuration.md"
    for setting in SETTINGS:
        assert f"`{setting.key}`" in page


def test_the_example_in_the_docs_is_a_valid_file_of_the_defaults(tmp_path: Path) -> None:
    example = render_markdown().rsplit("```toml\n", 1)[1].split("```", 1)[0]  # the last example: every default
    config = load_config(write(tmp_path, example))
    assert config._replace(source=None) == default_config()


# --- loading a file ----------------------------------------------------------------------------------------------


def test_a_valid_file_is_loaded_into_typed_sections(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[site]
id = "lisboa-01"
name = "Loja do Cidadão"
[languages]
available = ["en", "uk"]
default = "uk"
[idle]
warning_seconds = 20
[panel]
diagonal_inches = 24
[secrets]
backend = "credentials-dir"
credentials_dir = "creds"
[storage]
data_dir = "/var/lib/kiosk"
""",
    )
    config = load_config(path)
    assert config.source == path
    assert config.site.id == "lisboa-01"
    assert config.site.kiosk_id == "kiosk-01"  # untouched settings keep their defaults
    assert config.languages.available == ("en", "uk")
    assert config.languages.default == "uk"
    assert config.idle.warning_seconds == 20
    assert config.panel.diagonal_inches == 24.0
    assert isinstance(config.panel.diagonal_inches, float)
    assert config.secrets.credentials_dir == tmp_path.absolute() / "creds"  # relative to the config file
    assert config.storage.data_dir == Path("/var/lib/kiosk")


def test_empty_path_means_unset_and_tilde_expands(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[storage]\ndata_dir = ""\n[secrets]\ncredentials_dir = "~/creds"\n'))
    assert config.storage.data_dir is None
    assert config.secrets.credentials_dir == Path.home() / "creds"


def test_too_small_value_names_file_key_and_reason(tmp_path: Path) -> None:
    path = write(tmp_path, "[idle]\nwarning_seconds = 5\n")
    assert problems_of(path) == (f"{path}: idle.warning_seconds: must be at least 20, got 5",)


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    path = write(tmp_path, '[site]\nnmae = "x"\n')
    assert problems_of(path) == (f"{path}: site.nmae: unknown setting (did you mean site.name?)",)


def test_unknown_section_suggests_the_closest(tmp_path: Path) -> None:
    path = write(tmp_path, '[sitte]\nid = "x"\n')
    assert problems_of(path) == (f"{path}: sitte: unknown section (did you mean site?)",)


def test_top_level_value_and_endpoint_outside_its_own_table_are_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, 'colour = "red"\n[endpoints]\nurl = "https://example.org"\n')
    problems = problems_of(path)
    assert f"{path}: colour: unknown setting" in problems
    assert any(p.startswith(f"{path}: endpoints.url: must be a table ([endpoints.url])") for p in problems)


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[site]\nid = 7\ncolour = "red"\n[idle]\nquestion_seconds = true\n[panel]\nwidth_px = 1920.0\n',
    )
    problems = problems_of(path)
    assert len(problems) == 4
    assert f"{path}: site.id: must be a string, got 7 (integer)" in problems
    assert f"{path}: idle.question_seconds: must be an integer, got true (boolean)" in problems
    assert f"{path}: panel.width_px: must be an integer, got 1920.0 (float)" in problems
    assert all(p.startswith(f"{path}: ") for p in problems)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == "\n".join(problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[panel]\ndiagonal_inches = true", "panel.diagonal_inches: must be a number, got true (boolean)"),
        ("[panel]\ndiagonal_inches = nan", "panel.diagonal_inches: must be a finite number, got nan"),
        ("[panel]\nheight_px = 100000", "panel.height_px: must be at most 16384, got 100000"),
        ('[site]\nid = ""', "site.id: must not be empty"),
        ("[site]\nid = [1]", "site.id: must be a string, got array of 1 item(s)"),
        ('[languages]\navailable = "en"', 'languages.available: must be an array of strings, got "en" (string)'),
        ("[languages]\navailable = []", "languages.available: must list at least 1 item(s)"),
        ("[languages]\navailable = [1, 2]", "languages.available: must be an array of strings, got array of 2 item(s)"),
        ('[logging]\nlevel = "LOUD"', 'logging.level: must be one of "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"'),
        ('[secrets]\nbackend = "plaintext"', 'secrets.backend: must be one of "auto", "credentials-dir"'),
        ('[doctor]\nrequired = ["secret"]', 'doctor.required: "secret" is not one of "data-dir"'),
        ('[doctor]\nrequired = ["fonts", "fonts"]', 'doctor.required: lists "fonts" more than once'),
        ("site = 1", "site: must be a table ([site]), got 1 (integer)"),
    ],
)
def test_ill_typed_values_are_rejected(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text + "\n")
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}: {expected}")


def test_language_codes_must_be_shipped_with_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, '[languages]\navailable = ["pt", "en"]\n')
    (problem,) = problems_of(path)
    assert '"pt" is not one of' in problem
    assert 'did you mean "pt-PT"?' in problem


def test_default_language_must_be_available(tmp_path: Path) -> None:
    path = write(tmp_path, '[languages]\navailable = ["en", "fr"]\n')  # the default pt-PT is no longer offered
    assert problems_of(path) == (f'{path}: languages.default: "pt-PT" is not in languages.available (en, fr)',)


def test_warning_must_come_before_the_timeout(tmp_path: Path) -> None:
    path = write(tmp_path, "[idle]\nquestion_seconds = 60\nwarning_seconds = 60\n")
    assert problems_of(path) == (f"{path}: idle.warning_seconds: must be less than idle.question_seconds (60), got 60",)


def test_invalid_toml_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, '[site]\nid = "ok"\nname = oops\n')
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}: line 3, column 8: invalid TOML")


def test_missing_or_unreadable_files_are_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    assert problems_of(missing) == (f"{missing}: configuration file not found",)
    assert problems_of(tmp_path) == (f"{tmp_path}: is a directory, not a configuration file",)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b'[site]\nname = "\xff"\n')
    (problem,) = problems_of(binary)
    assert problem.startswith(f"{binary}: ")
    assert "UTF-8" in problem


# --- which file, which data directory ----------------------------------------------------------------------------


def test_config_path_precedence(tmp_path: Path) -> None:
    user_file = write(tmp_path, "", name="user.toml")
    env = {"CITIZEN_KIOSK_CONFIG": str(tmp_path / "env.toml")}
    assert resolve_config_path("cli.toml", env, default=user_file) == Path("cli.toml")
    assert resolve_config_path(None, env, default=user_file) == tmp_path / "env.toml"
    assert resolve_config_path(None, {}, default=user_file) == user_file
    assert resolve_config_path(None, {"CITIZEN_KIOSK_CONFIG": ""}, default=user_file) == user_file
    assert resolve_config_path(None, {}, default=tmp_path / "absent.toml") is None


def test_configured_data_dir_is_relative_to_the_config_file(tmp_path: Path) -> None:
    # The precedence itself (--data-dir > env > this setting > default) is kiosk.paths.resolve_data_dir's.
    configured = load_config(write(tmp_path, '[storage]\ndata_dir = "data"\n'))
    assert configured.storage.data_dir == tmp_path.absolute() / "data"


def test_a_missing_file_may_be_allowed_by_commands_that_create_it(tmp_path: Path) -> None:
    config = load_config(tmp_path / "new.toml", missing_ok=True)
    assert config.source == tmp_path / "new.toml"
    assert config._replace(source=None) == default_config()
    broken = write(tmp_path, "[idle]\nwarning_seconds = 5\n")
    with pytest.raises(ConfigError):
        load_config(broken, missing_ok=True)  # an existing file is always validated


def test_importing_settings_stays_cheap() -> None:
    code = (
        "import sys, kiosk.settings\n"
        "heavy = [m for m in ('keyring', 'platformdirs', 'sqlite_utils', 'PySide6') if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
