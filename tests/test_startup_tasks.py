"""The start-up tasks the kiosk runs after its first paint report every catalog, storage and secrets problem to staff;
nothing they need is loaded before the first paint."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
from pathlib import Path

import pytest

from citizen_kiosk.wiring import (
    Context,
    catalog_startup_task,
    load_context,
    secrets_startup_task,
    storage_startup_task,
)
from kiosk.catalog import DEMO_CATALOG_DIR
from kiosk.catalog.provider import CatalogProvider
from kiosk.notices import NoticeBoard
from kiosk.readiness import Readiness
from kiosk.storage import open_storage, raise_alert
from tests.helpers import run_offscreen_probe

NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def _context(tmp_path: Path, env: dict[str, str]) -> Context:
    return load_context(config_option=None, data_dir_option=str(tmp_path / "data"), env=env)


def _fill(data_dir: Path, rows: int) -> Path:
    # staff_alerts is in the schema, so salvage knows it (salvage copies only tables the current schema has).
    with open_storage(data_dir) as storage, storage.write() as db:
        for i in range(rows):
            raise_alert(db, "test", f"alert {i} " + "x" * 300, {})
        return storage.path


def test_fresh_database_opens_and_unblocks(tmp_path: Path) -> None:
    notices, readiness = NoticeBoard(), Readiness()
    storage_startup_task(_context(tmp_path, NO_KEYRING), notices, readiness)()
    assert readiness.refusal() is None
    assert notices.current() == ()
    assert (tmp_path / "data" / "kiosk.db").exists()


def test_unreadable_database_is_recovered_and_staff_see_it(tmp_path: Path) -> None:
    path = tmp_path / "data" / "kiosk.db"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database" * 200)
    notices, readiness = NoticeBoard(), Readiness()
    storage_startup_task(_context(tmp_path, NO_KEYRING), notices, readiness)()
    (notice,) = notices.current()
    assert notice.kind == "database-recovered" and notice.persistent
    assert notice.params["moved_to"].startswith("kiosk.db.corrupt-")
    assert (tmp_path / "data" / notice.params["moved_to"]).read_bytes().startswith(b"this is not a database")
    assert readiness.refusal() is None  # a fresh database works: the kiosk carries on


def test_corrupt_pages_found_by_the_integrity_check_are_salvaged(tmp_path: Path) -> None:
    path = _fill(tmp_path / "data", 400)
    with sqlite3.connect(path) as conn:  # a leaf page in the middle of the table (not of another table or index)
        leaves = [
            row[0]
            for row in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'staff_alerts' AND pagetype = 'leaf' ORDER BY pageno"
            )
        ]
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    conn.close()
    with path.open("r+b") as raw:  # scribble over it
        raw.seek((leaves[len(leaves) // 2] - 1) * page_size)
        raw.write(b"\xff" * page_size)
    notices, readiness = NoticeBoard(), Readiness()
    storage_startup_task(_context(tmp_path, NO_KEYRING), notices, readiness)()
    (notice,) = [n for n in notices.current() if n.kind == "database-recovered"]
    salvaged, lost = int(notice.params["salvaged"]), int(notice.params["lost"])
    assert salvaged > 0 and lost > 0
    assert salvaged + lost == 400


def test_newer_schema_blocks_submissions_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "data" / "kiosk.db"
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    notices, readiness = NoticeBoard(), Readiness()
    storage_startup_task(_context(tmp_path, NO_KEYRING), notices, readiness)()
    (notice,) = notices.current()
    assert notice.kind == "schema-too-new"
    assert "999" in notice.params["detail"]
    refusal = readiness.refusal()
    assert refusal is not None and "newer version of the kiosk" in refusal


@pytest.mark.parametrize("env", [NO_KEYRING, {}], ids=["fail-backend", "nothing-configured"])
def test_missing_secrets_backend_keeps_running_but_refuses_submissions(tmp_path: Path, env: dict[str, str]) -> None:
    notices, readiness = NoticeBoard(), Readiness()
    secrets_startup_task(_context(tmp_path, env), notices, readiness)()
    assert not readiness.accepting_submissions
    (notice,) = notices.current()
    assert notice.kind == "secrets-unavailable"
    assert notice.params["reason"] == readiness.refusal()
    assert "secrets init" in notice.params["reason"]


def _catalog_context(tmp_path: Path, directory: Path | None) -> Context:
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[catalog]\ndirectory = "{directory}"\n' if directory else "", encoding="utf-8")
    return load_context(config_option=str(config), data_dir_option=str(tmp_path / "data"), env=NO_KEYRING)


def test_catalog_task_loads_the_demo_catalog_without_notices(tmp_path: Path) -> None:
    provider, notices = CatalogProvider(), NoticeBoard()
    catalog_startup_task(_catalog_context(tmp_path, None), provider, notices)()
    assert provider.state == "ready"
    assert provider.report is not None and len(provider.report.catalog.services) == 31
    assert notices.current() == ()


def test_catalog_problems_become_one_staff_notice_and_are_logged_by_file_and_place(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    directory = tmp_path / "catalog"
    shutil.copytree(DEMO_CATALOG_DIR, directory)
    (directory / "services" / "broken.json").write_text('{"id": "broken", "secret-marker": 1', encoding="utf-8")
    birth = directory / "services" / "register-birth.json"
    document = json.loads(birth.read_text(encoding="utf-8"))
    document["duration_minutes"] = "canary-value"  # against the schema: the message would quote it
    birth.write_text(json.dumps(document), encoding="utf-8")
    provider, notices = CatalogProvider(), NoticeBoard()
    with caplog.at_level(logging.INFO):
        catalog_startup_task(_catalog_context(tmp_path, directory), provider, notices)()
    report = provider.report
    assert provider.state == "ready" and report is not None
    assert len(report.catalog.services) == 30  # the kiosk runs with the services that loaded
    (notice,) = notices.current()
    assert notice.kind == "catalog-problems" and notice.persistent
    assert notice.params == {"count": str(len(report.problems))} and len(report.problems) >= 2
    assert "services/broken.json" in caplog.text and "services/register-birth.json" in caplog.text
    assert "canary-value" not in caplog.text  # file and place only, never the message


def test_a_catalog_that_cannot_load_tells_staff_and_the_screens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import kiosk.catalog.loader

    def boom(directory: Path, **_: object) -> None:
        raise OSError("/home/maria/catalog is gone")

    monkeypatch.setattr(kiosk.catalog.loader, "load_catalog", boom)
    provider, notices = CatalogProvider(), NoticeBoard()
    catalog_startup_task(_catalog_context(tmp_path, None), provider, notices)()
    assert provider.state == "failed"
    (notice,) = notices.current()
    assert notice.kind == "catalog-unavailable" and notice.persistent
    assert "OSError" in caplog.text and "maria" not in caplog.text


def test_the_catalog_loads_first_among_the_background_tasks(tmp_path: Path) -> None:
    from citizen_kiosk.gui import _shell_deps

    deps, _, _ = _shell_deps(_catalog_context(tmp_path, None), "en")
    names = [task.__qualname__ for task in deps.background_tasks]
    assert names[0] == "catalog_startup_task.<locals>.task"
    assert "storage_startup_task.<locals>.task" in names
    assert deps.services.state == "loading"  # nothing is loaded while the shell is built
    deps.session.end("finished")


FIRST_PAINT_PROBE = """
import json, sys
from citizen_kiosk.cli import main
code = main(sys.argv[1:])
heavy = ("jsonschema", "referencing", "kiosk.catalog.loader", "kiosk.catalog.model", "kiosk.catalog.search",
         "kiosk.forms", "ui.screens.services", "ui.screens.search",
         # read aloud, the keyboard, the keypad, idle, sounds and staff are built after the first paint
         "ui.keyboard.panel", "ui.keyboard.keys", "ui.keyboard.layouts", "ui.keyboard.key_page", "ui.keyboard.sizes",
         "ui.keyboard.typing_state", "ui.keypad", "ui.speech_mode",
         "ui.announcer", "ui.speech_reader", "ui.speech_setup", "accessibility.speech", "accessibility.espeak",
         "ui.idle", "ui.screens.idle_warning", "ui.sounds_qt", "kiosk.staff", "citizen_kiosk.staff_wiring",
         "ui.screens.staff",
         # shown only later: the delivery indicator (first snapshot), the colour choice (first opened), receipts,
         # the staff queue, the trainer's and the tutorials' screens, the screenshot samples
         "ui.sync_indicator", "ui.display_panel", "ui.receipt", "ui.sample_", "ui.screenshot", "ui.screens.trainer",
         "ui.screens.tutorial", "tutorials.trainer", "kiosk.audit", "ui.window_parts", "ui.wrap_button")
print(json.dumps({"code": code, "heavy": sorted(m for m in sys.modules if m.startswith(heavy))}))
"""


@pytest.mark.subprocess
def test_nothing_of_the_catalog_is_imported_before_the_first_paint(tmp_path: Path) -> None:
    """`run --exit-after-first-paint` (the benchmark) must not pay for jsonschema, the catalog or browsing screens."""
    args = ["run", "--exit-after-first-paint", "--data-dir", str(tmp_path / "data")]
    result = run_offscreen_probe(FIRST_PAINT_PROBE, tmp_path, args)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "first-paint"
    report = json.loads(lines[-1])
    assert report == {"code": 0, "heavy": []}


def test_the_catalog_is_cached_in_a_private_data_directory(tmp_path: Path) -> None:
    context = _catalog_context(tmp_path, None)
    catalog_startup_task(context, CatalogProvider(), NoticeBoard())()
    data_dir = context.data_dir.path
    assert (data_dir / "cache" / "catalog.pickle").exists()
    assert data_dir.stat().st_mode & 0o777 == 0o700  # created as storage creates it: it will hold personal data


def test_housekeeping_reloads_a_changed_catalog_and_deletes_expired_drafts(tmp_path: Path) -> None:
    import datetime as dt

    from citizen_kiosk.wiring import housekeeping_task
    from kiosk.crypto import PayloadCipher
    from kiosk.drafts import save_draft
    from tests.test_catalog_loader import service, text, write_catalog

    root = write_catalog(tmp_path / "catalog", [service()])
    context = _catalog_context(tmp_path, root)
    provider, notices = CatalogProvider(), NoticeBoard()
    catalog_startup_task(context, provider, notices)()
    with open_storage(context.data_dir.path) as storage:
        long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        save_draft(
            storage.db,
            PayloadCipher(b"h" * 32),
            service_id="register-birth",
            service_version="1.0",
            answers={},
            language="en",
            date_of_birth=dt.date(1950, 1, 1),
            now=long_ago,
            retention_days=1,
        )
    (root / "services" / "register-birth.json").write_text(json.dumps(service(title=text("Register a baby"))))
    housekeeping_task(context, provider, notices)()
    assert provider.service("register-birth").title.t("en") == "Register a baby"  # type: ignore[union-attr]
    with open_storage(context.data_dir.path) as storage:
        assert storage.db["drafts"].count == 0
