"""The digital-skills self-assessment: "I can…" self-ratings and true/false questions per DigComp area, a score per
area, the next tutorials to try, and a printable result.

Modelled on the EU "Test your digital skills": per area (1-5) a few statements rated on a 4-point scale and a few
true/false questions with feedback, from `tutorials/assessment/self-assessment.json` (tutorials.assessment_file). An
area's score (0-100) weighs every answered item alike: a rating gives 0, 1/3, 2/3 or 1, a question 1 when right;
skipped items do not count, and an area with nothing answered has no score (and so drives no recommendation).

The result slip is a Qt-free description like kiosk.receipts' (ui/ prints it): levels in plain words and the titles of
the recommended tutorials, nothing personal. A learner with a code may keep the result as xAPI-shaped statements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, Final, NamedTuple

from sqlite_utils import Database

from kiosk.i18n import is_rtl
from kiosk.receipts import label_separator
from tutorials.assessment_file import Assessment, parse_tag
from tutorials.model import Tutorial
from tutorials.progress import Learner, insert_statements
from tutorials.statements import INTERACTION, envelope

MAX_RECOMMENDED: Final = 3
ASSESSMENT_TYPE: Final = "http://adlnet.gov/expapi/activities/assessment"
AREA_SCORES_EXTENSION: Final = "urn:citizen-kiosk:xapi:digcomp-area-scores"

# The slip's own strings (kiosk/locales/*.json), with the shared "receipt.site" and "receipt.kiosk".
ASSESSMENT_SLIP_LABEL_KEYS: Final = (
    "assessment.slip.title",  # "Your digital skills"
    "assessment.slip.areas",  # "Where you are today"
    "assessment.slip.next",  # "Tutorials to try next"
    "assessment.slip.nothing_next",  # "You have done the tutorials we would suggest. Well done!"
    "assessment.slip.keep",  # "Your slip has no name and no code. Keep it to see how far you have come."
    "receipt.site",
    "receipt.kiosk",
)


# Scoring ---------------------------------------------------------------------------------------------------------
class AreaScore(NamedTuple):
    area: int
    score: int | None  # 0-100; None when nothing in the area was answered
    level: str | None  # the plain-words level's id
    rated: int  # statements rated
    answered: int  # questions answered
    right: int


class AssessmentResult(NamedTuple):
    assessment_id: str
    version: str
    areas: tuple[AreaScore, ...]  # 1..5

    def weakest_first(self) -> tuple[int, ...]:
        """The areas with a score, lowest score first (ties: lower area number first)."""
        return tuple(a.area for a in sorted((a for a in self.areas if a.score is not None), key=_by_score))

    @property
    def overall(self) -> float | None:
        """The mean of the area scores, 0..1 (the xAPI scaled score); None when no area was answered."""
        scores = [a.score for a in self.areas if a.score is not None]
        return round(sum(scores) / (100 * len(scores)), 4) if scores else None


def _by_score(area: AreaScore) -> tuple[int, int]:
    return (area.score if area.score is not None else 101, area.area)


def score(assessment: Assessment, ratings: Mapping[str, int], answers: Mapping[str, bool]) -> AssessmentResult:
    """Score the learner's ratings (statement id -> 1..4) and answers (question id -> true/false) per area."""
    statements = {s.id for a in assessment.areas for s in a.statements}
    questions = {q.id for a in assessment.areas for q in a.questions}
    unknown = (set(ratings) - statements) | (set(answers) - questions)
    if unknown:
        raise KeyError(f"not in the assessment: {', '.join(sorted(unknown))}")
    if any(isinstance(r, bool) or r not in (1, 2, 3, 4) for r in ratings.values()):
        raise ValueError("a rating is 1, 2, 3 or 4")
    areas = []
    for area in assessment.areas:
        rated = [ratings[s.id] - 1 for s in area.statements if s.id in ratings]  # 0..3 thirds of an item
        right = [answers[q.id] == q.answer for q in area.questions if q.id in answers]
        count = len(rated) + len(right)
        thirds = sum(rated) + 3 * sum(right)
        # 100 * thirds / (3 * count), rounded half up in whole numbers (no floating-point edge cases).
        value = (200 * thirds + 3 * count) // (6 * count) if count else None
        level = assessment.level(value).id if value is not None else None
        areas.append(AreaScore(area.number, value, level, len(rated), len(right), sum(right)))
    return AssessmentResult(assessment.id, assessment.version, tuple(areas))


def recommend(
    result: AssessmentResult,
    tutorials: Iterable[Tutorial],
    *,
    completed: Collection[str] = (),
    limit: int = MAX_RECOMMENDED,
) -> list[str]:
    """Ids of at most `limit` tutorials to try next: those whose DigComp tags cover the weakest area first (then the
    lowest level, the shortest, by id), never one in `completed` (the learner's finished ones: completed_tutorials)."""
    rank = {area: n for n, area in enumerate(result.weakest_first())}
    keyed: list[tuple[tuple[int, int, int, str], str]] = []
    for tutorial in tutorials:
        if tutorial.id in completed:
            continue
        tags = [t for t in map(parse_tag, tutorial.digcomp) if t is not None and t.area in rank]
        if not tags:
            continue
        best = min(rank[t.area] for t in tags)
        level = min(t.level for t in tags if rank[t.area] == best)
        keyed.append(((best, level, tutorial.estimated_minutes, tutorial.id), tutorial.id))
    return [tutorial_id for _, tutorial_id in sorted(keyed)[: max(limit, 0)]]


def completed_tutorials(db: Database, learner: Learner) -> frozenset[str]:
    """Ids of the tutorials the learner has finished on this kiosk (a "completed" statement, any version)."""
    rows = db.execute(
        "SELECT DISTINCT object_id FROM learning_statements WHERE learner_uuid = ? AND verb = 'completed' "
        "AND object_id LIKE 'urn:citizen-kiosk:tutorial:%'",
        [learner.uuid],
    ).fetchall()
    return frozenset(tutorial_id_of(object_id) for (object_id,) in rows)


def tutorial_id_of(object_id: str) -> str:
    """`urn:citizen-kiosk:tutorial:<id>@<version>[/<question>]` -> `<id>`."""
    return object_id.removeprefix("urn:citizen-kiosk:tutorial:").split("@", 1)[0]


# The printed result ----------------------------------------------------------------------------------------------
class AreaLine(NamedTuple):
    area: int
    title: str  # plain words
    level: str  # level id
    level_text: str  # "Getting there"


class AssessmentSlip(NamedTuple):
    """The printed result in one language, in print order; nothing on it names the learner."""

    title: str
    areas_heading: str
    areas: tuple[AreaLine, ...]  # the answered areas, 1..5
    next_heading: str
    recommended: tuple[str, ...]  # titles of the recommended tutorials, in order
    nothing_next: str | None  # said instead when nothing is recommended
    keep_note: str
    site_line: str
    lang: str
    rtl: bool


def build_assessment_slip(
    assessment: Assessment,
    result: AssessmentResult,
    recommended: Sequence[Tutorial],
    lang: str,
    labels: Callable[[str], str],
    *,
    site_name: str,
    kiosk_id: str,
) -> AssessmentSlip:
    """The result slip; `labels(key)` must know ASSESSMENT_SLIP_LABEL_KEYS (e.g. `lambda key: catalog.t(key, lang)`)."""
    titles = {a.number: a.title for a in assessment.areas}
    lines = tuple(
        AreaLine(a.area, titles[a.area].t(lang), a.level, assessment.level(a.score).label.t(lang))
        for a in result.areas
        if a.score is not None and a.level is not None
    )
    return AssessmentSlip(
        title=labels("assessment.slip.title"),
        areas_heading=labels("assessment.slip.areas"),
        areas=lines,
        next_heading=labels("assessment.slip.next"),
        recommended=tuple(t.title.t(lang) for t in recommended),
        nothing_next=None if recommended else labels("assessment.slip.nothing_next"),
        keep_note=labels("assessment.slip.keep"),
        site_line=slip_site_line(labels, site_name, kiosk_id, lang),
        lang=lang,
        rtl=is_rtl(lang),
    )


def slip_site_line(labels: Callable[[str], str], site_name: str, kiosk_id: str, lang: str) -> str:
    """Where a slip was printed, as on receipts: names isolated in right-to-left text so bidi cannot reorder them."""
    rtl = is_rtl(lang)
    site = f"\u2068{site_name}\u2069" if rtl else site_name
    kiosk = f"\u2066{kiosk_id}\u2069" if rtl else kiosk_id
    return labels("receipt.site") + label_separator(lang) + site + " · " + labels("receipt.kiosk") + "\u00a0" + kiosk


# Learning records ------------------------------------------------------------------------------------------------
def record_assessment(
    db: Database,
    learner: Learner,
    assessment: Assessment,
    result: AssessmentResult,
    answers: Mapping[str, bool],
    *,
    site: str,
    now: dt.datetime,
) -> list[dict[str, Any]]:
    """For a learner with a code: one "answered" statement per true/false question and one "completed" with the area
    scores, stored like the tutorials' (the self-ratings themselves are not kept, only the scores they gave)."""
    activity = {
        "objectType": "Activity",
        "id": assessment.iri,
        "definition": {"type": ASSESSMENT_TYPE, "name": dict(assessment.title.values)},
    }
    made = []
    for question in (q for a in assessment.areas for q in a.questions if q.id in answers):
        interaction = {
            "objectType": "Activity",
            "id": f"{assessment.iri}/{question.id}",
            "definition": {
                "type": INTERACTION,
                "name": dict(question.statement.values),
                "interactionType": "true-false",
                "correctResponsesPattern": ["true" if question.answer else "false"],
            },
        }
        body = _statement(learner, site, now, "answered", interaction)
        body["context"]["contextActivities"] = {"parent": [{"objectType": "Activity", "id": assessment.iri}]}
        body["result"] = {
            "success": answers[question.id] == question.answer,
            "response": "true" if answers[question.id] else "false",
        }
        made.append(body)
    done = _statement(learner, site, now, "completed", activity)
    done["result"] = {
        "completion": True,
        "extensions": {AREA_SCORES_EXTENSION: {str(a.area): a.score for a in result.areas if a.score is not None}},
    }
    if result.overall is not None:
        done["result"]["score"] = {"scaled": result.overall}
    made.append(done)
    with db.conn:
        insert_statements(db, learner, made)
    return made


def _statement(learner: Learner, site: str, now: dt.datetime, verb: str, activity: dict[str, Any]) -> dict[str, Any]:
    return envelope(verb, activity, learner_uuid=learner.uuid, site=site, now=now)
