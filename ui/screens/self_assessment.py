"""Check your digital skills (`self-assessment`): one statement or question per page, then levels and tutorials to try.

Reached from learn-home. Modelled on the EU "Test your digital skills" (tutorials.assessment): first a short page
saying what it is, then each item of tutorials/assessment/self-assessment.json on a page of its own, in large type,
with where the learner is ("3 of 25"):

- an "I can…" statement with the four ratings as four large radio options with words (one Tab stop, arrows inside);
- a true/false question with "True" and "False", "Check my answer" and the file's feedback once answered.

"Next" goes on (with nothing chosen it skips: a skipped item does not count), "Previous" goes back and keeps the
answers. The result page says, per DigComp area, a level in plain words (no percentages), lists the recommended
tutorials (tap one to start it: learn-home's learner code is made then, as for any tutorial), and "Print my result"
prints the assessment slip through the receipt path (nothing on it names the learner). Only a learner who has a code
in this session keeps the result, as statements (`LearnerRecords.keep_assessment`); nobody else's answers are stored.
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QFrame, QLabel, QVBoxLayout, QWidget

from tutorials.assessment import build_assessment_slip, recommend, score, tutorial_id_of
from tutorials.assessment_file import Area, Assessment, Statement, TrueFalse, load_assessment
from tutorials.progress import LearnerError
from ui.forms.base import plain_label
from ui.forms.painted import RadioOption
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage
from ui.screens.entry import EntryButton
from ui.screens.form_parts import FormPage, replace_page
from ui.tutorials.learning import Learning, LearningUnavailableError
from ui.tutorials.trainer_parts import assessment_receipt

if TYPE_CHECKING:
    from collections.abc import Callable

    from tutorials.assessment import AssessmentResult
    from ui.tutorials.trainer_parts import LearnerRecords
    from ui.widgets import KioskButton

Item = tuple[Area, Statement | TrueFalse]
TUTORIAL_STEP = "tutorial-step"


class SelfAssessmentScreen(Screen):
    def __init__(
        self,
        context: ScreenContext,
        learning: Learning,
        *,
        records: LearnerRecords | None = None,
        load: Callable[[], Assessment] = load_assessment,
    ) -> None:
        super().__init__(context)
        self.learning = learning
        learning.follow(context.session)
        self.records = records
        self._load = load
        self._assessment: Assessment | None = None
        self.page: FormPage | None = None
        self.index = -1  # -1: the opening page; len(items): the result
        self.ratings: dict[str, int] = {}
        self.answers: dict[str, bool] = {}
        self.checked: set[str] = set()  # questions whose feedback is shown
        self.options: dict[str, RadioOption] = {}
        self.position_label: QLabel | None = None
        self.heading: QLabel | None = None
        self.next_button: KioskButton | None = None
        self.check_button: KioskButton | None = None
        self.print_button: KioskButton | None = None
        self.feedback_box: InlineMessage | None = None
        self.entries: dict[str, EntryButton] = {}
        self.area_lines: dict[int, QLabel] = {}
        self.print_key: str | None = None
        self.kept = False
        self.result: AssessmentResult | None = None
        self.recommended: list[str] = []

    @property
    def assessment(self) -> Assessment:
        if self._assessment is None:
            self._assessment = self._load()
        return self._assessment

    @property
    def items(self) -> list[Item]:
        items: list[Item] = []
        for area in self.assessment.areas:  # per area: its statements, then its questions
            items += [(area, statement) for statement in area.statements]
            items += [(area, question) for question in area.questions]
        return items

    # Showing ---------------------------------------------------------------------------------------------------------
    def on_shown(self) -> None:
        self.render_page()

    def on_retranslate(self) -> None:
        self.render_page()

    def on_restyle(self) -> None:
        self.render_page()

    def first_focus(self) -> QWidget | None:
        if 0 <= self.index < len(self.items):
            chosen = next((o for o in self.options.values() if o.isChecked()), None)
            return chosen or next(iter(self.options.values()), None)
        if self.index >= len(self.items):
            return next(iter(self.entries.values()), self.print_button)
        return self.next_button

    def render_page(self) -> None:
        context, t = self.context, self.context.t
        page = FormPage(context)
        page.back_row(self.previous)
        self.options, self.entries, self.area_lines = {}, {}, {}
        self.position_label = self.heading = self.check_button = self.print_button = self.feedback_box = None
        items = self.items
        if self.index < 0:
            self.heading = page.label(t("assessment.title"), "h1")
            page.label(self.assessment.intro.t(context.language), "lead")
            page.label(t("assessment.skip_note"))
            self.next_button = page.button(t("assessment.start"), self.next, kind="primary")
            page.row(self.next_button)
        elif self.index < len(items):
            self._item_page(page, *items[self.index])
        else:
            self._result_page(page)
        page.finish()
        replace_page(self.body, self.page, page)
        self.page = page
        title = self.heading.text() if self.heading is not None else t("assessment.title")
        self.set_page_title(title)

    def _item_page(self, page: FormPage, area: Area, item: Statement | TrueFalse) -> None:
        context, t, lang = self.context, self.context.t, self.context.language
        page.label(area.title.t(lang), "muted")
        self.position_label = page.label(
            t("assessment.progress", number=self.index + 1, total=len(self.items)), "title"
        )
        text = item.text.t(lang) if isinstance(item, Statement) else item.statement.t(lang)
        self.heading = page.label(text, "h1")
        is_question = isinstance(item, TrueFalse)
        prompt = t("assessment.question" if is_question else "assessment.rate")
        group_frame = QFrame()
        group_frame.setProperty("role", "form-group")
        column = QVBoxLayout(group_frame)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(max(context.panel.min_gap_px, context.px() // 2))  # options are targets: 3 mm apart
        label = plain_label("h2")
        label.setText(prompt)
        column.addWidget(label)
        group = QButtonGroup(group_frame)
        if isinstance(item, TrueFalse):
            choices = [("true", t("assessment.true")), ("false", t("assessment.false"))]
            chosen = None if item.id not in self.answers else ("true" if self.answers[item.id] else "false")
        else:
            choices = [(str(n), label.t(lang)) for n, label in enumerate(self.assessment.scale, start=1)]
            chosen = str(self.ratings[item.id]) if item.id in self.ratings else None
        for value, words in choices:
            radio = RadioOption()
            radio.set_texts(words)
            radio.setAccessibleDescription(f"{text} {prompt}")
            radio.apply_metrics(context)
            radio.setChecked(value == chosen)
            radio.toggled.connect(functools.partial(self._toggled, item, value))
            radio.enter_pressed.connect(self.check if is_question else self.next)
            group.addButton(radio)
            column.addWidget(radio, 0, Qt.AlignmentFlag.AlignLeading)
            self.options[value] = radio
        page.column.addWidget(group_frame)
        if isinstance(item, TrueFalse):
            self.check_button = page.button(t("tutorial.check.button"), self.check)
            page.row(self.check_button)
            self.feedback_box = InlineMessage(context, icon="info")
            page.column.addWidget(self.feedback_box)
            self._show_feedback(item)
        last = self.index == len(self.items) - 1
        self.next_button = page.button(t("assessment.finish" if last else "assessment.next"), self.next, kind="primary")
        previous = page.button(t("assessment.previous"), self.previous)
        page.row(self.next_button, previous)

    def _show_feedback(self, item: TrueFalse) -> None:
        box = self.feedback_box
        if box is None:
            return
        box.setVisible(item.id in self.checked and item.id in self.answers)
        if not box.isVisible():
            return
        right = self.answers[item.id] == item.answer
        mark = self.context.t("tutorial.right" if right else "tutorial.not_quite")
        box.set_text(f"{mark} {item.feedback.t(self.context.language)}")
        box.icon_name = "check" if right else "warning"
        box.restyle()

    def _result_page(self, page: FormPage) -> None:
        context, t, lang = self.context, self.context.t, self.context.language
        result = self.result
        assert result is not None
        self.heading = page.label(t("assessment.result.title"), "h1")
        page.label(t("assessment.result.lead"), "lead")
        titles = {a.number: a.title.t(lang) for a in self.assessment.areas}
        for area in result.areas:
            level = (
                self.assessment.level(area.score).label.t(lang)
                if area.score is not None
                else t("assessment.result.not_answered")
            )
            self.area_lines[area.area] = page.label(f"{titles[area.area]}: {level}", "title")
        page.label(t("assessment.result.next"), "h2")
        if not self.recommended:
            page.label(t("assessment.slip.nothing_next"))
        for tutorial_id in self.recommended:
            tutorial = self.learning.tutorial(tutorial_id)
            if tutorial is None:
                continue
            entry = EntryButton("learn", "accent")
            entry.setMinimumHeight(context.panel.min_target_px)
            minutes = t("learn.minutes", minutes=tutorial.estimated_minutes)
            entry.set_texts(tutorial.title.t(lang), f"{minutes}. {tutorial.summary.t(lang)}")
            entry.setAccessibleName(tutorial.title.t(lang))
            entry.setAccessibleDescription(f"{minutes}. {tutorial.summary.t(lang)}")
            entry.apply_metrics(context)
            entry.clicked.connect(lambda _=False, tid=tutorial_id: self.start_tutorial(tid))
            page.column.addWidget(entry)
            self.entries[tutorial_id] = entry
        if self.kept:
            page.label(t("assessment.result.kept"), "muted")
        status = InlineMessage(context, icon="receipt")
        page.column.addWidget(status)
        status.setVisible(self.print_key is not None)
        if self.print_key is not None:
            status.set_text(t(self.print_key))
        self.print_button = page.button(t("assessment.result.print"), self.print_result, kind="primary")
        again = page.button(t("assessment.result.again"), self.restart)
        page.row(self.print_button, again)
        self.next_button = None

    # Acting ----------------------------------------------------------------------------------------------------------
    def _toggled(self, item: Statement | TrueFalse, value: str, on: bool) -> None:
        if on:
            self.choose(item, value)

    def choose(self, item: Statement | TrueFalse, value: str) -> None:
        if isinstance(item, TrueFalse):
            self.answers[item.id] = value == "true"
            self.checked.discard(item.id)  # a new answer: its feedback waits for "Check my answer"
            self._show_feedback(item)
        else:
            self.ratings[item.id] = int(value)

    def check(self) -> None:
        if not 0 <= self.index < len(self.items):
            return
        item = self.items[self.index][1]
        if not isinstance(item, TrueFalse) or self.feedback_box is None:
            return
        box = self.feedback_box
        if item.id not in self.answers:
            box.set_text(self.context.t("tutorial.check.choose"))
            box.setVisible(True)
        else:
            self.checked.add(item.id)
            self._show_feedback(item)
        self.context.announce(box, box.text.text(), assertive=True)
        self.scroll_area.ensureWidgetVisible(box)

    def next(self) -> None:
        self._go(self.index + 1)

    def go_back(self) -> None:
        """Escape does what the Back button does: the previous item, and only from the first one the screen before."""
        self.previous()

    def previous(self) -> None:
        if self.index < 0:
            self.context.back()
            return
        self._go(min(self.index, len(self.items)) - 1)

    def _go(self, index: int) -> None:
        self.index = max(-1, min(index, len(self.items)))
        if self.index == len(self.items):
            self._finish()
        self.render_page()
        self.scroll_area.verticalScrollBar().setValue(0)
        focus = self.first_focus()
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.heading is not None:
            spoken = self.heading.text()
            if self.position_label is not None:
                spoken = f"{self.position_label.text()}. {spoken}"
            self.context.announce(self.heading, spoken)

    def _finish(self) -> None:
        """Score, recommend, and keep the result for a learner with a code (once per assessment)."""
        result = score(self.assessment, self.ratings, self.answers)
        self.result = result
        done = {
            tutorial_id_of(s["object"]["id"])
            for s in self.learning.statements()
            if s.get("verb", {}).get("display", {}).get("en-US") == "completed"
            and str(s["object"]["id"]).startswith("urn:citizen-kiosk:tutorial:")
        }
        self.recommended = recommend(result, self.learning.tutorials(), completed=done)
        learner = self.learning.learner
        if self.kept or learner is None or self.records is None or self.learning.code is None:
            return
        try:
            self.records.keep_assessment(learner, self.assessment, result, dict(self.answers))
            self.kept = True
        except (OSError, sqlite3.Error):  # the result is still shown and printed; only keeping it failed
            self.kept = False

    def start_tutorial(self, tutorial_id: str) -> None:
        try:
            self.learning.start(tutorial_id)
        except (LearningUnavailableError, LearnerError, KeyError, OSError, sqlite3.Error):
            return
        self.context.navigate(TUTORIAL_STEP)

    def print_result(self) -> None:
        result = self.result
        if result is None:
            return
        context = self.context
        chosen = [t for t in (self.learning.tutorial(i) for i in self.recommended) if t is not None]
        slip = build_assessment_slip(
            self.assessment,
            result,
            chosen,
            context.language,
            context.t,
            site_name=context.site.name,
            kiosk_id=context.site.kiosk_id,
        )
        receipt = assessment_receipt(slip, context.t("assessment.title"), context.t, printed_at=dt.datetime.now(dt.UTC))
        printed = context.print_receipt(receipt)
        self.print_key = "assessment.result.printed" if printed else "assessment.result.no_printer"
        self.render_page()
        if self.print_button is not None:
            self.print_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def restart(self, *, render: bool = True) -> None:
        self.index, self.ratings, self.answers, self.checked = -1, {}, {}, set()
        self.result, self.recommended, self.kept, self.print_key = None, [], False, None
        if render:
            self._go(-1)
