"""The tutorial engine: an automated learner completes every shipped tutorial; practice feedback is specific; scoring,
mastery, moving back and forth, and resuming a snapshot."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.catalog.plain_language import fold
from kiosk.forms.answers_file import example_answers
from tests.test_tutorials_schema import t, tutorial_doc
from tutorials.actions import Action, Attached, Feedback, FormSubmitted, Marked, Scrolled, Tap, Typed
from tutorials.build import tutorial as build_tutorial
from tutorials.engine import TutorialRun, WrongStepError
from tutorials.loader import load_tutorials
from tutorials.model import (
    AttachSimulation,
    CheckStep,
    DigitalKeySimulation,
    FormSimulation,
    PracticeStep,
    ScrollSimulation,
    Simulation,
    TapSimulation,
    TriageSimulation,
    Tutorial,
    TypeSimulation,
)
from tutorials.practice import DigitalKeyPractice, FormPractice

TODAY = dt.date(2026, 11, 28)
REPORT = load_tutorials()
TUTORIALS = REPORT.tutorials
# What a learner who read the task types where the step expects a pattern rather than one value, by (tutorial, step).
PATTERN_ANSWERS = {
    ("passwords-and-codes", "try-passphrase"): "janela sapato limão",
    ("when-things-go-wrong", "try-fix-error"): "912 345 678",
}


def en(feedback: Feedback) -> str | None:
    return feedback.message.t("en") if feedback.message is not None else None


def right_actions(run: TutorialRun, sim: Simulation) -> list[Action]:
    """What a learner who knows the answer does on a simulated screen."""
    if isinstance(sim, DigitalKeySimulation):
        return digital_key_actions(run, sim)
    actions: list[Action] = []
    if isinstance(sim, TapSimulation):
        actions = [Tap(sim.expect)]
    elif isinstance(sim, ScrollSimulation):
        actions = [Scrolled([i.id for i in sim.items].index(sim.expect)), Tap(sim.expect)]
    elif isinstance(sim, TypeSimulation):
        typed = sim.expect_value or PATTERN_ANSWERS.get((run.tutorial.id, run.step.id), "something")
        actions = [Typed(sim.field, typed)]
    elif isinstance(sim, TriageSimulation):
        actions = [Marked(m.id, m.verdict) for m in sim.messages]
    elif isinstance(sim, AttachSimulation):
        actions = [Attached(sim.expect)]
    elif isinstance(sim, FormSimulation):
        actions = [FormSubmitted(example_answers(sim.service, today=TODAY) | sim.expect)]
    return actions


def digital_key_actions(run: TutorialRun, sim: DigitalKeySimulation) -> list[Action]:
    practice = run.practice
    assert isinstance(practice, DigitalKeyPractice)
    actions: list[Action] = [Typed("phone", sim.phone_number)]
    if sim.pin:
        actions.append(Typed("pin", sim.pin))
    return [*actions, Typed("code", practice.one_time_code)]


def complete(run: TutorialRun, *, right: bool = True) -> None:
    """Go through every step: practise correctly, answer every question (rightly or wrongly)."""
    while True:
        step = run.step
        if isinstance(step, PracticeStep):
            feedback = [run.act(action) for action in right_actions(run, step.simulation)]
            assert feedback[-1].done and feedback[-1].correct, (step.id, feedback[-1])
            assert step.id in run.practice_done
        elif isinstance(step, CheckStep):
            for question in step.questions:
                option = next(o for o in question.options if o.correct is right)
                assert run.answer(question.id, option.id).correct is right
        if not run.next():
            return


@pytest.mark.parametrize("tutorial_id", sorted(TUTORIALS))
def test_an_automated_learner_completes_and_passes_every_shipped_tutorial(tutorial_id: str) -> None:
    tutorial = TUTORIALS[tutorial_id]
    run = TutorialRun(tutorial, today=TODAY, seed=1)
    complete(run)
    assert run.at_last_step and run.finished and run.score == 1.0 and run.mastered
    verbs = [e.verb for e in run.drain_events()]
    assert verbs == ["attempted", *["answered"] * len(tutorial.questions()), "completed", "passed"]
    assert run.drain_events() == []


@pytest.mark.parametrize("tutorial_id", sorted(TUTORIALS))
def test_wrong_answers_everywhere_fail_the_mastery_rule(tutorial_id: str) -> None:
    run = TutorialRun(TUTORIALS[tutorial_id], today=TODAY, seed=1)
    complete(run, right=False)
    events = run.drain_events()
    assert run.score == 0.0 and not run.mastered
    assert [e.verb for e in events][-2:] == ["completed", "failed"]
    assert all(e.success is False for e in events if e.verb == "answered")


def practice_run(tutorial: Tutorial, step_id: str, seed: int = 1) -> TutorialRun:
    run = TutorialRun(tutorial, today=TODAY, seed=seed)
    run.go_to(step_id)
    return run


def test_tap_wrong_then_right_gives_the_specific_feedback_then_success() -> None:
    run = practice_run(TUTORIALS["touch-tap-scroll-type"], "try-tap")
    wrong = run.act(Tap("cancel"))
    assert (wrong.correct, wrong.done, wrong.key, wrong.control) == (False, False, "not-this", "cancel")
    assert en(wrong) == "That is the Cancel button. Look for Send, on the right."
    assert wrong.message is not None and wrong.message.t("pt-PT").startswith("Esse é o botão Cancelar.")
    assert en(run.act(Tap("nowhere"))) == "Not yet. Look for the Send button, at the bottom."
    right = run.act(Tap("send"))
    assert (right.correct, right.done, right.key, en(right)) == (True, True, "done", "Well done! You tapped Send.")
    assert run.practice_done == {"try-tap"} and run.practice is not None and run.practice.wrong_actions == 2


def test_scroll_needs_the_item_in_view_and_says_when_it_is() -> None:
    run = practice_run(TUTORIALS["touch-tap-scroll-type"], "try-scroll")
    assert run.act(Tap("faro")).key == "not-in-view"
    assert run.act(Scrolled(2)).key == "scrolled"  # Faro (the 8th) is not in view yet
    shown = run.act(Scrolled(4))
    assert (shown.correct, shown.key, en(shown)) == (True, "in-view", "Now you can see Faro. Tap Faro.")
    assert en(run.act(Tap("evora"))) == "That is Évora. Faro comes right after it."
    assert run.act(Scrolled(99)).key == "scrolled"  # clamped to the end of the list: Faro is still in view
    assert run.act(Tap("faro")).done


def test_type_feedback_for_common_mistakes_then_success() -> None:
    run = practice_run(TUTORIALS["touch-tap-scroll-type"], "try-type")
    assert en(run.act(Typed("postcode", "Lisboa"))) == "That is the postcode box. Type in the Town box."
    assert en(run.act(Typed("town", "   "))) == "The box is empty. Tap the box, then tap the letters."
    assert en(run.act(Typed("town", "Lisb"))) == "Nearly! Letters are missing at the end: Lisboa."
    assert run.act(Typed("town", "Porto")).key == "wrong"
    assert run.act(Typed("town", "  LISBÔA ")).done  # case, accents and spaces do not matter


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300))
def test_any_typed_text_is_judged_and_only_the_expected_word_completes(text: str) -> None:
    run = practice_run(TUTORIALS["touch-tap-scroll-type"], "try-type")
    feedback = run.act(Typed("town", text))
    assert feedback.done is (" ".join(fold(text.strip()[:200]).split()) == "lisboa")
    assert feedback.correct is feedback.done and (feedback.done or feedback.message is not None)


def test_typed_text_is_never_in_a_repr() -> None:
    assert "secret" not in repr(Typed("town", "secret")) and "secret" not in repr(FormSubmitted({"a": "secret"}))


def test_triage_gives_each_reason_and_is_done_only_when_every_message_is_right() -> None:
    run = practice_run(TUTORIALS["spot-the-scam"], "try-triage")
    step = run.step
    assert isinstance(step, PracticeStep) and isinstance(step.simulation, TriageSimulation)
    messages = step.simulation.messages
    wrong = run.act(Marked("tax-refund", "genuine"))
    assert (wrong.correct, wrong.done, wrong.key) == (False, False, "marked-wrong")
    assert en(wrong) is not None and "never asks for your PIN" in (en(wrong) or "")
    for message in messages[:-1]:
        assert not run.act(Marked(message.id, message.verdict)).done
    last = run.act(Marked(messages[-1].id, messages[-1].verdict))
    assert (last.correct, last.done, last.key) == (True, True, "marked-right")


def custom(simulation: dict[str, Any]) -> Tutorial:
    doc = tutorial_doc()
    doc["steps"][2]["simulation"] = {"wrong": t("Não.", "Not that."), **simulation}
    built, problems = build_tutorial(doc, REPORT.practice)
    assert problems == []
    return built


def test_digital_key_sign_in_with_a_fresh_one_time_code() -> None:
    tutorial = custom(
        {
            "kind": "digital-key",
            "phone_number": "912 345 678",
            "pin": "1234",
            "mistakes": [
                {"field": "phone", "pattern": "[0-9 ]{1,8}", "feedback": t("Faltam números.", "Digits are missing.")},
                {"field": "code", "feedback": t("Veja o telemóvel.", "Look at the phone.")},
            ],
        }
    )
    run = practice_run(tutorial, "try", seed=7)
    practice = run.practice
    assert isinstance(practice, DigitalKeyPractice)
    code = practice.one_time_code
    assert len(code) == 6 and code.isdigit() and not practice.code_sent
    assert run.act(Typed("code", code)).key == "code-not-sent"
    assert en(run.act(Typed("phone", "912 345"))) == "Digits are missing."
    assert run.act(Typed("phone", "+351 912 345 678")).key == "phone-ok"
    assert run.act(Typed("pin", "9999")).key == "wrong"
    sent = run.act(Typed("pin", "1234"))
    assert (sent.key, sent.control, practice.code_sent) == ("code-sent", "fake-phone", True)
    assert en(run.act(Typed("code", "000000" if code != "000000" else "111111"))) == "Look at the phone."
    assert run.act(Typed("code", code)).done
    other = practice_run(tutorial, "try", seed=8).practice
    assert isinstance(other, DigitalKeyPractice) and other.one_time_code != code  # a new code each time


def test_attach_the_right_document() -> None:
    tutorial = custom(
        {
            "kind": "attach",
            "expect": "bill",
            "slot": t("Comprovativo de morada", "Proof of address"),
            "documents": [
                {
                    "id": "photo",
                    "type": "photo",
                    "name": t("praia.jpg", "beach.jpg"),
                    "feedback": t("É uma fotografia de férias.", "That is a holiday photo."),
                },
                {"id": "bill", "type": "pdf", "name": t("fatura-luz.pdf", "electricity-bill.pdf")},
            ],
        }
    )
    run = practice_run(tutorial, "try")
    assert en(run.act(Attached("photo"))) == "That is a holiday photo."
    assert run.act(Tap("bill")).key == "wrong"  # selecting is the UI's; only attaching counts
    assert run.act(Attached("bill")).done


def test_form_practice_uses_the_real_form_engine_in_memory() -> None:
    tutorial = custom(
        {
            "kind": "form",
            "service_ref": "practice-library-card",
            "expect": {"first_name": "Ana"},
            "mistakes": [
                {
                    "field": "postcode",
                    "feedback": t("O código tem o formato 1000-001.", "The postcode looks like 1000-001."),
                },
                {"field": "first_name", "code": "expect", "feedback": t("Escreva Ana.", "Write Ana.")},
            ],
        }
    )
    run = practice_run(tutorial, "try")
    practice = run.practice
    assert isinstance(practice, FormPractice)
    flow = practice.new_flow()
    flow.start()
    assert flow.current is not None and flow.current.question is not None
    assert flow.current.question.id == "first_name"
    bad_postcode = run.act(FormSubmitted({"first_name": "Ana", "postcode": "12", "email_updates": False}))
    assert (bad_postcode.key, bad_postcode.control, en(bad_postcode)) == (
        "form-error",
        "postcode",
        "The postcode looks like 1000-001.",
    )
    not_asked = run.act(FormSubmitted({"first_name": "Rui", "postcode": "1000-001", "email_updates": False}))
    assert (not_asked.key, en(not_asked)) == ("form-expect", "Write Ana.")
    missing = run.act(FormSubmitted({"first_name": "Ana"}))
    assert (missing.correct, missing.key, missing.control) == (False, "form-error", "postcode")
    assert run.act(FormSubmitted({"first_name": "Ana", "postcode": "1000 001", "email_updates": True})).done


# Moving, scoring, mastery ----------------------------------------------------------------------------------------
def test_next_and_back_stop_at_the_ends_and_skipping_is_allowed_but_fails_mastery() -> None:
    tutorial = TUTORIALS["touch-tap-scroll-type"]
    run = TutorialRun(tutorial, today=TODAY)
    assert not run.back() and run.position == (1, len(tutorial.steps))
    with pytest.raises(WrongStepError):
        run.act(Tap("send"))
    with pytest.raises(WrongStepError):
        run.answer("how-to-tap", "light")
    while run.next():
        pass
    assert run.at_last_step and run.position == (len(tutorial.steps), len(tutorial.steps)) and not run.next()
    assert [e.verb for e in run.drain_events()] == ["attempted", "completed", "failed"]
    assert run.back() and run.step.id == "check"


def test_going_back_to_finish_the_practice_turns_a_fail_into_a_pass() -> None:
    run = TutorialRun(TUTORIALS["spot-the-scam"], today=TODAY)
    run.go_to("check")
    for question in run.tutorial.questions():
        run.answer(question.id, next(o.id for o in question.options if o.correct))
    run.next()
    assert [e.verb for e in run.drain_events()][-2:] == ["completed", "failed"]  # the practice steps were skipped
    for step_id in ("try-triage", "what-to-do"):
        run.go_to(step_id)
        step = run.step
        assert isinstance(step, PracticeStep)
        for action in right_actions(run, step.simulation):
            run.act(action)
    run.go_to("recap")
    assert [e.verb for e in run.drain_events()] == ["passed"]  # completed is said once
    run.back()
    run.next()
    assert run.drain_events() == []  # nothing changed


def test_a_question_is_scored_on_its_first_answer() -> None:
    run = practice_run(TUTORIALS["spot-the-scam"], "check")
    first = run.answer("pin-by-sms", "true")
    assert (first.correct, first.done, en(first)) == (
        False,
        False,
        "No. No public service asks for your PIN in a message.",
    )
    assert run.answer("pin-by-sms", "false").correct
    assert run.answers == {"pin-by-sms": "true"} and run.score == 0.0
    assert [e.verb for e in run.drain_events()] == ["attempted", "answered"]
    with pytest.raises(KeyError):
        run.answer("pin-by-sms", "maybe")


@settings(max_examples=200, deadline=None)
@given(rights=st.lists(st.booleans(), min_size=5, max_size=5), practised=st.booleans())
def test_score_and_mastery_follow_the_rule(rights: list[bool], practised: bool) -> None:
    tutorial = TUTORIALS["spot-the-scam"]  # 5 questions, practice all, at least 80 %
    run = TutorialRun(tutorial, today=TODAY)
    for question, right in zip(tutorial.questions(), rights, strict=True):
        run.go_to(next(s.id for s in tutorial.steps if isinstance(s, CheckStep) and question in s.questions))
        run.answer(question.id, next(o.id for o in question.options if o.correct is right))
    if practised:
        run.practice_done |= {s.id for s in tutorial.practice_steps()}
    assert run.score == sum(rights) / 5
    assert run.mastered is (practised and sum(rights) >= 4)


def test_a_snapshot_resumes_where_the_learner_stopped_even_after_a_new_version() -> None:
    tutorial = TUTORIALS["touch-tap-scroll-type"]
    run = practice_run(tutorial, "try-tap")
    run.act(Tap("send"))
    run.go_to("check")
    run.answer("how-to-tap", "light")
    snapshot = run.snapshot()
    assert (snapshot.step_id, snapshot.practice_done, dict(snapshot.answers)) == (
        "check",
        ("try-tap",),
        {"how-to-tap": "light"},
    )
    resumed = TutorialRun(tutorial, today=TODAY, resume_from=snapshot)
    assert resumed.step.id == "check" and resumed.practice_done == {"try-tap"} and resumed.drain_events() == []
    # A later version without the practice step: what no longer exists is dropped, the rest is kept.
    newer = build_tutorial(tutorial_doc(), {})[0]
    moved = TutorialRun(
        newer, today=TODAY, resume_from=snapshot._replace(step_id="quiz", answers={"q1": "true", "how-to-tap": "light"})
    )
    assert moved.step.id == "quiz" and moved.practice_done == set() and moved.answers == {"q1": "true"}
