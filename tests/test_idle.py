"""The idle countdown with a fake clock (`kiosk.idle`): warning at the configured time, extension by any input, more
than ten extensions, expiry, the mediator's multiplier and pause, a help call that holds and never resets; and the
sound cues (`kiosk.sounds`), each with a visible message in every language."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.i18n import SHIPPED_LANGUAGES, Catalog
from kiosk.idle import MIN_WARNING_SECONDS, QUESTION, READING, IdlePolicy, IdleState, IdleTimer
from kiosk.settings.model import IdleSettings
from kiosk.sounds import CUE_MESSAGES, CUES, RecordingSounds, SilentSounds
from tests.helpers import FakeClock as BaseClock


class FakeClock(BaseClock):
    def __init__(self) -> None:
        super().__init__(1000.0)

    def advance(self, seconds: float, timer: IdleTimer | None = None, step: float = 0.25) -> None:
        """Move time on, ticking like the UI does (every `step` seconds)."""
        end = self.now + seconds
        while self.now < end:
            self.now = min(end, self.now + step)
            if timer is not None:
                timer.tick()


class Recorder:
    def __init__(self, timer: IdleTimer) -> None:
        self.log: list[tuple[str, object]] = []
        timer.warning_started.connect(lambda s: self.log.append(("warning", s)))
        timer.warning_cancelled.connect(lambda r: self.log.append(("cancelled", r)))
        timer.expired.connect(lambda k: self.log.append(("expired", k)))

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.log]


DEFAULT_POLICY = IdlePolicy()


def started(policy: IdlePolicy = DEFAULT_POLICY, kind: str = QUESTION) -> tuple[IdleTimer, FakeClock, Recorder]:
    clock = FakeClock()
    timer = IdleTimer(policy, clock, kind=kind)
    recorder = Recorder(timer)
    timer.touch()
    return timer, clock, recorder


def test_the_defaults_are_the_settings_defaults() -> None:
    from kiosk.settings.schema import SETTINGS

    defaults = {s.key: s.default for s in SETTINGS if s.key.startswith("idle.")}
    assert IdlePolicy() == IdlePolicy(
        defaults["idle.question_seconds"], defaults["idle.reading_seconds"], defaults["idle.warning_seconds"]
    )
    assert IdlePolicy(*IdleSettings(120, 300, 60)) == IdlePolicy()


def test_nothing_counts_down_before_the_first_input() -> None:
    clock = FakeClock()
    timer = IdleTimer(IdlePolicy(), clock)
    recorder = Recorder(timer)
    clock.advance(10_000, timer, step=5)
    assert timer.state is IdleState.STOPPED and recorder.log == [] and timer.seconds_left() == math.inf


def test_warning_at_the_configured_time_then_expiry() -> None:
    timer, clock, recorder = started(IdlePolicy(question_seconds=120, warning_seconds=60))
    clock.advance(59.5, timer)
    assert recorder.log == [] and timer.state is IdleState.RUNNING
    clock.advance(0.5, timer)
    assert recorder.log == [("warning", 60)] and timer.state is IdleState.WARNING
    clock.advance(59.75, timer)
    assert recorder.kinds() == ["warning"]
    clock.advance(0.25, timer)
    assert recorder.log == [("warning", 60), ("expired", QUESTION)]
    assert timer.state is IdleState.STOPPED


def test_countdown_reports_each_whole_second_once() -> None:
    timer, clock, _ = started(IdlePolicy(question_seconds=60, warning_seconds=20))
    seconds: list[int] = []
    timer.countdown.connect(seconds.append)
    clock.advance(60, timer)
    assert seconds == list(range(19, 0, -1))


def test_reading_screens_get_their_own_timeout() -> None:
    timer, clock, recorder = started(IdlePolicy(question_seconds=120, reading_seconds=300, warning_seconds=60))
    timer.set_kind(READING)
    clock.advance(239, timer)
    assert recorder.log == []
    clock.advance(1, timer)
    assert recorder.log == [("warning", 60)]
    timer.touch()
    timer.set_kind(QUESTION)
    assert timer.seconds_left() == 120


def test_the_warning_never_lasts_under_20_seconds() -> None:
    # A policy below the minimum (the settings refuse it, a programmer could not) is raised to 20 s.
    timer, clock, recorder = started(IdlePolicy(question_seconds=60, warning_seconds=5))
    clock.advance(39.75, timer)
    assert recorder.log == []
    clock.advance(0.25, timer)
    assert recorder.log == [("warning", 20)]


def test_a_late_tick_still_gives_the_whole_minimum_warning() -> None:
    timer, clock, recorder = started(IdlePolicy(question_seconds=120, warning_seconds=60))
    clock.now += 500  # the GUI thread was busy: no tick for minutes
    timer.tick()
    assert recorder.log == [("warning", 20)] and timer.seconds_left() == MIN_WARNING_SECONDS
    clock.advance(19.75, timer)
    assert recorder.kinds() == ["warning"]
    clock.advance(0.25, timer)
    assert recorder.kinds() == ["warning", "expired"]


def test_any_input_extends_and_cancels_the_warning() -> None:
    timer, clock, recorder = started()
    clock.advance(100, timer)
    assert timer.state is IdleState.WARNING
    timer.touch()
    assert recorder.log == [("warning", 60), ("cancelled", "activity")]
    assert timer.state is IdleState.RUNNING and timer.seconds_left() == 120 and timer.extensions == 1
    clock.advance(30, timer)
    timer.touch()  # input without a warning is activity, not an extension
    assert timer.extensions == 1 and timer.seconds_left() == 120


@pytest.mark.parametrize("extensions", [10, 25])
def test_more_than_ten_extensions_are_allowed(extensions: int) -> None:
    timer, clock, recorder = started()
    for _ in range(extensions):
        clock.advance(61, timer)
        assert timer.state is IdleState.WARNING
        timer.touch()
    assert timer.extensions == extensions and "expired" not in recorder.kinds()
    clock.advance(120, timer)
    assert recorder.kinds()[-1] == "expired"


def test_after_expiry_the_next_input_starts_a_new_session() -> None:
    timer, clock, recorder = started()
    clock.advance(61, timer)
    timer.touch()
    clock.advance(120, timer)
    assert recorder.kinds()[-1] == "expired" and timer.state is IdleState.STOPPED
    clock.advance(1000, timer)
    assert recorder.kinds().count("expired") == 1  # nobody there: nothing more happens
    timer.touch()
    assert timer.state is IdleState.RUNNING and timer.extensions == 0 and timer.seconds_left() == 120


def test_the_mediator_multiplies_the_time() -> None:
    timer, clock, recorder = started(IdlePolicy(question_seconds=120, warning_seconds=60))
    timer.set_multiplier(10)
    assert timer.seconds_left() == 1200
    clock.advance(1139, timer)
    assert recorder.log == []
    clock.advance(1, timer)
    assert recorder.log == [("warning", 60)]
    timer.set_multiplier(20)  # during the warning: the warning ends, the longer time counts from now
    assert recorder.log[-1] == ("cancelled", "activity") and timer.seconds_left() == 2400
    with pytest.raises(ValueError, match="positive"):
        timer.set_multiplier(0)


def test_the_mediator_pauses_and_resumes() -> None:
    timer, clock, recorder = started()
    clock.advance(100, timer)
    timer.pause()
    assert recorder.log == [("warning", 60), ("cancelled", "held")] and timer.state is IdleState.HELD
    clock.advance(10_000, timer, step=5)
    timer.touch()  # input while paused keeps it paused
    assert "expired" not in recorder.kinds() and timer.state is IdleState.HELD
    timer.resume()
    assert timer.state is IdleState.RUNNING and timer.seconds_left() == 120


def test_a_help_call_holds_the_expiry_and_never_resets_anything() -> None:
    timer, clock, recorder = started()
    timer.set_multiplier(2)
    clock.advance(200, timer)
    assert timer.state is IdleState.WARNING
    timer.hold("help-call")
    clock.advance(3600, timer, step=5)
    assert "expired" not in recorder.kinds() and timer.multiplier == 2
    timer.pause()
    timer.release("help-call")  # the mediator's pause still holds
    assert timer.state is IdleState.HELD
    timer.resume()
    assert timer.state is IdleState.RUNNING and timer.seconds_left() == 240


def test_stop_forgets_the_mediators_choices() -> None:
    timer, _, _ = started()
    timer.set_multiplier(5)
    timer.pause()
    timer.stop()
    assert timer.state is IdleState.STOPPED and timer.multiplier == 1 and timer.holds == frozenset()
    timer.touch()
    assert timer.seconds_left() == 120


def test_unknown_screen_kinds_are_refused() -> None:
    timer, _, _ = started()
    with pytest.raises(ValueError, match="unknown screen kind"):
        timer.set_kind("video")


# Any sequence of inputs, ticks and holds: the timer never expires while held, never expires without a warning of at
# least 20 s, and an input right before any moment means no expiry at that moment.
operations = st.lists(
    st.one_of(
        st.tuples(st.just("wait"), st.floats(0, 400)),
        st.tuples(st.just("touch"), st.just(0.0)),
        st.tuples(st.just("hold"), st.just(0.0)),
        st.tuples(st.just("release"), st.just(0.0)),
        st.tuples(st.just("kind"), st.sampled_from([0.0, 1.0])),
        st.tuples(st.just("multiply"), st.floats(0.5, 10)),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(operations)
def test_never_expires_without_a_full_warning_nor_while_held(steps: list[tuple[str, float]]) -> None:
    timer, clock, _ = started(IdlePolicy(question_seconds=60, reading_seconds=90, warning_seconds=30))
    warning_at: list[float] = []
    expiries: list[float] = []
    timer.warning_started.connect(lambda _s: warning_at.append(clock.now))
    timer.warning_cancelled.connect(lambda _r: warning_at.clear())

    def on_expired(_kind: str) -> None:
        assert not timer.holds
        assert warning_at and clock.now - warning_at[-1] >= MIN_WARNING_SECONDS
        expiries.append(clock.now)

    timer.expired.connect(on_expired)
    for op, value in steps:
        if op == "wait":
            clock.advance(value, timer, step=1.0)
        elif op == "touch":
            timer.touch()
            assert timer.state is not IdleState.WARNING
        elif op == "hold":
            timer.hold("help-call")
        elif op == "release":
            timer.release("help-call")
        elif op == "kind":
            timer.set_kind(READING if value else QUESTION)
        else:
            timer.set_multiplier(value)
    if timer.holds:  # held at the end: an hour more passes without an expiry
        before = len(expiries)
        clock.advance(3600, timer, step=10.0)
        assert len(expiries) == before


def test_every_cue_has_a_visible_message_in_every_language() -> None:
    catalog = Catalog.load()
    for cue in CUES:
        for language in SHIPPED_LANGUAGES:
            text = catalog.t(CUE_MESSAGES[cue], language)
            assert text and text != CUE_MESSAGES[cue], (cue, language)


def test_sound_fakes() -> None:
    sounds = RecordingSounds()
    sounds.play("idle-warning")
    sounds.play("help-call")
    assert sounds.played == ["idle-warning", "help-call"]
    SilentSounds().play("error")
    with pytest.raises(ValueError, match="unknown sound cue"):
        RecordingSounds().play("fanfare")
