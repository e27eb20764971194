"""The catalog memo: unchanged service files are reused, changed or broken ones are checked again, links always."""

from __future__ import annotations

import json
import logging
import pickle
from pathlib import Path

import pytest

from kiosk.catalog import load_catalog
from kiosk.catalog import loader as loader_module
from tests.test_catalog_loader import service, text, write_catalog


def test_a_second_load_reuses_unchanged_files_without_checking_them_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_catalog(tmp_path / "catalog", [service(), service("renew-card")])
    cache = tmp_path / "data" / "cache" / "catalog.pickle"
    first = load_catalog(root, cache_path=cache)
    assert cache.exists() and first.problems == ()

    def no_schema_checks(kind: str, document: object) -> list[tuple[str, str]]:
        assert kind != "service", "an unchanged service file was checked against the schema again"
        return []

    monkeypatch.setattr(loader_module, "schema_errors", no_schema_checks)
    second = load_catalog(root, cache_path=cache)
    assert second.catalog == first.catalog and second.warnings == first.warnings


def test_a_changed_file_is_built_again(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "catalog", [service()])
    cache = tmp_path / "cache.pickle"
    load_catalog(root, cache_path=cache)
    (root / "services" / "register-birth.json").write_text(json.dumps(service(title=text("Register a baby"))))
    report = load_catalog(root, cache_path=cache)
    assert report.catalog.services["register-birth"].title.t("en") == "Register a baby"


def test_a_broken_file_is_reported_at_every_load(tmp_path: Path) -> None:
    bad = service("bad-one")
    bad["pages"][1]["show_if"] = "${nowhere} = 1"
    root = write_catalog(tmp_path / "catalog", [service(), bad])
    cache = tmp_path / "cache.pickle"
    for _ in range(2):
        report = load_catalog(root, cache_path=cache)
        assert [p.file for p in report.problems] == ["services/bad-one.json"]


def test_links_to_other_files_are_checked_even_for_reused_services(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "catalog", [service()])
    cache = tmp_path / "cache.pickle"
    load_catalog(root, cache_path=cache)
    (root / "life-events" / "having-a-baby.json").unlink()
    report = load_catalog(root, cache_path=cache)
    assert report.catalog.services == {}
    assert "no life event 'having-a-baby'" in str(report.problems[0])


def test_a_damaged_or_outdated_cache_is_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = write_catalog(tmp_path / "catalog", [service()])
    cache = tmp_path / "cache.pickle"
    cache.write_bytes(b"not a pickle")
    with caplog.at_level(logging.WARNING):
        report = load_catalog(root, cache_path=cache)
    assert "register-birth" in report.catalog.services
    assert "catalog cache" in caplog.text
    assert pickle.loads(cache.read_bytes())["entries"]  # rewritten with the built service
    cache.write_bytes(pickle.dumps({"code": "older kiosk", "entries": {"x": b"y"}}))
    report = load_catalog(root, cache_path=cache)
    assert "register-birth" in report.catalog.services
    assert "x" not in pickle.loads(cache.read_bytes())["entries"]


def test_the_shipped_catalog_loads_the_same_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache.pickle"
    cold = load_catalog(cache_path=cache)
    warm = load_catalog(cache_path=cache)
    assert warm.catalog == cold.catalog and warm.problems == cold.problems == ()
