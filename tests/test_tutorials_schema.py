"""Tutorial definitions: the shipped ones are valid and complete; a bad file names itself and the problem, the others
still load."""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalog.plain_language import MAX_SENTENCE_WORDS
from kiosk.i18n import SHIPPED_LANGUAGES
from tutorials.loader import CONTENT_DIR, load_tutorials, schema_problems, tutorial_texts
from tutorials.model import DemoStep, PracticeStep

SHIPPED = sorted(CONTENT_DIR.glob("*.json"))


def t(pt: str, en: str) -> dict[str, str]:
    return {"pt-PT": pt, "en": en}


def tutorial_doc(tutorial_id: str = "tiny", **overrides: Any) -> dict[str, Any]:
    """A small valid tutorial with every step kind; tests break one thing in it."""
    doc: dict[str, Any] = {
        "id": tutorial_id,
        "version": "1.0",
        "title": t("Pequeno", "Tiny"),
        "summary": t("Um tutorial pequeno.", "A tiny tutorial."),
        "estimated_minutes": 5,
        "digcomp": ["digcomp:2.2/5.1@L1"],
        "services": [],
        "life_events": [],
        "mastery": {"practice": "all", "check_min_percent": 50},
        "steps": [
            {
                "id": "hello",
                "kind": "explain",
                "title": t("Olá", "Hello"),
                "narration": t("Olá.", "Hello."),
                "text": t("Texto.", "Text."),
                "picture": "touch-screen",
            },
            {
                "id": "watch",
                "kind": "demo",
                "title": t("Veja", "Watch"),
                "narration": t("Veja.", "Watch."),
                "simulation": {
                    "kind": "tap",
                    "expect": "ok",
                    "targets": [{"id": "ok", "label": t("OK", "OK")}, {"id": "no", "label": t("Não", "No")}],
                },
                "frames": [{"highlight": "ok", "gesture": "tap", "caption": t("Toque.", "Tap.")}],
            },
            {
                "id": "try",
                "kind": "practice",
                "title": t("Tente", "Try"),
                "narration": t("Tente.", "Try."),
                "task": t("Toque em OK.", "Tap OK."),
                "simulation": {
                    "kind": "tap",
                    "expect": "ok",
                    "wrong": t("Não.", "No."),
                    "targets": [
                        {"id": "ok", "label": t("OK", "OK")},
                        {"id": "no", "label": t("Não", "No"), "feedback": t("Esse é o Não.", "That is No.")},
                    ],
                },
            },
            {
                "id": "quiz",
                "kind": "check",
                "title": t("Teste", "Quiz"),
                "narration": t("Responda.", "Answer."),
                "questions": [
                    {
                        "id": "q1",
                        "kind": "true-false",
                        "prompt": t("Certo?", "Right?"),
                        "options": [
                            {"id": "true", "label": t("V", "T"), "correct": True, "feedback": t("Sim.", "Yes.")},
                            {"id": "false", "label": t("F", "F"), "correct": False, "feedback": t("Não.", "No.")},
                        ],
                    },
                    {
                        "id": "q2",
                        "kind": "single-choice",
                        "prompt": t("Qual?", "Which?"),
                        "options": [
                            {"id": "a", "label": t("A", "A"), "correct": False, "feedback": t("Não.", "No.")},
                            {"id": "b", "label": t("B", "B"), "correct": True, "feedback": t("Sim.", "Yes.")},
                        ],
                    },
                ],
            },
            {
                "id": "end",
                "kind": "recap",
                "title": t("Fim", "End"),
                "narration": t("Fim.", "The end."),
                "points": [t("Um.", "One.")],
            },
        ],
    }
    doc.update(overrides)
    return doc


def write_tutorials(root: Path, docs: list[dict[str, Any]], practice: Sequence[dict[str, Any]] = ()) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (root / f"{doc['id']}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    if practice:
        (root / "practice").mkdir(exist_ok=True)
        for doc in practice:
            (root / "practice" / f"{doc['id']}.json").write_text(json.dumps(doc), encoding="utf-8")
    return root


def only_problems(root: Path) -> list[str]:
    return [str(p) for p in load_tutorials(root).problems]


# The shipped tutorials --------------------------------------------------------------------------------------------
def test_two_tutorials_ship_and_every_file_is_valid_against_the_schema() -> None:
    assert {p.stem for p in SHIPPED} >= {"touch-tap-scroll-type", "spot-the-scam"}
    for path in SHIPPED:
        assert schema_problems(json.loads(path.read_text(encoding="utf-8"))) == [], path.name


def test_the_shipped_tutorials_load_without_problems_or_plain_language_warnings() -> None:
    report = load_tutorials()
    assert report.problems == () and report.warnings == ()
    assert set(report.tutorials) == {p.stem for p in SHIPPED}
    assert "practice-library-card" in report.practice  # a practice form for the `form` simulation


@pytest.mark.parametrize("tutorial_id", [p.stem for p in SHIPPED])
def test_each_shipped_tutorial_is_complete(tutorial_id: str) -> None:
    tutorial = load_tutorials().tutorials[tutorial_id]
    kinds = [s.kind for s in tutorial.steps]
    assert len(kinds) >= 5 and {"explain", "demo", "practice", "check", "recap"} <= set(kinds)
    assert kinds[-1] == "recap" and 5 <= tutorial.estimated_minutes <= 10
    assert set(tutorial.languages) == set(SHIPPED_LANGUAGES)
    assert tutorial.mastery.practice == "all" and tutorial.mastery.check_min_percent >= 75
    assert all(tag.startswith("digcomp:2.2/") for tag in tutorial.digcomp)
    for step in tutorial.steps:  # narration on every step, in every language
        assert set(step.narration.values) == set(SHIPPED_LANGUAGES) and all(
            v.strip() for v in step.narration.values.values()
        )
    for place, text in tutorial_texts(tutorial):
        for value in text.values.values():
            for sentence in value.replace("!", ".").replace("?", ".").split(". "):
                assert len(sentence.split()) <= MAX_SENTENCE_WORDS, (place, sentence)
    assert any(isinstance(s, DemoStep) for s in tutorial.steps)
    assert all(s.simulation.wrong is not None for s in tutorial.steps if isinstance(s, PracticeStep))


def test_tags_and_links_of_the_worked_examples() -> None:
    tutorials = load_tutorials().tutorials
    assert tutorials["touch-tap-scroll-type"].digcomp == ("digcomp:2.2/5.1@L1",)
    scam = tutorials["spot-the-scam"]
    assert {tag.split("/")[1].split("@")[0] for tag in scam.digcomp} == {"1.2", "4.2"}
    assert scam.iri == "urn:citizen-kiosk:tutorial:spot-the-scam@1.0"
    assert scam.services and scam.life_events


# Bad files -----------------------------------------------------------------------------------------------------------
def test_a_bad_file_names_the_file_and_the_problem_and_the_others_still_load(tmp_path: Path) -> None:
    broken = tutorial_doc("broken")
    broken["steps"][2]["simulation"]["expect"] = "nope"
    root = write_tutorials(tmp_path, [tutorial_doc("good"), broken])
    (root / "garbage.json").write_text("{not json", encoding="utf-8")
    report = load_tutorials(root)
    assert list(report.tutorials) == ["good"]
    assert [str(p) for p in report.problems] == [
        "broken.json: steps[2] (try).simulation.expect: 'nope' is not one of ok, no",
        "garbage.json: line 1, column 2: not JSON: Expecting property name enclosed in double quotes",
    ]


def mutate(path: str, value: Any) -> dict[str, Any]:
    """The tiny tutorial with the value at a dotted path (list indexes as numbers) replaced; None deletes it."""
    doc = copy.deepcopy(tutorial_doc())
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    target: Any = doc
    for part in parents:
        target = target[part]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return doc


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("steps.0.narration", None, "tiny.json: steps[0]: missing 'narration'"),
        ("steps.0.picture", "cat-photo", 'tiny.json: steps[0].picture: "cat-photo" is not one of'),
        ("steps.1.kind", "video", 'tiny.json: steps[1].kind: "video" is not one of explain'),
        ("digcomp", ["5.1"], 'tiny.json: digcomp[0]: "5.1" is not in the expected form'),
        ("steps.2.simulation.kind", "swipe", 'tiny.json: steps[2].simulation.kind: "swipe" is not one of tap'),
        ("steps.2.simulation.colour", "red", "tiny.json: steps[2].simulation: unknown property 'colour'"),
        ("steps.0.narration", {"pt-PT": "Olá."}, "tiny.json: steps[0].narration: missing 'en'"),
        ("title", t("Pequeno", "Tiny") | {"uk": "Малий"}, "tiny.json: steps[0] (hello).title: missing 'uk'"),
        ("steps.1.frames.0.highlight", "send", "tiny.json: steps[1] (watch).frames[0].highlight: no control 'send'"),
        ("steps.2.simulation.wrong", None, "tiny.json: steps[2] (try).simulation: missing 'wrong'"),
        ("steps.3.questions.1.options.0.correct", True, "steps[3] (quiz).questions[1].options: exactly one option"),
        ("steps.3.questions.1.id", "q1", "tiny.json: steps: the question id 'q1' is used more than once"),
        ("steps.4.id", "hello", "tiny.json: steps: the step id 'hello' is used more than once"),
        ("steps.4.kind", "explain", "tiny.json: steps[4]: missing 'text', 'picture'"),
        ("mastery.check_min_percent", 101, "tiny.json: mastery.check_min_percent: 101 is greater than"),
        ("id", "other", "tiny.json: id: the file must be named other.json"),
    ],
)
def test_each_problem_names_its_file_and_place(tmp_path: Path, path: str, value: Any, expected: str) -> None:
    doc = mutate(path, value)
    root = tmp_path / "t"
    root.mkdir()
    (root / "tiny.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    problems = only_problems(root)
    assert any(p.startswith(expected) or expected in p for p in problems), problems
    assert load_tutorials(root).tutorials == {}


def test_the_last_step_must_be_a_recap_and_mastery_must_be_reachable(tmp_path: Path) -> None:
    doc = tutorial_doc()
    doc["steps"] = [s for s in doc["steps"] if s["kind"] not in ("recap", "practice", "check")]
    root = write_tutorials(tmp_path, [doc])
    assert only_problems(root) == [
        "tiny.json: steps[1]: the last step must be a recap",
        "tiny.json: mastery.practice: 'all' needs at least one practice step",
        "tiny.json: mastery.check_min_percent: a minimum score needs at least one check question",
    ]


def test_simulation_checks_patterns_scroll_targets_and_true_false_options(tmp_path: Path) -> None:
    doc = tutorial_doc()
    doc["steps"][2]["simulation"] = {
        "kind": "type",
        "fields": [{"id": "town", "label": t("Terra", "Town")}],
        "field": "town",
        "expect": {"pattern": "[a-"},
        "wrong": t("Não.", "No."),
    }
    doc["steps"][1]["simulation"] = {
        "kind": "scroll",
        "visible": 3,
        "expect": "a",
        "items": [{"id": x, "label": t(x, x)} for x in "abcd"],
    }
    doc["steps"][1]["frames"][0]["highlight"] = "list"
    doc["steps"][3]["questions"][0]["options"][0]["id"] = "yes"
    root = write_tutorials(tmp_path, [doc])
    problems = only_problems(root)
    assert problems[0].startswith('tiny.json: steps[3].questions[0].options[0].id: "yes" is not one of true, false')
    doc["steps"][3]["questions"][0]["options"][0]["id"] = "true"
    write_tutorials(tmp_path, [doc])
    problems = only_problems(root)
    assert (
        problems[0]
        == "tiny.json: steps[1] (watch).simulation.expect: 'a' is in view from the start: nothing to scroll for"
    )
    assert problems[1].startswith("tiny.json: steps[2] (try).simulation.expect.pattern: not a valid pattern")


def test_form_simulations_check_their_practice_service_like_the_catalog(tmp_path: Path) -> None:
    practice = json.loads((CONTENT_DIR / "practice" / "practice-library-card.json").read_text(encoding="utf-8"))
    inline = copy.deepcopy(practice)
    inline["pages"][0]["show_if"] = "${nothing} = "
    doc = tutorial_doc()
    doc["steps"][2]["simulation"] = {"kind": "form", "service": inline, "wrong": t("Não.", "No.")}
    ref = tutorial_doc("by-ref")
    ref["steps"][2]["simulation"] = {
        "kind": "form",
        "service_ref": "practice-missing",
        "wrong": t("Não.", "No."),
    }
    good = tutorial_doc("good-ref")
    good["steps"][2]["simulation"] = {
        "kind": "form",
        "service_ref": "practice-library-card",
        "wrong": t("Não.", "No."),
        "expect": {"first_name": "Ana", "color": "red"},
        "mistakes": [{"field": "postcode", "code": "postcode", "feedback": t("Veja o código.", "Check the code.")}],
    }
    root = write_tutorials(tmp_path, [doc, ref, good], practice=[practice])
    problems = only_problems(root)
    assert problems[0].startswith("by-ref.json: steps[2] (try).simulation.service_ref: no practice service")
    assert problems[1] == "good-ref.json: steps[2] (try).simulation.expect.color: the form has no question 'color'"
    assert problems[2].startswith("tiny.json: steps[2] (try).simulation.service.pages[0] (first_name).show_if: ")
    assert len(problems) == 3


def test_a_broken_practice_service_is_named_and_left_out(tmp_path: Path) -> None:
    practice = json.loads((CONTENT_DIR / "practice" / "practice-library-card.json").read_text(encoding="utf-8"))
    del practice["pages"]
    root = write_tutorials(tmp_path, [tutorial_doc()], practice=[practice])
    report = load_tutorials(root)
    assert [str(p) for p in report.problems] == [
        "practice/practice-library-card.json: (the whole file): missing 'pages'"
    ]
    assert report.practice == {} and list(report.tutorials) == ["tiny"]


def test_a_missing_folder_is_one_problem(tmp_path: Path) -> None:
    report = load_tutorials(tmp_path / "nowhere")
    assert report.summary == "0 tutorials, 1 problems"
