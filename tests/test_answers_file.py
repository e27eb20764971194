"""Answers files: every shipped service completes with its own generated example; bad files are reported per field."""

from __future__ import annotations

import datetime
import json

import pytest

from kiosk.catalog import load_catalog
from kiosk.catalog.model import Service
from kiosk.forms.answers_file import check_all, example_answers, fill

TODAY = datetime.date(2026, 11, 28)
SERVICES = load_catalog().catalog.services


@pytest.mark.parametrize("service", SERVICES.values(), ids=list(SERVICES))
def test_every_shipped_service_completes_with_its_example(service: Service) -> None:
    example = json.loads(json.dumps(example_answers(service, today=TODAY)))  # through JSON, as a file would be
    result = fill(service, example, today=TODAY)
    assert result.ok, result.errors
    assert result.flow.final_answers() == example
    assert check_all(service, example, today=TODAY) == []


def test_a_wrong_value_is_reported_with_its_place_and_code() -> None:
    service = SERVICES["child-benefit"]
    answers = example_answers(service, today=TODAY)
    answers["children"][0]["child_birth_date"] = "2030-01-01"  # type: ignore[index]
    assert check_all(service, answers, today=TODAY) == ["children[0].child_birth_date: constraint"]
    answers = example_answers(service, today=TODAY)
    answers["iban"] = "PT50 0002 0123 1234 5678 9015 5"
    assert check_all(service, answers, today=TODAY) == ["iban: iban.check_digits"]


def test_a_missing_required_answer_is_reported() -> None:
    service = SERVICES["propose-a-simplification"]
    answers = example_answers(service, today=TODAY)
    first_required = next(q.id for q, _ in service.questions() if q.asks and q.required and q.required_if is None)
    del answers[first_required]
    assert check_all(service, answers, today=TODAY) == [f"{first_required}: required"]


def test_examples_match_the_documented_answers_file_schema() -> None:
    from jsonschema import Draft202012Validator

    from tests.helpers import ROOT

    schema = json.loads((ROOT / "docs" / "answers.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    for service in SERVICES.values():
        example = json.loads(json.dumps(example_answers(service, today=TODAY)))
        assert [e.message for e in validator.iter_errors(example)] == [], service.id
