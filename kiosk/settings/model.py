"""The validated configuration: immutable records, one per section of the file.

They are NamedTuples rather than frozen dataclasses because they are defined on the kiosk's start-up path, where a
frozen dataclass costs ~0.4 ms to define on Python 3.11 and a NamedTuple ~0.1 ms.

Field names match `schema.SETTINGS` exactly (a test checks it), so `config.idle.warning_seconds` is the setting
`idle.warning_seconds`. Paths are already resolved: relative paths against the config file's directory.
"""

from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
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
    content_fallback: str = "en"  # catalog texts without the citizen's language (kiosk.i18n.content_fallback_chain)


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


class DisplaySettings(NamedTuple):
    default_theme: str = "default"


class SpeechSettings(NamedTuple):
    default_volume: int = 70
    engine: str = "auto"  # "auto" | "qt" | "espeak-ng" | "none"
    headset: bool = False  # private answers are read back only on a headset
    toggle_key: str = "F9"
    repeat_key: str = "F8"
    volume_down_key: str = "F10"
    volume_up_key: str = "F11"


class SecretsSettings(NamedTuple):
    backend: str = "auto"
    credentials_dir: Path | None = None


class DoctorSettings(NamedTuple):
    required: tuple[str, ...]


class DraftsSettings(NamedTuple):
    retention_days: int = 30


class KeyboardSettings(NamedTuple):
    on_screen: str = "auto"  # "auto" | "always" | "never": when the on-screen keyboard opens (ui/keyboard)


class InputSettings(NamedTuple):
    debounce_ms: int = 300  # a second identical tap on the same control within this is ignored (ui.widgets.TapDebounce)


class CatalogSettings(NamedTuple):
    directory: Path | None = None  # None: the shipped demo catalog


class LoggingSettings(NamedTuple):
    level: str
    max_bytes: int
    backups: int


# Endpoints and routing are parsed by kiosk.settings.endpoints (only when a file has them: off the start-up path).
class EndpointSettings(NamedTuple):
    name: str
    url: str
    health_url: str
    token_url: str | None = None
    client_id: str | None = None
    scope: str | None = None
    ca_bundle: Path | None = None
    client_cert: Path | None = None
    client_key: Path | None = None
    connect_timeout_seconds: float = 10.0
    read_timeout_seconds: float = 30.0


class RoutingSettings(NamedTuple):
    default: str | None = None
    services: Mapping[str, str] = MappingProxyType({})  # service id -> endpoint name (wins over targets)
    targets: Mapping[str, str] = MappingProxyType({})  # the catalog's delivery target id -> endpoint name

    def endpoint_for(self, service_id: str, target: str) -> str | None:
        """The endpoint a submission goes to: by service, else by target, else the default (None: not routed)."""
        return self.services.get(service_id) or self.targets.get(target) or self.default


class Config(NamedTuple):
    site: SiteSettings
    languages: LanguagesSettings
    storage: StorageSettings
    idle: IdleSettings
    panel: PanelSettings
    display: DisplaySettings
    speech: SpeechSettings
    secrets: SecretsSettings
    doctor: DoctorSettings
    drafts: DraftsSettings
    keyboard: KeyboardSettings
    input: InputSettings
    catalog: CatalogSettings
    logging: LoggingSettings
    endpoints: Mapping[str, EndpointSettings] = MappingProxyType({})  # by name
    routing: RoutingSettings = RoutingSettings()
    source: Path | None = None  # the file read, or None for built-in defaults


# Section name -> its record class; the loader builds each section from the validated values.
SECTION_CLASSES: dict[str, type] = {
    "site": SiteSettings,
    "languages": LanguagesSettings,
    "storage": StorageSettings,
    "idle": IdleSettings,
    "panel": PanelSettings,
    "display": DisplaySettings,
    "speech": SpeechSettings,
    "secrets": SecretsSettings,
    "doctor": DoctorSettings,
    "drafts": DraftsSettings,
    "keyboard": KeyboardSettings,
    "input": InputSettings,
    "catalog": CatalogSettings,
    "logging": LoggingSettings,
}
