"""The small Qt-free building blocks: events, notices, readiness, the citizen session, paths and safe logging."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from kiosk.events import Event
from kiosk.logs import safe_exception_summary, setup_logging
from kiosk.notices import NoticeBoard, StaffNotice
from kiosk.paths import resolve_data_dir
from kiosk.readiness import Readiness
from kiosk.session import CitizenSession, Presentation


def test_event_delivers_in_order_and_survives_a_failing_subscriber(caplog: pytest.LogCaptureFixture) -> None:
    event: Event[int] = Event("numbers")
    seen: list[str] = []
    event.connect(lambda n: seen.append(f"a{n}"))
    event.connect(lambda n: 1 / 0)  # type: ignore[func-returns-value]
    unsubscribe = event.connect(lambda n: seen.append(f"c{n}"))
    event.emit(1)
    unsubscribe()
    event.emit(2)
    assert seen == ["a1", "c1", "a2"]
    assert "ZeroDivisionError" in caplog.text


def test_notice_board_replaces_by_id_and_reports_each_change() -> None:
    board = NoticeBoard()
    changes: list[tuple[str, ...]] = []
    board.changed.connect(lambda notices: changes.append(tuple(n.kind for n in notices)))
    board.post(StaffNotice("db", "database-unavailable", "x"))
    board.post(StaffNotice("db", "database-unavailable", "x"))  # identical: no change
    board.post(StaffNotice("db", "storage-full", "y"))
    board.withdraw("db")
    board.withdraw("db")
    assert changes == [("database-unavailable",), ("storage-full",), ()]


def test_readiness_refuses_until_every_blocker_is_cleared() -> None:
    readiness = Readiness()
    assert readiness.accepting_submissions
    readiness.block("secrets", "No key.")
    readiness.block("database", "No database.")
    assert readiness.refusal() == "No key.\nNo database."
    readiness.clear("secrets")
    assert readiness.refusal() == "No database."
    readiness.clear("database")
    assert readiness.accepting_submissions


def test_session_end_restores_defaults_and_tells_subscribers() -> None:
    session = CitizenSession(Presentation(language="pt-PT"), text_steps=5)
    ended: list[str] = []
    session.ended.connect(ended.append)
    session.set_language("uk")
    session.set_text_step(99)
    session.set_read_aloud(True)
    assert session.presentation == Presentation("uk", 4, True)
    session.end("timeout")
    assert ended == ["timeout"]
    assert session.presentation == Presentation("pt-PT", 0, False)


def test_data_dir_precedence_option_env_config_default(tmp_path: Path) -> None:
    env = {"CITIZEN_KIOSK_DATA_DIR": str(tmp_path / "env")}
    assert resolve_data_dir(str(tmp_path / "opt"), env, tmp_path / "cfg").source == "--data-dir"
    assert resolve_data_dir(None, env, tmp_path / "cfg").path == tmp_path / "env"
    assert resolve_data_dir(None, {}, tmp_path / "cfg").source == "config file"
    assert resolve_data_dir(None, {}, None).source == "default"


def test_exception_summary_names_type_and_place_but_not_the_message() -> None:
    try:
        raise ValueError("Rua das Flores 12")
    except ValueError as error:
        summary = safe_exception_summary(error)
    assert summary.startswith("builtins.ValueError at test_core_basics.py:")
    assert "Flores" not in summary


def test_log_file_rotates_and_uncaught_thread_errors_are_logged_safely(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs", max_bytes=2_000, backups=2)
    try:
        log = logging.getLogger("test.rotation")
        for i in range(200):
            log.info("line %d of the rotation test", i)
        thread = threading.Thread(target=lambda: int("secret-value"), name="worker")
        thread.start()
        thread.join()
        for handler in logging.getLogger().handlers:
            handler.flush()
        files = sorted(p.name for p in path.parent.iterdir())
        assert files == ["kiosk.log", "kiosk.log.1", "kiosk.log.2"]
        text = path.read_text()
        assert "uncaught exception in thread worker: builtins.ValueError" in text
        assert "secret-value" not in text
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_citizen_kiosk", False)]:
            root.removeHandler(handler)
            handler.close()
