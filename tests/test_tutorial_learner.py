"""An automated learner completes every practice step of every shipped tutorial, by keys only.

It finds controls through the accessible tree (QAccessible interfaces: names and roles, as a screen reader would),
moves to them with Tab and acts with Enter, the arrow keys and typed keys: never by calling the engine or a widget's
method. It is parametrised over the content folder, so each new tutorial is covered as it lands; a practice whose
simulation kind has no screen on this kiosk yet, or no solver here, is skipped by name. Every simulated control must
have an accessible name, and nothing a tutorial does reaches the outbox.

The helpers (`find_accessible`, `tab_to`, `press`, `learner_window`, `solve_practice`) are shared with
tests/test_tutorial_screens.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.crypto import PayloadCipher
from kiosk.i18n import SHIPPED_LANGUAGES
from kiosk.storage import open_storage
from tutorials.loader import load_tutorials
from tutorials.model import (
    AttachSimulation,
    DigitalKeySimulation,
    FormSimulation,
    PracticeStep,
    ScrollSimulation,
    TapSimulation,
    TriageSimulation,
    Tutorial,
    TypeSimulation,
)
from ui.tutorials.learning import DatabaseStore, Learning
from ui.tutorials.simulations import available

CIPHER = PayloadCipher(b"k" * 32)
TODAY = dt.date(2026, 11, 28)
TUTORIALS = load_tutorials().tutorials
Role = QAccessible.Role


# Finding and acting by keys ----------------------------------------------------------------------------------------
def _walk(iface: QAccessibleInterface | None, depth: int = 0) -> Iterator[QAccessibleInterface]:
    if iface is None or not iface.isValid() or depth > 60:
        return
    yield iface
    for index in range(iface.childCount()):
        yield from _walk(iface.child(index), depth + 1)


def accessible_tree(root: QWidget) -> list[QAccessibleInterface]:
    """Every visible interface under `root`."""
    return [iface for iface in _walk(QAccessible.queryAccessibleInterface(root)) if not iface.state().invisible]


def find_accessible(root: QWidget, name: str, roles: tuple[Role, ...] = (Role.Button,)) -> QWidget | None:
    """The visible widget whose accessible name is `name` (or starts with `name:`) and whose role is one of `roles`."""
    for iface in accessible_tree(root):
        text = iface.text(QAccessible.Text.Name)
        if iface.role() in roles and (text == name or text.startswith(f"{name}:")):
            found = iface.object()
            if isinstance(found, QWidget):
                return found
    return None


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def press(key: Qt.Key, text: str = "") -> None:
    """A key event to the focused widget (what a keyboard sends)."""
    target = focused()
    assert target is not None, "nothing has the keyboard focus"
    QTest.keyClick(target, key)
    QApplication.processEvents()


def tab_to(window: QWidget, widget: QWidget, limit: int = 300) -> None:
    """Press Tab until `widget` (or, for a radio group, any option of it) has the focus."""
    for _ in range(limit):
        if focused() is widget:
            return
        current = focused()
        if current is None:
            window.activateWindow()
            QTest.keyClick(window, Qt.Key.Key_Tab)
        else:
            QTest.keyClick(current, Qt.Key.Key_Tab)
        QApplication.processEvents()
    raise AssertionError(f"Tab never reached {widget.accessibleName()!r}")


def activate(window: QWidget, name: str, roles: tuple[Role, ...] = (Role.Button,)) -> None:
    widget = find_accessible(window, name, roles)
    assert widget is not None, f"no control named {name!r}"
    tab_to(window, widget)
    press(Qt.Key.Key_Return)


def type_keys(text: str) -> None:
    target = focused()
    assert target is not None
    QTest.keyClicks(target, text)
    QApplication.processEvents()


# A window on a temporary kiosk database ----------------------------------------------------------------------------
@contextmanager
def learner_window(  # type: ignore[no-untyped-def]
    qtbot, shell_deps, data_dir: Path, *, tutorials: dict[str, Tutorial] | None = None
) -> Iterator[tuple[QWidget, Learning, Callable[[], int]]]:
    """The real main window, its learning screens on a database in `data_dir`; yields (window, learning, the number
    of outbox rows now)."""
    from ui.screens.registry import default_registry, register_learning
    from ui.shell import MainWindow

    @contextmanager
    def open_db():  # type: ignore[no-untyped-def]
        with open_storage(data_dir) as storage:
            yield storage.db

    store = DatabaseStore(open_db, lambda: CIPHER, site="test-site")
    chosen = tutorials if tutorials is not None else TUTORIALS
    learning = Learning(store, load=lambda: dict(chosen))
    registry = default_registry()
    register_learning(registry, learning, replace=True)
    shell_deps.registry = registry
    shell_deps.print_receipt = lambda _slip: True

    def outbox_rows() -> int:
        with open_storage(data_dir) as storage:
            return int(storage.db.execute("SELECT count(*) FROM outbox").fetchone()[0])

    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    try:
        yield window, learning, outbox_rows
    finally:
        window.allow_close()


def practice_frame(window: QWidget) -> QWidget:
    name = window.deps.catalog.t("tutorial.practice_screen", window.deps.session.presentation.language)  # type: ignore[attr-defined]
    frame = find_accessible(window, name, (Role.Grouping, Role.Pane, Role.Client, Role.Border))
    assert frame is not None, "no practice frame on the page"
    return frame


# Solvers: what a learner who knows the answer does, with keys ------------------------------------------------------
CANDIDATES = (
    "Lisboa",
    "rio verde janela bolo",
    "Ana",
    "ana@example.pt",
    "912345678",
    "1000-001",
    "123456789",
    "Beja",
    "Faro",
    "12",
)


def _answer_for(sim: TypeSimulation) -> str:
    if sim.expect_value is not None:
        return sim.expect_value
    if sim.expect_pattern is not None:
        found = next((c for c in CANDIDATES if sim.expect_pattern.fullmatch(c)), None)
        assert found is not None, f"no sample answer matches {sim.expect_pattern.pattern!r}: add one to CANDIDATES"
        return found
    return "Lisboa"


def solve_tap(window: QWidget, sim: TapSimulation, lang: str) -> None:
    target = next(t for t in sim.targets if t.id == sim.expect)
    activate(practice_frame(window), target.label.t(lang))


def solve_scroll(window: QWidget, sim: ScrollSimulation, lang: str) -> None:
    frame = practice_frame(window)
    name = next(i for i in sim.items if i.id == sim.expect).label.t(lang)
    down = find_accessible(frame, window.deps.catalog.t("tutorial.sim.scroll_down", lang))  # type: ignore[attr-defined]
    assert down is not None
    for _ in range(len(sim.items)):
        if find_accessible(frame, name) is not None:
            break
        tab_to(window, down)
        press(Qt.Key.Key_Return)
    activate(frame, name)


def solve_type(window: QWidget, sim: TypeSimulation, lang: str) -> None:
    field = next(f for f in sim.fields if f.id == sim.field)
    box = find_accessible(practice_frame(window), field.label.t(lang), (Role.EditableText,))
    assert box is not None, f"no box named {field.label.t(lang)!r}"
    tab_to(window, box)
    type_keys(_answer_for(sim))
    press(Qt.Key.Key_Return)


def solve_triage(window: QWidget, sim: TriageSimulation, lang: str) -> None:
    catalog = window.deps.catalog  # type: ignore[attr-defined]
    for message in sim.messages:
        label = catalog.t(f"tutorial.sim.{message.verdict}", lang)
        # Marking is a toggle (checkable buttons: assistive technology says which mark is on).
        activate(practice_frame(window), f"{label}: {message.sender.t(lang)}", (Role.Button, Role.CheckBox))


def _t(window: QWidget, key: str, lang: str, **params: object) -> str:
    return str(window.deps.catalog.t(key, lang, **params))  # type: ignore[attr-defined]


def _named_like(root: QWidget, prefix: str, roles: tuple[Role, ...]) -> QWidget | None:
    """The visible widget of one of `roles` whose accessible name starts with `prefix` (a label with "(optional)")."""
    for iface in accessible_tree(root):
        found = iface.object()
        if (
            iface.role() in roles
            and iface.text(QAccessible.Text.Name).startswith(prefix)
            and isinstance(found, QWidget)
        ):
            return found
    return None


def _arrow_to(window: QWidget, option: QWidget, first: QWidget) -> None:
    """Into a radio group with Tab, then the arrows until `option` has the focus, then Space chooses it."""
    tab_to(window, first)
    for _ in range(12):
        if focused() is option:
            break
        press(Qt.Key.Key_Down)
    assert focused() is option, f"the arrows never reached {option.accessibleName()!r}"
    press(Qt.Key.Key_Space)


def solve_digital_key(window: QWidget, sim: DigitalKeySimulation, lang: str) -> None:
    """Phone number (and PIN), Send code, read the code off the fake phone (its accessible name), type it, Sign in."""
    frame = practice_frame(window)
    fields = [("tutorial.key.phone_label", sim.phone_number)] + (
        [("tutorial.key.pin_label", sim.pin)] if sim.pin else []
    )
    for key, value in fields:
        box = find_accessible(frame, _t(window, key, lang), (Role.EditableText,))
        assert box is not None, f"no box named {_t(window, key, lang)!r}"
        tab_to(window, box)
        type_keys(value)
    activate(frame, _t(window, "tutorial.key.send", lang))
    phone = find_accessible(frame, _t(window, "tutorial.key.phone", lang), (Role.Grouping, Role.Client, Role.Pane))
    assert phone is not None, "no fake phone"
    code = "".join(re.findall(r"[0-9]", phone.accessibleName()))[: sim.code_length]  # the message holds only the code
    assert len(code) == sim.code_length, phone.accessibleName()
    box = find_accessible(frame, _t(window, "tutorial.key.code_label", lang), (Role.EditableText,))
    assert box is not None
    tab_to(window, box)
    type_keys(code)
    activate(frame, _t(window, "tutorial.key.sign_in", lang))


def solve_attach(window: QWidget, sim: AttachSimulation, lang: str) -> None:
    """Arrow to the expected document in the folder, Space, then Attach."""
    frame = practice_frame(window)
    options = [find_accessible(frame, d.name.t(lang), (Role.RadioButton,)) for d in sim.documents]
    assert all(options), "a document without an accessible radio option"
    target = options[[d.id for d in sim.documents].index(sim.expect)]
    assert target is not None and options[0] is not None
    _arrow_to(window, target, options[0])
    activate(frame, _t(window, "tutorial.attach.attach", lang))


def solve_form(window: QWidget, sim: FormSimulation, lang: str) -> None:
    """Each page of the practice form, found by its question's label: type into the box, arrow to the option, or tick
    the boxes, then Continue; the answers are the form's examples with the task's own on top."""
    from kiosk.forms.answers_file import example_answers

    answers = example_answers(sim.service, today=TODAY) | dict(sim.expect)
    questions = [q for q, _repeat in sim.service.questions() if q.type not in ("note", "calculated")]
    for _page in range(len(questions) + 2):
        frame = practice_frame(window)
        if find_accessible(frame, _t(window, "tutorial.form.done_heading", lang), (Role.StaticText,)) is not None:
            return  # past the last page: the form is judged (and lists the answers)
        current = next((q for q in questions if _named_like(frame, q.label.t(lang), (Role.StaticText,))), None)
        assert current is not None, "a practice form page without a question the learner can read"
        _fill_question(window, frame, current, answers.get(current.id), lang)
        activate(frame, _t(window, "form.continue", lang))
    raise AssertionError("the practice form never ended")


def _fill_question(window: QWidget, frame: QWidget, question: object, value: object, lang: str) -> None:
    label = question.label.t(lang)  # type: ignore[attr-defined]
    kind = question.type  # type: ignore[attr-defined]
    if kind in ("yes-no", "choice"):
        names = (
            {"yes": _t(window, "form.yes", lang), "no": _t(window, "form.no", lang)}
            if kind == "yes-no"
            else {c.value: c.label.t(lang) for c in question.choices}  # type: ignore[attr-defined]
        )
        radios = [find_accessible(frame, name, (Role.RadioButton,)) for name in names.values()]
        chosen = "yes" if value is True else "no" if value is False else str(value)
        target = find_accessible(frame, names[chosen], (Role.RadioButton,))
        assert target is not None and radios[0] is not None
        _arrow_to(window, target, radios[0])
    elif kind == "multiple-choice":
        for choice in question.choices:  # type: ignore[attr-defined]
            if choice.value in (value if isinstance(value, list) else []):
                box = find_accessible(frame, choice.label.t(lang), (Role.CheckBox,))
                assert box is not None, choice.label.t(lang)
                tab_to(window, box)
                press(Qt.Key.Key_Space)
    elif kind == "consent":
        box = find_accessible(frame, _t(window, "form.consent.agree", lang), (Role.CheckBox,))
        assert box is not None
        if bool(value):
            tab_to(window, box)
            press(Qt.Key.Key_Space)
    else:  # one box, named by the question
        box = _named_like(frame, label, (Role.EditableText,))
        assert box is not None, f"no box for {label!r}"
        tab_to(window, box)
        type_keys(str(value))


SOLVERS: dict[type, Callable[[QWidget, object, str], None]] = {
    TapSimulation: solve_tap,  # type: ignore[dict-item]
    ScrollSimulation: solve_scroll,  # type: ignore[dict-item]
    TypeSimulation: solve_type,  # type: ignore[dict-item]
    TriageSimulation: solve_triage,  # type: ignore[dict-item]
    DigitalKeySimulation: solve_digital_key,  # type: ignore[dict-item]
    AttachSimulation: solve_attach,  # type: ignore[dict-item]
    FormSimulation: solve_form,  # type: ignore[dict-item]
}


def solve_practice(window: QWidget, step: PracticeStep, lang: str) -> None:
    SOLVERS[type(step.simulation)](window, step.simulation, lang)


def unnamed_controls(frame: QWidget) -> list[str]:
    """Interactive widgets of a practice frame that assistive technology cannot name."""
    roles = {Role.Button, Role.EditableText, Role.RadioButton, Role.CheckBox, Role.ComboBox, Role.List}
    return [
        f"{iface.object().__class__.__name__} ({iface.role().name})"
        for iface in accessible_tree(frame)
        if iface.role() in roles and not iface.text(QAccessible.Text.Name).strip()
    ]


# The learner ---------------------------------------------------------------------------------------------------------
PRACTICES = [
    (tutorial.id, step.id)
    for tutorial in TUTORIALS.values()
    for step in tutorial.steps
    if isinstance(step, PracticeStep)
]


def test_the_content_folder_has_practice_steps_to_learn() -> None:
    assert ("touch-tap-scroll-type", "try-tap") in PRACTICES
    assert ("spot-the-scam", "try-triage") in PRACTICES


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)  # the tutorials speak every kiosk language
@pytest.mark.parametrize("tutorial_id", sorted(TUTORIALS))
def test_an_automated_learner_completes_every_practice_by_keys(  # type: ignore[no-untyped-def]  # noqa: PLR0917
    qapp, qtbot, shell_deps, tmp_path, tutorial_id: str, lang: str
) -> None:
    tutorial = TUTORIALS[tutorial_id]
    practices = tutorial.practice_steps()
    missing = sorted(
        {s.simulation.kind for s in practices if not available(s.simulation.kind) or type(s.simulation) not in SOLVERS}
    )
    shell_deps.session.set_language(lang)
    with learner_window(qtbot, shell_deps, tmp_path) as (window, learning, outbox_rows):
        before = outbox_rows()
        learning.start(tutorial_id)
        window.show_screen("tutorial-step")  # type: ignore[attr-defined]
        screen = window.screen_widget("tutorial-step")  # type: ignore[attr-defined]
        run = learning.run
        assert run is not None
        done: list[str] = []
        while True:
            step = run.step
            if isinstance(step, PracticeStep) and step.simulation.kind not in missing:
                frame = practice_frame(window)
                assert unnamed_controls(frame) == [], f"{step.id}: controls without a name"
                solve_practice(window, step, lang)
                assert step.id in run.practice_done, f"{step.id}: the learner's keys did not complete it"
                assert screen.feedback_box is not None and screen.feedback_box.isVisible()
                done.append(step.id)
            if run.at_last_step:
                break
            activate(window, window.deps.catalog.t("tutorial.next", lang))  # type: ignore[attr-defined]
        assert outbox_rows() == before  # nothing a tutorial does reaches the outbox
    assert done == [s.id for s in practices if s.simulation.kind not in missing]
    if missing:
        pytest.skip(f"{tutorial_id}: no screen or solver yet for {', '.join(missing)}")


def test_the_solver_patterns_are_checked(qapp) -> None:  # type: ignore[no-untyped-def]
    sim = TypeSimulation(kind="type", fields=(), field="x", expect_pattern=re.compile(r"\d{9}"))
    assert _answer_for(sim) == "912345678"
