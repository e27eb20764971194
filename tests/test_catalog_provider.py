"""The catalog provider: loading state, an atomic swap of report and index, search in the citizen's language, and an
import that costs nothing at start-up (no jsonschema before the catalog is loaded)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.catalog import DEMO_CATALOG_DIR
from kiosk.catalog.provider import CatalogProvider

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo() -> CatalogProvider:
    provider = CatalogProvider()
    provider.load(DEMO_CATALOG_DIR)
    return provider


def small_catalog(tmp_path: Path) -> Path:
    """The demo catalog with only the birth registration service left (and a broken file, which is a problem)."""
    directory = tmp_path / "catalog"
    shutil.copytree(DEMO_CATALOG_DIR, directory)
    for path in (directory / "services").glob("*.json"):
        if path.stem != "register-birth":
            path.unlink()
    (directory / "services" / "broken.json").write_text("{ not json", encoding="utf-8")
    return directory


def test_a_new_provider_is_loading_and_empty() -> None:
    provider = CatalogProvider()
    assert provider.state == "loading"
    assert provider.report is None and provider.index is None and provider.catalog is None
    assert provider.life_events() == ()
    assert provider.search("birth") == []
    assert provider.service("register-birth") is None
    assert provider.life_event("having-a-baby") is None
    assert provider.services_for("having-a-baby") == ()


def test_load_swaps_in_the_catalog_and_index_then_says_so_on_the_loading_thread() -> None:
    provider = CatalogProvider()
    seen: list[tuple[str, bool]] = []
    provider.changed.connect(lambda _: seen.append((provider.state, threading.current_thread().name == "loader")))
    loader = threading.Thread(target=provider.load, args=(DEMO_CATALOG_DIR,), name="loader")
    loader.start()
    loader.join()
    assert seen == [("ready", True)]  # emitted once, after the swap, on the thread that loaded
    report = provider.report
    assert report is not None and report.problems == ()
    assert provider.catalog is report.catalog
    assert provider.index is not None
    assert len(report.catalog.services) == 31


def test_life_events_keep_their_order_and_lead_somewhere(demo: CatalogProvider) -> None:
    events = demo.life_events()
    assert [e.id for e in events][:3] == ["having-a-baby", "moving-house", "death-in-the-family"]
    assert [e.order for e in events] == sorted(e.order for e in events)
    assert all(demo.services_for(e.id) for e in events)
    assert {s.id for s in demo.services_for("having-a-baby")} == {"register-birth", "child-benefit", "parental-leave"}


def test_search_finds_services_in_the_citizens_language_despite_typos(demo: CatalogProvider) -> None:
    for lang in ("pt-PT", "en", "uk"):
        assert demo.search("nacimento", lang=lang)[0].id == "register-birth"
    assert demo.search("birht", lang="en")[0].id == "register-birth"
    assert demo.search("Mudança de morada", lang="pt-PT")[0].id == "change-address"
    assert len(demo.search("certificado", lang="pt-PT", limit=2)) == 2
    assert demo.search("   ", lang="en") == []


@settings(max_examples=200, deadline=None)
@given(query=st.text(max_size=40), limit=st.integers(min_value=1, max_value=12))
def test_search_never_fails_and_returns_distinct_catalog_services(
    demo: CatalogProvider, query: str, limit: int
) -> None:
    found = demo.search(query, lang="en", limit=limit)
    assert len(found) <= limit
    assert len({s.id for s in found}) == len(found)
    catalog = demo.catalog
    assert catalog is not None
    assert all(catalog.services[s.id] is s for s in found)


def test_problems_are_reported_and_the_rest_still_loads(tmp_path: Path) -> None:
    provider = CatalogProvider()
    provider.load(small_catalog(tmp_path))
    assert provider.state == "ready"
    report = provider.report
    assert report is not None
    assert [p.file for p in report.problems] == ["services/broken.json"]
    assert list(report.catalog.services) == ["register-birth"]
    assert [e.id for e in provider.life_events()] == ["having-a-baby"]  # life events without services are hidden
    assert [s.id for s in provider.search("birth", lang="en")] == ["register-birth"]


def test_a_missing_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    provider = CatalogProvider()
    provider.load(tmp_path / "nowhere")
    assert provider.state == "ready"
    assert provider.report is not None and provider.report.problems
    assert provider.life_events() == ()


def test_a_load_that_raises_fails_first_then_a_later_failure_keeps_the_catalog(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import kiosk.catalog.loader

    provider = CatalogProvider()
    emitted: list[str] = []
    provider.changed.connect(lambda _: emitted.append(provider.state))

    def boom(directory: Path, **_: object) -> None:
        raise RuntimeError("disk on fire")

    with monkeypatch.context() as patch:
        patch.setattr(kiosk.catalog.loader, "load_catalog", boom)
        with pytest.raises(RuntimeError):
            provider.load(DEMO_CATALOG_DIR)
    assert provider.state == "failed" and emitted == ["failed"]
    provider.load(small_catalog(tmp_path))
    assert provider.state == "ready" and emitted == ["failed", "ready"]
    before = provider.report
    monkeypatch.setattr(kiosk.catalog.loader, "load_catalog", boom)
    with pytest.raises(RuntimeError):
        provider.load(DEMO_CATALOG_DIR)
    assert provider.state == "ready" and provider.report is before  # what was shown stays
    assert emitted == ["failed", "ready"]  # nothing changed, nothing emitted


def test_readers_never_see_a_half_swapped_catalog(tmp_path: Path) -> None:
    """While catalogs are swapped on another thread, every search answers from one whole catalog."""
    small = small_catalog(tmp_path)
    provider = CatalogProvider()
    provider.load(DEMO_CATALOG_DIR)
    stop = threading.Event()
    errors: list[BaseException] = []

    def swap() -> None:
        for directory in (small, DEMO_CATALOG_DIR) * 3:
            provider.load(directory)
        stop.set()

    worker = threading.Thread(target=swap)
    worker.start()
    while not stop.is_set():
        try:
            found = {s.id for s in provider.search("birth certificate", lang="en", limit=20)}
            assert found == {"register-birth"} or len(found) > 1, found
        except BaseException as exc:  # noqa: BLE001 - collected and re-raised by the assertion below
            errors.append(exc)
            break
    worker.join()
    assert not errors


def test_importing_the_provider_loads_neither_jsonschema_nor_the_catalog_code() -> None:
    code = (
        "import sys, kiosk.catalog.provider\n"
        "heavy = ('jsonschema', 'referencing', 'kiosk.catalog.loader', 'kiosk.catalog.model', 'kiosk.catalog.search',"
        " 'kiosk.forms')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(heavy))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import json\n{code}"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []


def test_reload_if_changed_only_reloads_when_a_definition_file_changed(tmp_path: Path) -> None:
    import os

    from tests.test_catalog_loader import service, text, write_catalog

    root = write_catalog(tmp_path / "catalog", [service()])
    provider = CatalogProvider()
    events: list[None] = []
    provider.changed.connect(events.append)
    assert provider.reload_if_changed(root)  # nothing loaded yet
    assert not provider.reload_if_changed(root) and len(events) == 1
    path = root / "services" / "register-birth.json"
    path.write_text(json.dumps(service(title=text("Register a baby"))))
    os.utime(path, ns=(1, 1))  # a different time even on file systems with coarse timestamps
    assert provider.reload_if_changed(root, cache_path=tmp_path / "cache.pickle")
    assert provider.service("register-birth").title.t("en") == "Register a baby"  # type: ignore[union-attr]
    (root / "services" / "register-birth.json").unlink()
    assert provider.reload_if_changed(root) and provider.service("register-birth") is None
