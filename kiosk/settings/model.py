"""The validated configuration: frozen dataclasses, one per section of the file.

Field names match `schema.SETTINGS` exactly (a test checks it), so `config.idle.warning_seconds` is the setting
`idle.warning_seconds`. Paths are already resolved: relative paths against the config file's directory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class ConfigError(ValueError):
    """A configuration file is missing, unreadable, not TOML or holds invalid settings.

    `problems` lists every problem found, each one line naming the file, the dotted key and the reason.
    """

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class SiteSettings:
    id: str
    name: str
    kiosk_id: str


@dataclass(frozen=True)
class LanguagesSettings:
    available: tuple[str, ...]
    default: str


@dataclass(frozen=True)
class StorageSettings:
    data_dir: Path | None


@dataclass(frozen=True)
class IdleSettings:
    question_seconds: int
    reading_seconds: int
    warning_seconds: int


@dataclass(frozen=True)
class PanelSettings:
    diagonal_inches: float
    width_px: int
    height_px: int
    viewing_distance_mm: int


@dataclass(frozen=True)
class SecretsSettings:
    backend: str = "auto"
    credentials_dir: Path | None = None


@dataclass(frozen=True)
class DoctorSettings:
    required: tuple[str, ...]


@dataclass(frozen=True)
class LoggingSettings:
    level: str
    max_bytes: int
    backups: int


@dataclass(frozen=True)
class Config:
    site: SiteSettings
    languages: LanguagesSettings
    storage: StorageSettings
    idle: IdleSettings
    panel: PanelSettings
    secrets: SecretsSettings
    doctor: DoctorSettings
    logging: LoggingSettings
    source: Path | None = None  # the file read, or None for built-in defaults


# Section name -> its dataclass; the loader builds each section from the validated values.
SECTION_CLASSES: dict[str, type] = {
    "site": SiteSettings,
    "languages": LanguagesSettings,
    "storage": StorageSettings,
    "idle": IdleSettings,
    "panel": PanelSettings,
    "secrets": SecretsSettings,
    "doctor": DoctorSettings,
    "logging": LoggingSettings,
}
