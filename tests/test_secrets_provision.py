"""`secrets init`: creates missing keys, never overwrites one, and records the choice so later commands find it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kiosk.secrets import PAYLOAD_KEY, ProvisionError, init_secrets, open_secret_store
from kiosk.secrets.keys import decode_key, new_key
from kiosk.settings import ConfigError, load_config

CREDENTIALS = "kiosk.secrets.backends.CredentialsDirKeyring"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_creates_the_key_and_records_the_directory(tmp_path: Path) -> None:
    config_path = tmp_path / "etc" / "kiosk.toml"
    credentials = tmp_path / "etc" / "credentials"
    result = init_secrets(config_path=config_path, credentials_dir=credentials, env={})

    assert [(k.name, k.action) for k in result.keys] == [(PAYLOAD_KEY, "created")]
    assert result.ok
    assert result.backend == f"credentials directory {credentials}"
    assert mode(credentials) == 0o700
    assert mode(credentials / PAYLOAD_KEY) == 0o600
    assert len(decode_key((credentials / PAYLOAD_KEY).read_text())) == 32
    # Stored relative to the config file, so the two can move together.
    assert result.config_updates == (
        ("secrets.backend", '"credentials-dir"'),
        ("secrets.credentials_dir", '"credentials"'),
    )
    assert result.config_updated
    config = load_config(config_path)
    assert config.secrets.backend == "credentials-dir"
    assert config.secrets.credentials_dir == credentials
    assert open_secret_store(config.secrets, {}).status().ok
    lines = result.lines()
    assert lines[0] == f"payload-key: created in credentials directory {credentials}"
    assert any(line.startswith(f"Recorded in {config_path}: secrets.backend") for line in lines)
    assert any("Back up the keys now" in line for line in lines)


def test_a_second_init_with_the_same_config_keeps_the_key(tmp_path: Path) -> None:
    config_path = tmp_path / "kiosk.toml"
    init_secrets(config_path=config_path, credentials_dir=tmp_path / "credentials", env={})
    key = (tmp_path / "credentials" / PAYLOAD_KEY).read_text()
    config_text = config_path.read_text()

    again = init_secrets(config_path=config_path, credentials_dir=None, env={})
    assert [(k.name, k.action) for k in again.keys] == [(PAYLOAD_KEY, "kept")]
    assert not again.config_updated
    assert config_path.read_text() == config_text
    assert (tmp_path / "credentials" / PAYLOAD_KEY).read_text() == key

    same_dir = init_secrets(config_path=config_path, credentials_dir=tmp_path / "credentials", env={})
    assert [k.action for k in same_dir.keys] == ["kept"]
    assert (tmp_path / "credentials" / PAYLOAD_KEY).read_text() == key
    assert not any("Back up" in line for line in same_dir.lines())


def test_a_directory_outside_the_config_directory_is_stored_absolute(tmp_path: Path) -> None:
    config_path = tmp_path / "etc" / "kiosk.toml"
    init_secrets(config_path=config_path, credentials_dir=tmp_path / "var" / "creds", env={})
    assert f'credentials_dir = "{tmp_path / "var" / "creds"}"' in config_path.read_text()
    assert load_config(config_path).secrets.credentials_dir == tmp_path / "var" / "creds"


def test_other_settings_and_comments_survive(tmp_path: Path) -> None:
    config_path = tmp_path / "kiosk.toml"
    config_path.write_text('# town hall\n[site]\nid = "lisboa-01"\n\n[idle]\nquestion_seconds = 200\n')
    init_secrets(config_path=config_path, credentials_dir=tmp_path / "credentials", env={})
    text = config_path.read_text()
    assert "# town hall" in text
    config = load_config(config_path)
    assert config.site.id == "lisboa-01"
    assert config.idle.question_seconds == 200
    assert config.secrets.credentials_dir == tmp_path / "credentials"


def test_an_invalid_config_stops_before_anything_is_created(tmp_path: Path) -> None:
    config_path = tmp_path / "kiosk.toml"
    config_path.write_text("[idle]\nwarning_seconds = 5\n")
    with pytest.raises(ConfigError, match=r"idle\.warning_seconds: must be at least 20"):
        init_secrets(config_path=config_path, credentials_dir=tmp_path / "credentials", env={})
    assert not (tmp_path / "credentials").exists()
    assert config_path.read_text() == "[idle]\nwarning_seconds = 5\n"


def test_an_existing_key_is_never_overwritten_even_if_malformed(tmp_path: Path) -> None:
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / PAYLOAD_KEY).write_text("not-a-key")
    result = init_secrets(config_path=tmp_path / "kiosk.toml", credentials_dir=credentials, env={})
    assert [(k.action, k.valid) for k in result.keys] == [("kept", False)]
    assert not result.ok
    assert (credentials / PAYLOAD_KEY).read_text() == "not-a-key"
    assert any("WARNING" in line and "restore it from the backup" in line for line in result.lines())


def test_an_unreadable_key_stops_init_without_replacing_it(tmp_path: Path) -> None:
    credentials = tmp_path / "credentials"
    (credentials / PAYLOAD_KEY).mkdir(parents=True)  # unreadable as a file, even for root
    with pytest.raises(ProvisionError, match=r"cannot read payload-key.*No key was overwritten"):
        init_secrets(config_path=tmp_path / "kiosk.toml", credentials_dir=credentials, env={})
    assert (credentials / PAYLOAD_KEY).is_dir()
    assert not (tmp_path / "kiosk.toml").exists()


def test_moving_to_a_new_directory_copies_the_existing_key(tmp_path: Path) -> None:
    config_path = tmp_path / "kiosk.toml"
    init_secrets(config_path=config_path, credentials_dir=tmp_path / "old", env={})
    key = (tmp_path / "old" / PAYLOAD_KEY).read_text()
    moved = init_secrets(config_path=config_path, credentials_dir=tmp_path / "new", env={})
    assert [(k.action, k.source) for k in moved.keys] == [("copied", f"credentials directory {tmp_path / 'old'}")]
    assert (tmp_path / "new" / PAYLOAD_KEY).read_text() == key
    assert load_config(config_path).secrets.credentials_dir == tmp_path / "new"


def test_no_usable_backend_is_a_clear_error(tmp_path: Path) -> None:
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    with pytest.raises(ProvisionError, match=r"not usable.*secrets init --credentials-dir DIR"):
        init_secrets(config_path=tmp_path / "kiosk.toml", credentials_dir=None, env=env)
    assert not (tmp_path / "kiosk.toml").exists()


def test_the_memory_backend_is_refused_for_provisioning(tmp_path: Path) -> None:
    config_path = tmp_path / "kiosk.toml"
    config_path.write_text('[secrets]\nbackend = "memory"\n')
    with pytest.raises(ProvisionError, match="forgets keys"):
        init_secrets(config_path=config_path, credentials_dir=None, env={})


def test_init_in_the_configured_directory(tmp_path: Path) -> None:
    config_path = tmp_path / "kiosk.toml"
    config_path.write_text('[secrets]\ncredentials_dir = "creds"\n')  # backend "auto" finds the directory
    result = init_secrets(config_path=config_path, credentials_dir=None, env={})
    assert [k.action for k in result.keys] == ["created"]
    assert (tmp_path / "creds" / PAYLOAD_KEY).is_file()
    assert result.config_updates == (("secrets.backend", '"credentials-dir"'),)
    assert load_config(config_path).secrets.backend == "credentials-dir"


def test_a_backend_chosen_by_environment_is_not_recorded(tmp_path: Path) -> None:
    env = {"PYTHON_KEYRING_BACKEND": CREDENTIALS, "CITIZEN_KIOSK_CREDENTIALS_DIR": str(tmp_path / "env-creds")}
    result = init_secrets(config_path=tmp_path / "kiosk.toml", credentials_dir=None, env=env)
    assert [k.action for k in result.keys] == ["created"]
    assert (tmp_path / "env-creds" / PAYLOAD_KEY).is_file()
    assert not result.config_updated
    assert "PYTHON_KEYRING_BACKEND" in result.note
    assert open_secret_store(load_config(None).secrets, env).status().ok


def test_a_present_key_in_a_read_only_store_is_kept(tmp_path: Path) -> None:
    # systemd's CREDENTIALS_DIRECTORY is read-only; init must only read there when the key exists.
    systemd = tmp_path / "run-credentials"
    systemd.mkdir()
    (systemd / PAYLOAD_KEY).write_text(new_key())
    systemd.chmod(0o500)
    try:
        result = init_secrets(
            config_path=tmp_path / "kiosk.toml", credentials_dir=None, env={"CREDENTIALS_DIRECTORY": str(systemd)}
        )
    finally:
        systemd.chmod(0o700)
    assert [k.action for k in result.keys] == ["kept"]
