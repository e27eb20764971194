"""A group session's progress as a CSV file for spreadsheets, written so only the kiosk user can read it.

Kept apart from `tutorials.trainer` because it is file work, not session work: the columns and the defence against a
spreadsheet running a cell as a formula (the all-or-nothing private write is `kiosk.export.write_private`). No codes
and no uuids leave: learners are their roster number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Final

from tutorials.model import Tutorial
from tutorials.trainer_records import GroupSession, ProgressRow

CSV_COLUMNS: Final = (
    "kiosk", "session", "date", "learner", "first_name", "tutorial", "tutorial_title", "step_reached", "steps",
    "finished", "passed", "score_percent", "attended", "help_requested",
)  # fmt: skip
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def progress_csv(
    session: GroupSession, rows: Sequence[ProgressRow], tutorials: Mapping[str, Tutorial], *, lang: str, kiosk_id: str
) -> bytes:
    """The CSV file of the session's progress `rows`: UTF-8 with a BOM, for spreadsheets; tutorial titles in `lang`.
    `kiosk_id` fills the first column, so the exports of a classroom's kiosks can be put in one sheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                safe_cell(kiosk_id),
                session.id,
                session.day.isoformat(),
                r.position,
                safe_cell(r.first_name or ""),
                r.tutorial_id,
                safe_cell(tutorials[r.tutorial_id].title.t(lang)),
                r.step_reached,
                r.steps,
                _yes(r.finished),
                _yes(r.passed),
                "" if r.score is None else round(r.score * 100),
                _yes(r.attended),
                _yes(r.help_requested),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def safe_cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP CSV injection): a leading quote disarms it."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
