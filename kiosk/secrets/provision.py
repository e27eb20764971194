"""`citizen-kiosk secrets init`: create the keys the kiosk needs, then record where they are in the config file.

An existing key is never overwritten: data encrypted with it would become unreadable for good. Moving to a new
credentials directory copies the keys the old backend holds instead of inventing new ones, for the same reason.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kiosk.secrets.keys import OPTIONAL_SECRETS, REQUIRED_SECRETS, is_key, new_key
from kiosk.secrets.store import KEYRING_ENV, SecretStore, SecretStoreError, open_secret_store
from kiosk.settings.loader import load_config, read_toml
from kiosk.settings.writer import emit_value, write_settings

Action = Literal["created", "kept", "copied"]


class ProvisionError(RuntimeError):
    """Keys could not be provisioned; the message says why and what to do. Nothing was overwritten."""


@dataclass(frozen=True)
class KeyOutcome:
    name: str
    action: Action
    valid: bool = True  # False: an existing value that is not a proper key (kept anyway; restore from backup)
    source: str = ""  # for "copied": the backend it came from


@dataclass(frozen=True)
class ProvisionResult:
    backend: str  # where the keys are, in words
    keys: tuple[KeyOutcome, ...]
    config_path: Path
    config_updates: tuple[tuple[str, str], ...]  # (dotted key, TOML value) written to config_path
    note: str = ""
    optional_keys: tuple[KeyOutcome, ...] = ()  # keys not needed for submissions (the audit key), created alike

    @property
    def ok(self) -> bool:
        """Every required key is now present and well-formed (False only for a kept, malformed key)."""
        return all(key.valid for key in (*self.keys, *self.optional_keys))

    @property
    def config_updated(self) -> bool:
        return bool(self.config_updates)

    def lines(self) -> list[str]:
        """What the CLI prints, one line each."""
        out: list[str] = []
        for key in (*self.keys, *self.optional_keys):
            if key.action == "created":
                out.append(f"{key.name}: created in {self.backend}")
            elif key.action == "copied":
                out.append(f"{key.name}: copied from {key.source} to {self.backend}")
            else:
                out.append(f"{key.name}: kept (already in {self.backend}; existing keys are never overwritten)")
            if not key.valid:
                out.append(f"{key.name}: WARNING: not a 256-bit base64url key; restore it from the backup")
        if self.config_updates:
            settings = ", ".join(f"{key} = {value}" for key, value in self.config_updates)
            out.append(f"Recorded in {self.config_path}: {settings}")
        if self.note:
            out.append(self.note)
        if any(key.action != "kept" for key in (*self.keys, *self.optional_keys)):
            out.append("Back up the keys now and keep the copy offline: see docs/secrets.md, 'Key backup'.")
        return out


def init_secrets(*, config_path: Path, credentials_dir: Path | None, env: Mapping[str, str]) -> ProvisionResult:
    """Create every missing required key (in DIR, or in the configured backend) and record the choice in config_path.

    Raises ConfigError if config_path exists but is invalid (nothing is written then) and ProvisionError when no
    usable backend exists or a key cannot be read or written.
    """
    config = load_config(config_path, missing_ok=True)
    current = open_secret_store(config.secrets, env)
    if credentials_dir is not None:
        from kiosk.secrets.backends import CredentialsDirKeyring

        directory = Path(os.path.abspath(credentials_dir.expanduser()))
        target = SecretStore(CredentialsDirKeyring(directory), backend_name=f"credentials directory {directory}")
        previous = None if _same_directory(current, directory) else current
        updates: dict[str, str] = {
            "secrets.backend": "credentials-dir",
            "secrets.credentials_dir": _relative_to_config(directory, config_path),
        }
        note = ""
    else:
        target, previous = current, None
        updates, note = _record_choice(current, env)
    keys = tuple(_ensure_key(target, name, previous) for name in REQUIRED_SECRETS)
    optional = tuple(_ensure_key(target, name, previous) for name in OPTIONAL_SECRETS)
    updates = _changes(config_path, updates)
    if updates:
        write_settings(config_path, updates)
    return ProvisionResult(
        backend=target.backend_name,
        keys=keys,
        config_path=config_path,
        config_updates=tuple((key, emit_value(value)) for key, value in updates.items()),
        note=note,
        optional_keys=optional,
    )


def _ensure_key(target: SecretStore, name: str, previous: SecretStore | None) -> KeyOutcome:
    try:
        existing = target.read(name)
        if existing is not None:
            return KeyOutcome(name, "kept", valid=is_key(existing))
        old = _readable(previous, name)
        if old is not None and is_key(old):
            target.set(name, old)
            assert previous is not None
            return KeyOutcome(name, "copied", source=previous.backend_name)
        target.set(name, new_key())
    except SecretStoreError as exc:
        raise ProvisionError(f"{exc}. No key was overwritten.") from None
    return KeyOutcome(name, "created")


def _record_choice(store: SecretStore, env: Mapping[str, str]) -> tuple[dict[str, str], str]:
    """The settings that make later commands find the backend `store` uses (with no --credentials-dir given)."""
    from kiosk.secrets.backends import CredentialsDirKeyring, MemoryKeyring

    backend = store.backend
    if backend is None:
        raise ProvisionError(store.status().reason)
    if isinstance(backend, MemoryKeyring):
        raise ProvisionError(
            "The in-memory keyring forgets keys when the command ends. "
            "Run `citizen-kiosk secrets init --credentials-dir DIR --config FILE` instead."
        )
    if env.get(KEYRING_ENV, "").strip():
        return {}, f"The backend was chosen by {KEYRING_ENV}: set it for every later command too."
    if isinstance(backend, CredentialsDirKeyring):
        # The directory itself is already in the file (or comes from systemd's CREDENTIALS_DIRECTORY).
        return {"secrets.backend": "credentials-dir"}, ""
    return {"secrets.backend": "keyring"}, ""


def _changes(config_path: Path, updates: dict[str, str]) -> dict[str, str]:
    """Only the settings whose value in the file differs, so a repeated init leaves the file untouched."""
    data = read_toml(config_path) if config_path.exists() else {}
    changed: dict[str, str] = {}
    for key, value in updates.items():
        section, name = key.split(".", 1)
        table = data.get(section)
        if not isinstance(table, dict) or table.get(name) != value:
            changed[key] = value
    return changed


def _readable(store: SecretStore | None, name: str) -> str | None:
    """A key the previously configured backend holds, if it can be read; its failures do not block a new DIR."""
    if store is None or store.backend is None:
        return None
    try:
        return store.read(name)
    except SecretStoreError:
        return None


def _same_directory(store: SecretStore, directory: Path) -> bool:
    from kiosk.secrets.backends import CredentialsDirKeyring

    backend = store.backend
    return isinstance(backend, CredentialsDirKeyring) and os.path.abspath(backend.directory) == str(directory)


def _relative_to_config(directory: Path, config_path: Path) -> str:
    """Relative to the config file's directory when below it (the two then move together), else absolute."""
    base = Path(os.path.abspath(config_path.expanduser())).parent
    try:
        return directory.relative_to(base).as_posix()
    except ValueError:
        return str(directory)
