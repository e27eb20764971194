"""The canary test: nothing a citizen typed outlives their session.

A unique canary string is typed, key by key as a citizen would, into every box of a service with a repeating group
(child benefit, two children) — first as it is, then corrected where the box wants a number or a code, so each box's
undo history holds it — and into a second service that is saved as a draft. Read aloud is on, so the kiosk speaks it
back. Then the session expires. Afterwards the canary must be nowhere: not in any widget's text, the accessibility
tree, the clipboard, what speech would say (the queue and Repeat), the temporary and data files, the logs, or any
Python object still alive; undo on every editor brings nothing back and Back leads nowhere old.
"""

from __future__ import annotations

import gc
import logging
import tempfile
import types
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from PySide6.QtGui import QAccessible, QAccessibleInterface, QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

from accessibility.speech import SpeechService
from accessibility.speech_fake import RecordingEngine
from kiosk.forms.answers import AddressInput, DateInput
from kiosk.forms.flow import ADD_ANOTHER, Stage
from kiosk.idle import IdlePolicy
from kiosk.readiness import Readiness
from kiosk.sounds import RecordingSounds
from tests.helpers import FakeClock
from tests.test_draft_screens import save
from tests.test_form_screens import SIZE, FakePrinter, form_shell_deps, settle, start, texts_everywhere
from ui.app import KioskGui
from ui.screens.question import QuestionScreen
from ui.shell import MainWindow

# What a box that wants a number, a date or a code gets once the canary was refused there (by question id).
CORRECTED = {
    "social_security_number": "12345678901",
    "home_address": AddressInput("{canary} street", "12", "3 Esq", "1000-001", "Lisboa"),
    "child_birth_date": DateInput("4", "5", "2019"),
    "household_size": "4",
    "yearly_income": "18000",
    "iban": "PT50 0002 0123 1234 5678 9015 4",
}
CHOSEN = {"income_check_consent": True, "child_studying": "no", ADD_ANOTHER: "yes"}


class Canary:
    """The unique string, kept encoded so that the scan of live objects does not find the test's own copy."""

    def __init__(self) -> None:
        self.encoded = f"CANARY{uuid.uuid4().hex[:10]}".encode()

    @property
    def text(self) -> str:
        return self.encoded.decode()


@pytest.fixture
def engine() -> RecordingEngine:
    return RecordingEngine()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(100.0)


@pytest.fixture
def gui(qapp, qtbot, shell_deps, demo_services, tmp_path: Path, engine, clock, monkeypatch) -> Iterator[KioskGui]:  # type: ignore[no-untyped-def]  # noqa: PLR0917
    """The kiosk as `citizen-kiosk run` builds it (windowed), with the idle timer on a fake clock."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # whatever the kiosk puts in temp files
    (tmp_path / "tmp").mkdir()
    deps = form_shell_deps(shell_deps, demo_services, tmp_path, FakePrinter(), Readiness())
    deps.draft_retention_days = 14
    deps.speech = SpeechService(engine)
    deps.idle = IdlePolicy(question_seconds=120, reading_seconds=300, warning_seconds=60)
    deps.idle_clock = clock
    deps.sounds = RecordingSounds()
    kiosk = KioskGui(qapp, deps, windowed=True)
    qtbot.addWidget(kiosk.window)
    kiosk.start()
    kiosk.window.resize(*SIZE)
    qtbot.waitExposed(kiosk.window)
    kiosk.window.activateWindow()
    qtbot.waitUntil(kiosk.window.isActiveWindow)
    assert kiosk.window.idle is not None
    kiosk.window.idle.install()
    yield kiosk
    kiosk.window.idle.remove()
    kiosk.window.allow_close()


def end_session(gui: KioskGui, how: str, clock: FakeClock) -> None:
    """Expire the session as the idle timer does (nobody touches the kiosk), finish it, or stop the kiosk (SIGTERM)."""
    window = gui.window
    if how == "timeout":
        assert window.idle is not None
        for _ in range(int(300 / 0.5)):  # past the warning and the expiry, ticking as the UI's timer does
            clock.now += 0.5
            window.idle.timer.tick()
        assert window.deps.session.presentation.read_aloud is False  # ended: back to the site's defaults
    elif how == "finished":
        window.deps.session.end("finished")
    else:
        gui.shutdown()  # what SIGTERM and SIGINT run (ui.app.install_shutdown_handlers)


def editors(root: QWidget) -> list[QLineEdit | QPlainTextEdit]:
    return [w for w in root.findChildren(QWidget) if isinstance(w, QLineEdit | QPlainTextEdit) and w.isVisible()]


def type_into_every_box(window: MainWindow, qtbot, text: str) -> int:  # type: ignore[no-untyped-def]
    question = window.screen_widget("question")
    assert isinstance(question, QuestionScreen) and question.answer is not None
    boxes = editors(question.answer)
    for box in boxes:
        box.setFocus()
        qtbot.keyClicks(box, text)
    return len(boxes)


def fill_child_benefit(window: MainWindow, qtbot, canary: str) -> int:  # type: ignore[no-untyped-def]
    """Every page of child benefit with the canary typed into each box; returns how many boxes got it."""
    question = start(window, "child-benefit")
    flow = window.deps.journey.flow
    assert flow is not None
    typed, children = 0, 0
    while flow.stage is Stage.QUESTION:
        step = flow.current
        assert step is not None
        qid = step.question.id if step.kind != ADD_ANOTHER and step.question is not None else ADD_ANOTHER
        if qid == ADD_ANOTHER:
            children += 1
            question.answer.set_raw("yes" if children < 2 else "no")  # two children: the repeat's pages twice
        elif qid in CHOSEN:
            question.answer.set_raw(CHOSEN[qid])
        else:
            typed += type_into_every_box(window, qtbot, canary)
            question.continue_button.click()
            if flow.current != step:
                continue
            corrected = CORRECTED[qid]
            if isinstance(corrected, AddressInput):
                corrected = corrected._replace(street=corrected.street.format(canary=canary))
            question.answer.set_raw(corrected)
        question.continue_button.click()
        assert flow.current != step, (qid, question.errors)
    assert flow.stage is Stage.CHECK and children == 2
    return typed


def save_change_address_as_draft(window: MainWindow, qtbot, canary: str) -> None:  # type: ignore[no-untyped-def]
    question = start(window, "change-address")
    type_into_every_box(window, qtbot, canary)
    question.continue_button.click()
    assert question.heading_text == "What is your citizen card number?"
    question.save_button.click()
    assert save(window, qtbot).code_shown


def accessible_texts(iface: QAccessibleInterface | None, depth: int = 0) -> Iterator[str]:
    """Every name, description and value in the accessibility tree under `iface`."""
    if iface is None or not iface.isValid() or depth > 60:
        return
    for kind in (QAccessible.Text.Name, QAccessible.Text.Description, QAccessible.Text.Value):
        yield iface.text(kind)
    for index in range(iface.childCount()):
        yield from accessible_texts(iface.child(index), depth + 1)


def live_objects_holding(needle: str, ignore: set[int]) -> list[str]:
    """Describe every live Python object that refers to a string containing `needle` (frames excepted: the test's)."""
    gc.collect()
    found = []
    objects = gc.get_objects()
    for obj in objects:
        if id(obj) in ignore or isinstance(obj, types.FrameType):
            continue
        if _holds(obj, needle) and not _only_in_frames(obj, objects):
            found.append(f"{type(obj).__module__}.{type(obj).__qualname__}")
    return found


def _holds(obj: object, needle: str, depth: int = 0) -> bool:
    """`obj` refers to the needle directly or through containers the GC does not track (CPython stops tracking a
    dict or tuple that holds only strings and numbers, so those never appear in gc.get_objects() themselves)."""
    for ref in gc.get_referents(obj):
        if isinstance(ref, str) and needle in ref:
            return True
        if isinstance(ref, bytes | bytearray) and needle.encode() in ref:
            return True
        untracked = isinstance(ref, dict | list | tuple | set | frozenset) and not gc.is_tracked(ref)
        if untracked and depth < 4 and _holds(ref, needle, depth + 1):
            return True
    return False


def _only_in_frames(obj: object, objects: list[object]) -> bool:
    """A closure cell of a running function (the test's own `needle` in its generator expressions)."""
    if not isinstance(obj, types.CellType):
        return False
    return all(isinstance(r, types.FrameType) or r is objects for r in gc.get_referrers(obj))


def files_containing(directory: Path, needle: str) -> list[Path]:
    encodings = {needle.encode("utf-8"), needle.encode("utf-16-le")}
    return [
        path for path in directory.rglob("*") if path.is_file() and any(form in path.read_bytes() for form in encodings)
    ]


class Witnesses(NamedTuple):
    """What the test watches besides the widgets: the speech engine, the log records, the kiosk's directories."""

    engine: RecordingEngine
    spoken_before_end: int
    records: list[logging.LogRecord]
    tmp_path: Path


@pytest.mark.parametrize("how", ["timeout", "finished", "shutdown"])
def test_nothing_typed_outlives_the_session(gui, how, clock, qtbot, engine, tmp_path, caplog):  # type: ignore[no-untyped-def]  # noqa: PLR0917
    caplog.set_level(logging.DEBUG)
    window = gui.window
    canary = Canary()
    window.deps.session.set_read_aloud(True)
    typed = fill_child_benefit(window, qtbot, canary.text)
    assert typed >= 12  # name, number, five address boxes, two children's names and dates, size, income, IBAN
    window.show_screen("check-answers")
    settle()
    check = window.screen_widget("check-answers")
    assert check is not None and canary.text in texts_everywhere(check)
    del check
    save_change_address_as_draft(window, qtbot, canary.text)
    assert window.deps.journey.flow is not None
    window.deps.journey.flow.back()  # back onto the page holding the canary: read aloud says it again
    window.show_screen("question")
    settle()
    QGuiApplication.clipboard().setText(f"{canary.text} copied elsewhere")
    assert window.speech.wait_idle(10)
    assert any(canary.text in u.text for u in window.speech.last_announcement), "Repeat would not say the answer"

    witnesses = Witnesses(engine, len(engine.transcript), caplog.records, tmp_path)
    end_session(gui, how, clock)
    settle()
    window.speech.repeat()  # Repeat after the end: nothing of the last citizen may be said again
    assert window.speech.wait_idle(10)
    for _ in range(3):
        settle()
    ignore = {id(canary), id(canary.encoded), id(engine), id(engine.transcript), id(caplog.records)}
    ignore |= {id(item) for item in engine.transcript} | {id(record) for record in caplog.records}
    assert_forgotten(window, canary.text, witnesses, ignore)
    if how == "shutdown":
        assert not window.isVisible()
        return
    assert_next_session_starts_fresh(window)
    assert live_objects_holding(canary.text, ignore) == []  # the next citizen's session brought nothing back


def assert_forgotten(window: MainWindow, needle: str, witnesses: Witnesses, ignore: set[int]) -> None:
    assert live_objects_holding(needle, ignore) == []
    assert needle not in "\n".join(texts_everywhere(w) for w in QApplication.allWidgets())
    assert needle not in "\n".join(accessible_texts(QAccessible.queryAccessibleInterface(window)))
    assert needle not in QGuiApplication.clipboard().text()
    assert not any(needle in text for _lang, text in witnesses.engine.transcript[witnesses.spoken_before_end :])
    assert not any(needle in u.text for u in window.speech.last_announcement)
    assert list((witnesses.tmp_path / "tmp").iterdir()) == []  # no temporary file left, canary or not
    assert not (witnesses.tmp_path / "spool").exists() or list((witnesses.tmp_path / "spool").iterdir()) == []
    assert files_containing(witnesses.tmp_path / "data", needle) == []  # the draft is stored, sealed
    assert not any(needle in record.getMessage() for record in witnesses.records)
    for editor in [w for w in QApplication.allWidgets() if isinstance(w, QLineEdit | QPlainTextEdit)]:
        editor.undo()
        editor.undo()
        assert needle not in (editor.text() if isinstance(editor, QLineEdit) else editor.toPlainText())
    assert window.history() == [] and window.current_screen_name() == "home"


def assert_next_session_starts_fresh(window: MainWindow) -> None:
    """Back from home leads nowhere; a new form starts empty with no undo, and Back from it retraces only this visit."""
    window.back()
    assert window.current_screen_name() == "home"
    fresh = start(window, "child-benefit")
    assert fresh.answer.box.text() == "" and not fresh.answer.box.isUndoAvailable()
    fresh.back_button.click()
    assert window.current_screen_name() == "service-start"
    window.back()
    assert window.current_screen_name() == "home" and window.history() == []
