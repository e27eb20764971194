"""Configuration of the kiosk: one TOML file, described once in `schema.SETTINGS`, validated on load.

Import cost matters (this is on the start-up path): only the standard library is imported here; platformdirs is
imported lazily, and never keyring.
"""

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
from kiosk.settings.schema import DOCTOR_CHECKS, SETTINGS, Setting
from kiosk.settings.writer import write_setting, write_settings

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
