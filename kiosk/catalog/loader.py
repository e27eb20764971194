"""Loading a catalog folder: every file checked on its own, so one bad file never hides the others.

Layout of a catalog folder (the shipped demo is `kiosk/catalog/demo/`):

    targets.json              the named submission endpoints
    life-events/<id>.json     one life event per file
    services/<id>.json        one service per file

A file with a problem (unreadable, not JSON, against the schema, a bad expression, a dangling reference) is named in a
`Problem` with the place inside it and left out; everything else loads. Warnings (plain language: long sentences,
administrative words) never leave anything out.
"""

from __future__ import annotations

import gc
import json
import os
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from kiosk.catalog import build, checks
from kiosk.catalog.cache import BuildCache
from kiosk.catalog.model import LifeEvent, Service, ServiceCatalog, Target
from kiosk.catalog.schema_check import schema_errors

DEMO_CATALOG_DIR = Path(__file__).with_name("demo")
MAX_FILE_BYTES = 1_000_000  # a definition is a few kilobytes; anything this big is not one


class Problem(NamedTuple):
    file: str  # relative to the catalog folder, e.g. "services/register-birth.json"
    place: str  # where in the file, e.g. "pages[2] (child_name).show_if" or "line 4, column 7"
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.place}: {self.message}"


class CatalogReport(NamedTuple):
    catalog: ServiceCatalog
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    service_files: int
    life_event_files: int

    @property
    def summary(self) -> str:
        c = self.catalog
        return (
            f"{len(c.services)} services, {len(c.life_events)} life events, "
            f"{len(self.problems)} problems, {len(self.warnings)} warnings"
        )


class _Files:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def name(self, path: Path) -> str:
        """The path as messages show it: relative to the catalog folder ("services/x.json")."""
        if path.parent.parent == self.root:  # the common case, without pathlib's slower relative_to
            return f"{path.parent.name}/{path.name}"
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def read(self, path: Path, kind: str) -> Any | None:
        """The file's schema-valid JSON document, or None after recording why not."""
        data = self.read_bytes(path)
        return self.parse(path, data, kind) if data is not None else None

    def read_bytes(self, path: Path) -> bytes | None:
        name = self.name(path)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                self.problems.append(Problem(name, "(the whole file)", f"larger than {MAX_FILE_BYTES} bytes"))
                return None
            return path.read_bytes()
        except OSError as error:
            self.problems.append(Problem(name, "(the whole file)", f"cannot be read: {error.strerror or error}"))
            return None

    def parse(self, path: Path, data: bytes, kind: str) -> Any | None:
        name = self.name(path)
        try:
            document = json.loads(data.decode("utf-8"))
        except UnicodeDecodeError as error:
            self.problems.append(Problem(name, f"byte {error.start}", "not UTF-8 text"))
            return None
        except json.JSONDecodeError as error:
            self.problems.append(Problem(name, f"line {error.lineno}, column {error.colno}", f"not JSON: {error.msg}"))
            return None
        found = [Problem(name, place, message) for place, message in schema_errors(kind, document)]
        self.problems.extend(found)
        return None if found else document


def load_catalog(directory: Path = DEMO_CATALOG_DIR, *, cache_path: Path | None = None) -> CatalogReport:
    """Load a catalog folder; with `cache_path`, unchanged service files are reused from the last load there."""
    # Loading builds hundreds of thousands of long-lived objects and frees almost none: the cyclic collector would
    # rescan the growing heap again and again (more than half the time of a warm load of 5,000 services).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(directory, cache_path)
    finally:
        if collecting:
            gc.enable()


def _load(directory: Path, cache_path: Path | None) -> CatalogReport:
    files = _Files(directory)
    if not directory.is_dir():
        files.problems.append(Problem(str(directory), "(folder)", "no such catalog folder"))
    targets = _load_targets(files)
    events = _load_life_events(files)
    service_paths = _json_files(directory / "services")
    memo = BuildCache.open(cache_path)
    services = _load_services(files, service_paths, set(events), set(targets), memo)
    memo.save()
    for event in events.values():
        if not any(event.id in s.life_events for s in services.values()):
            lonely = Problem(f"life-events/{event.id}.json", "id", "no service belongs to this life event")
            files.warnings.append(lonely)
    catalog = ServiceCatalog(
        services=dict(sorted(services.items())),
        life_events=tuple(sorted(events.values(), key=lambda e: (e.order, e.id))),
        targets=targets,
    )
    return CatalogReport(
        catalog, tuple(files.problems), tuple(files.warnings), len(service_paths), len(_event_paths(directory))
    )


def catalog_fingerprint(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """(relative name, size, modification time) of every definition file: changes when any file is added, removed or
    rewritten, at the cost of one directory scan (no file is read)."""
    found = []
    for folder in (directory, directory / "life-events", directory / "services"):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".json") and entry.is_file():
                stat = entry.stat()
                found.append((f"{folder.name}/{entry.name}", stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


def _json_files(folder: Path) -> list[Path]:
    """The folder's *.json files in name order (names sorted as text: much cheaper than sorting paths)."""
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(".json") and entry.is_file())
    except OSError:
        return []
    return [folder / name for name in names]


def _event_paths(directory: Path) -> list[Path]:
    return _json_files(directory / "life-events")


def _load_targets(files: _Files) -> dict[str, Target]:
    path = files.root / "targets.json"
    if not path.exists():
        files.problems.append(Problem("targets.json", "(the whole file)", "missing: services need their targets"))
        return {}
    document = files.read(path, "targets")
    return {t.id: t for t in build.targets(document)} if document is not None else {}


def _load_life_events(files: _Files) -> dict[str, LifeEvent]:
    events: dict[str, LifeEvent] = {}
    owners: dict[str, list[str]] = defaultdict(list)
    for path in _event_paths(files.root):
        document = files.read(path, "life_event")
        if document is None:
            continue
        if not _named_after_id(files, path, document["id"]):
            continue
        owners[document["id"]].append(files.name(path))
        if len(owners[document["id"]]) == 1:
            event = events[document["id"]] = build.life_event(document)
            warnings = checks.life_event_warnings(event)
            files.warnings.extend(Problem(files.name(path), place, message) for place, message in warnings)
    files.problems.extend(Problem(f, "id", m) for f, m in checks.duplicate_ids(owners))
    return events


def _load_services(
    files: _Files, paths: list[Path], events: set[str], targets: set[str], memo: BuildCache
) -> dict[str, Service]:
    services: dict[str, Service] = {}
    owners: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        name = files.name(path)
        data = files.read_bytes(path)
        built = _built_service(files, path, data, memo) if data is not None else None
        if built is None:
            continue
        service, warnings, clean = built
        if not _named_after_id(files, path, service.id):
            continue
        owners[service.id].append(name)
        if len(owners[service.id]) > 1:
            continue
        files.warnings.extend(Problem(name, place, message) for place, message in warnings)
        links = list(checks.link_problems(service, events, targets))
        files.problems.extend(Problem(name, place, message) for place, message in links)
        if clean and not links:
            services[service.id] = service
    files.problems.extend(Problem(f, "id", m) for f, m in checks.duplicate_ids(owners))
    return services


def _built_service(
    files: _Files, path: Path, data: bytes, memo: BuildCache
) -> tuple[Service, list[tuple[str, str]], bool] | None:
    """(service, warnings, clean) of one file, from the memo when its bytes are unchanged; None if it cannot be built.

    `clean` is False when the file has problems of its own (recorded here); only clean services are memoised.
    """
    key = memo.key(data)
    cached = memo.get(key)
    if isinstance(cached, tuple):
        service, warnings = cached
        return replace(service, source=path), warnings, True
    document = files.parse(path, data, "service")
    if document is None:
        return None
    problems = build.BuildProblems()
    service = build.service(document, path, problems)
    found = [*problems.items, *checks.file_problems(service)]
    files.problems.extend(Problem(files.name(path), place, message) for place, message in found)
    warnings = list(checks.plain_language_warnings(service))
    if not found:
        memo.put(key, (replace(service, source=None), warnings))  # the path is set again when reused
    return service, warnings, not found


def _named_after_id(files: _Files, path: Path, identifier: str) -> bool:
    # One file per id, named after it: a designer looking for a service finds its file without searching.
    if path.stem == identifier:
        return True
    files.problems.append(Problem(files.name(path), "id", f"the file must be named {identifier}.json"))
    return False
