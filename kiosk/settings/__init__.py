"""Configuration of the kiosk: one TOML file, described once in `schema.SETTINGS`, validated on load.

Import cost matters (this is on the start-up path): only the standard library is imported here; platformdirs is
imported lazily, and never keyring.
"""

from collections.abc import Mapping
from pathlib import Path

from kiosk.settings.loader import (
    CONFIG_ENV,
    default_config,
    default_config_path,
    load_config,
    resolve_config_path,
)
from kiosk.settings.model import (
    Config,
    ConfigError,
    DoctorSettings,
    IdleSettings,
    LanguagesSettings,
    LoggingSettings,
    PanelSettings,
    SecretsSettings,
    SiteSettings,
    StorageSettings,
)
from kiosk.settings.schema import DOCTOR_CHECKS, SETTINGS, Setting, Value


# The writer (tempfile, shutil) is only for `secrets init`: imported when called, off the kiosk's start-up path.
def write_setting(path: Path, key: str, value: Value | Path) -> None:
    """Create or update one setting in a TOML file, keeping the others (see kiosk.settings.writer)."""
    from kiosk.settings.writer import write_setting as write

    write(path, key, value)


def write_settings(path: Path, updates: Mapping[str, Value | Path]) -> None:
    """Create or update several settings at once, atomically (see kiosk.settings.writer)."""
    from kiosk.settings.writer import write_settings as write

    write(path, updates)


__all__ = [
    "CONFIG_ENV",
    "DOCTOR_CHECKS",
    "SETTINGS",
    "Config",
    "ConfigError",
    "DoctorSettings",
    "IdleSettings",
    "LanguagesSettings",
    "LoggingSettings",
    "PanelSettings",
    "SecretsSettings",
    "Setting",
    "SiteSettings",
    "StorageSettings",
    "default_config",
    "default_config_path",
    "load_config",
    "resolve_config_path",
    "write_setting",
    "write_settings",
]
