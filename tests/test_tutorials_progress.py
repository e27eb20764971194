"""Progress without accounts: learner codes, resuming where the learner stopped, xAPI-shaped statements, and nothing
personal stored beyond a first name the learner chose to give (sealed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from kiosk.codes import CodeKind, parse_code
from kiosk.crypto import PayloadCipher
from kiosk.drafts import MAX_FAILED_PER_WINDOW, WINDOW_MINUTES
from kiosk.storage import MIGRATIONS, Storage, open_storage
from tests.test_tutorials_engine import complete
from tutorials.actions import Tap, Typed
from tutorials.loader import load_tutorials
from tutorials.progress import (
    LearnerError,
    forget_learner,
    new_learner,
    record,
    resume,
    saved_progress,
    start_run,
    statements_for,
)

NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
CIPHER = PayloadCipher(b"t" * 32)
TUTORIALS = load_tutorials().tutorials
TOUCH = TUTORIALS["touch-tap-scroll-type"]
CANARY = "Canary-7f3e"
ADL = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    with open_storage(tmp_path) as opened:
        yield opened


def test_migration_10_adds_the_learning_tables(storage: Storage) -> None:
    assert MIGRATIONS[9].number == 10
    assert storage.db.conn.execute("PRAGMA user_version").fetchone() == (MIGRATIONS[-1].number,)
    assert {"learners", "learner_progress", "learning_statements"} <= set(storage.db.table_names())
    assert set(storage.db["learners"].columns_dict) == {"uuid", "lookup", "first_name", "created_at", "last_seen_at"}


def test_a_new_learner_gets_a_code_with_a_check_symbol_that_is_stored_nowhere(storage: Storage) -> None:
    made = new_learner(storage.db, CIPHER, now=NOW)
    assert made.code.startswith("A-") and parse_code(made.code, CodeKind.LEARNER) == made.code
    assert made.learner.first_name is None
    row = storage.db.execute("SELECT uuid, lookup, first_name FROM learners").fetchone()
    assert row[0] == made.learner.uuid and row[2] is None
    dump = "\n".join(storage.db.conn.iterdump())
    assert made.code not in dump and made.code.replace("-", "") not in dump


def test_resume_finds_the_learner_from_a_loosely_typed_code(storage: Storage) -> None:
    made = new_learner(storage.db, CIPHER, now=NOW, first_name=f"  {CANARY} ")
    typed = made.code.lower().replace("-", " ")
    learner = resume(storage.db, CIPHER, typed, now=NOW + dt.timedelta(days=3))
    assert learner == made.learner and learner.first_name == CANARY
    assert CANARY not in repr(learner)
    seen = storage.db.execute("SELECT last_seen_at FROM learners").fetchone()[0]
    assert seen.startswith("2026-12-01")


def test_a_mistyped_code_is_refused_without_counting_but_guessing_locks_resume(storage: Storage) -> None:
    made = new_learner(storage.db, CIPHER, now=NOW)
    swapped = made.code[:2] + made.code[3] + made.code[2] + made.code[4:]
    if swapped != made.code:  # two equal symbols swap into the same code
        with pytest.raises(LearnerError) as caught:
            resume(storage.db, CIPHER, swapped, now=NOW)
        assert caught.value.reason == "malformed"
    for _ in range(MAX_FAILED_PER_WINDOW + 5):  # check-symbol failures reveal nothing and are not counted
        with pytest.raises(LearnerError):
            resume(storage.db, CIPHER, "A-0000-0000-0", now=NOW)
    assert resume(storage.db, CIPHER, made.code, now=NOW) == made.learner
    other = new_learner(storage.db, CIPHER, now=NOW)  # a well-formed code nobody has
    forget_learner(storage.db, other.learner)
    for _ in range(MAX_FAILED_PER_WINDOW):
        with pytest.raises(LearnerError) as caught:
            resume(storage.db, CIPHER, other.code, now=NOW)
        assert caught.value.reason == "unknown"
    with pytest.raises(LearnerError) as caught:
        resume(storage.db, CIPHER, made.code, now=NOW)
    assert caught.value.reason == "too-many-attempts"
    later = NOW + dt.timedelta(minutes=WINDOW_MINUTES + 1)
    assert resume(storage.db, CIPHER, made.code, now=later) == made.learner


def test_resuming_continues_at_the_saved_step_with_the_practice_done(storage: Storage) -> None:
    made = new_learner(storage.db, CIPHER, now=NOW)
    run = start_run(storage.db, made.learner, TOUCH, today=TODAY)
    run.next()
    run.next()
    assert run.step.id == "try-tap"
    run.act(Tap("send"))
    run.next()
    record(storage.db, made.learner, run, site="demo-site", now=NOW)
    learner = resume(storage.db, CIPHER, made.code, now=NOW + dt.timedelta(days=1))
    again = start_run(storage.db, learner, TOUCH, today=TODAY)
    assert again.step.id == "scroll" and again.practice_done == {"try-tap"}
    assert again.drain_events() == []  # continuing is not a new attempt
    saved = saved_progress(storage.db, learner, TOUCH.id)
    assert saved is not None and (saved.version, saved.step_index, saved.finished) == ("1.0", 3, False)


def test_statements_are_xapi_shaped_with_a_pseudonymous_actor(storage: Storage) -> None:
    made = new_learner(storage.db, CIPHER, now=NOW)
    run = start_run(storage.db, made.learner, TOUCH, today=TODAY, seed=3)
    complete(run)
    made_now = record(storage.db, made.learner, run, site="lisboa-01", now=NOW)
    stored = statements_for(storage.db, made.learner)
    assert stored == made_now
    verbs = [s["verb"]["display"]["en-US"] for s in stored]
    assert verbs == ["attempted", "answered", "answered", "answered", "answered", "completed", "passed"]
    for statement in stored:
        assert statement["actor"] == {
            "objectType": "Agent",
            "account": {"homePage": "urn:citizen-kiosk:lisboa-01", "name": made.learner.uuid},
        }
        assert statement["verb"]["id"] == ADL + statement["verb"]["display"]["en-US"]
        assert statement["timestamp"] == "2026-11-28T10:00:00.000Z"
        assert len(statement["id"]) == 36
    attempted, answered, passed = stored[0], stored[1], stored[-1]
    assert (
        attempted["object"]["id"] == "urn:citizen-kiosk:tutorial:touch-tap-scroll-type@1.0"
        and "result" not in attempted
    )
    assert answered["object"]["id"] == "urn:citizen-kiosk:tutorial:touch-tap-scroll-type@1.0/how-to-tap"
    assert answered["context"]["contextActivities"]["parent"][0]["id"].endswith("touch-tap-scroll-type@1.0")
    assert answered["result"] == {"success": True, "response": "light"}
    assert passed["result"] == {"success": True, "completion": True, "score": {"scaled": 1.0}}
    assert passed["object"]["definition"]["name"]["pt-PT"] == "Tocar, deslizar e escrever"


def test_a_finished_tutorial_starts_a_new_attempt_and_statements_stay_per_learner(storage: Storage) -> None:
    one = new_learner(storage.db, CIPHER, now=NOW).learner
    two = new_learner(storage.db, CIPHER, now=NOW).learner
    run = start_run(storage.db, one, TOUCH, today=TODAY)
    complete(run, right=False)
    record(storage.db, one, run, site="s", now=NOW)
    saved = saved_progress(storage.db, one, TOUCH.id)
    assert saved is not None and saved.finished and saved.outcome == "failed" and saved.score == 0.0
    retry = start_run(storage.db, one, TOUCH, today=TODAY)
    assert retry.index == 0 and retry.answers == {}
    record(storage.db, one, retry, site="s", now=NOW + dt.timedelta(minutes=1))
    assert [s["verb"]["display"]["en-US"] for s in statements_for(storage.db, one)][-3:] == [
        "completed",
        "failed",
        "attempted",
    ]
    assert statements_for(storage.db, two) == []
    forget_learner(storage.db, one)
    assert statements_for(storage.db, one) == [] and saved_progress(storage.db, one, TOUCH.id) is None


def test_nothing_typed_and_no_name_is_stored_in_clear(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        made = new_learner(storage.db, CIPHER, now=NOW, first_name=CANARY)
        run = start_run(storage.db, made.learner, TOUCH, today=TODAY)
        run.go_to("try-type")
        run.act(Typed("town", CANARY))  # a wrong answer with something personal in it
        run.act(Typed("town", "Lisboa"))
        record(storage.db, made.learner, run, site="s", now=NOW)
        progress_columns = set(storage.db["learner_progress"].columns_dict)
    assert progress_columns == {
        "learner_uuid",
        "tutorial_id",
        "tutorial_version",
        "step_id",
        "step_index",
        "practice_done",
        "check_answers",
        "finished",
        "outcome",
        "score",
        "updated_at",
    }
    for path in tmp_path.iterdir():
        if path.is_file():
            data = path.read_bytes()
            assert CANARY.encode() not in data and b"Lisboa" not in data, path.name
