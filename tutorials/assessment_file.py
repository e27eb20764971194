"""The self-assessment file: DigComp areas with their competences, "I can…" statements and true/false questions.

`tutorials/assessment/self-assessment.json` is checked against `tutorials/schemas/assessment.schema.json`, then for
what a schema cannot say (areas 1-5 in order, unique ids, known competences, levels rising), and becomes immutable
values. The competences' names (pt-PT and English) are also what the trainer's completion slips print.
Scoring and recommendations are tutorials.assessment's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final, NamedTuple

from jsonschema import Draft202012Validator

from kiosk.catalog.model import Text
from kiosk.catalog.schema_check import describe, place_of

ASSESSMENT_PATH: Final = Path(__file__).parent / "assessment" / "self-assessment.json"
SCHEMA_PATH: Final = Path(__file__).parent / "schemas" / "assessment.schema.json"
_TAG: Final = re.compile(
    r"digcomp:(?P<framework>[0-9]+\.[0-9]+)/(?P<area>[1-5])\.(?P<competence>[1-9])@L(?P<level>[1-8])"
)


class DigcompTag(NamedTuple):
    framework: str  # "2.2"
    area: int  # 1-5
    competence: str  # "4.2"
    level: int  # 1-8


def parse_tag(tag: str) -> DigcompTag | None:
    """`digcomp:2.2/4.2@L2` -> its parts; None when it is not such a tag."""
    found = _TAG.fullmatch(tag)
    if found is None:
        return None
    area = found["area"]
    return DigcompTag(found["framework"], int(area), f"{area}.{found['competence']}", int(found["level"]))


@dataclass(frozen=True, slots=True)
class Competence:
    id: str  # "4.2"
    name: Text


@dataclass(frozen=True, slots=True)
class Statement:
    id: str
    competence: str
    text: Text


@dataclass(frozen=True, slots=True)
class TrueFalse:
    id: str
    competence: str
    statement: Text
    answer: bool
    feedback: Text


@dataclass(frozen=True, slots=True)
class Area:
    number: int
    title: Text  # plain words: "Staying safe"
    name: Text  # the framework's: "Safety"
    competences: tuple[Competence, ...]
    statements: tuple[Statement, ...]
    questions: tuple[TrueFalse, ...]


@dataclass(frozen=True, slots=True)
class Level:
    id: str  # starting, getting-there, confident
    start: int  # the lowest score (0-100) of the level
    label: Text


@dataclass(frozen=True, slots=True)
class Assessment:
    id: str
    version: str
    framework: str
    title: Text
    intro: Text
    scale: tuple[Text, ...]  # labels of ratings 1..4
    levels: tuple[Level, ...]  # lowest first
    areas: tuple[Area, ...]  # 1..5

    @property
    def iri(self) -> str:
        return f"urn:citizen-kiosk:assessment:{self.id}@{self.version}"

    def level(self, score: int) -> Level:
        return [lv for lv in self.levels if lv.start <= score][-1]

    def competence(self, competence_id: str) -> Competence | None:
        return next((c for a in self.areas for c in a.competences if c.id == competence_id), None)


class AssessmentError(ValueError):
    """The self-assessment file is unreadable or breaks a rule; `problems` are (place, message) pairs."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{place}: {message}" for place, message in problems))
        self.problems = tuple(problems)


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def assessment_problems(document: Any) -> list[tuple[str, str]]:
    """Schema violations, then what the schema cannot say: areas 1-5 in order, unique ids, known competences, levels
    rising."""
    errors = sorted(_validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    problems = list(dict.fromkeys((place_of(e.absolute_path), describe(e)) for e in errors))
    if problems:
        return problems
    seen: set[str] = set()
    for index, area in enumerate(document["areas"]):
        place = f"areas[{index}]"
        if area["area"] != index + 1:
            problems.append((f"{place}.area", f"must be {index + 1}: areas are listed 1 to 5 in order"))
        known = {c["id"] for c in area["competences"]}
        if any(not c.startswith(f"{area['area']}.") for c in known) or len(known) != len(area["competences"]):
            problems.append((f"{place}.competences", f"ids must be unique and start with '{area['area']}.'"))
        for kind in ("statements", "questions"):
            for n, item in enumerate(area[kind]):
                if item["id"] in seen:
                    problems.append((f"{place}.{kind}[{n}].id", f"{item['id']!r} is used twice"))
                seen.add(item["id"])
                if item["competence"] not in known:
                    problems.append((f"{place}.{kind}[{n}].competence", f"no competence {item['competence']!r} here"))
    starts = [level["from"] for level in document["levels"]]
    if starts != sorted(set(starts)):
        problems.append(("levels", "each level must start at a higher score than the one before"))
    if [s["value"] for s in document["scale"]] != [1, 2, 3, 4]:
        problems.append(("scale", "the ratings must be 1, 2, 3 and 4, in order"))
    return problems


def load_assessment(path: Path = ASSESSMENT_PATH) -> Assessment:
    """The self-assessment in `path` (default: the shipped one), or AssessmentError."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AssessmentError([("(the whole file)", f"cannot be read: {error}")]) from None
    problems = assessment_problems(document)
    if problems:
        raise AssessmentError(problems)
    return Assessment(
        id=document["id"],
        version=document["version"],
        framework=document["framework"],
        title=Text.of(document["title"]),
        intro=Text.of(document["intro"]),
        scale=tuple(Text.of(s["label"]) for s in document["scale"]),
        levels=tuple(Level(lv["id"], lv["from"], Text.of(lv["label"])) for lv in document["levels"]),
        areas=tuple(_area(area) for area in document["areas"]),
    )


def _area(area: Mapping[str, Any]) -> Area:
    return Area(
        area["area"],
        Text.of(area["title"]),
        Text.of(area["name"]),
        tuple(Competence(c["id"], Text.of(c["name"])) for c in area["competences"]),
        tuple(Statement(s["id"], s["competence"], Text.of(s["text"])) for s in area["statements"]),
        tuple(
            TrueFalse(q["id"], q["competence"], Text.of(q["statement"]), q["answer"], Text.of(q["feedback"]))
            for q in area["questions"]
        ),
    )
