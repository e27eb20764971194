"""The recap step of the tutorial-step page: the points to remember, the outcome and the record of learning.

Once the run is finished the recap says the outcome in plain words (practices done, questions right, mastered or not
yet), shows the learner code, "Print my record of learning" (a slip with the competences covered, ui.tutorials.slips)
and, while a practice is not done, "Practise again". Apart from ui.screens.tutorial_step because this is where the
run's result leaves the page: in words and on paper.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from tutorials.model import RecapStep
from ui.screens.browse_parts import BulletList, InlineMessage
from ui.screens.draft_parts import code_text
from ui.screens.form_parts import FormPage
from ui.screens.tutorial_step_state import TutorialStepState
from ui.tutorials.pictures import picture_label

if TYPE_CHECKING:
    from tutorials.engine import TutorialRun


class RecapParts(TutorialStepState):
    """Renders the recap step, prints the record of learning and goes back to a practice not yet done."""

    def _recap(self, page: FormPage, step: RecapStep, run: TutorialRun) -> None:
        context, t = self.context, self.context.t
        points = BulletList(context)
        points.set_items([self.text(point) for point in step.points])
        page.column.addWidget(points)
        if step.picture is not None:
            page.column.addWidget(picture_label(context, step.picture), 0, Qt.AlignmentFlag.AlignHCenter)
        page.label(t("tutorial.recap.done"), "h2")
        page.label(self.outcome_text(run))
        code = self.learning.code
        if code is not None:
            page.label(t("tutorial.recap.code", code=code_text(code, context.rtl)))
        status = InlineMessage(context, icon="receipt")
        page.column.addWidget(status)
        status.setVisible(self.print_key is not None)
        if self.print_key is not None:
            status.set_text(t(self.print_key))
        self.print_button = page.button(t("tutorial.recap.print"), self.print_record)
        buttons = [self.print_button]
        if any(s.id not in run.practice_done for s in run.tutorial.practice_steps()):
            buttons.append(page.button(t("tutorial.recap.practise_again"), self.practise_again))
        page.row(*buttons)

    def outcome_text(self, run: TutorialRun) -> str:
        """The mastery result in plain words."""
        t = self.context.t
        questions = len(run.tutorial.questions())
        right = round((run.score or 0) * questions)
        practices = run.tutorial.practice_steps()
        done = sum(1 for s in practices if s.id in run.practice_done)
        parts = [t("tutorial.recap.practice_count", done=done, total=len(practices))]
        if questions:
            parts.append(t("tutorial.recap.question_count", right=right, total=questions))
        rule = run.tutorial.mastery
        verdict = "tutorial.recap.passed" if run.mastered else "tutorial.recap.not_yet"
        parts.append(t(verdict, percent=rule.check_min_percent))
        return " ".join(parts)

    def practise_again(self) -> None:
        run = self.run
        if run is None:
            return
        target = next((s for s in run.tutorial.practice_steps() if s.id not in run.practice_done), None)
        if target is not None:
            run.go_to(target.id)
            self._moved()

    def print_record(self) -> None:
        run, code = self.run, self.learning.code
        if run is None or code is None:
            return
        from ui.tutorials.slips import build_record_slip

        context = self.context
        slip = build_record_slip(
            run.tutorial,
            code,
            self.outcome_text(run),
            context.language,
            context.t,
            site_name=context.site.name,
            kiosk_id=context.site.kiosk_id,
            printed_at=dt.datetime.now(dt.UTC),
        )
        self.print_key = "learn.code.printed" if context.print_receipt(slip) else "learn.code.no_printer"
        self.render_page()
        if self.print_button is not None:
            self.print_button.setFocus(Qt.FocusReason.OtherFocusReason)
