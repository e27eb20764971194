"""Loading catalog folders: good files load into immutable values, each bad file is named with the place and the
problem, and the other files still load."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalog import Question, Repeat, load_catalog


def text(en: str, pt: str | None = None) -> dict[str, str]:
    return {"pt-PT": pt or f"{en} (pt)", "en": en}


def service(service_id: str = "register-birth", **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": service_id,
        "version": "1.0",
        "title": text("Register a birth"),
        "summary": text("Tell us about a new baby."),
        "life_events": ["having-a-baby"],
        "keywords": {"pt-PT": ["nascimento"], "en": ["birth"]},
        "you_need": [text("The birth attestation")],
        "duration_minutes": 10,
        "other_ways": text("Ask a mediator."),
        "needs_connection": False,
        "pages": [
            {"id": "baby_name", "type": "text", "label": text("What is the baby's name?")},
            {"id": "born_here", "type": "yes-no", "label": text("Was the baby born in Portugal?")},
            {
                "id": "country",
                "type": "text",
                "label": text("In which country?"),
                "show_if": "${born_here} = 'no'",
            },
            {
                "type": "repeat",
                "id": "parents",
                "label": text("The parents"),
                "item_label": text("Parent {n}"),
                "min": 1,
                "max": 2,
                "pages": [
                    {"id": "parent_name", "type": "text", "label": text("Name?")},
                    {
                        "id": "parent_nif",
                        "type": "nif",
                        "label": text("Tax number?"),
                        "required_if": "string-length(${parent_name}) > 0",
                    },
                ],
            },
            {"id": "agree", "type": "consent", "label": text("I agree to tell the health service.")},
        ],
        "next_steps": text("We will write to you."),
        "contact": {"name": text("Civil registry"), "phone": "+351210000001"},
        "target": "civil-registry",
        "retention_days": 30,
        "consents": ["agree"],
    }
    document.update(changes)
    return document


def life_event(event_id: str = "having-a-baby") -> dict[str, Any]:
    return {"id": event_id, "title": text("Having a baby"), "summary": text("Birth."), "icon": "baby", "order": 1}


def write_catalog(root: Path, services: list[dict[str, Any]], events: list[dict[str, Any]] | None = None) -> Path:
    (root / "services").mkdir(parents=True)
    (root / "life-events").mkdir()
    (root / "targets.json").write_text(json.dumps({"targets": [{"id": "civil-registry", "name": text("Registry")}]}))
    for event in events if events is not None else [life_event()]:
        (root / "life-events" / f"{event['id']}.json").write_text(json.dumps(event))
    for document in services:
        (root / "services" / f"{document['id']}.json").write_text(json.dumps(document, indent=2))
    return root


def test_a_good_catalog_loads_into_frozen_values(tmp_path: Path) -> None:
    report = load_catalog(write_catalog(tmp_path, [service()]))
    assert report.problems == () and report.warnings == ()
    assert report.summary == "1 services, 1 life events, 0 problems, 0 warnings"
    loaded = report.catalog.services["register-birth"]
    assert loaded.title.t("pt-PT") == "Register a birth (pt)"
    assert loaded.title.t("uk") == "Register a birth"  # other languages fall back to English
    ids = ["baby_name", "born_here", "country", "parent_name", "parent_nif", "agree"]
    assert [q.id for q, _ in loaded.questions()] == ids
    repeat = loaded.pages[3]
    assert isinstance(repeat, Repeat) and (repeat.min_items, repeat.max_items) == (1, 2)
    country = loaded.question("country")
    assert isinstance(country, Question) and country.show_if is not None
    assert country.show_if.references() == frozenset({"born_here"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.id = "changed"  # type: ignore[misc]
    assert report.catalog.services_for("having-a-baby") == (loaded,)


def test_the_shipped_demo_catalog_has_no_problems() -> None:
    report = load_catalog()
    assert report.problems == (), "\n".join(map(str, report.problems))
    assert len(report.catalog.life_events) >= 10
    assert len(report.catalog.services) >= 24
    for wanted in ("propose-a-simplification", "report-a-service-problem"):
        assert wanted in report.catalog.services


def problems_for(tmp_path: Path, bad: dict[str, Any]) -> list[str]:
    report = load_catalog(write_catalog(tmp_path, [service(), bad]))
    assert "register-birth" in report.catalog.services, "a bad file must not stop the good ones from loading"
    assert bad["id"] not in report.catalog.services
    return [str(p) for p in report.problems]


def test_a_schema_error_names_the_file_and_the_place(tmp_path: Path) -> None:
    bad = service("bad-one")
    bad["pages"][0]["type"] = "txt"
    del bad["title"]
    found = problems_for(tmp_path, bad)
    assert "services/bad-one.json: (the whole file): missing 'title'" in found
    prefix = 'services/bad-one.json: pages[0].type: "txt" is not one of text, long-text'
    assert any(p.startswith(prefix) for p in found)


def test_a_property_that_does_not_belong_to_the_question_type_is_named(tmp_path: Path) -> None:
    bad = service("bad-one")
    bad["pages"][0]["choices"] = [{"value": "a", "label": text("A")}, {"value": "b", "label": text("B")}]
    bad["pages"][1]["lable"] = text("typo")
    found = problems_for(tmp_path, bad)
    assert "services/bad-one.json: pages[0]: 'choices' is not allowed on a 'text' question" in found
    assert "services/bad-one.json: pages[1]: unknown property 'lable' (a typo?)" in found


def test_a_bad_expression_is_reported_with_question_and_position(tmp_path: Path) -> None:
    bad = service("bad-one")
    bad["pages"][2]["show_if"] = "${born_here} = 'no' and selectd(${born_here}, 'x')"
    (problem,) = problems_for(tmp_path, bad)
    assert problem.startswith("services/bad-one.json: pages[2] (country).show_if: ")
    assert "selectd" in problem and "position" in problem


def test_a_reference_to_a_later_or_unknown_question_is_a_problem(tmp_path: Path) -> None:
    bad = service("bad-one")
    bad["pages"][1]["show_if"] = "${country} = 'PT'"  # asked after this page
    bad["pages"][4]["show_if"] = "${nobody} = 1"
    found = problems_for(tmp_path, bad)
    later = "pages[1] (born_here).show_if: ${country} at position 0 is not a question asked before this one"
    assert any(later in p for p in found)
    assert any("pages[4] (agree).show_if: ${nobody}" in p for p in found)


def test_dangling_life_event_target_and_consent_are_problems(tmp_path: Path) -> None:
    bad = service("bad-one", life_events=["having-twins"], target="nowhere", consents=["baby_name"])
    found = problems_for(tmp_path, bad)
    event = "services/bad-one.json: life_events[0]: no life event 'having-twins' (life-events/having-twins.json)"
    assert event in found
    assert "services/bad-one.json: target: no submission target 'nowhere' in targets.json" in found
    assert "services/bad-one.json: consents[0]: 'baby_name' is not a consent question of this service" in found


def test_duplicate_question_ids_and_choice_values_are_problems(tmp_path: Path) -> None:
    bad = service("bad-one")
    bad["pages"][3]["pages"][0]["id"] = "baby_name"
    bad["pages"].append(
        {
            "id": "sex",
            "type": "choice",
            "label": text("Sex?"),
            "choices": [{"value": "f", "label": text("F")}, {"value": "f", "label": text("M")}],
        }
    )
    found = problems_for(tmp_path, bad)
    assert "services/bad-one.json: pages: the id 'baby_name' is used more than once in this service" in found
    assert "services/bad-one.json: pages[5] (sex).choices: the value 'f' is used by more than one choice" in found


def test_not_json_unreadable_and_misnamed_files_are_named(tmp_path: Path) -> None:
    root = write_catalog(tmp_path, [service()])
    (root / "services" / "broken.json").write_text('{"id": "broken",\n  "title": }\n')
    (root / "services" / "latin1.json").write_bytes(b'{"id": "caf\xe9"}')
    (root / "services" / "other-name.json").write_text(json.dumps(service("misnamed")))
    report = load_catalog(root)
    found = [str(p) for p in report.problems]
    assert "services/broken.json: line 2, column 12: not JSON: Expecting value" in found
    assert "services/latin1.json: byte 11: not UTF-8 text" in found
    assert "services/other-name.json: id: the file must be named misnamed.json" in found
    assert list(report.catalog.services) == ["register-birth"]


def test_a_copy_under_another_name_is_a_problem_and_the_named_file_loads(tmp_path: Path) -> None:
    root = write_catalog(tmp_path, [service()])
    copy_of = copy.deepcopy(service())
    (root / "services" / "register-birth.json").rename(root / "services" / "a.json")
    (root / "services" / "register-birth.json").write_text(json.dumps(copy_of))
    report = load_catalog(root)
    # "a.json" is misnamed; the correctly named file is the one that loads.
    assert "register-birth" in report.catalog.services
    assert "services/a.json: id: the file must be named register-birth.json" in [str(p) for p in report.problems]


def test_long_sentences_are_warnings_that_block_nothing(tmp_path: Path) -> None:
    long = "This sentence is written with far too many words for a citizen who reads slowly at a busy counter there."
    long = long.replace("there.", "there today.")  # 21 words
    report = load_catalog(write_catalog(tmp_path, [service(summary=text(long, "Curta."))]))
    assert report.problems == ()
    assert "register-birth" in report.catalog.services
    (warning,) = report.warnings
    assert str(warning).startswith("services/register-birth.json: summary [en]: a sentence of 21 words")


def test_a_missing_folder_or_targets_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    report = load_catalog(tmp_path / "nowhere")
    assert report.catalog.services == {}
    assert any("no such catalog folder" in str(p) for p in report.problems)
    root = write_catalog(tmp_path / "cat", [service()])
    (root / "targets.json").unlink()
    found = [str(p) for p in load_catalog(root).problems]
    assert "targets.json: (the whole file): missing: services need their targets" in found
    assert "services/register-birth.json: target: no submission target 'civil-registry' in targets.json" in found
