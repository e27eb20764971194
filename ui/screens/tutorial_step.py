"""One step of a tutorial, rendered from its data: explain, demo, practice, check or recap (tutorials.model).

The page: the tutorial's name and "Step 3 of 7", the step's title, "Read this step aloud" (the step's narration, in the
language it is written in, through the announcer), "Ask the trainer for help" when the learner is in a group session
today (it raises their flag on the trainer's screen and resets nothing: ui.tutorials.trainer_parts.LearnerRecords), the
step itself, then "Previous step" and "Next step". Progress is
saved at every move, every answer and every finished practice (`Learning.save`), so the learner code resumes it.

- explain: the text and its picture (ui.tutorials.pictures);
- demo: the simulated screen, inert, one frame at a time: "Next frame"/"Previous frame" move the highlight and the
  caption. Nothing moves by itself: no step is timed and nothing advances without the learner;
- practice: the task, the simulated screen in its "Practice — nothing is sent" frame (ui.tutorials.simulations), the
  feedback under it (announced assertively; focus goes where the feedback points), and "Show me a hint";
- check: each question as a radio group (one Tab stop, arrows inside) with "Check my answer" and the chosen option's
  feedback;
- recap: the points to remember and, once the run is finished, the outcome in plain words, "Print my record of
  learning" (a slip with the competences covered) and "Practise again".

The page is rebuilt on each change of step, language or text size (as the form pages are), so the focus order is the
order on screen. The simulated screen reports what the learner did to the engine (`TutorialRun.act`) and never
reaches the outbox, a service or the network.

The parts live beside this module: ui.screens.tutorial_step_state (what the page remembers, the base of them all),
_practice (demo and practice steps), _check (check steps) and _recap (the recap step); this module keeps the page
around the step, the help and reading aloud, and the moves between steps.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from accessibility.speech import Utterance
from tutorials.model import CheckStep, DemoStep, ExplainStep, PracticeStep, RecapStep
from ui.screens.browse_parts import InlineMessage
from ui.screens.form_parts import FormPage, replace_page
from ui.screens.tutorial_step_check import CheckParts
from ui.screens.tutorial_step_practice import PracticeParts
from ui.screens.tutorial_step_recap import RecapParts
from ui.tutorials.pictures import picture_label

if TYPE_CHECKING:
    from tutorials.engine import TutorialRun

LEARN_HOME = "learn-home"


class TutorialStepScreen(PracticeParts, CheckParts, RecapParts):
    """`practice_only`: the `practice` screen, which opens on the run's first practice step not yet done. `records`:
    group sessions on this kiosk (None: no "Ask the trainer for help")."""

    def on_shown(self) -> None:
        run = self.run
        if run is None:
            return
        if self.practice_only and run.step.kind != "practice":
            steps = run.tutorial.practice_steps()
            target = next((s for s in steps if s.id not in run.practice_done), steps[0] if steps else None)
            if target is not None:
                run.go_to(target.id)
        if run.step.id != self._step_id:
            self._enter_step()
        self.render_page()

    def on_retranslate(self) -> None:
        if self.run is not None:
            self.render_page()

    def on_restyle(self) -> None:
        self.on_retranslate()

    def first_focus(self) -> QWidget | None:
        run = self.run
        if run is None:
            return None
        step = run.step
        if isinstance(step, PracticeStep) and self.frame is not None and step.id not in run.practice_done:
            return self.frame.inner.first_control() or self.next_button
        if isinstance(step, DemoStep) and self.frame_buttons is not None:
            return self.frame_buttons[1]
        if isinstance(step, CheckStep) and self.groups:
            first = next(iter(self.groups.values()))
            options = list(first[1].values())
            chosen = first[0].checkedButton()
            return chosen or (options[0] if options else None)
        if isinstance(step, RecapStep) and self.finish_button is not None:
            return self.finish_button
        return self.next_button

    # Rendering -------------------------------------------------------------------------------------------------------
    def render_page(self) -> None:
        run = self.run
        if run is None:
            return
        context, t = self.context, self.context.t
        step = run.step
        page = FormPage(context)
        page.back_row(self.go_back)
        self.frame = self.feedback_box = self.hint_button = self.hint_box = None
        self.frame_buttons = self.caption = None
        self.groups, self.check_buttons, self.answer_boxes = {}, {}, {}
        self.print_button = self.finish_button = None
        page.label(self.text(run.tutorial.title), "muted")
        number, total = run.position
        self.position_label = page.label(t("tutorial.step_of", number=number, total=total), "title")
        self.heading = page.label(self.text(step.title), "h1")
        self.read_button = page.button(t("tutorial.read_aloud"), self.read_aloud)
        self.help_button = self.help_box = None
        if self.in_group():
            self.help_button = page.button(t("tutorial.help.ask"), self.ask_for_help)
            page.row(self.read_button, self.help_button)
            self.help_box = InlineMessage(context, icon="help")
            page.column.addWidget(self.help_box)
            self.help_box.setVisible(self.help_key is not None)
            if self.help_key is not None:
                self.help_box.set_text(t(self.help_key))
        else:
            page.row(self.read_button)
        if isinstance(step, ExplainStep):
            page.label(self.text(step.text))
            page.column.addWidget(picture_label(context, step.picture), 0, Qt.AlignmentFlag.AlignHCenter)
        elif isinstance(step, DemoStep):
            self._demo(page, step)
        elif isinstance(step, PracticeStep):
            self._practice(page, step, run)
        elif isinstance(step, CheckStep):
            self._check(page, step, run)
        elif isinstance(step, RecapStep):
            self._recap(page, step, run)
        self._navigation(page, run)
        page.finish()
        replace_page(self.body, self.page, page)
        self.page = page
        self.set_page_title(f"{self.text(step.title)} · {t('tutorial.step_of', number=number, total=total)}")

    def _navigation(self, page: FormPage, run: TutorialRun) -> None:
        t = self.context.t
        self.previous_button = page.button(t("tutorial.previous"), self.previous_step)
        self.previous_button.setEnabled(run.index > 0)
        if run.at_last_step:
            self.next_button = None
            self.finish_button = page.button(t("tutorial.finish"), self.finish, kind="primary")
            page.row(self.finish_button, self.previous_button)
        else:
            self.next_button = page.button(t("tutorial.next"), self.next_step, kind="primary")
            page.row(self.next_button, self.previous_button)

    # Acting ----------------------------------------------------------------------------------------------------------
    def in_group(self) -> bool:
        """The learner of this session is in a group session on this kiosk today (asked once per learner)."""
        learner = self.learning.learner
        if self.records is None or learner is None:
            return False
        if learner.uuid not in self._in_group:
            try:
                self._in_group[learner.uuid] = self.records.in_group_today(learner)
            except (OSError, sqlite3.Error):
                return False
        return self._in_group[learner.uuid]

    def ask_for_help(self) -> None:
        """Raise the learner's flag on the trainer's screen; nothing of the run changes."""
        learner = self.learning.learner
        if self.records is None or learner is None:
            return
        try:
            asked = self.records.ask_for_help(learner) > 0
        except (OSError, sqlite3.Error):
            asked = False
        self.help_key = "tutorial.help.asked" if asked else "tutorial.help.not_sent"
        self.render_page()
        if self.help_button is not None:
            self.help_button.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.help_box is not None:
            self.context.announce(self.help_box, self.help_box.text.text(), assertive=True)

    def read_aloud(self) -> None:
        run = self.run
        if run is None or self.heading is None:
            return
        found = run.step.narration.get(self.context.language)
        self.context.announce(self.heading, [Utterance(found.text, found.lang)], always_speak=True)

    def _enter_step(self) -> None:
        run = self.run
        assert run is not None
        self._step_id = run.step.id
        self.frame_index = 0
        self.help_key = None
        self.learning.save()

    def _moved(self) -> None:
        self._enter_step()
        self.render_page()
        self.scroll_area.verticalScrollBar().setValue(0)
        focus = self.first_focus()
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        run = self.run
        if run is not None and self.heading is not None and self.position_label is not None:
            found = run.step.narration.get(self.context.language)
            title = f"{self.position_label.text()}. {self.heading.text()}"
            spoken = [Utterance(title, self.context.language), Utterance(found.text, found.lang)]
            self.context.announce(self.heading, title, spoken=spoken)

    def next_step(self) -> None:
        run = self.run
        if run is not None and run.next():
            self._moved()

    def previous_step(self) -> None:
        run = self.run
        if run is not None and run.back():
            self._moved()

    def open_step(self, step_id: str, tutorial_id: str | None = None) -> None:
        """Show a step straight away (pictures and checks of each step kind), opening `tutorial_id` first if given."""
        if tutorial_id is not None:
            self.learning.start(tutorial_id)
        run = self.run
        if run is not None:
            run.go_to(step_id)
            self._moved()

    def finish(self) -> None:
        self.learning.save()
        self.context.navigate(LEARN_HOME)

    def go_back(self) -> None:
        self.learning.save()
        self.context.back()
