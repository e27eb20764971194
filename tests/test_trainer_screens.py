"""The trainer's group session on the real window, by keys: a trainer signs in, creates a session with two tutorials,
enrols three new learners (code slips printed), each learner takes a turn on learn-home with their code (one asks the
trainer for help), and the trainer sees each one's progress and the help flag, marks attendance, prints a completion
slip and exports the CSV (read back: one row per learner and tutorial). Nothing reaches the outbox."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from citizen_kiosk.gui import STAFF_SCREEN_AREAS
from kiosk.receipts import Receipt
from kiosk.staff import StaffAccounts
from kiosk.staff_presence import StaffGate, StaffPresence
from kiosk.storage import open_storage
from tests.test_tutorial_learner import CIPHER, TUTORIALS, Role, activate, find_accessible, focused, press, tab_to
from tests.test_tutorial_learner import type_keys as keys
from tutorials.assessment_file import parse_tag
from tutorials.trainer_export import CSV_COLUMNS
from ui.screens.registry import default_registry, register_learning
from ui.screens.staff_home import staff_home_factory
from ui.screens.staff_samples import sample_console
from ui.screens.staff_sign_in import staff_sign_in_factory
from ui.screens.trainer_actions import parse_day
from ui.screens.trainer_session import TrainerSessionScreen, trainer_session_factory
from ui.shell import MainWindow
from ui.tutorials.learning import DatabaseStore, Learning
from ui.tutorials.trainer_parts import DatabaseLearnerRecords, TrainerDesk, completion_receipt

PIN = "582914"
CHOSEN = {i: TUTORIALS[i] for i in ("touch-tap-scroll-type", "spot-the-scam")}
TOUCH, SCAM = CHOSEN["touch-tap-scroll-type"], CHOSEN["spot-the-scam"]


class Kiosk(NamedTuple):
    window: MainWindow
    presence: StaffPresence
    printed: list[Receipt]
    data: Path
    audit: list[tuple[str, str, object]]

    def t(self, key: str, **params: object) -> str:
        return self.window.deps.catalog.t(key, "en", **params)

    def outbox(self) -> int:
        with open_storage(self.data) as storage:
            return int(storage.db.execute("SELECT count(*) FROM outbox").fetchone()[0])


@pytest.fixture
def kiosk(qapp, qtbot, shell_deps, tmp_path) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    audit: list[tuple[str, str, object]] = []
    with open_storage(data) as storage:
        StaffAccounts(storage.db.conn).add("Teresa", "trainer", PIN, now=dt.datetime.now(dt.UTC))

    @contextmanager
    def open_db():  # type: ignore[no-untyped-def]
        with open_storage(data) as storage:
            yield storage.db

    @contextmanager
    def accounts() -> Iterator[StaffAccounts]:
        with open_storage(data) as storage:
            yield StaffAccounts(storage.db.conn)

    presence = StaffPresence()
    presence.follow(shell_deps.session)  # the citizen session's end signs the trainer out, as on a kiosk
    desk = TrainerDesk(
        open_db,
        lambda: CIPHER,
        lambda: CHOSEN,
        actor=lambda: presence.member.name if presence.member is not None else "staff",
        export_dir=data / "exports",
        kiosk_id="kiosk-07",
        audit=lambda kind, actor, detail: audit.append((kind, actor, detail)),
    )
    registry = default_registry()
    registry.register("staff-sign-in", staff_sign_in_factory(StaffGate(accounts, presence)), replace=True)
    registry.register("staff-home", staff_home_factory(sample_console(presence)), staff_only=True, replace=True)
    registry.register("trainer-session", trainer_session_factory(desk), staff_only=True, replace=True)
    learning = Learning(DatabaseStore(open_db, lambda: CIPHER, site="test-site"), load=lambda: dict(CHOSEN))
    register_learning(registry, learning, replace=True, records=DatabaseLearnerRecords(open_db, site="test-site"))
    shell_deps.registry = registry

    def allowed(name: str) -> bool:  # as citizen_kiosk.gui decides
        area = STAFF_SCREEN_AREAS.get(name, "settings")
        return presence.signed_in if not area else presence.may(area)

    shell_deps.staff_allowed = allowed
    printed: list[Receipt] = []
    shell_deps.print_receipt = lambda slip: printed.append(slip) or True
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield Kiosk(window, presence, printed, data, audit)
    window.allow_close()


def sign_in_trainer(kiosk: Kiosk) -> TrainerSessionScreen:
    """The trainer signs in with the keypad and opens "Tutorials" on the console."""
    window = kiosk.window
    window.show_screen("staff-sign-in")
    screen = window.screen_widget("staff-sign-in")
    tab_to(window, screen.name)
    keys("Teresa")
    tab_to(window, screen.secret)
    keys(PIN)
    press(Qt.Key.Key_Return)
    assert window.current_screen_name() == "staff-home"
    assert kiosk.presence.member is not None and kiosk.presence.member.role == "trainer"
    activate(window, kiosk.t("staff.home.tutorials"))
    assert window.current_screen_name() == "trainer-session"
    trainer = window.screen_widget("trainer-session")
    assert isinstance(trainer, TrainerSessionScreen)
    return trainer


def learner_turn(kiosk: Kiosk, code: str, steps: int, *, ask_for_help: bool = False, finish: bool = False) -> None:
    """A learner's turn: learn-home, their code, the first tutorial, a few steps by keys; then the session ends."""
    window = kiosk.window
    window.show_screen("learn-home")
    field = find_accessible(window, kiosk.t("learn.resume.title"), (Role.EditableText,))
    assert field is not None
    tab_to(window, field)
    keys(code.lower().replace("-", " "))
    press(Qt.Key.Key_Return)
    if window.current_screen_name() == "learn-home":  # nothing begun yet: choose the first tutorial
        activate(window, TOUCH.title.t("en"))
    assert window.current_screen_name() == "tutorial-step"
    step = window.screen_widget("tutorial-step")
    for _ in range(steps):
        activate(window, kiosk.t("tutorial.next"))
    if ask_for_help:
        activate(window, kiosk.t("tutorial.help.ask"))
        assert step.help_key == "tutorial.help.asked"
        assert focused() is step.help_button
    if finish:
        while step.run is not None and not step.run.at_last_step:
            activate(window, kiosk.t("tutorial.next"))
    window.deps.session.end("finished")  # the turn ends: the next learner starts afresh


def test_a_trainer_runs_a_group_session_of_three_learners(kiosk: Kiosk) -> None:
    window, t = kiosk.window, kiosk.t
    before = kiosk.outbox()
    trainer = sign_in_trainer(kiosk)
    activate(window, t("trainer.new_session"))
    assert trainer.mode == "create" and focused() is trainer.fields["name"]
    keys("Tuesday group")
    for tutorial in (TOUCH, SCAM):
        option = find_accessible(window, tutorial.title.t("en"), (Role.CheckBox,))
        assert option is not None
        tab_to(window, option)
        press(Qt.Key.Key_Space)
    activate(window, t("trainer.create.button"))
    assert trainer.mode == "session" and trainer.message is not None
    assert trainer.message[0] == "trainer.create.done"
    session = trainer.desk.sessions()[0]
    assert (session.name, session.tutorials, session.trainer) == ("Tuesday group", (TOUCH.id, SCAM.id), "Teresa")
    codes = []
    for _ in range(3):
        activate(window, t("trainer.enrol.new"))
        assert trainer.new_code is not None
        codes.append(trainer.new_code[1])
        assert kiosk.printed[-1].title == t("tutorial.slip.code_title")  # the learner's code slip
    assert len(set(codes)) == 3 and len(kiosk.printed) == 3  # three code slips
    assert [kind for kind, _actor, _detail in kiosk.audit].count("training-enrol") == 3
    window.deps.session.end("finished")  # the trainer steps away: signed out, learners take turns
    assert not kiosk.presence.signed_in

    learner_turn(kiosk, codes[0], 0, finish=True)  # learner 1 goes through to the recap
    learner_turn(kiosk, codes[1], 2, ask_for_help=True)  # learner 2 is stuck on step 3
    learner_turn(kiosk, codes[2], 1)

    trainer = sign_in_trainer(kiosk)
    activate(window, "Tuesday group")
    assert trainer.mode == "session"
    rows = {(r.position, r.tutorial_id): r for r in trainer.rows}
    assert rows[(1, TOUCH.id)].finished and rows[(1, TOUCH.id)].step_reached == len(TOUCH.steps)
    assert rows[(2, TOUCH.id)].step_reached == 3 and rows[(2, TOUCH.id)].help_requested
    assert rows[(3, TOUCH.id)].step_reached == 2 and not rows[(3, TOUCH.id)].help_requested
    assert all(rows[(n, SCAM.id)].step_reached == 0 for n in (1, 2, 3))
    texts = [label.text() for label in trainer.page.findChildren(QLabel)]
    assert f"{TOUCH.title.t('en')}: {t('trainer.progress.finished')}" in " ".join(texts)
    assert f"{TOUCH.title.t('en')}: {t('tutorial.step_of', number=3, total=len(TOUCH.steps))}" in texts
    assert t("trainer.progress.needs_help", who="Learner 2") in " ".join(texts)

    activate(window, f"{t('trainer.progress.present')}: Learner 1", (Role.CheckBox,))
    press(Qt.Key.Key_Space)
    activate(window, f"{t('trainer.progress.helped')}: Learner 2")
    roster = trainer.desk.roster(session.id)
    assert [e.attended for e in roster] == [True, False, False]
    assert [e.help_requested_at is None for e in roster] == [True, True, True]  # helped: the flag is down
    assert find_accessible(window, f"{t('trainer.progress.helped')}: Learner 2") is None

    activate(window, f"{t('trainer.slip.print')}: Learner 1")
    slip = kiosk.printed[-1]
    assert slip.title == t("trainer.slip.title")
    assert TOUCH.title.t("en") in slip.next_steps and SCAM.title.t("en") not in slip.next_steps
    assert slip.contact_heading.startswith(t("trainer.slip.competences")) and "DigComp" in slip.contact_heading
    covered = sorted({tag.competence for tag in map(parse_tag, TOUCH.digcomp) if tag is not None})
    assert [line.split(" ")[1] for line in slip.contact_lines] == covered  # "• 5.1 Solving technical problems"
    assert slip.keep_note == t("trainer.slip.not_certificate")
    assert trainer.message is not None and trainer.message[0] == "trainer.slip.printed"

    activate(window, t("trainer.export"))
    assert trainer.message is not None and trainer.message[0] == "trainer.exported"
    exported = Path(trainer.exported or "")
    assert exported.parent == kiosk.data / "exports" and exported.stat().st_mode & 0o077 == 0
    with exported.open(encoding="utf-8-sig", newline="") as stream:
        table = list(csv.DictReader(stream))
    assert list(table[0]) == list(CSV_COLUMNS)
    assert [(r["learner"], r["tutorial"]) for r in table] == [
        (str(n), i) for n in (1, 2, 3) for i in (TOUCH.id, SCAM.id)
    ]
    assert {r["kiosk"] for r in table} == {"kiosk-07"}
    assert [r["finished"] for r in table if r["tutorial"] == TOUCH.id] == ["yes", "no", "no"]
    assert [r["attended"] for r in table if r["tutorial"] == TOUCH.id] == ["yes", "no", "no"]
    assert ("training-export", "Teresa") in [(kind, actor) for kind, actor, _detail in kiosk.audit]
    assert kiosk.outbox() == before  # nothing of a group session reaches the outbox


def test_enrolling_by_code_and_the_plain_problems(kiosk: Kiosk) -> None:
    window, t = kiosk.window, kiosk.t
    trainer = sign_in_trainer(kiosk)
    activate(window, t("trainer.new_session"))
    keys("Saturday")
    activate(window, t("trainer.create.button"))  # no tutorial ticked
    assert trainer.message is not None and trainer.message[0] == "trainer.create.no_tutorials"
    assert trainer.fields["name"].text() == "Saturday"  # what was typed stays
    trainer.fields["date"].setText("31/02/2026")
    trainer.options[TOUCH.id].setChecked(True)
    activate(window, t("trainer.create.button"))
    assert trainer.message is not None and trainer.message[0] == "trainer.create.bad_date"
    assert focused() is trainer.fields["date"]
    trainer.fields["date"].setText("05/12/2026")
    activate(window, t("trainer.create.button"))
    assert trainer.mode == "session" and trainer.desk.sessions()[0].day == dt.date(2026, 12, 5)
    # A learner who already has a code from learning alone is enrolled with it, with a first name for the roster.
    with open_storage(kiosk.data) as storage:
        from tutorials.progress import new_learner

        code = new_learner(storage.db, CIPHER, now=dt.datetime.now(dt.UTC)).code
    tab_to(window, trainer.fields["code"])
    keys("not a code")
    press(Qt.Key.Key_Return)
    assert trainer.message is not None and trainer.message[0] == "tutorial.code.invalid"
    assert focused() is trainer.fields["code"]
    trainer.fields["code"].setText(code)
    tab_to(window, trainer.fields["first-name"])
    keys("Ana")
    activate(window, t("trainer.enrol.button"))
    assert trainer.message is not None and trainer.message[:2] == ("trainer.enrol.done", {"who": "Ana"})
    assert [r.first_name for r in trainer.rows] == ["Ana"]
    assert find_accessible(window, f"{t('trainer.slip.print')}: 1. Ana") is not None
    activate(window, f"{t('trainer.slip.print')}: 1. Ana")
    assert kiosk.printed[-1].next_steps == t("trainer.slip.none")  # nothing finished yet: said, not left blank
    assert "Ana" in kiosk.printed[-1].service_title


def test_a_trainer_screen_is_closed_to_a_mediator_and_to_nobody(kiosk: Kiosk) -> None:
    assert not kiosk.window.deps.staff_allowed("trainer-session")
    from kiosk.staff import StaffMember

    kiosk.presence.sign_in(StaffMember("Marta", "mediator", False, dt.datetime.now(dt.UTC)))
    assert not kiosk.window.deps.staff_allowed("trainer-session")
    kiosk.presence.sign_in(StaffMember("Sofia", "site-manager", False, dt.datetime.now(dt.UTC)))
    assert kiosk.window.deps.staff_allowed("trainer-session")


def test_a_learner_outside_a_group_is_not_offered_the_trainer(kiosk: Kiosk) -> None:
    window = kiosk.window
    window.show_screen("learn-home")
    activate(window, TOUCH.title.t("en"))
    press(Qt.Key.Key_Return)  # Start the tutorial
    assert window.current_screen_name() == "tutorial-step"
    assert window.screen_widget("tutorial-step").help_button is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("28/11/2026", dt.date(2026, 11, 28)),
        (" 2026-11-28 ", dt.date(2026, 11, 28)),
        ("1.2.2027", dt.date(2027, 2, 1)),
        ("31/02/2026", None),
        ("tomorrow", None),
        ("", None),
    ],
)
def test_session_dates_are_read_as_typed(text: str, day: dt.date | None) -> None:
    assert parse_day(text) == day


def test_the_completion_receipt_puts_each_part_where_the_receipt_prints_it() -> None:
    from tutorials.trainer_records import CompletionSlip

    slip = CompletionSlip(
        "Record of learning", None, "Tuesday group · 28/11/2026", "Tutorials done", ("Touch",), None,
        "Digital skills practised", "DigComp 2.2", ("1.1 Browsing",), "Not a certificate.", "Site", "en", False,
    )  # fmt: skip
    receipt = completion_receipt(slip, dt.date(2026, 11, 28), lambda key: key, printed_at=dt.datetime.now(dt.UTC))
    assert (receipt.service_title, receipt.reference) == ("Tuesday group · 28/11/2026", "28/11/2026")
    assert receipt.next_steps == "• Touch" and receipt.contact_lines == ("• 1.1 Browsing",)
    assert receipt.contact_heading == "Digital skills practised (DigComp 2.2)"
