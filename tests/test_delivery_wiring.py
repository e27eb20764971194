"""The composition root's delivery wiring: configured endpoints -> a running worker that a saved submission wakes;
no endpoints -> no worker, and the header hears "offline" (saved here, sent later)."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

from PySide6.QtWidgets import QWidget

from citizen_kiosk.cli import main
from citizen_kiosk.delivery import DeliveryService
from citizen_kiosk.wiring import load_context, submission_desk_factory
from kiosk.catalog import load_catalog
from kiosk.forms.answers_file import example_answers, fill
from kiosk.readiness import Readiness
from sync.snapshot import SyncSnapshot
from tests.receiver import running_receiver

SERVICE = load_catalog().catalog.services["propose-a-simplification"]


def test_a_submission_saved_at_the_desk_is_delivered_by_the_kiosks_worker(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    with running_receiver() as receiver:
        config.write_text(f'[endpoints.gov]\nurl = "{receiver.url}"\n\n[routing]\ndefault = "gov"\n', encoding="utf-8")
        assert main(["--config", str(config), "secrets", "init", "--credentials-dir", str(tmp_path / "creds")]) == 0
        context = load_context(config_option=str(config), data_dir_option=str(tmp_path / "data"), env={})
        delivery = DeliveryService(context)
        seen: list[object] = []
        delivery.status.connect(seen.append)
        delivery.start_task()()
        try:
            desk = submission_desk_factory(context, Readiness(), after_submit=delivery.wake)()
            today = datetime.date.today()
            flow = fill(SERVICE, example_answers(SERVICE, today=today), today=today).flow
            desk.submit(SERVICE, answers=flow.final_answers(), consents=flow.consents(), language="en", assisted=False)
            deadline = time.monotonic() + 10
            while not receiver.stored and time.monotonic() < deadline:
                time.sleep(0.02)
        finally:
            delivery.stop()
    assert len(receiver.stored) == 1
    assert any(isinstance(s, SyncSnapshot) and s.last_success for s in seen)


def test_without_endpoints_no_worker_runs_and_the_header_hears_offline(tmp_path: Path) -> None:
    context = load_context(config_option=None, data_dir_option=str(tmp_path / "data"), env={})
    delivery = DeliveryService(context)
    seen: list[object] = []
    delivery.status.connect(seen.append)
    delivery.start_task()()
    assert seen == [SyncSnapshot(connectivity="offline")]
    delivery.wake()
    delivery.stop()  # nothing to stop: no thread was started


def test_the_running_kiosk_shows_its_own_queue_and_the_workers_status(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import threading

    from citizen_kiosk import gui, staff_wiring
    from citizen_kiosk.delivery import payload_cipher
    from kiosk.storage import open_storage
    from kiosk.storage.clock import utc_now
    from tests.helpers import queue_submissions
    from ui.bridge import EventBridge
    from ui.shell import MainWindow

    config = tmp_path / "kiosk.toml"
    assert main(["--config", str(config), "secrets", "init", "--credentials-dir", str(tmp_path / "creds")]) == 0
    context = load_context(config_option=str(config), data_dir_option=str(tmp_path / "data"), env={})
    cipher = payload_cipher(context)()
    assert cipher is not None
    with open_storage(context.data_dir.path) as storage:
        queue_submissions(storage.db, 1, cipher, now=utc_now())
        [reference] = [row[0] for row in storage.db.conn.execute("SELECT reference FROM submissions")]
    deps, _, delivery = gui._shell_deps(context, "en")
    staff_wiring.register_staff_queue(deps.registry, context)
    window = MainWindow(deps)
    qtbot.addWidget(window)
    window.allow_close()
    EventBridge(delivery.status, window).fired.connect(window.show_sync)
    window.show_staff_queue()
    texts = " ".join(widget.accessibleName() for widget in window.findChildren(QWidget))
    assert reference in texts  # the kiosk's own database, not the sample queue
    worker = threading.Thread(target=lambda: delivery.status.emit(SyncSnapshot(connectivity="online")))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: window.header.sync.state_text() == "Online", timeout=5000)
    deps.session.end("finished")


def test_what_staff_queue_again_wakes_the_worker(tmp_path: Path) -> None:
    from kiosk.crypto import PayloadCipher
    from kiosk.outbox import claim_due, record_outcome
    from kiosk.queue_view import QueueService
    from kiosk.storage import open_storage
    from kiosk.storage.clock import utc_now
    from tests.helpers import queue_submissions
    from tests.test_sync_worker import opener

    cipher = PayloadCipher(b"q" * 32)
    with open_storage(tmp_path) as storage:
        [uuid] = queue_submissions(storage.db, 1, cipher, now=utc_now())
        claim_due(storage.db, owner="w", now=utc_now(), lease_seconds=60)
        record_outcome(storage.db, uuid, owner="w", result="quarantine", now=utc_now(), reason="the server refused")
    wakes: list[int] = []
    queue = QueueService(
        opener(tmp_path),
        endpoint_names=("gov", "other"),
        export_dir=tmp_path / "exports",
        cipher=lambda: cipher,
        queued_again=lambda: wakes.append(1),
    )
    assert queue.retry_now(uuid) is True and len(wakes) == 1
    assert queue.retry_now(uuid) is False and len(wakes) == 1  # already queued: nothing to wake for
    assert queue.reroute(uuid, "other") is True and len(wakes) == 2
