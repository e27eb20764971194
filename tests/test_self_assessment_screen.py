"""The self-assessment on the real window, by keys only: from learn-home, one statement or question per page ("3 of
25"), ratings and true/false answers with feedback, skipping, the result's plain-words levels and recommended
tutorials (one opens), "Print my result" through the receipt path; kept as statements only for a learner with a code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest
from PySide6.QtCore import Qt

from kiosk.receipts import Receipt
from kiosk.storage import open_storage
from tests.test_tutorial_learner import CIPHER, TUTORIALS, activate, focused, press
from tutorials.assessment_file import TrueFalse, load_assessment, parse_tag
from ui.screens.registry import default_registry, register_learning
from ui.screens.self_assessment import SelfAssessmentScreen
from ui.shell import MainWindow
from ui.tutorials.learning import DatabaseStore, Learning
from ui.tutorials.trainer_parts import DatabaseLearnerRecords

ASSESSMENT = load_assessment()
WEAK_AREA = 4  # "Staying safe": the learner rates it low and gets its questions wrong


class Kiosk(NamedTuple):
    window: MainWindow
    learning: Learning
    printed: list[Receipt]
    data: Path

    def t(self, key: str, **params: object) -> str:
        return self.window.deps.catalog.t(key, "en", **params)

    def statements(self) -> list[tuple[str, str]]:
        with open_storage(self.data) as storage:
            return [(str(v), str(o)) for v, o in storage.db.execute("SELECT verb, object_id FROM learning_statements")]


@pytest.fixture
def kiosk(qapp, qtbot, shell_deps, tmp_path) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"

    @contextmanager
    def open_db():  # type: ignore[no-untyped-def]
        with open_storage(data) as storage:
            yield storage.db

    learning = Learning(DatabaseStore(open_db, lambda: CIPHER, site="test-site"), load=lambda: dict(TUTORIALS))
    registry = default_registry()
    register_learning(registry, learning, replace=True, records=DatabaseLearnerRecords(open_db, site="test-site"))
    shell_deps.registry = registry
    printed: list[Receipt] = []
    shell_deps.print_receipt = lambda slip: printed.append(slip) or True
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield Kiosk(window, learning, printed, data)
    window.allow_close()


def open_assessment(kiosk: Kiosk) -> SelfAssessmentScreen:
    kiosk.window.show_screen("learn-home")
    activate(kiosk.window, kiosk.t("assessment.entry"))
    screen = kiosk.window.screen_widget("self-assessment")
    assert isinstance(screen, SelfAssessmentScreen) and kiosk.window.current_screen_name() == "self-assessment"
    activate(kiosk.window, kiosk.t("assessment.start"))
    return screen


def choose_by_keys(screen: SelfAssessmentScreen, value: str) -> None:
    """Focus is on the group's first option: the arrows to `value`, Space chooses it."""
    target = screen.options[value]
    for _ in range(len(screen.options)):
        if focused() is target:
            break
        press(Qt.Key.Key_Down)
    assert focused() is target
    press(Qt.Key.Key_Space)
    assert target.isChecked()


def answer_everything(kiosk: Kiosk, screen: SelfAssessmentScreen, *, skip: int = 0) -> None:
    """Rate area 4 lowest and answer its questions wrongly, the rest highest and rightly; skip the first `skip`."""
    total = len(screen.items)
    for number, (area, item) in enumerate(screen.items, start=1):
        assert screen.position_label is not None and screen.position_label.text() == f"{number} of {total}"
        if number <= skip:
            activate(kiosk.window, kiosk.t("assessment.next"))  # nothing chosen: skipped
            continue
        weak = area.number == WEAK_AREA
        if isinstance(item, TrueFalse):
            choose_by_keys(screen, "true" if item.answer != weak else "false")
            press(Qt.Key.Key_Return)  # Enter on an option checks the answer
            assert screen.feedback_box is not None and screen.feedback_box.isVisible()
            mark = kiosk.t("tutorial.not_quite" if weak else "tutorial.right")
            assert screen.feedback_box.text.text() == f"{mark} {item.feedback.t('en')}"
            label = "assessment.finish" if number == total else "assessment.next"
            activate(kiosk.window, kiosk.t(label))
        else:
            choose_by_keys(screen, "1" if weak else "4")
            press(Qt.Key.Key_Return)  # Enter on a rating goes on


def test_answering_by_keys_gives_levels_recommendations_and_a_printed_result(kiosk: Kiosk) -> None:
    screen = open_assessment(kiosk)
    answer_everything(kiosk, screen)
    result = screen.result
    assert result is not None and screen.index == len(screen.items)
    assert result.weakest_first()[0] == WEAK_AREA
    levels = {a.area: a.level for a in result.areas}
    assert levels[WEAK_AREA] == ASSESSMENT.levels[0].id and levels[1] == ASSESSMENT.levels[-1].id
    weak_title = next(a.title.t("en") for a in ASSESSMENT.areas if a.number == WEAK_AREA)
    assert screen.area_lines[WEAK_AREA].text() == f"{weak_title}: {ASSESSMENT.levels[0].label.t('en')}"
    assert "%" not in " ".join(line.text() for line in screen.area_lines.values())  # plain words, no percentages
    first = TUTORIALS[screen.recommended[0]]
    assert any(tag.area == WEAK_AREA for tag in map(parse_tag, first.digcomp) if tag is not None)
    assert list(screen.entries) == screen.recommended and screen.recommended
    activate(kiosk.window, kiosk.t("assessment.result.print"))
    slip = kiosk.printed[-1]
    assert slip.title == kiosk.t("assessment.slip.title") and slip.next_steps_heading == kiosk.t(
        "assessment.slip.areas"
    )
    assert f"{weak_title}: {ASSESSMENT.levels[0].label.t('en')}" in slip.next_steps
    assert slip.contact_lines[0] == f"• {first.title.t('en')}"
    assert screen.print_key == "assessment.result.printed"
    assert kiosk.statements() == []  # no learner code in this session: nothing is stored
    activate(kiosk.window, first.title.t("en"))  # a recommended tutorial opens
    assert kiosk.window.current_screen_name() == "tutorial-step"
    assert kiosk.learning.run is not None and kiosk.learning.run.tutorial.id == first.id


def test_a_learner_with_a_code_keeps_the_result_and_skipped_items_do_not_count(kiosk: Kiosk) -> None:
    kiosk.learning.ensure_learner()  # a learner code in this session
    screen = open_assessment(kiosk)
    answer_everything(kiosk, screen, skip=3)
    result = screen.result
    assert result is not None and result.areas[0].rated == 0 and result.areas[0].answered == 2
    assert screen.kept
    verbs = [verb for verb, object_id in kiosk.statements() if object_id.startswith(ASSESSMENT.iri)]
    assert verbs.count("completed") == 1 and verbs.count("answered") == len(
        [q for a in ASSESSMENT.areas for q in a.questions]
    )


def test_previous_keeps_answers_and_check_asks_for_a_choice_first(kiosk: Kiosk) -> None:
    screen = open_assessment(kiosk)
    choose_by_keys(screen, "3")
    press(Qt.Key.Key_Return)
    assert screen.index == 1
    activate(kiosk.window, kiosk.t("assessment.previous"))
    assert screen.index == 0 and screen.options["3"].isChecked()  # the rating is still chosen
    question = next(n for n, (_a, item) in enumerate(screen.items) if isinstance(item, TrueFalse))
    screen._go(question)
    activate(kiosk.window, kiosk.t("tutorial.check.button"))
    assert screen.feedback_box is not None and screen.feedback_box.text.text() == kiosk.t("tutorial.check.choose")
    activate(kiosk.window, kiosk.t("common.back"))  # Back walks back through the pages, then leaves
    assert screen.index == question - 1
