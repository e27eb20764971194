"""No personal data in logs: a canary string fed through every failure path of the app never reaches the log file.

Personal data leaks into logs through exception messages and formatted values. The canary travels as the message of
exceptions raised in a screen, an event subscriber, a start-up task and a plain thread, all wired by the real
composition root, and through a config error. Each path must leave a log record (so the test can fail), none may
contain the canary.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from citizen_kiosk import gui
from citizen_kiosk.wiring import load_context, start_logging
from kiosk.events import Event
from kiosk.logs import LOG_FILE_NAME
from ui.screens.base import Screen, ScreenContext
from ui.shell import MainWindow

CANARY = "Maria-Canary-123456789-Rua-das-Flores"


@pytest.fixture
def logged(tmp_path: Path):  # type: ignore[no-untyped-def]
    context = load_context(config_option=None, data_dir_option=str(tmp_path / "data"), env={})
    path = start_logging(context)
    yield context, path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_citizen_kiosk", False)]:
        root.removeHandler(handler)
        handler.close()


def _read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return "".join(p.read_text(encoding="utf-8") for p in path.parent.glob(f"{LOG_FILE_NAME}*"))


def test_canary_never_reaches_the_log(qapp, qtbot, logged) -> None:  # type: ignore[no-untyped-def]
    context, path = logged
    deps, _, _ = gui._shell_deps(context, "en")

    def leaky_screen(ctx: ScreenContext) -> Screen:
        raise ValueError(f"citizen typed {CANARY}")

    def leaky_task() -> None:
        raise RuntimeError(f"while saving {CANARY}")

    deps.registry.register("leaky", leaky_screen)
    deps.background_tasks = (*deps.background_tasks, leaky_task)
    window = MainWindow(deps)
    qtbot.addWidget(window)
    window.allow_close()  # a plain test window, not the locked-down kiosk
    window.show()
    qtbot.waitUntil(lambda: "start-up task failed" in _read(path) or "leaky_task" in _read(path), timeout=10_000)

    window.show_screen("leaky")  # failsafe: back home, logged
    assert window.current_screen_name() == "home"

    event: Event[str] = Event("test.event")
    event.connect(lambda payload: (_ for _ in ()).throw(KeyError(payload)))
    event.emit(CANARY)

    thread = threading.Thread(target=lambda: (_ for _ in ()).throw(OSError(CANARY)), name="leaky-thread")
    thread.start()
    thread.join()

    text = _read(path)
    assert "ValueError" in text  # the screen failure was logged…
    assert "RuntimeError" in text  # …and the start-up task's…
    assert "KeyError" in text  # …and the subscriber's…
    assert "leaky-thread" in text and "OSError" in text  # …and the thread's
    assert CANARY not in text
    assert CANARY.split("-")[1] not in text


def test_a_canary_answer_is_in_no_unencrypted_file_of_the_data_directory(logged, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Sent and saved answers reach the disk only sealed: not in the log, the database, its WAL, or anywhere else."""
    import datetime

    from kiosk.catalog import load_catalog
    from kiosk.desk import SubmissionDesk
    from kiosk.forms.answers_file import example_answers, fill
    from kiosk.readiness import Readiness
    from kiosk.storage import open_storage

    context, path = logged
    data_dir = context.data_dir.path
    service = load_catalog().catalog.services["report-a-service-problem"]
    today = datetime.date.today()
    answers = example_answers(service, today=today)
    text_questions = [q.id for q, r in service.questions() if r is None and q.type in ("text", "long-text")]
    for question_id in text_questions:
        answers[question_id] = f"{CANARY} <b>markup</b> \u202e"
    flow = fill(service, answers, today=today).flow
    desk = SubmissionDesk(data_dir, context.config.site, Readiness(), lambda: bytes(32))
    sent = desk.submit(
        service, answers=flow.final_answers(), consents=flow.consents(), language="pt-PT", assisted=False
    )
    assert CANARY in str(flow.final_answers())  # the canary really was in what was sent
    desk.save_draft(service, answers=flow.draft_answers(), language="en", date_of_birth=today, retention_days=1)
    with open_storage(data_dir) as storage:
        storage.db.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # some pages in the file, some still in the WAL
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".log") or "kiosk.log" in p.name for p in files)
    assert sent.reference in _read(path)  # the log does speak of the submission, by its reference only
    for file in files:
        assert CANARY.encode() not in file.read_bytes(), file
