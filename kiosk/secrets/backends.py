"""The kiosk's own keyring backends: in memory (tests) and a credentials directory (kiosks).

Both are real `keyring` backends, so they can be selected with `PYTHON_KEYRING_BACKEND=kiosk.secrets.backends.X`.
Their priorities are negative on purpose: keyring's automatic detection never picks or chains them (its "fail"
backend, priority 0, wins), so installing the kiosk never changes another program's keyring.
Importing this module imports keyring (~85 ms): keep it off the path to the first painted frame.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import InitError, KeyringError, PasswordDeleteError, PasswordSetError

from kiosk.durable import fsync_directory
from kiosk.secrets.keys import check_secret_name

# systemd sets CREDENTIALS_DIRECTORY for a service with LoadCredential=; ours is for everything else.
CREDENTIALS_ENV_VARS = ("CREDENTIALS_DIRECTORY", "CITIZEN_KIOSK_CREDENTIALS_DIR")


def credentials_dir_from_env(env: Mapping[str, str]) -> Path | None:
    for variable in CREDENTIALS_ENV_VARS:
        if env.get(variable):
            return Path(env[variable])
    return None


class MemoryKeyring(KeyringBackend):
    """Secrets in a dict of this instance: for tests and throw-away demos; forgotten when the process ends."""

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 - a class property, as in keyring's own backends
        return -5  # never chosen automatically

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring's base __init__ is unannotated
        self._items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._items.pop((service, username), None) is None:
            raise PasswordDeleteError(f"no secret {username!r}")


class CredentialsDirKeyring(KeyringBackend):
    """One file per secret in a directory, named after the secret: the layout of systemd's `LoadCredential=`.

    The keyring "service" is ignored (one directory serves one application); the "username" is the secret's name and
    must match [a-z0-9-]+, so no name can escape the directory. Reads need only read access (systemd's directory is
    read-only); writes create a 0600 temporary file and rename it over, creating the directory 0700 if needed.
    """

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 - a class property, as in keyring's own backends
        # Unusable (so never instantiated by keyring's detection) unless a directory is named in the environment.
        if credentials_dir_from_env(os.environ) is None:
            raise RuntimeError(
                "no credentials directory: set CREDENTIALS_DIRECTORY (systemd LoadCredential=) "
                "or CITIZEN_KIOSK_CREDENTIALS_DIR"
            )
        return -1

    def __init__(self, directory: Path | str | None = None, *, env: Mapping[str, str] | None = None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring's base __init__ is unannotated
        chosen = (
            Path(directory) if directory is not None else credentials_dir_from_env(os.environ if env is None else env)
        )
        if chosen is None:
            raise InitError(
                "no credentials directory: set CREDENTIALS_DIRECTORY (systemd LoadCredential=) "
                "or CITIZEN_KIOSK_CREDENTIALS_DIR"
            )
        self.directory = chosen.expanduser().absolute()

    def _path(self, username: str) -> Path:
        return self.directory / check_secret_name(username)

    def get_password(self, service: str, username: str) -> str | None:
        path = self._path(username)
        try:
            text = path.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
            raise KeyringError(f"cannot read {path}: {reason}") from None
        # Files written by hand (`echo KEY > file`) end with a newline that is not part of the secret.
        return text.rstrip("\r\n")

    def set_password(self, service: str, username: str, password: str) -> None:
        path = self._path(username)
        try:
            self._ensure_directory()
            fd, temp = tempfile.mkstemp(dir=self.directory, prefix=f".{username}.", suffix=".tmp")  # mode 0600
        except OSError as exc:
            raise PasswordSetError(f"cannot write in {self.directory}: {exc.strerror or type(exc).__name__}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(password)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temp, path)
            fsync_directory(self.directory)
        except OSError as exc:
            Path(temp).unlink(missing_ok=True)
            raise PasswordSetError(f"cannot write {path}: {exc.strerror or type(exc).__name__}") from None

    def delete_password(self, service: str, username: str) -> None:
        path = self._path(username)
        try:
            path.unlink()
        except FileNotFoundError:
            raise PasswordDeleteError(f"no secret {username!r} in {self.directory}") from None
        except OSError as exc:
            raise PasswordDeleteError(f"cannot delete {path}: {exc.strerror or type(exc).__name__}") from None

    def _ensure_directory(self) -> None:
        if self.directory.is_dir():
            return
        self.directory.mkdir(mode=0o700, parents=True)
        os.chmod(self.directory, 0o700)  # mkdir's mode is reduced by the umask; secrets need exactly 0700
