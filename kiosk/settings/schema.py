"""The one description of every setting: type, default, limits and the text the docs are generated from.

The loader validates against this table, the writer checks values against it and `docs.py` renders
docs/configuration.md from it, so a setting added here is validated and documented at once.
"""

from typing import Literal, NamedTuple

from kiosk.i18n import SHIPPED_LANGUAGES
from kiosk.session import DEFAULT_VOLUME, THEME_NAMES

# "path" is a string in the file; empty means "not set". "str-list" is a TOML array of strings.
SettingType = Literal["str", "int", "float", "bool", "path", "str-list"]
Value = str | int | float | bool | tuple[str, ...]

# Checks `citizen-kiosk doctor` runs; `doctor.required` may only name these.
DOCTOR_CHECKS = (
    "data-dir",
    "database",
    "secrets",
    "fonts",
    "qt-platform",
    "qt-keyboard",
    "display",
    "audio",
    "speech",
)
SECRETS_BACKENDS = ("auto", "credentials-dir", "keyring", "memory")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
SPEECH_ENGINES = ("auto", "qt", "espeak-ng", "none")  # speech.engine
KEYBOARD_MODES = ("auto", "always", "never")  # keyboard.on_screen
# Sections a later version will define; an early file using them gets a clear message rather than "unknown".
RESERVED_SECTIONS: dict[
    str, str
] = {}  # none at present: `[endpoints.NAME]` and `[routing]` are kiosk.settings.endpoints


class Setting(NamedTuple):
    key: str  # dotted: "section.name"
    type: SettingType
    default: Value
    doc: str
    choices: tuple[str, ...] | None = None  # allowed values (for "str-list": allowed items)
    minimum: float | None = None
    maximum: float | None = None
    min_length: int = 0  # for "str" (characters) and "str-list" (items)

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "site.id", "str", "demo-site", "Identifier of the citizen spot, as the back office knows it.", min_length=1
    ),
    Setting("site.name", "str", "Demo citizen spot", "Name of the citizen spot, shown to staff.", min_length=1),
    Setting("site.kiosk_id", "str", "kiosk-01", "Identifier of this kiosk within the site.", min_length=1),
    Setting(
        "languages.available",
        "str-list",
        SHIPPED_LANGUAGES,
        "Languages offered on the language switch, in that order (BCP 47 codes of shipped languages).",
        choices=SHIPPED_LANGUAGES,
        min_length=1,
    ),
    Setting(
        "languages.default",
        "str",
        "pt-PT",
        "Language a new session starts in; must be one of `languages.available`.",
        choices=SHIPPED_LANGUAGES,
    ),
    Setting(
        "languages.content_fallback",
        "str",
        "en",
        "Language a service or life event text is shown in when it has no translation in the citizen's language (per"
        " text; then English). Every definition has `pt-PT` and `en`.",
        choices=SHIPPED_LANGUAGES,
    ),
    Setting(
        "storage.data_dir",
        "path",
        "",
        "Directory of the database and logs. Empty: the platform default (see the precedence above).",
    ),
    Setting(
        "idle.question_seconds",
        "int",
        120,
        "Inactivity allowed on question screens before the session ends.",
        minimum=30,
        maximum=3600,
    ),
    Setting(
        "idle.reading_seconds",
        "int",
        300,
        "Inactivity allowed on reading-heavy screens before the session ends.",
        minimum=30,
        maximum=3600,
    ),
    Setting(
        "idle.warning_seconds",
        "int",
        60,
        'How long before the end the "I need more time" warning appears; must be shorter than both timeouts.',
        minimum=20,
        maximum=600,
    ),
    Setting(
        "panel.diagonal_inches",
        "float",
        21.5,
        "Diagonal of the reference panel; physical sizes (millimetres) are computed from it.",
        minimum=7.0,
        maximum=100.0,
    ),
    Setting("panel.width_px", "int", 1920, "Width of the reference panel in pixels.", minimum=640, maximum=16384),
    Setting("panel.height_px", "int", 1080, "Height of the reference panel in pixels.", minimum=480, maximum=16384),
    Setting(
        "panel.viewing_distance_mm",
        "int",
        600,
        "Typical distance between the citizen's eyes and the panel, used for legibility rules.",
        minimum=200,
        maximum=3000,
    ),
    Setting(
        "display.default_theme",
        "str",
        "default",
        "Colour theme a new session starts in (the citizen can change it on every screen; it returns to this at the "
        "end of the session): `default`, `high-contrast` (light, text at least 7:1) or `dark-high-contrast`.",
        choices=THEME_NAMES,
    ),
    Setting(
        "speech.default_volume",
        "int",
        DEFAULT_VOLUME,
        "Speech volume (percent) a new session starts with; the citizen's changes return to it at the end of the "
        "session.",
        minimum=0,
        maximum=100,
    ),
    Setting(
        "speech.engine",
        "str",
        "auto",
        "Voice used by read aloud: `auto` (Qt's text to speech through speech-dispatcher when it loads and has voices, "
        "else espeak-ng, else silent with a staff notice), `qt`, `espeak-ng` or `none`. See docs/ui.md.",
        choices=SPEECH_ENGINES,
    ),
    Setting(
        "speech.headset",
        "bool",
        False,
        "A headset (not a loudspeaker) is the speech output: private answers (a PIN) are then read back; on a "
        'loudspeaker they are spoken as "asterisk", one per character.',
    ),
    Setting(
        "speech.toggle_key",
        "str",
        "F9",
        "Key that turns read aloud on or off on every screen (a Qt key name: `F9`, `Ctrl+R`); it says the new state.",
        min_length=1,
    ),
    Setting("speech.repeat_key", "str", "F8", "Key that repeats the last announcement.", min_length=1),
    Setting(
        "speech.volume_down_key",
        "str",
        "F10",
        "Key that makes speech quieter (also the volume-down key).",
        min_length=1,
    ),
    Setting(
        "speech.volume_up_key", "str", "F11", "Key that makes speech louder (also the volume-up key).", min_length=1
    ),
    Setting(
        "secrets.backend",
        "str",
        "auto",
        "Where the kiosk's keys live: `auto` (credentials directory if one is set, else the system keyring), "
        "`credentials-dir`, `keyring` (the system keyring) or `memory` (tests only: forgotten at exit). "
        "The environment variable `PYTHON_KEYRING_BACKEND` overrides it. See docs/secrets.md.",
        choices=SECRETS_BACKENDS,
    ),
    Setting(
        "secrets.credentials_dir",
        "path",
        "",
        "Directory with one file per secret (as systemd's `LoadCredential=` provides them). "
        "Empty: not set; `$CREDENTIALS_DIRECTORY`, when systemd sets it, takes precedence.",
    ),
    Setting(
        "doctor.required",
        "str-list",
        ("data-dir", "database", "secrets", "fonts", "qt-platform"),
        "Checks of `citizen-kiosk doctor` that must pass (exit 1 otherwise); the others are advisory.",
        choices=DOCTOR_CHECKS,
    ),
    Setting(
        "drafts.retention_days",
        "int",
        30,
        "Days a saved draft (save and come back later) is kept before it is deleted with its answers.",
        minimum=1,
        maximum=365,
    ),
    Setting(
        "keyboard.on_screen",
        "str",
        "auto",
        "When the kiosk's own on-screen keyboard opens for a text field: `auto` (only when a touch screen is "
        "attached), `always` or `never` (a kiosk with a physical keyboard). See docs/ui.md.",
        choices=KEYBOARD_MODES,
    ),
    Setting(
        "input.debounce_ms",
        "int",
        300,
        "A second tap on the same control within this many milliseconds is ignored (a tremor or an impatient double "
        "tap must not act twice); 0 turns it off. At most 500, so deliberate taps are never lost.",
        minimum=0,
        maximum=500,
    ),
    Setting(
        "catalog.directory",
        "path",
        "",
        "Folder of service definitions (`targets.json`, `life-events/`, `services/`; see docs/services.md). "
        "Empty: the demo catalog shipped with the kiosk.",
    ),
    Setting("logging.level", "str", "INFO", "Lowest level written to the log file.", choices=LOG_LEVELS),
    Setting(
        "logging.max_bytes",
        "int",
        1_000_000,
        "Size at which the log file is rotated.",
        minimum=10_000,
        maximum=1_000_000_000,
    ),
    Setting("logging.backups", "int", 5, "Number of rotated log files kept.", minimum=1, maximum=100),
)

SETTINGS_BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}
# Section names in the order of first appearance: the order of the docs and of written files.
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(s.section for s in SETTINGS))


def section_settings(section: str) -> tuple[Setting, ...]:
    return tuple(s for s in SETTINGS if s.section == section)
