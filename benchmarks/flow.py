"""Screen transitions in a 30-question service: Continue -> the next question page laid out and painted.

Builds the real window offscreen at the reference panel's size, starts a generated service of 30 questions (text,
numbers, dates, yes/no, choices, identifiers, an address), and for each page fills in a valid answer, presses
Continue and processes events until the next page is painted. Prints the Qt-free flow's own share (validating and
moving on) and, on the last line, `transition p50 X.X ms  p95 Y.Y ms  max Z.Z ms` (goal: p95 <= 50 ms).

    .venv/bin/python benchmarks/flow.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KINDS = ["text", "number", "date", "yes-no", "choice", "email", "phone", "nif", "postcode", "address"]


def text(en: str) -> dict[str, str]:
    return {"pt-PT": f"{en} (pt)", "en": en}


def thirty_question_service():  # type: ignore[no-untyped-def]
    from kiosk.catalog.build import BuildProblems, service

    pages = []
    for n in range(30):
        kind = KINDS[n % len(KINDS)]
        page: dict[str, object] = {"id": f"q{n:02d}", "type": kind, "label": text(f"Question {n + 1} ({kind})?")}
        if kind == "choice":
            page["choices"] = [{"value": v, "label": text(f"Option {v}")} for v in ("a", "b", "c", "d")]
        pages.append(page)
    document = {
        "id": "thirty-questions",
        "version": "1.0",
        "title": text("Thirty questions"),
        "summary": text("A long form."),
        "life_events": ["having-a-baby"],
        "keywords": {"pt-PT": ["longo"], "en": ["long"]},
        "you_need": [],
        "duration_minutes": 30,
        "other_ways": text("Ask a mediator."),
        "needs_connection": False,
        "pages": pages,
        "next_steps": text("We will write to you."),
        "contact": {"name": text("Office"), "phone": "+351210000001"},
        "target": "civil-registry",
        "retention_days": 30,
    }
    problems = BuildProblems()
    built = service(document, Path("thirty-questions.json"), problems)
    assert not problems.items, problems.items
    return built


def raw_answer(kind: str):  # type: ignore[no-untyped-def]
    from kiosk.forms.answers import AddressInput, DateInput

    return {
        "text": "Maria Silva",
        "number": "3",
        "date": DateInput("2", "3", "1950"),
        "yes-no": "yes",
        "choice": "b",
        "email": "maria@example.pt",
        "phone": "912 345 678",
        "nif": "123456789",
        "postcode": "1000-100",
        "address": AddressInput("Rua das Flores", "12", "", "1000-100", "Lisboa"),
    }[kind]


def paint_watch_class():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent, QObject

    class PaintWatch(QObject):
        """Counts paint events (an application-wide event filter)."""

        def __init__(self) -> None:
            super().__init__()
            self.reset()

        def reset(self) -> None:
            self.count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    return PaintWatch


def core_times(service, today: datetime.date, rounds: int) -> list[float]:  # type: ignore[no-untyped-def]
    """The core's share: validating each answer and working out the next page, without any widget."""
    from kiosk.forms.flow import Flow

    times: list[float] = []
    for _ in range(rounds):
        flow = Flow(service, today=today)
        flow.start()
        while flow.current is not None:
            step = flow.current
            assert step.question is not None
            started = time.perf_counter()
            assert flow.submit_page(raw_answer(step.question.type)) == []
            times.append(time.perf_counter() - started)
    return times


def screen_times(app, service, today: datetime.date, rounds: int, panel) -> list[float]:  # type: ignore[no-untyped-def]
    """Continue on each page of the real question screen, until the next page has been laid out and painted."""
    from PySide6.QtWidgets import QApplication

    from accessibility.sizing import TEXT_STEPS
    from kiosk.i18n import SHIPPED_LANGUAGES, Catalog
    from kiosk.journey import Journey
    from kiosk.notices import NoticeBoard
    from kiosk.session import CitizenSession, Presentation
    from ui.shell import MainWindow, ShellDeps

    session = CitizenSession(Presentation(language="en"), text_steps=len(TEXT_STEPS))
    journey = Journey(session)
    deps = ShellDeps(
        catalog=Catalog.load(),
        session=session,
        notices=NoticeBoard(),
        panel=panel,
        languages=SHIPPED_LANGUAGES,
        journey=journey,
    )
    paints = paint_watch_class()()
    app.installEventFilter(paints)
    window = MainWindow(deps)
    window.resize(panel.width_px, panel.height_px)
    window.show()
    app.processEvents()
    times: list[float] = []
    for _ in range(rounds):
        journey.start_flow(service, today)
        window.show_screen("question")
        app.processEvents()
        screen = window.screen_widget("question")
        while (flow := journey.flow) is not None and flow.current is not None:
            step = flow.current
            assert step.question is not None
            screen.answer.set_raw(raw_answer(step.question.type))  # type: ignore[union-attr]
            paints.reset()
            started = time.perf_counter()
            screen.submit()  # type: ignore[union-attr]
            # Layout, then the paint of the next page into the offscreen backing store: the transition ends when the
            # round of events that painted last has finished (the next round paints nothing more).
            ended = started
            for _ in range(50):
                before = paints.count
                QApplication.processEvents()
                if paints.count > before:
                    ended = time.perf_counter()
                elif paints.count:
                    break
            times.append(ended - started)
        window.show_screen("home")
        app.processEvents()
    window.allow_close()
    window.close()
    return times


def ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times to go through the 30 pages")
    args = parser.parse_args()

    from accessibility.sizing import ReferencePanel
    from ui.offscreen import offscreen_platform

    panel = ReferencePanel()
    os.environ["QT_QPA_PLATFORM"] = offscreen_platform(panel.width_px, panel.height_px, panel.diagonal_inches)
    from ui.app import create_application

    app = create_application(["flow-benchmark"])
    service = thirty_question_service()
    today = datetime.date(2026, 11, 28)
    core = core_times(service, today, args.rounds)
    transitions = screen_times(app, service, today, args.rounds, panel)
    print(f"pages: {len(transitions)} ({args.rounds} rounds of {len(transitions) // max(args.rounds, 1)})")
    print(f"flow only (validate + next page): p50 {ms(core, 0.5):.2f} ms  p95 {ms(core, 0.95):.2f} ms")
    print(
        f"transition p50 {statistics.median(transitions) * 1000:.1f} ms  p95 {ms(transitions, 0.95):.1f} ms  "
        f"max {max(transitions) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
