"""What the tutorial-step page remembers, shared by the screen (ui.screens.tutorial_step) and its step-kind parts.

`TutorialStepState` is the common base of `TutorialStepScreen` and of the parts that render and act on one kind of
step (ui.screens.tutorial_step_practice, _check, _recap): the widgets the current page holds, what the page shows
beyond the run's own state (the demo frame, the last feedback, the hint, the answers chosen), the run it was shown for
and the texts every part writes with. It is apart so that each part sees the same state and the screen module keeps
only the page around the step and the moves between steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QButtonGroup, QLabel

from kiosk.catalog.model import Text
from tutorials.actions import Feedback
from ui.forms.painted import RadioOption
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage
from ui.screens.form_parts import FormPage
from ui.tutorials.learning import Learning
from ui.tutorials.simulations import PracticeFrame

if TYPE_CHECKING:
    from tutorials.engine import TutorialRun
    from ui.tutorials.trainer_parts import LearnerRecords
    from ui.widgets import KioskButton


class TutorialStepState(Screen):
    """The page's widgets and state, set here once and reset when the run changes (`run`). The arguments are
    TutorialStepScreen's: `practice_only` for the `practice` screen, `records` for "Ask the trainer for help"."""

    def __init__(
        self,
        context: ScreenContext,
        learning: Learning,
        *,
        practice_only: bool = False,
        records: LearnerRecords | None = None,
    ) -> None:
        super().__init__(context)
        self.learning = learning
        self.records = records
        self.help_button: KioskButton | None = None
        self.help_box: InlineMessage | None = None
        self.help_key: str | None = None
        self._in_group: dict[str, bool] = {}  # learner uuid -> in a group session today (asked once per learner)
        learning.follow(context.session)
        self.practice_only = practice_only
        self.page: FormPage | None = None
        self.heading: QLabel | None = None
        self.position_label: QLabel | None = None
        self.read_button: KioskButton | None = None
        self.previous_button: KioskButton | None = None
        self.next_button: KioskButton | None = None
        self.frame: PracticeFrame | None = None
        self.feedback_box: InlineMessage | None = None
        self.hint_button: KioskButton | None = None
        self.hint_box: InlineMessage | None = None
        self.frame_buttons: tuple[KioskButton, KioskButton] | None = None
        self.caption: QLabel | None = None
        self.groups: dict[str, tuple[QButtonGroup, dict[str, RadioOption]]] = {}
        self.check_buttons: dict[str, KioskButton] = {}
        self.answer_boxes: dict[str, InlineMessage] = {}
        self.print_button: KioskButton | None = None
        self.print_key: str | None = None
        self.finish_button: KioskButton | None = None
        # What the page shows beyond the run's own state, per step: the demo frame, the last feedback, the hint.
        self.frame_index = 0
        self.feedback: dict[str, Feedback] = {}
        self.hints: set[str] = set()
        self.choices: dict[str, str] = {}  # question id -> option id chosen (the engine keeps only the first)
        self.answered: dict[str, Feedback] = {}
        self._step_id: str | None = None
        self._run_seen: object = None

    @property
    def run(self) -> TutorialRun | None:
        run = self.learning.current_run()
        if run is not self._run_seen:  # another tutorial, or another learner: nothing shown before applies
            self._run_seen, self._step_id = run, None
            self.feedback, self.hints, self.choices, self.answered = {}, set(), {}, {}
            self.print_key = None
        return run

    def can_show(self) -> bool:
        return self.run is not None

    def text(self, value: Text | None) -> str:
        return value.t(self.context.language) if value is not None else ""

    def feedback_text(self, feedback: Feedback) -> str:
        if feedback.message is not None:
            return self.text(feedback.message)
        return self.context.t(f"tutorial.feedback.{feedback.key}")

    def show_feedback_in(self, box: InlineMessage, feedback: Feedback, not_right_key: str) -> None:
        """`box` says whether it was right (`not_right_key` the words when not: practice and check differ) and why."""
        mark = self.context.t("tutorial.right" if feedback.correct else not_right_key)
        box.set_text(f"{mark} {self.feedback_text(feedback)}")
        box.icon_name = "check" if feedback.correct else "warning"
        box.restyle()

    # The parts call these; TutorialStepScreen builds the page and moves between steps.
    def render_page(self) -> None:
        raise NotImplementedError

    def _moved(self) -> None:
        raise NotImplementedError
