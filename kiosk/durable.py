"""Small helpers for writes that must survive a power cut (kiosks lose power daily)."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_directory(directory: Path) -> None:
    """Make renames and new files in `directory` durable: fsync of a file does not cover its directory entry."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
