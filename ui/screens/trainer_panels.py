"""The panels of one group session's page on the trainer's screen: a learner's progress, and a new learner's code.

`learner_panel` is one row of the progress table (one learner: the step reached in each tutorial, "Needs help" with
"Helped", "Present", "Print completion slip"); `code_panel` shows a code just issued, once. They are built from what
they are given and hand their controls back, so `ui.screens.trainer_session` keeps the screen's state and focus in
one place and these stay plain widget building.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout

from accessibility.speech import grouped_for_listening
from kiosk.codes import for_speech
from tutorials.trainer_records import ProgressRow
from ui.forms.base import plain_label
from ui.forms.painted import CheckOption
from ui.screens.base import ScreenContext
from ui.screens.browse_parts import InlineMessage
from ui.screens.draft_parts import code_for_speech, code_text
from ui.screens.form_parts import FormPage
from ui.widgets import KioskButton

if TYPE_CHECKING:
    from tutorials.model import Tutorial


class LearnerControls(NamedTuple):
    """What a render may give the focus to in one learner's panel."""

    present: CheckOption
    helped: KioskButton | None  # only while the learner asks for help
    slip: KioskButton


def code_panel(context: ScreenContext, who: str, code: str) -> QFrame:
    body = context.px()
    panel = QFrame()
    panel.setProperty("role", "panel")
    column = QVBoxLayout(panel)
    column.setContentsMargins(body * 3 // 2, body, body * 3 // 2, body)
    heading = plain_label("title")
    heading.setText(context.t("trainer.enrol.code_for", who=who))
    column.addWidget(heading)
    shown = plain_label("reference")
    shown.setText(code_text(code, context.rtl))
    spoken = code_for_speech(code)
    shown.setAccessibleName(spoken)
    shown.setProperty("speechText", grouped_for_listening(for_speech(code)))
    column.addWidget(shown)
    panel.setAccessibleName(f"{heading.text()}: {spoken}")
    return panel


def roster_name(context: ScreenContext, row: ProgressRow) -> str:
    return f"{row.position}. {row.first_name}" if row.first_name else context.t("trainer.learner", n=row.position)


def step_text(context: ScreenContext, row: ProgressRow, tutorial: Tutorial | None) -> str:
    t = context.t
    title = tutorial.title.t(context.language) if tutorial is not None else row.tutorial_id
    if row.finished:
        done = t("trainer.progress.passed" if row.passed else "trainer.progress.finished")
        score = "" if row.score is None else " " + t("trainer.progress.score", percent=round(row.score * 100))
        return f"{title}: {done}{score}"
    if row.step_reached == 0:
        return f"{title}: {t('trainer.progress.not_started')}"
    return f"{title}: {t('tutorial.step_of', number=row.step_reached, total=row.steps)}"


def learner_panel(
    context: ScreenContext,
    page: FormPage,
    rows: Sequence[ProgressRow],
    tutorials: Mapping[str, Tutorial],
    *,
    mark: Callable[[str, bool], None],
    helped: Callable[[str, int], None],
    print_slip: Callable[[str, int], None],
) -> LearnerControls:
    """One learner's `rows` (one per tutorial) as a panel added to `page`; the buttons call back with the learner's
    uuid (and roster number)."""
    t, first = context.t, rows[0]
    who = roster_name(context, first)
    body = context.px()
    panel = QFrame()
    panel.setProperty("role", "summary-row")  # a row of the progress table, ruled off from the next
    column = QVBoxLayout(panel)
    column.setContentsMargins(0, 0, 0, body * 3 // 4)
    column.setSpacing(max(context.panel.min_gap_px, body // 2))
    name = plain_label("h2")
    name.setText(who)
    column.addWidget(name)
    for row in rows:
        line = plain_label("body")
        line.setText(step_text(context, row, tutorials.get(row.tutorial_id)))
        column.addWidget(line)
    key = first.learner_uuid
    if first.help_requested:
        flag = InlineMessage(context, icon="help")
        flag.set_text(t("trainer.progress.needs_help", who=who))
        column.addWidget(flag)
    present = CheckOption()
    present.set_texts(t("trainer.progress.present"))
    present.setAccessibleName(f"{t('trainer.progress.present')}: {who}")
    present.apply_metrics(context)
    present.setChecked(first.attended)
    present.toggled.connect(lambda on, uuid=key: mark(uuid, on))
    column.addWidget(present, 0, Qt.AlignmentFlag.AlignLeading)
    buttons = []
    helped_button = None
    if first.help_requested:
        helped_button = page.button(
            t("trainer.progress.helped"), functools.partial(_clicked, helped, key, first.position)
        )
        helped_button.setAccessibleName(f"{t('trainer.progress.helped')}: {who}")
        buttons.append(helped_button)
    slip = page.button(t("trainer.slip.print"), functools.partial(_clicked, print_slip, key, first.position))
    slip.setAccessibleName(f"{t('trainer.slip.print')}: {who}")
    buttons.append(slip)
    holder = page.row(*buttons)
    page.column.removeWidget(holder)  # page.row adds to the page; this row belongs in the panel
    column.addWidget(holder)
    page.column.addWidget(panel)
    return LearnerControls(present, helped_button, slip)


def _clicked(act: Callable[[str, int], None], learner_uuid: str, position: int, *_checked: object) -> None:
    """A button of one learner's row (`clicked` may pass its checked state: ignored)."""
    act(learner_uuid, position)
