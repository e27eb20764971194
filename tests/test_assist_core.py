"""The assisted session's core (kiosk.assist): start, consent, hand over, idle time, stop and end, what it audits and
what the submission freezes; the staff member stays signed in only after an assisted session they finished."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.assist import (
    ASSIST_FINISHED,
    CITIZEN,
    MEDIATOR,
    TIME_STEPS,
    Assistance,
    AssistError,
    AssistRecord,
    Phase,
    audit_words,
    first_name,
    follow_session,
    stop_when_signed_out,
)
from kiosk.audit_rules import canonical_detail, check_actor, check_kind
from kiosk.idle import IdlePolicy, IdleState, IdleTimer
from kiosk.journey import Journey
from kiosk.session import CitizenSession, Presentation
from kiosk.staff import StaffMember
from kiosk.staff_presence import StaffPresence
from tests.helpers import FakeClock

T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
MIGUEL = "Miguel Santos"


class Rig:
    def __init__(self) -> None:
        self.session = CitizenSession(Presentation(language="en"), text_steps=5)
        self.journey = Journey(self.session)
        self.audit: list[tuple[str, str, dict[str, object]]] = []
        self.clock = FakeClock(0.0)
        self.timer = IdleTimer(IdlePolicy(question_seconds=120, reading_seconds=300, warning_seconds=60), self.clock)
        self.sign_outs: list[str] = []
        self.changes = 0
        self.assistance = Assistance(
            self.session,
            journey=self.journey,
            audit=lambda kind, actor, detail: self.audit.append((kind, actor, dict(detail))),
            idle=lambda: self.timer,
            sign_out=self.sign_outs.append,
        )
        self.assistance.changed.connect(lambda _payload: self._changed())

    def _changed(self) -> None:
        self.changes += 1

    def kinds(self) -> list[str]:
        return [kind for kind, _actor, _detail in self.audit]


@pytest.fixture
def rig() -> Rig:
    return Rig()


def test_start_and_consent_given_make_an_assisted_journey(rig: Rig) -> None:
    assistance = rig.assistance
    assistance.start(MIGUEL)
    assert assistance.phase is Phase.ASKING and assistance.mediator == MIGUEL
    assert assistance.mediator_first_name == "Miguel" and not assistance.assisting
    assistance.start(MIGUEL)  # the consent screen shown again: the same offer, audited once
    assistance.consent(True)
    assert assistance.assisting and rig.journey.assisted
    assert assistance.record() == AssistRecord("Miguel", True)
    assert assistance.record().as_submission() == {"consent": True, "mediator": "Miguel"}  # type: ignore[union-attr]
    assert rig.audit == [
        ("assist-start", MIGUEL, {}),
        ("assist-consent", MIGUEL, {"outcome": "given"}),
    ]
    assert rig.changes == 2


def test_refusal_is_recorded_the_citizen_goes_on_alone_and_the_mediator_signs_out(rig: Rig) -> None:
    rig.assistance.start(MIGUEL)
    rig.assistance.consent(False)
    assert rig.assistance.phase is Phase.DONE and not rig.assistance.assisting and rig.assistance.mediator is None
    assert not rig.journey.assisted
    assert rig.assistance.record() == AssistRecord("Miguel", False)  # frozen into the submission all the same
    assert rig.audit[-2:] == [
        ("assist-consent", MIGUEL, {"outcome": "refused"}),
        ("assist-end", MIGUEL, {"reason": "consent refused"}),
    ]
    assert rig.sign_outs == ["assist consent refused"]
    with pytest.raises(AssistError):
        rig.assistance.hand_over()


def test_another_mediator_cannot_take_over_an_offer(rig: Rig) -> None:
    rig.assistance.start(MIGUEL)
    with pytest.raises(AssistError):
        rig.assistance.start("Ana")
    with pytest.raises(ValueError, match="name"):
        Assistance(rig.session).start("   ")


def test_nothing_before_consent(rig: Rig) -> None:
    with pytest.raises(AssistError):
        rig.assistance.consent(True)
    rig.assistance.start(MIGUEL)
    for action in (rig.assistance.hand_over, rig.assistance.take_back, rig.assistance.more_time):
        with pytest.raises(AssistError):
            action()


def test_hand_over_and_take_back_are_audited_once_each(rig: Rig) -> None:
    rig.assistance.start(MIGUEL)
    rig.assistance.consent(True)
    assert rig.assistance.at_keyboard == MEDIATOR
    rig.assistance.hand_over()
    rig.assistance.hand_over()  # already the citizen's: nothing happens
    assert rig.assistance.at_keyboard == CITIZEN
    rig.assistance.take_back()
    assert rig.assistance.at_keyboard == MEDIATOR
    hand_overs = [detail for kind, _actor, detail in rig.audit if kind == "hand-over"]
    assert hand_overs == [{"outcome": "to-citizen"}, {"outcome": "to-mediator"}]


def test_more_time_multiplies_then_pauses_the_idle_timer_on_a_fake_clock(rig: Rig) -> None:
    rig.assistance.start(MIGUEL)
    rig.assistance.consent(True)
    timer = rig.timer
    timer.touch()
    assert timer.seconds_left() == 120
    assert rig.assistance.more_time() == 2.0
    assert timer.multiplier == 2.0 and timer.seconds_left() == 240
    rig.clock.now = 170  # past the site's 120 s, before the doubled time's warning (at 240 - 60)
    timer.tick()
    assert timer.state is IdleState.RUNNING
    assert rig.assistance.more_time() == 3.0 and timer.seconds_left() == 360 - 170
    assert rig.assistance.more_time() is None
    assert timer.state is IdleState.HELD and rig.assistance.time_factor is None
    rig.clock.now = 10_000
    timer.tick()
    assert timer.state is IdleState.HELD  # paused: no expiry however long
    assert rig.assistance.more_time() == 1.0
    assert timer.state is IdleState.RUNNING and timer.multiplier == 1.0 and timer.seconds_left() == 120
    times = [detail for kind, _actor, detail in rig.audit if kind == "assist-more-time"]
    assert times == [{"factor_percent": 200}, {"factor_percent": 300}, {"outcome": "paused"}, {"factor_percent": 100}]
    with pytest.raises(ValueError, match="positive"):
        rig.assistance.set_idle_multiplier(0)


def test_stop_gives_back_the_site_idle_time_and_keeps_the_record(rig: Rig) -> None:
    rig.assistance.start(MIGUEL)
    rig.assistance.consent(True)
    rig.assistance.more_time()
    rig.assistance.more_time()
    rig.assistance.more_time()  # paused
    rig.assistance.stop()
    assert rig.timer.multiplier == 1.0 and rig.timer.holds == frozenset()
    assert rig.assistance.phase is Phase.DONE and rig.assistance.record() == AssistRecord("Miguel", True)
    assert rig.journey.assisted  # the mediator did see the answers: the submission says so
    assert rig.sign_outs == ["assist stopped"] and rig.audit[-1] == ("assist-end", MIGUEL, {"reason": "stopped"})


def test_end_wipes_the_session_and_forgets_everything(rig: Rig) -> None:
    ended: list[str] = []
    rig.session.ended.connect(ended.append)
    rig.journey.choose_service("activate-digital-key")
    rig.assistance.start(MIGUEL)
    rig.assistance.consent(True)
    rig.assistance.hand_over()
    rig.assistance.end()
    assert ended == [ASSIST_FINISHED]
    assert rig.assistance.phase is Phase.OFF and rig.assistance.record() is None
    assert rig.assistance.at_keyboard == MEDIATOR and rig.assistance.time_factor == 1.0
    assert rig.journey.service_id is None and not rig.journey.assisted  # the same wipe as any end
    assert rig.kinds().count("assist-end") == 1 and rig.audit[-1] == ("assist-end", MIGUEL, {"reason": "finished"})
    assert rig.sign_outs == []  # End session keeps the mediator signed in (follow_session)


def test_any_other_session_end_ends_the_assist_with_its_reason(rig: Rig) -> None:
    rig.assistance.start(MIGUEL)
    rig.assistance.consent(True)
    rig.session.end("timeout")
    assert rig.assistance.phase is Phase.OFF and rig.assistance.record() is None
    assert rig.audit[-1] == ("assist-end", MIGUEL, {"reason": "session ended timeout"})
    rig.session.end("finished")  # nothing left to end: not audited again
    assert rig.kinds().count("assist-end") == 1


def test_cancel_before_an_answer(rig: Rig) -> None:
    rig.assistance.start(MIGUEL)
    rig.assistance.cancel()
    assert rig.assistance.phase is Phase.OFF and rig.audit[-1] == ("assist-end", MIGUEL, {"reason": "cancelled"})


def test_every_audit_record_is_one_the_audit_log_accepts_and_names_no_citizen_data(rig: Rig) -> None:
    rig.journey.remember_profile({})
    rig.assistance.start(MIGUEL)
    rig.assistance.consent(True)
    rig.assistance.hand_over()
    rig.assistance.more_time()
    rig.assistance.more_time()
    rig.assistance.more_time()
    rig.assistance.end()
    for kind, actor, detail in rig.audit:
        check_kind(kind)
        check_actor(actor)
        canonical_detail(detail, kind)  # raises on a key or value the audit log refuses
        assert actor == MIGUEL
    assert set(rig.kinds()) == {"assist-start", "assist-consent", "hand-over", "assist-more-time", "assist-end"}


def test_follow_session_keeps_the_mediator_only_after_a_finished_assist() -> None:
    session = CitizenSession(Presentation(language="en"), text_steps=5)
    audit: list[tuple[str, str, object]] = []
    presence = StaffPresence(audit=lambda kind, actor, detail: audit.append((kind, actor, detail)))
    follow_session(presence, session)
    presence.sign_in(StaffMember(MIGUEL, "mediator", False, T0))
    session.end(ASSIST_FINISHED)
    assert presence.member is not None and presence.member.name == MIGUEL
    session.end("timeout")
    assert presence.member is None
    assert audit == [("staff-sign-out", MIGUEL, {"reason": "session ended timeout"})]


def test_the_desk_freezes_consent_and_first_name_into_the_sealed_submission(tmp_path: Path) -> None:
    import json
    import os

    from kiosk.catalog import DEMO_CATALOG_DIR, load_catalog
    from kiosk.crypto import PayloadCipher
    from kiosk.desk import SubmissionDesk
    from kiosk.readiness import Readiness
    from kiosk.settings.model import SiteSettings
    from kiosk.storage import open_storage
    from kiosk.submissions import SCHEMA_VERSION, read_payload

    key = os.urandom(32)
    service = load_catalog(DEMO_CATALOG_DIR).catalog.services["activate-digital-key"]
    desk = SubmissionDesk(tmp_path, SiteSettings(id="s", name="Site", kiosk_id="k"), Readiness(), lambda: key)
    rig = Rig()
    desk.assistance = rig.assistance.record
    plain = desk.submit(service, answers={"a": 1}, consents={}, language="en", assisted=False)
    assert plain.assistance is None and b"assistance" not in plain.canonical_bytes()
    rig.assistance.start(MIGUEL)
    rig.assistance.consent(True)
    helped = desk.submit(service, answers={"a": 1}, consents={}, language="en", assisted=rig.journey.assisted)
    with open_storage(tmp_path) as storage:
        document = json.loads(read_payload(storage.db, helped.uuid, PayloadCipher(key)))
    assert document["assisted"] is True and document["schema_version"] == SCHEMA_VERSION
    assert document["assistance"] == {"consent": True, "mediator": "Miguel"}  # the first name only
    assert "Santos" not in json.dumps(document)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["hand", "take", "time", "stop", "start", "yes", "no", "end", "timeout"]), max_size=25))
def test_any_sequence_of_actions_keeps_the_state_consistent(actions: list[str]) -> None:
    rig = Rig()
    assistance = rig.assistance
    rig.timer.touch()
    for action in actions:
        with contextlib.suppress(AssistError):
            {
                "hand": assistance.hand_over,
                "take": assistance.take_back,
                "time": assistance.more_time,
                "stop": assistance.stop,
                "start": lambda: assistance.start(MIGUEL),
                "yes": lambda: assistance.consent(True),
                "no": lambda: assistance.consent(False),
                "end": assistance.end,
                "timeout": lambda: rig.session.end("timeout"),
            }[action]()
        assert assistance.time_factor in TIME_STEPS
        if not assistance.assisting:
            assert assistance.at_keyboard == MEDIATOR and assistance.time_factor == 1.0
            assert rig.timer.multiplier == 1.0 and not rig.timer.holds
        if assistance.phase is Phase.OFF:
            assert assistance.record() is None and assistance.mediator is None
        for kind, actor, detail in rig.audit:
            canonical_detail(detail, kind)
            assert actor == MIGUEL
    starts, ends = rig.kinds().count("assist-start"), rig.kinds().count("assist-end")
    assert ends in (starts, starts - 1)  # every assist ends once; the last may still be going on


@pytest.mark.parametrize(("name", "first"), [("Miguel", "Miguel"), ("Ana Rita Sousa", "Ana"), (" Zé  Maria ", "Zé")])
def test_first_name(name: str, first: str) -> None:
    assert first_name(name) == first


def test_audit_words() -> None:
    assert audit_words("assist-finished") == "assist-finished"
    assert audit_words("Time Out!") == "time out"


def test_the_help_stops_when_its_mediator_signs_out(rig: Rig) -> None:
    presence = StaffPresence()
    stop_when_signed_out(rig.assistance, presence)
    presence.sign_in(StaffMember(MIGUEL, "mediator", False, T0))
    rig.assistance.start(MIGUEL)
    rig.assistance.consent(True)
    presence.sign_in(StaffMember(MIGUEL, "mediator", False, T0))  # the same member again: nothing changes
    assert rig.assistance.assisting
    presence.sign_out()
    assert rig.assistance.phase is Phase.DONE and rig.audit[-1] == ("assist-end", MIGUEL, {"reason": "stopped"})
