"""The composition root's delivery wiring: configured endpoints -> a running worker that a saved submission wakes;
no endpoints -> no worker, and the header hears "offline" (saved here, sent later)."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

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
