"""kiosk.help_calls without Qt: one call at most, a second press is the same call, answer / cancel / session end clear
it, answers and cancellations are audited with nothing about the citizen (and in a form the audit log accepts)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.audit_rules import canonical_detail, check_actor, check_kind
from kiosk.help_calls import ANSWERED, CANCELLED, SESSION_ENDED, ClearedCall, HelpCall, HelpCalls, screen_token
from kiosk.session import CitizenSession, Presentation

T0 = dt.datetime(2026, 11, 28, 10, 42, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


class Audit:
    def __init__(self) -> None:
        self.records: list[tuple[str, str, dict[str, str | int | bool]]] = []

    def __call__(self, kind: str, actor: str, detail: dict[str, str | int | bool]) -> None:
        self.records.append((kind, actor, dict(detail)))


def make() -> tuple[HelpCalls, Clock, Audit, list[HelpCall], list[ClearedCall]]:
    clock, audit = Clock(), Audit()
    calls = HelpCalls(clock=clock, audit=audit)
    raised: list[HelpCall] = []
    cleared: list[ClearedCall] = []
    calls.raised.connect(raised.append)
    calls.cleared.connect(cleared.append)
    return calls, clock, audit, raised, cleared


def new_session() -> CitizenSession:
    return CitizenSession(Presentation(language="en"), text_steps=5)


def test_a_call_records_the_screen_and_the_time_only() -> None:
    calls, _clock, audit, raised, _ = make()
    assert calls.pending is None
    call = calls.raise_call("question")
    assert call == HelpCall("question", T0) and calls.pending == call
    assert raised == [call] and audit.records == []  # raising is not a staff action


def test_a_second_press_is_the_same_call() -> None:
    calls, clock, _audit, raised, _ = make()
    first = calls.raise_call("question")
    clock.now += dt.timedelta(minutes=3)
    assert calls.raise_call("check-answers") == first  # same screen, same time: nobody is paged twice
    assert raised == [first]


def test_a_screen_name_that_is_not_a_token_is_not_kept() -> None:
    calls, *_ = make()
    assert calls.raise_call("Ana Sousa, 912 345 678").screen == "unknown"
    assert screen_token("staff-home") == "staff-home" and screen_token("") == "unknown"


def test_answer_clears_the_call_and_is_audited_under_the_staff_members_name() -> None:
    calls, clock, audit, _raised, cleared = make()
    call = calls.raise_call("question")
    clock.now += dt.timedelta(seconds=95)
    assert calls.answer("Rui") == call
    assert calls.pending is None
    assert cleared == [ClearedCall(call, ANSWERED, "Rui")]
    assert audit.records == [("help-call-answered", "Rui", {"screen": "question", "delay_seconds": 95})]
    assert calls.answer("Rui") is None and len(audit.records) == 1  # nothing pending: nothing to answer


def test_answer_needs_a_name() -> None:
    calls, *_ = make()
    calls.raise_call("question")
    for name in ("", "   "):
        try:
            calls.answer(name)
        except ValueError:
            continue
        raise AssertionError(f"answer({name!r}) was accepted")
    assert calls.pending is not None


def test_cancel_clears_the_call_and_is_audited_without_a_person() -> None:
    calls, clock, audit, _raised, cleared = make()
    call = calls.raise_call("home")
    clock.now += dt.timedelta(seconds=20)
    assert calls.cancel() == call
    assert cleared == [ClearedCall(call, CANCELLED)]
    ((kind, actor, detail),) = audit.records
    assert (kind, actor) == ("help-call-cancelled", "system")
    assert detail == {"screen": "home", "delay_seconds": 20, "reason": "citizen no longer needs help"}
    assert calls.cancel() is None and len(audit.records) == 1


def test_audit_records_are_in_a_form_the_audit_log_accepts() -> None:
    calls, _clock, audit, *_ = make()
    calls.raise_call("question")
    calls.answer("Rui")
    calls.raise_call("question-date")
    calls.cancel()
    for kind, actor, detail in audit.records:
        check_kind(kind)
        check_actor(actor)
        canonical_detail(detail, kind)  # raises AuditError on a key or value the log refuses


def test_the_session_ending_clears_the_call_without_an_audit_record() -> None:
    calls, _clock, audit, _raised, cleared = make()
    session = new_session()
    calls.follow(session)
    call = calls.raise_call("question")
    session.end("timeout")
    assert calls.pending is None and cleared == [ClearedCall(call, SESSION_ENDED)] and audit.records == []
    session.end("finished")  # nothing pending: nothing more
    assert len(cleared) == 1


def test_follow_replaces_the_session_it_follows() -> None:
    calls, *_ = make()
    old, new = new_session(), new_session()
    calls.follow(old)
    calls.follow(new)
    calls.raise_call("question")
    old.end("finished")
    assert calls.pending is not None
    new.end("finished")
    assert calls.pending is None


def test_a_failing_audit_does_not_undo_the_answer() -> None:
    def broken(_kind: str, _actor: str, _detail: dict[str, str | int | bool]) -> None:
        raise OSError("disk full")

    calls = HelpCalls(clock=Clock(), audit=broken)
    calls.raise_call("question")
    assert calls.answer("Rui") is not None and calls.pending is None


def test_a_clock_that_moves_back_waits_zero_seconds() -> None:
    assert HelpCall("question", T0).waited(T0 - dt.timedelta(minutes=5)) == 0


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("raise"), st.text(max_size=12)),
        st.tuples(st.just("answer"), st.sampled_from(["Rui", "Sofia"])),
        st.tuples(st.just("cancel"), st.none()),
        st.tuples(st.just("end"), st.none()),
        st.tuples(st.just("wait"), st.integers(0, 600)),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(OPS)
def test_any_sequence_keeps_one_call_and_audits_only_answers_and_cancellations(
    ops: list[tuple[str, object]],
) -> None:
    calls, clock, audit, raised, cleared = make()
    session = new_session()
    calls.follow(session)
    model: HelpCall | None = None
    expected_audits = 0
    for op, arg in ops:
        if op == "raise":
            assert isinstance(arg, str)
            call = calls.raise_call(arg)
            if model is None:
                assert call.screen == screen_token(arg) and call.raised_at == clock.now
                model = call
            assert call == model  # a press while pending returns the pending call unchanged
        elif op == "answer":
            assert isinstance(arg, str)
            expected_audits += model is not None
            assert calls.answer(arg) == model
            model = None
        elif op == "cancel":
            expected_audits += model is not None
            assert calls.cancel() == model
            model = None
        elif op == "end":
            session.end("finished")
            model = None
        else:
            assert isinstance(arg, int)
            clock.now += dt.timedelta(seconds=arg)
        assert calls.pending == model
    assert len(audit.records) == expected_audits
    assert len(raised) - len(cleared) == (1 if model is not None else 0)  # each call raised once, cleared once
    for _kind, _actor, detail in audit.records:  # whatever was passed as a screen name, only a token is kept
        assert set(detail) <= {"screen", "delay_seconds", "reason"}
        canonical_detail(detail)
