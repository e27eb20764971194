"""The submission desk: commits before returning, refuses (keeping nothing) when the kiosk cannot store safely."""

from __future__ import annotations

import datetime
from datetime import UTC
from pathlib import Path

import pytest

from kiosk.catalog import load_catalog
from kiosk.codes import CodeError, CodeKind, new_code
from kiosk.desk import SubmissionDesk, SubmissionRefused
from kiosk.forms.answers import raw_from_json
from kiosk.forms.answers_file import example_answers, fill
from kiosk.forms.flow import Flow
from kiosk.readiness import Readiness
from kiosk.settings.model import SiteSettings
from kiosk.storage import open_storage

SERVICE = load_catalog().catalog.services["propose-a-simplification"]
SITE = SiteSettings(id="ec-lisboa", name="Lisboa", kiosk_id="kiosk-02")
NOW = datetime.datetime(2026, 11, 28, 14, 5, tzinfo=UTC)


def desk(tmp_path: Path, readiness: Readiness | None = None, key: bytes | None = b"k" * 32) -> SubmissionDesk:
    return SubmissionDesk(tmp_path, SITE, readiness or Readiness(), lambda: key, clock=lambda: NOW)


def finished_flow():  # type: ignore[no-untyped-def]
    today = datetime.date(2026, 11, 28)
    return fill(SERVICE, example_answers(SERVICE, today=today), today=today).flow


def test_submit_commits_the_submission_and_lookup_finds_it(tmp_path: Path) -> None:
    flow = finished_flow()
    submission = desk(tmp_path).submit(
        SERVICE, answers=flow.final_answers(), consents=flow.consents(), language="pt-PT", assisted=True
    )
    assert submission.site_id == "ec-lisboa" and submission.kiosk_id == "kiosk-02" and submission.assisted
    with open_storage(tmp_path) as storage:  # a separate connection sees it: it was committed
        assert storage.db["outbox"].count == 1
    status = desk(tmp_path).lookup(submission.reference.lower().replace("-", " "))
    assert status is not None and status.state == "queued" and status.created_at == NOW
    assert desk(tmp_path).lookup(new_code(CodeKind.SUBMISSION)) is None  # well formed, but not stored here
    with pytest.raises(CodeError):
        desk(tmp_path).lookup("not a reference")


def test_a_saved_submission_wakes_the_delivery_worker_only_after_commit(tmp_path: Path) -> None:
    flow = finished_flow()
    committed: list[int] = []

    def wake() -> None:
        with open_storage(tmp_path) as storage:  # what the worker would see when it wakes
            committed.append(storage.db["outbox"].count)

    SubmissionDesk(tmp_path, SITE, Readiness(), lambda: b"k" * 32, clock=lambda: NOW, after_submit=wake).submit(
        SERVICE, answers=flow.final_answers(), consents=flow.consents(), language="pt-PT", assisted=False
    )
    assert committed == [1]


def test_a_kiosk_that_cannot_store_safely_refuses_and_stores_nothing(tmp_path: Path) -> None:
    flow = finished_flow()
    readiness = Readiness()
    readiness.block("database", "The kiosk's database is still being opened.")
    kwargs = {"answers": flow.final_answers(), "consents": flow.consents(), "language": "en", "assisted": False}
    with pytest.raises(SubmissionRefused, match="still being opened"):
        desk(tmp_path, readiness).submit(SERVICE, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(SubmissionRefused, match="encryption key is missing"):
        desk(tmp_path, key=None).submit(SERVICE, **kwargs)  # type: ignore[arg-type]
    with open_storage(tmp_path) as storage:
        assert storage.db["submissions"].count == 0


def test_a_draft_saved_at_the_desk_resumes_into_the_flow_where_it_stopped(tmp_path: Path) -> None:
    from kiosk.drafts import DraftError
    from kiosk.forms.answers_file import resume

    today = datetime.date(2026, 11, 28)
    flow = Flow(SERVICE, today=today)
    flow.start()
    example = example_answers(SERVICE, today=today)
    for _ in range(2):  # the citizen answers two pages, then saves
        step = flow.current
        assert step is not None and step.question is not None
        assert flow.submit_page(raw_from_json(step.question, example.get(step.question.id))) == []
    third = flow.current
    born = datetime.date(1961, 5, 4)
    saved = desk(tmp_path).save_draft(
        SERVICE, answers=flow.draft_answers(), language="en", date_of_birth=born, retention_days=30
    )
    with pytest.raises(DraftError):
        desk(tmp_path).resume_draft(saved.code, date_of_birth=datetime.date(1961, 5, 5))
    resumed = resume(SERVICE, desk(tmp_path).resume_draft(saved.code, date_of_birth=born).answers, today=today)
    assert resumed.current == third  # back on the first page not yet answered, even an optional one
    assert resumed.draft_answers() == flow.draft_answers()
    assert desk(tmp_path).forget_draft(saved.code)
    with pytest.raises(SubmissionRefused):
        desk(tmp_path, key=None).save_draft(SERVICE, answers={}, language="en", date_of_birth=born, retention_days=1)


def test_importing_the_desk_loads_neither_storage_nor_cryptography() -> None:
    import subprocess
    import sys

    heavy = "{'cryptography', 'sqlite_utils'}"
    code = f"import sys, kiosk.desk; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"
