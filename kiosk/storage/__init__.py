"""The kiosk's SQLite storage: one durable database file `kiosk.db` in the data directory.

See docs/storage.md. Connections are per thread: the GUI thread uses `Storage.db` for short transactions only;
background jobs open their own with `connect(storage.path)`.
"""

from typing import TYPE_CHECKING

# The names below load on first use (PEP 562): `kiosk.storage.clock` and the other light submodules are on the
# kiosk's start-up path, and importing this package must not pull in sqlite-utils (and with it numpy) before the
# first frame is painted.
_LAZY = {
    "StaffAlert": "alerts", "acknowledge": "alerts", "get_alert": "alerts", "open_alerts": "alerts",
    "raise_alert": "alerts",
    "BUSY_TIMEOUT_MS": "connection", "DB_FILENAME": "connection", "connect": "connection",
    "database_path": "connection",
    "MigrationError": "errors", "SchemaTooNewError": "errors", "StorageError": "errors", "StorageFullError": "errors",
    "StorageUnavailableError": "errors",
    "IntegrityReport": "integrity", "check_integrity": "integrity",
    "MIGRATIONS": "migrations", "Migration": "migrations",
    "RECOVERY_ALERT_KIND": "recovery", "SALVAGE_PRIORITY": "recovery", "RecoveryReport": "recovery",
    "recover_database": "recovery",
    "TableSalvage": "salvage",
    "Storage": "storage", "open_storage": "storage",
}  # fmt: skip

if TYPE_CHECKING:
    from kiosk.storage.alerts import StaffAlert, acknowledge, get_alert, open_alerts, raise_alert
    from kiosk.storage.connection import BUSY_TIMEOUT_MS, DB_FILENAME, connect, database_path
    from kiosk.storage.errors import (
        MigrationError,
        SchemaTooNewError,
        StorageError,
        StorageFullError,
        StorageUnavailableError,
    )
    from kiosk.storage.integrity import IntegrityReport, check_integrity
    from kiosk.storage.migrations import MIGRATIONS, Migration
    from kiosk.storage.recovery import ALERT_KIND as RECOVERY_ALERT_KIND
    from kiosk.storage.recovery import SALVAGE_PRIORITY, RecoveryReport, recover_database
    from kiosk.storage.salvage import TableSalvage
    from kiosk.storage.storage import Storage, open_storage

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DB_FILENAME",
    "MIGRATIONS",
    "RECOVERY_ALERT_KIND",
    "SALVAGE_PRIORITY",
    "IntegrityReport",
    "Migration",
    "MigrationError",
    "RecoveryReport",
    "SchemaTooNewError",
    "StaffAlert",
    "Storage",
    "StorageError",
    "StorageFullError",
    "StorageUnavailableError",
    "TableSalvage",
    "acknowledge",
    "check_integrity",
    "connect",
    "database_path",
    "get_alert",
    "open_alerts",
    "open_storage",
    "raise_alert",
    "recover_database",
]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(
        importlib.import_module(f"{__name__}.{module}"), "ALERT_KIND" if name == "RECOVERY_ALERT_KIND" else name
    )
    globals()[name] = value  # the next lookup is a plain attribute
    return value
