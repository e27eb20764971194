"""A memo of built service files, keyed by their exact bytes, so an unchanged catalog loads without re-checking.

Checking a definition against the JSON Schema costs about 4 ms; 5,000 services would keep the services screen on
"loading" for 20 s at every start. A file whose bytes (and the kiosk's checking code) are unchanged since the last load
gives the same service, so the built value is kept in `<data dir>/cache/catalog.pickle` and reused. Only files that
built without problems are kept; the checks that depend on other files (life events, targets) always run again.

The cache holds nothing personal (definitions are public) and lives in the data directory, which only the kiosk's
user can write; a missing, stale or unreadable cache is simply rebuilt, so deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from functools import cache
from pathlib import Path

from kiosk.logs import safe_exception_summary

log = logging.getLogger(__name__)

CACHE_FORMAT = 1
# The code whose output is cached: a change to any of these (an upgrade) must not reuse old results.
_CODE = (
    "catalog/build.py",
    "catalog/checks.py",
    "catalog/model.py",
    "catalog/plain_language.py",
    "catalog/schema_check.py",
    "forms/expr_parser.py",
    "forms/expr_tokenizer.py",
    "forms/expr_tree.py",
)
_DATA = ("schemas", "glossary")  # folders of JSON files the cached results depend on (warnings use the glossaries)


@cache
def code_digest() -> str:
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(str(CACHE_FORMAT).encode())
    for folder in _DATA:
        for name in sorted(p.name for p in (package / "catalog" / folder).glob("*.json")):
            digest.update((package / "catalog" / folder / name).read_bytes())
    for name in _CODE:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


class BuildCache:
    """key (digest of a file's bytes) -> pickled built value; entries not used by a load are dropped on save."""

    def __init__(self, path: Path | None, entries: dict[str, bytes] | None = None) -> None:
        self.path = path
        self._old = entries or {}
        self._new: dict[str, bytes] = {}
        self._changed = False

    @classmethod
    def open(cls, path: Path | None) -> BuildCache:
        if path is None or not path.exists():
            return cls(path)
        try:
            with path.open("rb") as file:
                stored = pickle.load(file)  # the kiosk's own file, in its private data directory
            if isinstance(stored, dict) and stored.get("code") == code_digest():
                return cls(path, stored["entries"])
        except Exception as error:  # noqa: BLE001 - a damaged cache is rebuilt, never fatal
            log.warning("catalog cache %s ignored: %s", path, safe_exception_summary(error))
        return cls(path)

    @staticmethod
    def key(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    def get(self, key: str) -> object | None:
        blob = self._old.get(key)
        if blob is None:
            return None
        try:
            value: object = pickle.loads(blob)  # see open()
        except Exception:  # noqa: BLE001 - one bad entry is rebuilt
            return None
        self._new[key] = blob
        return value

    def put(self, key: str, value: object) -> None:
        self._new[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._changed = True

    def save(self) -> None:
        """Write the entries this load used, atomically (a crash leaves the old file or the new one)."""
        if self.path is None or (not self._changed and len(self._new) == len(self._old)):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            with temporary.open("wb") as file:
                pickle.dump({"code": code_digest(), "entries": self._new}, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        except OSError as error:
            log.warning("catalog cache not saved: %s", safe_exception_summary(error))
