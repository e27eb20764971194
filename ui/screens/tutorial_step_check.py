"""The check steps of the tutorial-step page: each question as a radio group with "Check my answer" and its feedback.

Each question is one Tab stop (arrows inside the group), its options are targets 3 mm apart, and Enter on an option
checks it like the button. The chosen option and its feedback are kept per question (`choices`, `answered`) so a page
rebuilt for another language or text size shows them again; the engine keeps only the first answer for the score.
Apart from ui.screens.tutorial_step because a check step is a small form of its own, built and judged here.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QFrame, QVBoxLayout

from tutorials.model import CheckStep, Question
from ui.forms.base import plain_label
from ui.forms.painted import RadioOption
from ui.screens.browse_parts import InlineMessage
from ui.screens.form_parts import FormPage
from ui.screens.tutorial_step_state import TutorialStepState

if TYPE_CHECKING:
    from tutorials.engine import TutorialRun


class CheckParts(TutorialStepState):
    """Renders a check step's questions and judges the answer chosen."""

    def _check(self, page: FormPage, step: CheckStep, run: TutorialRun) -> None:
        for question in step.questions:
            self._question(page, question)

    def _question(self, page: FormPage, question: Question) -> None:
        context, t = self.context, self.context.t
        group_frame = QFrame()
        group_frame.setProperty("role", "form-group")
        column = QVBoxLayout(group_frame)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(max(context.panel.min_gap_px, context.px() // 2))  # options are targets: 3 mm apart
        prompt = self.text(question.prompt)
        label = plain_label("h2")
        label.setText(prompt)
        column.addWidget(label)
        group = QButtonGroup(group_frame)
        options: dict[str, RadioOption] = {}
        for option in question.options:
            radio = RadioOption()
            radio.set_texts(self.text(option.label))
            radio.setAccessibleDescription(prompt)
            radio.apply_metrics(context)
            radio.setChecked(self.choices.get(question.id) == option.id)
            radio.enter_pressed.connect(functools.partial(self.check_answer, question))
            group.addButton(radio)
            column.addWidget(radio, 0, Qt.AlignmentFlag.AlignLeading)
            options[option.id] = radio
        page.column.addWidget(group_frame)
        button = page.button(t("tutorial.check.button"), functools.partial(self.check_answer, question))
        page.row(button)
        box = InlineMessage(context, icon="info")
        page.column.addWidget(box)
        self.groups[question.id] = (group, options)
        self.check_buttons[question.id] = button
        self.answer_boxes[question.id] = box
        self._show_answer(question.id)

    def _show_answer(self, question_id: str) -> None:
        box = self.answer_boxes.get(question_id)
        feedback = self.answered.get(question_id)
        if box is None:
            return
        box.setVisible(feedback is not None or question_id in self.choices)
        if feedback is None:
            if question_id in self.choices:
                box.set_text(self.context.t("tutorial.check.choose"))
            return
        self.show_feedback_in(box, feedback, "tutorial.not_quite")

    def check_answer(self, question: Question) -> None:
        run = self.run
        group = self.groups.get(question.id)
        if run is None or group is None:
            return
        chosen = next((oid for oid, radio in group[1].items() if radio.isChecked()), None)
        box = self.answer_boxes[question.id]
        if chosen is None:
            box.set_text(self.context.t("tutorial.check.choose"))
            box.setVisible(True)
            self.context.announce(box, box.text.text(), assertive=True)
            return
        self.choices[question.id] = chosen
        self.answered[question.id] = run.answer(question.id, chosen)
        self.learning.save()
        self._show_answer(question.id)
        self.context.announce(box, box.text.text(), assertive=True)
        self.scroll_area.ensureWidgetVisible(box)
