"""The twelve starter tutorials: all shipped, each a complete short lesson in the six kiosk languages, every
simulation kind practised somewhere, kind feedback for likely wrong actions, and practice forms that can never reach a
real service."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kiosk.catalog import load_catalog
from kiosk.i18n import SHIPPED_LANGUAGES
from tutorials.actions import Action, Attached, FormSubmitted, Marked, Scrolled, Tap, Typed
from tutorials.engine import TutorialRun
from tutorials.loader import link_problems, load_tutorials, tutorial_texts
from tutorials.model import (
    AttachSimulation,
    DemoStep,
    DigitalKeySimulation,
    FormSimulation,
    PracticeStep,
    ScrollSimulation,
    Simulation,
    TapSimulation,
    TriageSimulation,
    TypeSimulation,
)

# The starter list of the reference (services-and-learning.md), in its order.
STARTER = (
    "touch-tap-scroll-type",
    "screen-settings",
    "online-form",
    "digital-key-sign-in",
    "passwords-and-codes",
    "spot-the-scam",
    "find-the-right-service",
    "email-and-notifications",
    "documents-photo-pdf-attach",
    "appointments-and-video-calls",
    "your-data-and-consent",
    "when-things-go-wrong",
)
SIMULATION_KINDS = {"tap", "scroll", "type", "form", "digital-key", "triage", "attach"}
LANGUAGES = set(SHIPPED_LANGUAGES)  # every language the kiosk's screens speak
TODAY = dt.date(2026, 11, 28)
REPORT = load_tutorials()
TUTORIALS = REPORT.tutorials
DIGCOMP = re.compile(r"digcomp:2\.2/([1-5])\.([1-9])@L([1-8])")
COMPETENCES_PER_AREA = {1: 3, 2: 6, 3: 4, 4: 4, 5: 4}  # DigComp 2.2: 21 competences in 5 areas


def test_the_twelve_starter_tutorials_ship_and_load_cleanly() -> None:
    assert len(set(STARTER)) == 12
    assert set(STARTER) <= set(TUTORIALS)
    assert REPORT.problems == () and REPORT.warnings == ()  # what `tutorials check --strict` demands


@pytest.mark.parametrize("tutorial_id", STARTER)
def test_each_starter_tutorial_is_a_short_complete_lesson(tutorial_id: str) -> None:
    tutorial = TUTORIALS[tutorial_id]
    kinds = [step.kind for step in tutorial.steps]
    assert len(kinds) >= 5 and {"explain", "demo", "practice", "check", "recap"} <= set(kinds)
    assert kinds[-1] == "recap" and 5 <= tutorial.estimated_minutes <= 10
    assert tutorial.mastery.practice == "all" and tutorial.mastery.check_min_percent >= 75
    assert len(tutorial.questions()) >= 3
    assert set(tutorial.languages) == LANGUAGES
    for place, text in tutorial_texts(tutorial):  # every language complete, nothing blank
        assert set(text.values) == LANGUAGES and all(v.strip() for v in text.values.values()), place
    for step in tutorial.steps:
        assert set(step.narration.values) == LANGUAGES, step.id


@pytest.mark.parametrize("tutorial_id", STARTER)
def test_tags_are_digcomp_2_2_at_a_beginners_level_and_links_exist_in_the_demo_catalog(tutorial_id: str) -> None:
    tutorial = TUTORIALS[tutorial_id]
    levels = []
    for tag in tutorial.digcomp:
        match = DIGCOMP.fullmatch(tag)
        assert match is not None, tag
        area, competence, level = (int(g) for g in match.groups())
        assert competence <= COMPETENCES_PER_AREA[area], tag
        levels.append(level)
    assert max(levels) <= 2  # foundation: the kiosk's learners are beginners
    catalog = load_catalog().catalog
    events = {event.id for event in catalog.life_events}
    assert list(link_problems(tutorial, set(catalog.services), events)) == []


def test_every_simulation_kind_is_practised_by_some_shipped_tutorial() -> None:
    practised = {s.simulation.kind for t in TUTORIALS.values() for s in t.steps if isinstance(s, PracticeStep)}
    demonstrated = {s.simulation.kind for t in TUTORIALS.values() for s in t.steps if isinstance(s, DemoStep)}
    assert practised == SIMULATION_KINDS
    assert {"tap", "type", "form", "digital-key", "triage", "attach"} <= demonstrated


def test_the_competences_of_the_starter_list_are_covered() -> None:
    covered = {tag.split("/")[1].split("@")[0] for tid in STARTER for tag in TUTORIALS[tid].digcomp}
    assert {"1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.6", "3.1", "4.1", "4.2", "5.1", "5.2", "5.4"} <= covered


def specific_feedback(sim: Simulation) -> int:
    """How many likely wrong actions have their own words (beyond the simulation's generic `wrong`)."""
    if isinstance(sim, (FormSimulation, DigitalKeySimulation)):
        return len(sim.mistakes)
    if isinstance(sim, TriageSimulation):
        return len(sim.messages)  # each message's reason is said when it is marked wrongly
    own: tuple[object, ...] = ()
    if isinstance(sim, TapSimulation):
        own = sim.targets
    elif isinstance(sim, ScrollSimulation):
        own = sim.items
    elif isinstance(sim, TypeSimulation):
        own = (*sim.fields, *sim.mistakes)
    elif isinstance(sim, AttachSimulation):
        own = sim.documents
    return sum(getattr(thing, "feedback", None) is not None for thing in own)


def wrong_actions(sim: Simulation) -> list[Action]:
    """Likely mistakes of a beginner: the wrong control, an empty box, the wrong verdict, a form left blank."""
    actions: list[Action] = []
    if isinstance(sim, TapSimulation):
        actions = [Tap(t.id) for t in sim.targets if t.id != sim.expect]
    elif isinstance(sim, ScrollSimulation):
        ids = [i.id for i in sim.items]
        first = max(0, ids.index(sim.expect) - sim.visible + 1)  # the item to find comes into view at the bottom
        actions = [Scrolled(first), *(Tap(i) for i in ids[first : first + sim.visible] if i != sim.expect)]
    elif isinstance(sim, TypeSimulation):
        actions = [Typed(sim.field, ""), *(Typed(f.id, "x") for f in sim.fields if f.id != sim.field)]
    elif isinstance(sim, FormSimulation):
        actions = [FormSubmitted({})]
    elif isinstance(sim, DigitalKeySimulation):
        actions = [Typed("phone", "91")]
    elif isinstance(sim, TriageSimulation):
        actions = [Marked(m.id, "genuine" if m.verdict == "scam" else "scam") for m in sim.messages]
    elif isinstance(sim, AttachSimulation):
        actions = [Attached(d.id) for d in sim.documents if d.id != sim.expect]
    return actions


PRACTICE_STEPS = [(tid, s.id) for tid in STARTER for s in TUTORIALS[tid].practice_steps()]


@pytest.mark.parametrize(("tutorial_id", "step_id"), PRACTICE_STEPS)
def test_every_likely_mistake_gets_kind_words_and_never_completes_the_step(tutorial_id: str, step_id: str) -> None:
    tutorial = TUTORIALS[tutorial_id]
    run = TutorialRun(tutorial, today=TODAY, seed=3)
    run.go_to(step_id)
    step = run.step
    assert isinstance(step, PracticeStep)
    assert specific_feedback(step.simulation) >= 1
    actions = wrong_actions(step.simulation)
    assert actions
    for action in actions:
        feedback = run.act(action)
        if isinstance(action, Scrolled):
            assert feedback.correct and feedback.key == "in-view"  # the item to find came into view
            continue
        assert not feedback.correct and not feedback.done, action
        assert feedback.message is not None and set(feedback.message.values) == LANGUAGES, action
    assert step_id not in run.practice_done


def test_practice_forms_are_sandboxed_services_with_no_tell_us_once_keys() -> None:
    catalog = load_catalog().catalog
    forms = [s.simulation for t in TUTORIALS.values() for s in t.steps if isinstance(s, (DemoStep, PracticeStep))]
    services = {f.service.id: f.service for f in forms if isinstance(f, FormSimulation)}
    assert {"practice-new-address", "practice-tell-us-once"} <= set(services)
    for service_id, service in services.items():
        assert service_id.startswith("practice-") and service_id not in catalog.services
        assert service.target == "practice"
        # A profile key would offer a practice answer to the real services of the session ("tell us once").
        assert all(question.profile_key is None for question, _ in service.questions()), service_id


def test_the_practice_forms_and_the_self_assessment_speak_every_kiosk_language_too() -> None:
    """Not only the lessons: a learner who chose Ukrainian fills in a Ukrainian practice form and rates Ukrainian
    statements (every text object of those files, keywords included, in all six languages, none blank)."""
    from pathlib import Path

    from tests.helpers import text_objects

    root = Path(__file__).resolve().parents[1] / "tutorials"
    files = sorted((root / "content" / "practice").glob("*.json")) + sorted((root / "assessment").glob("*.json"))
    assert len(files) >= 4
    texts = text_objects(files, root)
    assert len(texts) > 100
    for place, text in texts:
        assert set(text) == LANGUAGES, place
        assert all(value and (isinstance(value, list) or value.strip()) for value in text.values()), place
