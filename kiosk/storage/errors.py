"""Storage errors. Each message is one clear sentence that names the file and says what to do.

The UI shows these to staff (and StorageFullError to the citizen, translated by its class); logs may record them too,
so no message ever contains personal data.
"""

from __future__ import annotations

from pathlib import Path


class StorageError(Exception):
    """Base class of every error the storage package raises on purpose."""


class SchemaTooNewError(StorageError):
    """The database was written by a newer kiosk; opening it here could damage it, so nothing is written to it."""

    def __init__(self, path: Path, found_version: int, newest_known: int) -> None:
        self.path = path
        self.found_version = found_version
        self.newest_known = newest_known
        super().__init__(
            f"The database {path} has schema version {found_version}, but this kiosk understands versions up to "
            f"{newest_known}, so a newer version of the kiosk wrote it: do not downgrade, update the kiosk "
            f"or restore a backup made by this version (the file was left untouched)."
        )


class StorageFullError(StorageError):
    """The disk (or the database's size limit) is full; the failed transaction was rolled back, nothing else lost."""

    MESSAGE = (
        "The kiosk's disk is full, so nothing new could be saved. Everything saved before is safe. "
        "Tell staff: free space on the kiosk's disk."
    )

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        super().__init__(self.MESSAGE)


class StorageUnavailableError(StorageError):
    """The data directory or database cannot be used at all (missing permissions, not a directory, no durability)."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        self.path = path
        super().__init__(message)


class MigrationError(StorageError):
    """A schema migration failed; its transaction was rolled back, so the database is still at the previous version."""

    def __init__(self, path: Path, number: int, name: str, previous_version: int, cause: BaseException) -> None:
        self.path = path
        self.number = number
        super().__init__(
            f"Upgrading the database {path} failed at migration {number} ({name}) with {type(cause).__name__}, "
            f"so it was left unchanged at schema version {previous_version}: report this to the kiosk's maintainers."
        )
