"""The validated configuration: immutable records, one per section of the file.

They are NamedTuples rather than frozen dataclasses because they are defined on the kiosk's start-up path, where a
frozen dataclass costs ~0.4 ms to define on Python 3.11 and a NamedTuple ~0.1 ms.

Field names match `schema.SETTINGS` exactly (a test checks it), so `config.idle.warning_seconds` is the setting
`idle.warning_seconds`. Paths are already resolved: relative paths against the config file's directory.
"""

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple


class ConfigError(ValueError):
    """A configuration file is missing, unreadable, not TOML or holds invalid settings.

    `problems` lists every problem found, each one line naming the file, the dotted key and the reason.
    """

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("\n".join(self.problems))


class SiteSettings(NamedTuple):
    id: str
    name: str
    kiosk_id: str


class LanguagesSettings(NamedTuple):
    available: tuple[str, ...]
    default: str


class StorageSettings(NamedTuple):
    data_dir: Path | None


class IdleSettings(NamedTuple):
    question_seconds: int
    reading_seconds: int
    warning_seconds: int


class PanelSettings(NamedTuple):
    diagonal_inches: float
    width_px: int
    height_px: int
    viewing_distance_mm: int


class SecretsSettings(NamedTuple):
    backend: str = "auto"
    credentials_dir: Path | None = None


class DoctorSettings(NamedTuple):
    required: tuple[str, ...]


class DraftsSettings(NamedTuple):
    retention_days: int = 30


class CatalogSettings(NamedTuple):
    directory: Path | None = None  # None: the shipped demo catalog


class LoggingSettings(NamedTuple):
    level: str
    max_bytes: int
    backups: int


class Config(NamedTuple):
    site: SiteSettings
    languages: LanguagesSettings
    storage: StorageSettings
    idle: IdleSettings
    panel: PanelSettings
    secrets: SecretsSettings
    doctor: DoctorSettings
    drafts: DraftsSettings
    catalog: CatalogSettings
    logging: LoggingSettings
    source: Path | None = None  # the file read, or None for built-in defaults


# Section name -> its record class; the loader builds each section from the validated values.
SECTION_CLASSES: dict[str, type] = {
    "site": SiteSettings,
    "languages": LanguagesSettings,
    "storage": StorageSettings,
    "idle": IdleSettings,
    "panel": PanelSettings,
    "secrets": SecretsSettings,
    "doctor": DoctorSettings,
    "drafts": DraftsSettings,
    "catalog": CatalogSettings,
    "logging": LoggingSettings,
}
