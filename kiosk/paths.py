"""Where the kiosk keeps its data: one directory, resolved by a documented precedence.

Precedence (first that is set wins): `--data-dir` on the command line, the environment variable
`CITIZEN_KIOSK_DATA_DIR`, `storage.data_dir` in the configuration file, platformdirs' per-user data directory.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

DATA_DIR_ENV = "CITIZEN_KIOSK_DATA_DIR"
APP_NAME = "citizen-kiosk"


class ResolvedDataDir(NamedTuple):
    path: Path
    source: str  # "--data-dir", "CITIZEN_KIOSK_DATA_DIR", "config file" or "default": doctor shows where it came from


def resolve_data_dir(cli_value: str | None, env: Mapping[str, str], config_value: Path | None) -> ResolvedDataDir:
    if cli_value:
        return ResolvedDataDir(Path(cli_value).expanduser().absolute(), "--data-dir")
    if env.get(DATA_DIR_ENV):
        return ResolvedDataDir(Path(env[DATA_DIR_ENV]).expanduser().absolute(), DATA_DIR_ENV)
    if config_value is not None:
        return ResolvedDataDir(config_value.expanduser().absolute(), "config file")
    return ResolvedDataDir(default_data_dir(), "default")


def default_data_dir() -> Path:
    # platformdirs is imported here so that merely importing this module stays free.
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir(data_dir: Path) -> Path:
    return data_dir / "logs"
