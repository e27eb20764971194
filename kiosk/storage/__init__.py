"""The kiosk's SQLite storage: one durable database file `kiosk.db` in the data directory.

See docs/storage.md. Connections are per thread: the GUI thread uses `Storage.db` for short transactions only;
background jobs open their own with `connect(storage.path)`.
"""

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
