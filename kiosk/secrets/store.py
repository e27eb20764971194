"""The kiosk's view of its secrets: one backend chosen from environment and configuration, failing closed.

A SecretStore always exists, even with no usable backend: the kiosk must start, show staff what is wrong and refuse
submissions (`can_accept_submissions()` is False) rather than crash or write citizen data unencrypted.
keyring is imported inside functions only (~85 ms), so importing this module costs the first frame nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.secrets.keys import PAYLOAD_KEY, REQUIRED_SECRETS, SERVICE, check_secret_name, decode_key, is_key
from kiosk.settings.model import SecretsSettings

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

KEYRING_ENV = "PYTHON_KEYRING_BACKEND"
SYSTEMD_CREDENTIALS_ENV = "CREDENTIALS_DIRECTORY"
OUR_DIR_BACKEND = "kiosk.secrets.backends.CredentialsDirKeyring"
CONSEQUENCE = "so the kiosk cannot encrypt submissions and will not accept them"
INIT_WITH_DIR = "Run `citizen-kiosk secrets init --credentials-dir DIR --config FILE`."
INIT_IN_PLACE = (
    "Run `citizen-kiosk secrets init --config FILE` (if the key existed before, restore it from the backup instead: "
    "a new key cannot read data encrypted with the old one)."
)


class SecretStoreError(RuntimeError):
    """A secret could not be stored; the message says where and why (never the secret)."""


@dataclass(frozen=True)
class SecretsStatus:
    ok: bool
    backend: str  # human name of where the secrets are, or "none"
    missing: tuple[str, ...]  # required secrets not found (all of them when there is no usable backend)
    reason: str  # one message for staff: what is wrong and how to fix it (or that all is well)
    invalid: tuple[str, ...] = ()  # required secrets present but malformed


class SecretStore:
    """Get and set the kiosk's secrets in one backend instance (never keyring's global one)."""

    def __init__(
        self,
        backend: KeyringBackend | None,
        *,
        backend_name: str,
        problem: str = "",
        fix: str = INIT_IN_PLACE,
        required: tuple[str, ...] = REQUIRED_SECRETS,
    ) -> None:
        self._backend = backend
        self.backend_name = backend_name
        self._problem = problem  # why there is no backend (a full staff sentence); empty when there is one
        self._fix = fix  # what staff should do about a missing key in this backend
        self.required = required

    @classmethod
    def unavailable(cls, reason: str) -> SecretStore:
        return cls(None, backend_name="none", problem=reason)

    @property
    def backend(self) -> KeyringBackend | None:
        return self._backend

    def get(self, name: str) -> str | None:
        """The secret, or None when it is missing, unreadable or there is no backend (fail closed)."""
        check_secret_name(name)
        if self._backend is None:
            return None
        try:
            return self._backend.get_password(SERVICE, name)
        except Exception as exc:  # noqa: BLE001 - any backend failure means "no secret", never a crash
            log.warning("reading secret %s failed: %s", name, type(exc).__name__)
            return None

    def read(self, name: str) -> str | None:
        """Like get(), but a backend failure raises SecretStoreError: provisioning must never take an unreadable
        key for a missing one (creating a new key would cut off everything encrypted with the old one)."""
        check_secret_name(name)
        if self._backend is None:
            raise SecretStoreError(self._problem)
        try:
            return self._backend.get_password(SERVICE, name)
        except Exception as exc:  # noqa: BLE001 - reported as one clear error naming the backend
            raise SecretStoreError(f"cannot read {name} from {self.backend_name}: {_detail(exc)}") from None

    def set(self, name: str, value: str) -> None:
        check_secret_name(name)
        if self._backend is None:
            raise SecretStoreError(self._problem)
        try:
            self._backend.set_password(SERVICE, name, value)
        except Exception as exc:  # noqa: BLE001 - reported as one clear error naming the backend
            raise SecretStoreError(f"cannot store {name} in {self.backend_name}: {_detail(exc)}") from None

    def payload_key(self) -> bytes | None:
        """The 32-byte key for encrypting citizen data at rest, or None if it is missing or malformed."""
        text = self.get(PAYLOAD_KEY)
        try:
            return decode_key(text) if text is not None else None
        except ValueError:
            return None

    def status(self) -> SecretsStatus:
        if self._backend is None:
            return SecretsStatus(False, self.backend_name, self.required, self._problem)
        missing: list[str] = []
        invalid: list[str] = []
        for name in self.required:
            try:
                value = self._backend.get_password(SERVICE, name)
            except Exception as exc:  # noqa: BLE001 - a locked or unreadable store is a status, not a crash
                reason = (
                    f"The secret {name} could not be read from {self.backend_name} ({_detail(exc)}), {CONSEQUENCE}. "
                    "Check that the kiosk's user may read it (and that the keyring is unlocked)."
                )
                return SecretsStatus(False, self.backend_name, (name,), reason)
            if value is None:
                missing.append(name)
            elif name == PAYLOAD_KEY and not is_key(value):
                invalid.append(name)
        if missing:
            names = ", ".join(missing)
            reason = f"The secret {names} is missing from {self.backend_name}, {CONSEQUENCE}. {self._fix}"
            return SecretsStatus(False, self.backend_name, tuple(missing), reason, tuple(invalid))
        if invalid:
            names = ", ".join(invalid)
            reason = (
                f"The secret {names} in {self.backend_name} is not a 256-bit base64url key, {CONSEQUENCE}. "
                "Restore it from the backup (see docs/secrets.md)."
            )
            return SecretsStatus(False, self.backend_name, (), reason, tuple(invalid))
        return SecretsStatus(True, self.backend_name, (), f"All required secrets are present in {self.backend_name}.")

    def can_accept_submissions(self) -> bool:
        return self.status().ok


def open_secret_store(settings: SecretsSettings, env: Mapping[str, str]) -> SecretStore:
    """Choose the backend: `PYTHON_KEYRING_BACKEND` > `secrets.backend` (auto: credentials dir, else system keyring).

    Never raises for a missing or broken backend: the store then reports why in `status()`.
    """
    name = env.get(KEYRING_ENV, "").strip()
    if name:
        return _from_keyring_name(name, env)
    # systemd's directory wins over the configured one: under LoadCredential= it is the copy this process may read.
    systemd_dir = env.get(SYSTEMD_CREDENTIALS_ENV) or None
    directory = systemd_dir or settings.credentials_dir
    if settings.backend == "memory":
        from kiosk.secrets.backends import MemoryKeyring

        return _validated(MemoryKeyring(), source='secrets.backend = "memory"')
    if settings.backend == "credentials-dir" and directory is None:
        return SecretStore.unavailable(
            f'secrets.backend is "credentials-dir" but secrets.credentials_dir is not set, {CONSEQUENCE}. '
            f"{INIT_WITH_DIR}"
        )
    if directory is not None and settings.backend in ("credentials-dir", "auto"):
        from kiosk.secrets.backends import CredentialsDirKeyring

        backend = CredentialsDirKeyring(directory)
        fix = INIT_IN_PLACE
        if systemd_dir:
            fix = "Provision the key on the host and pass it with LoadCredential= (see docs/secrets.md)."
        return SecretStore(backend, backend_name=f"credentials directory {backend.directory}", fix=fix)
    return _system_store(auto=settings.backend == "auto")


def _system_store(*, auto: bool) -> SecretStore:
    from kiosk.secrets.usability import unusable_reason

    system = _system_keyring()
    if isinstance(system, str):
        return SecretStore.unavailable(
            f"The system keyring cannot be loaded ({system}), {CONSEQUENCE}. {INIT_WITH_DIR}"
        )
    reason = unusable_reason(system)
    if auto and reason is not None:
        return SecretStore.unavailable(
            f"No secrets backend is configured: no credentials directory is set and {reason}, {CONSEQUENCE}. "
            f"{INIT_WITH_DIR}"
        )
    return _validated(system, source='secrets.backend = "keyring"')


def _from_keyring_name(name: str, env: Mapping[str, str]) -> SecretStore:
    from kiosk.secrets.usability import is_plaintext_class

    if is_plaintext_class(name.rpartition(".")[0]):
        return SecretStore.unavailable(
            f"{KEYRING_ENV} names {name}, which keeps secrets in a plain file, {CONSEQUENCE}. "
            f"Unset {KEYRING_ENV} and {INIT_WITH_DIR[0].lower()}{INIT_WITH_DIR[1:]}"
        )
    try:
        if name == OUR_DIR_BACKEND:
            from kiosk.secrets.backends import CredentialsDirKeyring

            backend: KeyringBackend = CredentialsDirKeyring(env=env)  # the caller's env, not os.environ
        else:
            import keyring.core

            backend = keyring.core.load_keyring(name)
    except Exception as exc:  # noqa: BLE001 - import errors, a non-viable backend, a bad name: all one message
        detail = str(exc) if isinstance(exc, RuntimeError) and str(exc) else _detail(exc)
        return SecretStore.unavailable(
            f"{KEYRING_ENV} names {name}, which cannot be loaded ({detail}), {CONSEQUENCE}. Fix or unset {KEYRING_ENV}."
        )
    return _validated(backend, source=f"{KEYRING_ENV}={name}")


def _validated(backend: KeyringBackend, *, source: str) -> SecretStore:
    from kiosk.secrets.usability import describe_backend, unusable_reason

    reason = unusable_reason(backend)
    if reason is not None:
        return SecretStore.unavailable(
            f"The secrets backend chosen by {source} is not usable: {reason}, {CONSEQUENCE}. {INIT_WITH_DIR}"
        )
    return SecretStore(backend, backend_name=describe_backend(backend))


def _system_keyring() -> KeyringBackend | str:
    """keyring's own choice (keyringrc.cfg, else the highest priority backend) without keyring's global cache.

    Unlike `keyring.get_keyring()`, this neither reads `os.environ` (the caller's env was already consulted) nor
    installs a process-wide backend. Returns the error's type name if detection itself fails.
    """
    import keyring.backend
    import keyring.core
    from keyring.backends import fail

    try:
        configured = keyring.core.load_config()
        if configured is not None:
            return configured
        return max(keyring.backend.get_all_keyring(), key=keyring.backend.by_priority, default=fail.Keyring())  # type: ignore[no-untyped-call]
    except Exception as exc:  # noqa: BLE001 - a broken keyringrc.cfg or plugin must not stop the kiosk
        return type(exc).__name__


def _detail(exc: Exception) -> str:
    """keyring's errors (ours included) say what failed without secret values; others are named by type only."""
    from keyring.errors import KeyringError

    return str(exc) if isinstance(exc, KeyringError) and str(exc) else type(exc).__name__
