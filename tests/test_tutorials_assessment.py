"""The self-assessment: the shipped file is schema-valid and complete, scores per area follow the documented rule, the
recommendations cover the weakest area first and never a finished tutorial, the printed result names nobody."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.catalog.model import Text
from kiosk.catalog.plain_language import warnings_for
from kiosk.crypto import PayloadCipher
from kiosk.storage import Storage, open_storage
from tests.test_tutorials_engine import complete
from tutorials.assessment import (
    AREA_SCORES_EXTENSION,
    ASSESSMENT_SLIP_LABEL_KEYS,
    build_assessment_slip,
    completed_tutorials,
    recommend,
    record_assessment,
    score,
)
from tutorials.assessment_file import ASSESSMENT_PATH, AssessmentError, assessment_problems, load_assessment, parse_tag
from tutorials.loader import load_tutorials
from tutorials.model import Mastery, Tutorial
from tutorials.progress import new_learner, record, start_run, statements_for

NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
CIPHER = PayloadCipher(b"a" * 32)
ASSESSMENT = load_assessment()
STATEMENTS = [s.id for a in ASSESSMENT.areas for s in a.statements]
QUESTIONS = {q.id: q.answer for a in ASSESSMENT.areas for q in a.questions}
TUTORIALS = load_tutorials().tutorials
ENGLISH = {
    "assessment.slip.title": "Your digital skills",
    "assessment.slip.areas": "Where you are today",
    "assessment.slip.next": "Tutorials to try next",
    "assessment.slip.nothing_next": "You have done the tutorials we would suggest.",
    "assessment.slip.keep": "This slip has no name and no code.",
    "receipt.site": "Citizen spot",
    "receipt.kiosk": "Kiosk",
}


def area_of(item_id: str) -> int:
    return next(a.number for a in ASSESSMENT.areas for i in (*a.statements, *a.questions) if i.id == item_id)


def statements_in(*numbers: int) -> list[Any]:
    return [s for a in ASSESSMENT.areas if a.number in numbers for s in a.statements]


def fake_tutorial(tutorial_id: str, tags: tuple[str, ...], minutes: int = 5) -> Tutorial:
    text = Text.of({"pt-PT": tutorial_id, "en": tutorial_id})
    return Tutorial(
        id=tutorial_id,
        version="1.0",
        title=text,
        summary=text,
        estimated_minutes=minutes,
        digcomp=tags,
        services=(),
        life_events=(),
        mastery=Mastery("none", 0),
        steps=(),
    )


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    with open_storage(tmp_path) as opened:
        yield opened


# The file -------------------------------------------------------------------------------------------------------------
def test_the_shipped_self_assessment_covers_every_digcomp_area_and_competence() -> None:
    assert [a.number for a in ASSESSMENT.areas] == [1, 2, 3, 4, 5]
    competences = [c.id for a in ASSESSMENT.areas for c in a.competences]
    assert len(competences) == 21 and len(set(competences)) == 21  # DigComp 2.2
    for area in ASSESSMENT.areas:
        assert len(area.statements) >= 3 and len(area.questions) >= 2
        assert all(s.text.values["en"].startswith("I ") for s in area.statements)
    assert [lv.id for lv in ASSESSMENT.levels] == ["starting", "getting-there", "confident"]
    assert ASSESSMENT.competence("4.2") is not None
    assert ASSESSMENT.competence("4.2").name.t("pt-PT") == "Proteger dados pessoais e privacidade"  # type: ignore[union-attr]


def test_the_shipped_texts_are_plain_language() -> None:
    texts = [
        (f"{item.id}", text)
        for area in ASSESSMENT.areas
        for item, text in [
            *((s, s.text) for s in area.statements),
            *((q, q.statement) for q in area.questions),
            *((q, q.feedback) for q in area.questions),
        ]
    ]
    texts += [("intro", ASSESSMENT.intro), ("title", ASSESSMENT.title)]
    assert list(warnings_for(texts, "self-assessment.json")) == []


def shipped() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(ASSESSMENT_PATH.read_text(encoding="utf-8"))
    return document


def test_the_checks_the_schema_cannot_express_find_each_problem() -> None:
    assert assessment_problems(shipped()) == []
    broken = shipped()
    broken["areas"][0], broken["areas"][1] = broken["areas"][1], broken["areas"][0]
    broken["areas"][2]["statements"][0]["id"] = broken["areas"][2]["questions"][0]["id"]
    broken["areas"][3]["questions"][0]["competence"] = "1.1"
    broken["levels"][2]["from"] = 30
    places = [place for place, _ in assessment_problems(broken)]
    assert places == [
        "areas[0].area",
        "areas[1].area",
        "areas[2].questions[0].id",
        "areas[3].questions[0].competence",
        "levels",
    ]


def test_schema_violations_are_named_with_their_place(tmp_path: Path) -> None:
    broken = shipped()
    del broken["areas"][4]["questions"][0]["feedback"]["en"]
    broken["scale"] = broken["scale"][:3]
    path = tmp_path / "self-assessment.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(AssessmentError) as raised:
        load_assessment(path)
    places = {place for place, _ in raised.value.problems}
    assert places == {"areas[4].questions[0].feedback", "scale"}
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(AssessmentError, match="cannot be read"):
        load_assessment(tmp_path / "bad.json")


# Scoring --------------------------------------------------------------------------------------------------------------
def test_best_and_worst_answers_score_100_and_0() -> None:
    best = score(ASSESSMENT, dict.fromkeys(STATEMENTS, 4), QUESTIONS)
    worst = score(ASSESSMENT, dict.fromkeys(STATEMENTS, 1), {q: not a for q, a in QUESTIONS.items()})
    assert [(a.score, a.level) for a in best.areas] == [(100, "confident")] * 5
    assert [(a.score, a.level) for a in worst.areas] == [(0, "starting")] * 5
    assert best.overall == 1.0 and worst.overall == 0.0


def test_every_answered_item_weighs_alike_and_skipped_ones_do_not_count() -> None:
    area1 = ASSESSMENT.areas[0]
    ratings = dict(zip([s.id for s in area1.statements], [2, 3, 4], strict=True))  # 1/3 + 2/3 + 1 = 2 items' worth
    right, wrong = area1.questions[0], area1.questions[1]
    answers = {right.id: right.answer, wrong.id: not wrong.answer}  # 1 of 2
    result = score(ASSESSMENT, ratings, answers)
    first = result.areas[0]
    assert (first.score, first.level, first.rated, first.answered, first.right) == (60, "getting-there", 3, 2, 1)
    assert all(a.score is None and a.level is None for a in result.areas[1:])  # nothing answered: no score
    assert result.weakest_first() == (1,)
    one = score(ASSESSMENT, {area1.statements[0].id: 2}, {})  # 1/3 of one item: 33.3 -> 33
    assert one.areas[0].score == 33 and one.areas[0].level == "starting"
    two = score(ASSESSMENT, {area1.statements[0].id: 3}, {})  # 66.7 -> 67
    assert two.areas[0].score == 67


def test_levels_change_at_the_documented_scores() -> None:
    assert [ASSESSMENT.level(s).id for s in (0, 39, 40, 74, 75, 100)] == [
        "starting",
        "starting",
        "getting-there",
        "getting-there",
        "confident",
        "confident",
    ]


def test_unknown_items_and_ratings_off_the_scale_are_refused() -> None:
    with pytest.raises(KeyError, match="no-such"):
        score(ASSESSMENT, {"no-such": 2}, {})
    with pytest.raises(KeyError, match="no-question"):
        score(ASSESSMENT, {}, {"no-question": True})
    for rating in (0, 5, True):
        with pytest.raises(ValueError, match="1, 2, 3 or 4"):
            score(ASSESSMENT, {STATEMENTS[0]: rating}, {})


ratings_strategy = st.dictionaries(st.sampled_from(STATEMENTS), st.integers(1, 4))
answers_strategy = st.dictionaries(st.sampled_from(sorted(QUESTIONS)), st.booleans())


@settings(max_examples=300, deadline=None)
@given(ratings_strategy, answers_strategy, st.sampled_from(STATEMENTS))
def test_scores_stay_in_range_and_a_higher_rating_never_lowers_its_area(
    ratings: dict[str, int], answers: dict[str, bool], raised: str
) -> None:
    result = score(ASSESSMENT, ratings, answers)
    for area in result.areas:
        assert area.score is None or 0 <= area.score <= 100
        assert (area.score is None) == (area.rated + area.answered == 0)
    better = score(ASSESSMENT, {**ratings, raised: 4}, answers)
    before, after = result.areas[area_of(raised) - 1].score, better.areas[area_of(raised) - 1].score
    assert after is not None and (before is None or after >= before)


# Recommendations ------------------------------------------------------------------------------------------------------
def test_parse_tag_reads_digcomp_tags_and_ignores_anything_else() -> None:
    tag = parse_tag("digcomp:2.2/4.2@L2")
    assert tag is not None and (tag.framework, tag.area, tag.competence, tag.level) == ("2.2", 4, "4.2", 2)
    assert parse_tag("digcomp:2.2/6.1@L2") is None and parse_tag("esco:123") is None


def test_the_weakest_area_comes_first_then_the_lowest_level_then_the_shortest() -> None:
    tutorials = [
        fake_tutorial("safety-advanced", ("digcomp:2.2/4.2@L3",)),
        fake_tutorial("safety-basics", ("digcomp:2.2/4.1@L1",), minutes=9),
        fake_tutorial("safety-short", ("digcomp:2.2/4.2@L1",), minutes=5),
        fake_tutorial("touch", ("digcomp:2.2/5.1@L1",)),
        fake_tutorial("forms", ("digcomp:2.2/2.3@L2", "digcomp:2.2/5.1@L1")),
        fake_tutorial("untagged", ("esco:1",)),
    ]
    ratings = {s.id: 4 for a in ASSESSMENT.areas if a.number != 4 for s in a.statements}
    ratings |= {s.id: 1 for s in ASSESSMENT.areas[3].statements}  # safety is weakest
    ratings |= {s.id: 2 for s in ASSESSMENT.areas[1].statements}  # communication next
    result = score(ASSESSMENT, ratings, {})
    assert result.weakest_first()[:2] == (4, 2)
    assert recommend(result, tutorials) == ["safety-short", "safety-basics", "safety-advanced"]
    assert recommend(result, tutorials, completed={"safety-short", "safety-basics"}) == [
        "safety-advanced",
        "forms",
        "touch",
    ]
    assert recommend(result, tutorials, limit=1) == ["safety-short"]
    nothing = score(ASSESSMENT, {}, {})
    assert recommend(nothing, tutorials) == []  # no answers: no area to base a suggestion on


def test_the_shipped_tutorials_are_recommended_for_a_learner_weak_in_safety() -> None:
    ratings = {s.id: 4 for s in statements_in(1, 2, 3, 5)} | {s.id: 1 for s in statements_in(4)}
    result = score(ASSESSMENT, ratings, {})
    shipped_ids = recommend(result, TUTORIALS.values())
    assert shipped_ids and "spot-the-scam" in shipped_ids
    assert all(4 in {t.area for t in map(parse_tag, TUTORIALS[i].digcomp) if t} for i in shipped_ids[:1])


AREA_TAGS = [f"digcomp:2.2/{area}.{c}@L{level}" for area in range(1, 6) for c in (1, 2) for level in (1, 2, 3)]
tutorial_sets = st.lists(
    st.tuples(st.lists(st.sampled_from(AREA_TAGS), min_size=1, max_size=3, unique=True), st.integers(1, 15)),
    min_size=0,
    max_size=10,
).map(lambda specs: [fake_tutorial(f"t{n}", tuple(tags), minutes) for n, (tags, minutes) in enumerate(specs)])


@settings(max_examples=300, deadline=None)
@given(ratings_strategy, answers_strategy, tutorial_sets, st.data())
def test_recommendations_never_include_completed_tutorials_and_put_the_weakest_area_first(
    ratings: dict[str, int], answers: dict[str, bool], tutorials: list[Tutorial], data: st.DataObject
) -> None:
    completed = data.draw(st.sets(st.sampled_from([t.id for t in tutorials]))) if tutorials else set()
    result = score(ASSESSMENT, ratings, answers)
    chosen = recommend(result, tutorials, completed=completed)
    rank = {area: n for n, area in enumerate(result.weakest_first())}

    def best_rank(tutorial_id: str) -> int:
        tags = [parse_tag(tag) for tag in next(t for t in tutorials if t.id == tutorial_id).digcomp]
        return min((rank[t.area] for t in tags if t is not None and t.area in rank), default=len(rank))

    assert len(chosen) <= 3 and len(set(chosen)) == len(chosen)
    assert not set(chosen) & completed
    assert [best_rank(t) for t in chosen] == sorted(best_rank(t) for t in chosen)  # weakest area first
    eligible = [t.id for t in tutorials if t.id not in completed and best_rank(t.id) < len(rank)]
    assert len(chosen) == min(3, len(eligible))
    left_out = set(eligible) - set(chosen)
    assert all(best_rank(t) >= best_rank(chosen[-1]) for t in left_out)  # nothing for a weaker area was skipped


def test_a_learners_finished_tutorials_are_never_recommended(storage: Storage) -> None:
    learner = new_learner(storage.db, CIPHER, now=NOW).learner
    touch = TUTORIALS["touch-tap-scroll-type"]
    run = start_run(storage.db, learner, touch, today=NOW.date(), seed=1)
    complete(run)
    record(storage.db, learner, run, site="demo-site", now=NOW)
    assert completed_tutorials(storage.db, learner) == {"touch-tap-scroll-type"}
    result = score(ASSESSMENT, {s.id: 1 for s in statements_in(5)}, {})  # only problem solving answered: weak
    assert "touch-tap-scroll-type" in recommend(result, TUTORIALS.values())
    done = completed_tutorials(storage.db, learner)
    assert "touch-tap-scroll-type" not in recommend(result, TUTORIALS.values(), completed=done)


# The printed result and the learning record ---------------------------------------------------------------------------
def test_the_slip_has_plain_levels_and_titles_and_nothing_personal() -> None:
    asked: list[str] = []

    def labels(key: str) -> str:
        asked.append(key)
        return ENGLISH[key]

    ratings = {s.id: 4 for s in statements_in(1, 2, 3, 5)} | {s.id: 2 for s in statements_in(4)}
    result = score(ASSESSMENT, ratings, {})
    chosen = [TUTORIALS[i] for i in recommend(result, TUTORIALS.values())]
    slip = build_assessment_slip(ASSESSMENT, result, chosen, "en", labels, site_name="Loja Beja", kiosk_id="k-01")
    assert set(asked) <= set(ASSESSMENT_SLIP_LABEL_KEYS)
    assert [(line.area, line.level_text) for line in slip.areas] == [
        (1, "Confident"),
        (2, "Confident"),
        (3, "Confident"),
        (4, "Starting"),
        (5, "Confident"),
    ]
    assert slip.areas[3].title == "Staying safe"
    assert slip.recommended == tuple(t.title.t("en") for t in chosen) and slip.nothing_next is None
    assert slip.site_line == "Citizen spot: Loja Beja · Kiosk\u00a0k-01" and not slip.rtl
    pt = build_assessment_slip(ASSESSMENT, result, chosen, "pt-PT", labels, site_name="Loja", kiosk_id="k-01")
    assert pt.areas[3].level_text == "A começar" and pt.areas[3].title == "Estar em segurança"
    empty = build_assessment_slip(ASSESSMENT, result, [], "uk", labels, site_name="Loja", kiosk_id="k-01")
    assert empty.recommended == () and empty.nothing_next == ENGLISH["assessment.slip.nothing_next"]
    assert empty.areas[3].level_text == "Починаю"  # the assessment speaks all six kiosk languages
    other = build_assessment_slip(ASSESSMENT, result, [], "de", labels, site_name="Loja", kiosk_id="k-01")
    assert other.areas[3].level_text == "Starting"  # another language falls back per string, like services
    assert build_assessment_slip(ASSESSMENT, result, [], "ar", labels, site_name="L", kiosk_id="k").rtl


def test_a_learner_with_a_code_keeps_the_result_as_statements(storage: Storage) -> None:
    made = new_learner(storage.db, CIPHER, now=NOW, first_name="Canary")
    area1 = ASSESSMENT.areas[0]
    answers = {area1.questions[0].id: area1.questions[0].answer, area1.questions[1].id: not area1.questions[1].answer}
    ratings = {s.id: 3 for s in area1.statements}
    result = score(ASSESSMENT, ratings, answers)
    made_statements = record_assessment(storage.db, made.learner, ASSESSMENT, result, answers, site="s", now=NOW)
    stored = statements_for(storage.db, made.learner)
    assert stored == made_statements
    assert [s["verb"]["display"]["en-US"] for s in stored] == ["answered", "answered", "completed"]
    assert [s["result"]["success"] for s in stored[:2]] == [True, False]
    assert stored[0]["object"]["id"] == f"{ASSESSMENT.iri}/{area1.questions[0].id}"
    assert stored[0]["context"]["contextActivities"]["parent"][0]["id"] == ASSESSMENT.iri
    done = stored[-1]
    assert done["object"]["id"] == "urn:citizen-kiosk:assessment:digital-skills@1.0"
    assert done["result"]["extensions"][AREA_SCORES_EXTENSION] == {"1": result.areas[0].score}
    assert done["result"]["score"]["scaled"] == round(result.areas[0].score / 100, 4)  # type: ignore[operator]
    assert done["actor"]["account"]["name"] == made.learner.uuid
    dump = json.dumps(stored)
    assert "Canary" not in dump and made.code not in dump
    assert completed_tutorials(storage.db, made.learner) == frozenset()  # the assessment is not a tutorial
