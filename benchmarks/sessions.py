"""Memory soak: N citizen sessions, one after another, through the real window offscreen; does the kiosk leak?

Builds the kiosk's window offscreen at the reference panel's size with the demo catalog, a submission desk on a
throw-away data directory (a test key), a receipt spool and a fake printer, the idle timer and the on-screen keyboard,
and runs after-first-paint like the kiosk. Each session is what a citizen does: Use a public service, choose one
(`--service`, default child-benefit), Start now, answer every page through its widget with the service's example
answers (kiosk.forms.answers_file), send it (off the GUI thread, as on the kiosk), then Finish on the confirmation,
which ends the session (the wipe). Every `--every` sessions it prints the resident memory (after a garbage
collection), the live widgets and the subscribers of `session.ended`; the **last line** is

    rss growth X.X MB (session 50 -> N)  widgets A -> B  session.ended subscribers C -> D

measured from session 50 (after warm-up: caches, fonts, the keyboard) to the end. Goal: growth <= 10 MB, the same
widgets and subscribers. Not part of the test suite (a `--sessions 3` smoke run is, tests/test_session_soak.py).

    .venv/bin/python benchmarks/sessions.py [--sessions 1000] [--service child-benefit] [--every 100]
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WARM_UP = 50  # sessions before the baseline: fonts, caches and lazily built parts settle by then
PAYLOAD_KEY = bytes(range(32))
TODAY = datetime.date(2026, 11, 28)
STEP_TIMEOUT_S = 20.0


def rss_mb() -> float:
    """Resident memory of this process (Linux /proc), in MB."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def build_window(data_dir: Path) -> Any:
    """The kiosk's window as the composition root builds it, minus the real database's secrets and printer."""
    from accessibility.sizing import TEXT_STEPS, ReferencePanel
    from kiosk.catalog import DEMO_CATALOG_DIR
    from kiosk.catalog.provider import CatalogProvider
    from kiosk.desk import SubmissionDesk
    from kiosk.i18n import SHIPPED_LANGUAGES, Catalog
    from kiosk.idle import IdlePolicy
    from kiosk.journey import Journey
    from kiosk.notices import NoticeBoard
    from kiosk.readiness import Readiness
    from kiosk.session import CitizenSession, Presentation
    from kiosk.settings.model import SiteSettings
    from ui.shell import MainWindow, ShellDeps

    panel = ReferencePanel()
    session = CitizenSession(Presentation(language="pt-PT"), text_steps=len(TEXT_STEPS))
    services = CatalogProvider()
    services.load(DEMO_CATALOG_DIR)
    site = SiteSettings(id="ec-soak", name="Soak", kiosk_id="K-000")
    readiness = Readiness()
    deps = ShellDeps(
        catalog=Catalog.load(),
        session=session,
        notices=NoticeBoard(),
        panel=panel,
        languages=SHIPPED_LANGUAGES,
        services=services,
        journey=Journey(session),
        desk=lambda: SubmissionDesk(data_dir, site, readiness, lambda: PAYLOAD_KEY),
        spool_dir=data_dir / "spool",
        print_receipt=lambda _receipt: True,
        site=site,
        today=lambda: TODAY,
        idle=IdlePolicy(),  # a real timer: each session starts and stops it
    )
    window = MainWindow(deps)
    window.resize(panel.width_px, panel.height_px)
    window.show()
    wait_for(lambda: window.first_paint_done, "the first paint")
    pump()
    return window


def pump() -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # deleteLater'd screens are really gone


def wait_for(condition: Any, what: str) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + STEP_TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"sessions: gave up waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.001)


def one_session(window: Any, service_id: str, answers: dict[str, object]) -> None:
    """A citizen: Use a public service, the service, Start now, every page, Send, Finish."""
    from kiosk.forms.answers import raw_from_json
    from kiosk.forms.answers_file import file_value
    from kiosk.forms.flow import ADD_ANOTHER, Stage

    window.home.entries["services"].click()
    window.deps.journey.choose_service(service_id)  # what a tile on the services screen does
    window.show_screen("service-start")
    window.screen_widget("service-start").start_button.click()
    question = window.screen_widget("question")
    flow = window.deps.journey.flow
    for _ in range(300):
        if flow.stage is not Stage.QUESTION:
            break
        step = flow.current
        value = file_value(answers, step)
        question.answer.set_raw(str(value) if step.kind == ADD_ANOTHER else raw_from_json(step.question, value))
        question.continue_button.click()
        if question.errors:
            raise SystemExit(f"sessions: page {step.key} refused its example answer")
    if window.current_screen_name() != "check-answers":
        raise SystemExit(f"sessions: the form ended on {window.current_screen_name()}, not check-answers")
    window.screen_widget("check-answers").send_button.click()
    wait_for(lambda: window.current_screen_name() == "confirmation", "the confirmation")
    window.screen_widget("confirmation").finish()
    pump()
    if window.current_screen_name() != "home":
        raise SystemExit("sessions: Finish did not return home")


def snapshot(window: Any) -> tuple[float, int, int]:
    from PySide6.QtWidgets import QApplication

    gc.collect()
    pump()
    return rss_mb(), len(QApplication.allWidgets()), len(window.deps.session.ended)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000, help="citizen sessions to run (default 1000)")
    parser.add_argument("--service", default="child-benefit", help="the demo service each citizen sends")
    parser.add_argument("--every", type=int, default=100, help="print progress every N sessions")
    args = parser.parse_args(argv)
    if args.sessions < 1:
        parser.error("--sessions must be at least 1")

    from accessibility.sizing import ReferencePanel
    from ui.offscreen import offscreen_platform

    panel = ReferencePanel()
    os.environ["QT_QPA_PLATFORM"] = offscreen_platform(panel.width_px, panel.height_px, panel.diagonal_inches)
    from kiosk.forms.answers_file import example_answers
    from ui.app import create_application

    app = create_application(["sessions-benchmark"])
    with tempfile.TemporaryDirectory(prefix="kiosk-soak-") as tmp:
        window = build_window(Path(tmp) / "data")
        service = window.deps.services.service(args.service)
        if service is None:
            parser.error(f"no demo service {args.service!r}")
        answers = example_answers(service, today=TODAY)
        baseline_at = min(WARM_UP, args.sessions)
        baseline = snapshot(window)
        started = time.perf_counter()
        for number in range(1, args.sessions + 1):
            one_session(window, args.service, answers)
            if number == baseline_at:
                baseline = snapshot(window)
            if number % args.every == 0 or number == args.sessions:
                rss, widgets, subscribers = snapshot(window)
                elapsed = time.perf_counter() - started
                print(
                    f"session {number}: rss {rss:.1f} MB  widgets {widgets}  session.ended subscribers {subscribers}"
                    f"  ({elapsed / number * 1000:.0f} ms a session)",
                    flush=True,
                )
        end = snapshot(window)
        window.allow_close()
        window.close()
        app.processEvents()
    growth = end[0] - baseline[0]
    print(
        f"rss growth {growth:.1f} MB (session {baseline_at} -> {args.sessions})  widgets {baseline[1]} -> {end[1]}"
        f"  session.ended subscribers {baseline[2]} -> {end[2]}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
