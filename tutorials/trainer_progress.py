"""A group session's live progress table and the completion slip drawn from it.

Progress is read, never copied, from what the learners' runs saved (learner_progress) and their statements
(learning_statements), so the trainer's view and the learner's own record cannot disagree. The completion slip names
the tutorials a learner finished and the DigComp competences they cover. Kept apart from `tutorials.trainer`, which
manages sessions and rosters, because this is the read-only reporting over them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Final

from sqlite_utils import Database

from kiosk.i18n import is_rtl
from kiosk.receipts import format_date
from tutorials.assessment import slip_site_line, tutorial_id_of
from tutorials.assessment_file import Assessment, parse_tag
from tutorials.model import Tutorial
from tutorials.trainer_records import CompletionSlip, Enrolment, GroupSession, ProgressRow

# The completion slip's own strings (kiosk/locales/*.json), with the shared "receipt.site" and "receipt.kiosk".
COMPLETION_SLIP_LABEL_KEYS: Final = (
    "trainer.slip.title",  # "Record of learning"
    "trainer.slip.tutorials",  # "Tutorials done"
    "trainer.slip.none",  # "No tutorial finished yet."
    "trainer.slip.competences",  # "Digital skills practised"
    "trainer.slip.not_certificate",  # "A record of learning, not a certificate."
    "receipt.site",
    "receipt.kiosk",
)


def read_progress(
    db: Database, session: GroupSession, roster: Sequence[Enrolment], tutorials: Mapping[str, Tutorial]
) -> list[ProgressRow]:
    """One row per learner (roster order) and tutorial (session order) still shipped on this kiosk."""
    session_id = session.id
    saved = {
        (learner, tutorial): (step_id, index)
        for learner, tutorial, step_id, index in db.execute(
            "SELECT p.learner_uuid, p.tutorial_id, p.step_id, p.step_index FROM learner_progress p "
            "JOIN training_enrolments e ON e.learner_uuid = p.learner_uuid WHERE e.session_id = ?",
            [session_id],
        ).fetchall()
    }
    results: dict[tuple[str, str], tuple[bool, float | None]] = {}  # -> (passed, best score)
    for learner, verb, object_id, scaled in db.execute(
        "SELECT s.learner_uuid, s.verb, s.object_id, json_extract(s.statement, '$.result.score.scaled') "
        "FROM learning_statements s JOIN training_enrolments e ON e.learner_uuid = s.learner_uuid "
        "WHERE e.session_id = ? AND s.verb IN ('completed', 'passed', 'failed') "
        "AND s.object_id LIKE 'urn:citizen-kiosk:tutorial:%'",
        [session_id],
    ).fetchall():
        key = (learner, tutorial_id_of(object_id))
        passed, best = results.get(key, (False, None))
        if scaled is not None:
            best = max(best, float(scaled)) if best is not None else float(scaled)
        results[key] = (passed or verb == "passed", best)
    rows = []
    for enrolment in roster:
        for tutorial_id in session.tutorials:
            tutorial = tutorials.get(tutorial_id)
            if tutorial is None:
                continue
            key = (enrolment.learner_uuid, tutorial_id)
            steps, result = len(tutorial.steps), results.get(key)
            reached = 0
            if key in saved:
                step_id, index = saved[key]
                found = tutorial.step_index(step_id)
                reached = (found if found is not None else min(index, steps - 1)) + 1
            rows.append(
                ProgressRow(
                    enrolment.position,
                    enrolment.learner_uuid,
                    enrolment.first_name,
                    tutorial_id,
                    steps if result is not None else reached,
                    steps,
                    result is not None,
                    result is not None and result[0],
                    result[1] if result is not None else None,
                    enrolment.attended,
                    enrolment.help_requested_at is not None,
                )
            )
    return rows


def build_completion_slip(
    session: GroupSession,
    enrolment: Enrolment,
    rows: Sequence[ProgressRow],
    tutorials: Mapping[str, Tutorial],
    *,
    names: Assessment,
    lang: str,
    labels: Callable[[str], str],
    site_name: str,
    kiosk_id: str,
) -> CompletionSlip:
    """The slip of the learner `enrolment` from the session's progress `rows`; `names` (the self-assessment file)
    names the competences in `lang`; `labels` must know COMPLETION_SLIP_LABEL_KEYS."""
    done = [tutorials[r.tutorial_id] for r in rows if r.finished and r.position == enrolment.position]
    tags = sorted({tag.competence for t in done for tag in map(parse_tag, t.digcomp) if tag is not None})
    competences = tuple(f"{cid} {c.name.t(lang)}" if (c := names.competence(cid)) is not None else cid for cid in tags)
    rtl = is_rtl(lang)
    name = f"\u2068{session.name}\u2069" if rtl else session.name
    day = format_date(dt.datetime.combine(session.day, dt.time(12), dt.UTC), lang, dt.UTC)
    return CompletionSlip(
        title=labels("trainer.slip.title"),
        first_name=enrolment.first_name,
        session_line=f"{name} · {day}",
        tutorials_heading=labels("trainer.slip.tutorials"),
        tutorials=tuple(t.title.t(lang) for t in done),
        none_note=None if done else labels("trainer.slip.none"),
        competences_heading=labels("trainer.slip.competences"),
        framework=f"DigComp {names.framework}",
        competences=competences,
        note=labels("trainer.slip.not_certificate"),
        site_line=slip_site_line(labels, site_name, kiosk_id, lang),
        lang=lang,
        rtl=rtl,
    )
