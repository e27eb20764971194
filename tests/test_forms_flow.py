"""The Qt-free question flow: pages from the answers, validation on Continue, check answers, change, submit."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalog.build import BuildProblems
from kiosk.catalog.build import service as build_service
from kiosk.catalog.model import Service
from kiosk.forms.answers import UNKNOWN, Address, AddressInput, DateInput
from kiosk.forms.flow import ADD_ANOTHER, Flow, Stage
from tests.test_catalog_loader import service as service_document
from tests.test_catalog_loader import text

TODAY = datetime.date(2026, 11, 28)


def make_service(**changes: Any) -> Service:
    problems = BuildProblems()
    built = build_service(service_document(**changes), Path("test.json"), problems)
    assert problems.items == []
    return built


def current_id(flow: Flow) -> str:
    step = flow.current
    assert step is not None
    if step.kind == ADD_ANOTHER:
        return ADD_ANOTHER
    assert step.question is not None
    return f"{step.question.id}#{step.item}" if step.repeat else step.question.id


def test_a_conditional_page_and_a_repeat_with_add_another() -> None:
    flow = Flow(make_service(), today=TODAY)
    assert flow.stage is Stage.START
    flow.start()
    assert current_id(flow) == "baby_name"
    assert flow.submit_page("  Ana   Maria ") == []
    assert flow.top_answers["baby_name"] == "Ana Maria"  # normalised
    assert flow.submit_page("no") == []
    assert current_id(flow) == "country"  # shown because born_here = 'no'
    assert flow.submit_page("France") == []
    assert current_id(flow) == "parent_name#0"
    assert flow.submit_page("Rita") == []
    assert current_id(flow) == "parent_nif#0"  # required_if: a name was given
    assert flow.submit_page("123 456 789") == []
    assert current_id(flow) == ADD_ANOTHER
    assert flow.submit_page("yes") == []
    assert current_id(flow) == "parent_name#1"
    (error,) = flow.submit_page("")
    assert (error.question_id, error.code) == ("parent_name", "required")
    # baby_name, born_here, country, name and tax number of 2 parents, agree: at max 2 no "add another?" page
    assert flow.position() == (6, 8)


def test_errors_keep_the_citizen_on_the_page_and_store_nothing() -> None:
    flow = Flow(make_service(), today=TODAY)
    flow.start()
    (error,) = flow.submit_page("   ")
    assert (error.question_id, error.code) == ("baby_name", "required")
    assert current_id(flow) == "baby_name" and "baby_name" not in flow.top_answers
    flow.submit_page("Ana")
    flow.submit_page("yes")
    assert current_id(flow) == "parent_name#0"  # "country" is skipped: born in Portugal
    flow.submit_page("Rita")
    (error,) = flow.submit_page("123456780")
    assert (error.question_id, error.code) == ("parent_nif", "nif.check_digit")


def test_a_constraint_shows_the_designers_message() -> None:
    document = service_document()
    document["pages"][0]["constraint"] = "string-length(.) >= 3"
    document["pages"][0]["constraint_message"] = text("Write the whole name.")
    flow = Flow(make_service(pages=document["pages"]), today=TODAY)
    flow.start()
    (error,) = flow.submit_page("Al")
    assert error.code == "constraint" and error.message is not None
    assert error.message.t("en") == "Write the whole name."


def walk_to_check(flow: Flow) -> None:
    flow.start()
    for raw in ("Ana", "no", "France", "Rita", "123456789", "no", True):
        assert flow.submit_page(raw) == [], raw
    assert flow.stage is Stage.CHECK


def test_check_answers_lists_shown_pages_and_change_returns_to_check() -> None:
    flow = Flow(make_service(), today=TODAY)
    walk_to_check(flow)
    rows = [(r.step.question.id, r.value) for r in flow.check_rows()]  # type: ignore[union-attr]
    assert rows == [
        ("baby_name", "Ana"),
        ("born_here", "no"),
        ("country", "France"),
        ("parent_name", "Rita"),
        ("parent_nif", "123456789"),
        ("agree", True),
    ]
    flow.change(flow.check_rows()[0].step)
    assert current_id(flow) == "baby_name"
    assert flow.submit_page("Beatriz") == []
    assert flow.stage is Stage.CHECK  # straight back to the check page
    assert flow.top_answers["baby_name"] == "Beatriz"


def test_a_change_that_shows_a_new_page_asks_it_before_returning() -> None:
    flow = Flow(make_service(), today=TODAY)
    flow.start()
    for raw in ("Ana", "yes", "Rita", "123456789", "no", True):
        assert flow.submit_page(raw) == []
    assert flow.stage is Stage.CHECK
    born_here = next(r.step for r in flow.check_rows() if r.step.question and r.step.question.id == "born_here")
    flow.change(born_here)
    flow.submit_page("no")
    assert current_id(flow) == "country"  # newly shown and unanswered
    flow.submit_page("Spain")
    assert flow.stage is Stage.CHECK


def test_hidden_answers_are_kept_while_moving_but_never_submitted() -> None:
    flow = Flow(make_service(), today=TODAY)
    walk_to_check(flow)
    born_here = next(r.step for r in flow.check_rows() if r.step.question and r.step.question.id == "born_here")
    flow.change(born_here)
    flow.submit_page("yes")
    assert flow.stage is Stage.CHECK
    assert "country" in flow.top_answers  # kept, in case the citizen changes back
    final = flow.final_answers()
    assert "country" not in final
    assert final == {
        "baby_name": "Ana",
        "born_here": "yes",
        "parents": [{"parent_name": "Rita", "parent_nif": "123456789"}],
        "agree": True,
    }
    assert flow.consents() == {"agree": True}


def test_back_goes_page_by_page_to_the_start_and_never_after_submission() -> None:
    flow = Flow(make_service(), today=TODAY)
    walk_to_check(flow)
    assert flow.back() and current_id(flow) == "agree"
    assert flow.back() and current_id(flow) == ADD_ANOTHER
    assert flow.back() and current_id(flow) == "parent_nif#0"
    for expected in ("parent_name#0", "country", "born_here", "baby_name"):
        assert flow.back() and current_id(flow) == expected
    assert flow.back() and flow.stage is Stage.START
    assert not flow.back()  # leaving the service is the screen's business
    walk_to_check(flow)
    flow.mark_submitted()
    assert not flow.back()
    assert flow.stage is Stage.SUBMITTED and flow.current is None
    with pytest.raises(RuntimeError):
        flow.submit_page("x")


def test_a_repeat_cannot_stop_below_its_minimum_or_grow_past_its_maximum() -> None:
    document = service_document()
    document["pages"][3]["min"] = 2
    flow = Flow(make_service(pages=document["pages"]), today=TODAY)
    flow.start()
    for raw in ("Ana", "yes", "Rita", "123456789"):
        flow.submit_page(raw)
    (error,) = flow.submit_page("no")
    assert (error.code, error.params) == ("repeat.min", {"min": 2})
    assert flow.submit_page("yes") == []
    for raw in ("Rui", "501442600"):
        assert flow.submit_page(raw) == []
    assert current_id(flow) == "agree"  # max 2: no "add another?" after the second parent


def test_required_pages_missing_before_sending_are_shown_again() -> None:
    document = service_document()
    document["pages"][0]["required"] = False
    document["pages"][4]["required_if"] = "string-length(${baby_name}) > 0"
    flow = Flow(make_service(pages=document["pages"]), today=TODAY)
    flow.start()
    for raw in ("", "yes", "Rita", "123456789", "no", ""):
        assert flow.submit_page(raw) == [], raw
    assert flow.stage is Stage.CHECK and flow.go_to_missing() == []
    flow.change(flow.check_rows()[0].step)
    flow.submit_page("Ana")  # now the consent is required too
    assert flow.stage is Stage.QUESTION and current_id(flow) == "agree"  # asked before returning to check


def test_typed_answers_calculations_and_unknown() -> None:
    pages = [
        {"id": "born", "type": "date", "label": text("Born?"), "not_future": True},
        {"id": "age", "type": "calculated", "label": text("Age"), "calculation": "int((today() - ${born}) div 365.25)"},
        {"id": "senior", "type": "note", "label": text("Senior info"), "show_if": "${age} >= 65"},
        {"id": "home", "type": "address", "label": text("Address?")},
        {"id": "rooms", "type": "number", "label": text("Rooms?"), "min": 1, "integer": True, "allow_unknown": True},
        {
            "id": "pets",
            "type": "multiple-choice",
            "label": text("Pets?"),
            "choices": [{"value": v, "label": text(v)} for v in ("cat", "dog", "fish")],
        },
    ]
    flow = Flow(make_service(pages=pages, consents=[]), today=TODAY)
    flow.start()
    (error,) = flow.submit_page(DateInput("1", "1", "2030"))
    assert error.code == "date.future"
    assert flow.submit_page(DateInput("2", "3", "1950")) == []
    assert current_id(flow) == "senior"  # age 76: the note is shown
    assert flow.submit_page(None) == []
    (error,) = flow.submit_page(AddressInput("Rua A", "1", "", "12345", "Porto"))
    assert (error.code, error.part) == ("postcode.format", "postcode")
    assert flow.submit_page(AddressInput("Rua A", "1", "", "4000 123", "Porto")) == []
    assert flow.submit_page(UNKNOWN) == []
    assert flow.submit_page(("fish", "cat", "cat")) == []
    assert flow.top_answers["home"] == Address("Rua A", "1", "", "4000-123", "Porto")
    final = flow.final_answers()
    assert final["pets"] == ["cat", "fish"]  # definition order, once each
    assert final["rooms"] == {"unknown": True}
    assert final["age"] == 76 and final["born"] == "1950-03-02"
    assert final["home"] == {"street": "Rua A", "number": "1", "floor": "", "postcode": "4000-123", "locality": "Porto"}
    calculated = [r for r in flow.check_rows() if not r.changeable]
    assert [(r.step.question.id, r.value) for r in calculated] == [("age", 76)]  # type: ignore[union-attr]


def test_tell_us_once_suggests_an_earlier_answer_until_this_page_has_one() -> None:
    document = service_document()
    document["pages"][0]["profile_key"] = "person.full_name"
    flow = Flow(make_service(pages=document["pages"]), today=TODAY, profile={"person.full_name": "Ana Sousa"})
    flow.start()
    step = flow.current
    assert step is not None and flow.suggestion(step) == "Ana Sousa"
    flow.submit_page("Ana Sousa Lopes")
    assert flow.suggestion(step) is None
    assert flow.profile_values() == {"person.full_name": "Ana Sousa Lopes"}


@pytest.mark.parametrize("pages_done", range(1, 9))
def test_a_draft_resumes_on_the_first_page_not_yet_answered(pages_done: int) -> None:
    from kiosk.forms.answers_file import resume

    service = make_service()
    flow = Flow(service, today=TODAY)
    flow.start()
    for raw in ("Ana", "no", "France", "Rita", "123456789", "yes", "Rui", "501442600")[:pages_done]:
        assert flow.submit_page(raw) == []
    again = resume(service, flow.draft_answers(), today=TODAY)
    assert again.stage is flow.stage
    assert again.current == flow.current
    assert again.draft_answers() == flow.draft_answers()
