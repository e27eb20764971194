"""Secrets: the kiosk's keyring backends, backend selection, and failing closed with a clear reason.

Real keyring API throughout: backends are loaded with keyring's own loader and exercised through its interface.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail
from keyring.compat import properties
from keyring.errors import PasswordSetError

from kiosk.secrets import (
    PAYLOAD_KEY,
    REQUIRED_SECRETS,
    SERVICE,
    InvalidSecretNameError,
    SecretStore,
    SecretStoreError,
    new_key,
    open_secret_store,
)
from kiosk.secrets.backends import CredentialsDirKeyring, MemoryKeyring
from kiosk.secrets.keys import decode_key
from kiosk.secrets.usability import unusable_reason
from kiosk.settings import SecretsSettings

ROOT = Path(__file__).resolve().parents[1]
MEMORY = "kiosk.secrets.backends.MemoryKeyring"
CREDENTIALS = "kiosk.secrets.backends.CredentialsDirKeyring"
BAD_NAMES = [
    "../payload-key",
    "a/b",
    "/etc/passwd",
    ".hidden",
    "",
    "UPPER",
    "a.b",
    "-a",
    "a-",
    "x" * 65,
    "a b",
    "a\x00",
]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def keyring_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """keyring's own configuration file (keyringrc.cfg), isolated in tmp_path."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    rc = tmp_path / "xdg" / "python_keyring" / "keyringrc.cfg"
    rc.parent.mkdir(parents=True)
    yield rc


# --- the backends ------------------------------------------------------------------------------------------------


def test_our_backends_are_never_chosen_by_keyring_itself() -> None:
    # keyring picks the highest priority and chains those above 0; its "fail" backend has priority 0.
    assert MemoryKeyring.priority < fail.Keyring.priority
    assert not any(isinstance(b, (MemoryKeyring, CredentialsDirKeyring)) for b in chainer.ChainerBackend.backends)


def test_memory_keyring_keeps_secrets_per_instance() -> None:
    first, second = MemoryKeyring(), MemoryKeyring()
    first.set_password(SERVICE, "payload-key", "k")
    assert first.get_password(SERVICE, "payload-key") == "k"
    assert second.get_password(SERVICE, "payload-key") is None
    first.delete_password(SERVICE, "payload-key")
    assert first.get_password(SERVICE, "payload-key") is None


def test_credentials_dir_creates_private_directory_and_files(tmp_path: Path) -> None:
    directory = tmp_path / "state" / "credentials"
    backend = CredentialsDirKeyring(directory)
    old_umask = os.umask(0)  # the modes must not depend on the caller's umask
    try:
        backend.set_password(SERVICE, "payload-key", "secret-1")
        backend.set_password(SERVICE, "payload-key", "secret-2")  # replaced atomically
    finally:
        os.umask(old_umask)
    assert mode(directory) == 0o700
    assert mode(directory / "payload-key") == 0o600
    assert (directory / "payload-key").read_text() == "secret-2"
    assert [p.name for p in directory.iterdir()] == ["payload-key"]  # no temporary file left
    assert backend.get_password(SERVICE, "payload-key") == "secret-2"


def test_credentials_dir_reads_files_as_systemd_provides_them(tmp_path: Path) -> None:
    (tmp_path / "payload-key").write_text("abc\n")  # written by hand: the trailing newline is not the secret
    (tmp_path / "payload-key").chmod(0o400)
    backend = CredentialsDirKeyring(tmp_path)
    assert backend.get_password(SERVICE, "payload-key") == "abc"
    assert backend.get_password("any-service", "payload-key") == "abc"  # one directory serves one application
    assert backend.get_password(SERVICE, "other") is None


def test_reading_never_creates_the_directory(tmp_path: Path) -> None:
    backend = CredentialsDirKeyring(tmp_path / "absent")
    assert backend.get_password(SERVICE, "payload-key") is None
    assert not (tmp_path / "absent").exists()


def test_an_unwritable_directory_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    backend = CredentialsDirKeyring(blocker / "credentials")  # cannot be created below a regular file
    with pytest.raises(PasswordSetError, match=r"cannot write in .*credentials"):
        backend.set_password(SERVICE, "payload-key", "x")


@pytest.mark.filterwarnings("ignore:Empty usernames are deprecated")
@pytest.mark.parametrize("name", BAD_NAMES)
def test_secret_names_cannot_escape_the_directory(tmp_path: Path, name: str) -> None:
    directory = tmp_path / "credentials"
    backend = CredentialsDirKeyring(directory)
    with pytest.raises(InvalidSecretNameError):
        backend.set_password(SERVICE, name, "x")
    with pytest.raises(InvalidSecretNameError):
        backend.get_password(SERVICE, name)
    store = SecretStore(backend, backend_name="test")
    with pytest.raises(InvalidSecretNameError):
        store.get(name)
    assert sorted(p.name for p in tmp_path.rglob("*")) == []


def test_keyring_loads_the_credentials_backend_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    monkeypatch.delenv("CITIZEN_KIOSK_CREDENTIALS_DIR", raising=False)
    with pytest.raises(RuntimeError, match="no credentials directory"):
        keyring.core.load_keyring(CREDENTIALS)
    monkeypatch.setenv("CITIZEN_KIOSK_CREDENTIALS_DIR", str(tmp_path))
    backend = keyring.core.load_keyring(CREDENTIALS)
    assert isinstance(backend, CredentialsDirKeyring)
    assert backend.directory == tmp_path


# --- choosing the backend ----------------------------------------------------------------------------------------


def test_python_keyring_backend_wins_over_configuration(tmp_path: Path) -> None:
    settings = SecretsSettings(backend="credentials-dir", credentials_dir=tmp_path)
    store = open_secret_store(settings, {"PYTHON_KEYRING_BACKEND": MEMORY})
    assert isinstance(store.backend, MemoryKeyring)
    assert not store.status().ok
    assert store.status().missing == REQUIRED_SECRETS
    store.set(PAYLOAD_KEY, new_key())
    assert store.status().ok
    assert store.can_accept_submissions()


def test_credentials_backend_by_environment_uses_the_given_env(tmp_path: Path) -> None:
    env = {"PYTHON_KEYRING_BACKEND": CREDENTIALS, "CITIZEN_KIOSK_CREDENTIALS_DIR": str(tmp_path / "mine")}
    store = open_secret_store(SecretsSettings(), env)
    assert isinstance(store.backend, CredentialsDirKeyring)
    assert store.backend.directory == tmp_path / "mine"
    env["CREDENTIALS_DIRECTORY"] = str(tmp_path / "systemd")
    store = open_secret_store(SecretsSettings(), env)
    assert isinstance(store.backend, CredentialsDirKeyring)
    assert store.backend.directory == tmp_path / "systemd"


def test_selection_by_configuration(tmp_path: Path) -> None:
    memory = open_secret_store(SecretsSettings(backend="memory"), {})
    assert isinstance(memory.backend, MemoryKeyring)
    for backend in ("credentials-dir", "auto"):
        store = open_secret_store(SecretsSettings(backend=backend, credentials_dir=tmp_path), {})
        assert isinstance(store.backend, CredentialsDirKeyring)
        assert store.backend.directory == tmp_path
        assert store.status().backend == f"credentials directory {tmp_path}"


def test_systemd_credentials_directory_wins_over_the_configured_one(tmp_path: Path) -> None:
    settings = SecretsSettings(backend="auto", credentials_dir=tmp_path / "configured")
    store = open_secret_store(settings, {"CREDENTIALS_DIRECTORY": str(tmp_path / "systemd")})
    assert isinstance(store.backend, CredentialsDirKeyring)
    assert store.backend.directory == tmp_path / "systemd"
    assert "LoadCredential=" in store.status().reason


def test_credentials_dir_without_a_directory_is_not_ok(tmp_path: Path) -> None:
    status = open_secret_store(SecretsSettings(backend="credentials-dir"), {}).status()
    assert not status.ok
    assert "secrets.credentials_dir is not set" in status.reason
    assert "citizen-kiosk secrets init --credentials-dir DIR --config FILE" in status.reason


def test_system_keyring_from_keyrings_own_config(keyring_config: Path) -> None:
    keyring_config.write_text(f"[backend]\ndefault-keyring={MEMORY}\n")
    store = open_secret_store(SecretsSettings(backend="keyring"), {})
    assert isinstance(store.backend, MemoryKeyring)


@pytest.mark.parametrize("backend", ["keyring", "auto"])
def test_fail_keyring_means_no_backend_with_the_reason(keyring_config: Path, backend: str) -> None:
    keyring_config.write_text("[backend]\ndefault-keyring=keyring.backends.fail.Keyring\n")
    store = open_secret_store(SecretsSettings(backend=backend), {})
    status = store.status()
    assert store.backend is None
    assert not status.ok
    assert not store.can_accept_submissions()
    assert status.backend == "none"
    assert status.missing == REQUIRED_SECRETS
    assert "the system keyring is not usable" in status.reason
    assert "will not accept them" in status.reason
    assert "citizen-kiosk secrets init --credentials-dir DIR --config FILE" in status.reason
    if backend == "auto":
        assert status.reason.startswith("No secrets backend is configured")
    # Fail closed: reads give nothing, writes refuse with the same reason.
    assert store.get(PAYLOAD_KEY) is None
    assert store.payload_key() is None
    with pytest.raises(SecretStoreError, match="not usable"):
        store.set(PAYLOAD_KEY, new_key())


def test_fail_keyring_by_environment_is_not_usable() -> None:
    status = open_secret_store(SecretsSettings(), {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}).status()
    assert not status.ok
    assert "PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring is not usable" in status.reason


def test_an_unloadable_backend_name_is_reported() -> None:
    status = open_secret_store(SecretsSettings(), {"PYTHON_KEYRING_BACKEND": "no_such_module.Keyring"}).status()
    assert not status.ok
    assert "no_such_module.Keyring, which cannot be loaded (ModuleNotFoundError)" in status.reason


def test_selection_leaves_keyrings_global_backend_alone(keyring_config: Path, tmp_path: Path) -> None:
    keyring_config.write_text(f"[backend]\ndefault-keyring={MEMORY}\n")
    before = keyring.core._keyring_backend
    open_secret_store(SecretsSettings(backend="keyring"), {})
    open_secret_store(SecretsSettings(), {"PYTHON_KEYRING_BACKEND": MEMORY})
    open_secret_store(SecretsSettings(backend="credentials-dir", credentials_dir=tmp_path), {})
    assert keyring.core._keyring_backend is before


# --- no plaintext ------------------------------------------------------------------------------------------------


@pytest.fixture
def plaintext_class(monkeypatch: pytest.MonkeyPatch) -> type[KeyringBackend]:
    """A stand-in for keyrings.alt's PlaintextKeyring, in a module named like it (keyrings.alt is not installed)."""
    module = types.ModuleType("keyrings.alt.fake_file")

    class PlaintextKeyring(MemoryKeyring):
        @properties.classproperty
        def priority(cls) -> float:  # noqa: N805 - a class property, as in keyring's backends
            raise RuntimeError("test stand-in: never chosen by keyring's detection")

    PlaintextKeyring.__module__ = module.__name__
    module.PlaintextKeyring = PlaintextKeyring  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return PlaintextKeyring


def test_plaintext_backends_are_rejected(plaintext_class: type[KeyringBackend]) -> None:
    assert "plain file" in (unusable_reason(plaintext_class()) or "")
    status = open_secret_store(
        SecretsSettings(), {"PYTHON_KEYRING_BACKEND": "keyrings.alt.fake_file.PlaintextKeyring"}
    ).status()
    assert not status.ok
    assert "keeps secrets in a plain file" in status.reason
    assert unusable_reason(MemoryKeyring()) is None


def test_a_chainer_is_usable_only_with_usable_children(plaintext_class: type[KeyringBackend]) -> None:
    def chainer_of(*children: KeyringBackend) -> KeyringBackend:
        cls = type("TestChainer", (chainer.ChainerBackend,), {"viable": False, "backends": list(children)})
        return cls()  # type: ignore[no-any-return]

    assert unusable_reason(chainer_of()) is not None
    assert "plain file" in (unusable_reason(chainer_of(MemoryKeyring(), plaintext_class())) or "")
    assert unusable_reason(chainer_of(MemoryKeyring())) is None


# --- status ------------------------------------------------------------------------------------------------------


def test_missing_key_tells_staff_what_to_do(tmp_path: Path) -> None:
    status = open_secret_store(SecretsSettings(backend="credentials-dir", credentials_dir=tmp_path), {}).status()
    assert not status.ok
    assert status.missing == ("payload-key",)
    assert status.reason.startswith(f"The secret payload-key is missing from credentials directory {tmp_path}")
    assert "citizen-kiosk secrets init --config FILE" in status.reason
    assert "restore it from the backup" in status.reason


def test_a_malformed_key_is_not_ok(tmp_path: Path) -> None:
    (tmp_path / "payload-key").write_text("too-short")
    store = open_secret_store(SecretsSettings(backend="credentials-dir", credentials_dir=tmp_path), {})
    status = store.status()
    assert not status.ok
    assert status.invalid == ("payload-key",)
    assert "not a 256-bit base64url key" in status.reason
    assert store.payload_key() is None


def test_an_unreadable_key_is_reported_not_treated_as_missing(tmp_path: Path) -> None:
    (tmp_path / "payload-key").mkdir()  # unreadable as a file (works even as root)
    store = open_secret_store(SecretsSettings(backend="credentials-dir", credentials_dir=tmp_path), {})
    status = store.status()
    assert not status.ok
    assert "could not be read" in status.reason
    assert store.get(PAYLOAD_KEY) is None
    with pytest.raises(SecretStoreError, match="cannot read payload-key"):
        store.read(PAYLOAD_KEY)


def test_a_good_key_gives_32_bytes(tmp_path: Path) -> None:
    key = new_key()
    (tmp_path / "payload-key").write_text(key + "\n")
    store = open_secret_store(SecretsSettings(backend="credentials-dir", credentials_dir=tmp_path), {})
    assert store.status().ok
    assert store.status().reason == f"All required secrets are present in credentials directory {tmp_path}."
    assert store.payload_key() == decode_key(key)
    assert len(decode_key(key)) == 32
    assert new_key() != key


def test_importing_secrets_does_not_import_keyring() -> None:
    code = "import sys, kiosk.secrets, kiosk.settings\nprint('keyring' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"
