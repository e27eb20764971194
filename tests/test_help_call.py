"""The header's "Call a mediator" in the real window, with a fake idle clock: it covers a question page with the
call (sound, assertive announcement) without touching what was typed or the Back history; "Back to my form" returns
exactly there with the call pending ("Mediator called" in the header and its accessible name); the idle expiry waits
while the call is pending and starts again once it is answered or cancelled; the staff console lists the call and
"I am on my way" answers it (audited); the session's end drops it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from accessibility.speech import SpeechService
from accessibility.speech_fake import RecordingEngine
from kiosk.help_calls import HelpCall, HelpCalls
from kiosk.i18n import SHIPPED_LANGUAGES
from kiosk.idle import IdlePolicy, IdleState
from kiosk.journey import Journey
from kiosk.sounds import RecordingSounds
from kiosk.staff import StaffMember
from kiosk.staff_presence import StaffPresence
from tests.conftest import REFERENCE_PANEL
from tests.helpers import FakeClock
from ui.sample_queue import SampleQueue
from ui.screens.help_call import HelpCallScreen, clock_time
from ui.screens.idle_warning import IdleWarningScreen
from ui.screens.staff_home import StaffConsole, StaffHomeScreen
from ui.shell import MainWindow, ShellDeps

POLICY = IdlePolicy(question_seconds=120, reading_seconds=300, warning_seconds=60)
CALLED_AT = dt.datetime(2026, 11, 28, 10, 42, tzinfo=dt.UTC)
TYPED = "Ana Sousa"
MEDIATOR = StaffMember("Rui", "mediator", False, dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC))
TRAINER = StaffMember("Marta", "trainer", False, dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC))


class Audit:
    def __init__(self) -> None:
        self.records: list[tuple[str, str, dict[str, str | int | bool]]] = []

    def __call__(self, kind: str, actor: str, detail: dict[str, str | int | bool]) -> None:
        self.records.append((kind, actor, dict(detail)))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(50.0)


@pytest.fixture
def sounds() -> RecordingSounds:
    return RecordingSounds()


@pytest.fixture
def audit() -> Audit:
    return Audit()


@pytest.fixture
def calls(session, audit) -> HelpCalls:  # type: ignore[no-untyped-def]
    calls = HelpCalls(clock=lambda: CALLED_AT, audit=audit)
    calls.follow(session)
    return calls


@pytest.fixture
def window(qtbot, catalog, session, notices, panel, demo_services, clock, sounds, calls) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]  # noqa: PLR0917
    deps = ShellDeps(
        catalog=catalog,
        session=session,
        notices=notices,
        panel=panel,
        languages=SHIPPED_LANGUAGES,
        services=demo_services,
        journey=Journey(session),
        idle=POLICY,
        idle_clock=clock,
        sounds=sounds,
        speech=SpeechService(RecordingEngine()),
        help_calls=calls,
    )
    window = MainWindow(deps)
    qtbot.addWidget(window)
    window.resize(REFERENCE_PANEL.width_px, REFERENCE_PANEL.height_px)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.idle is not None
    window.idle.install()
    yield window
    window.idle.remove()
    window.allow_close()


@pytest.fixture
def announcements(window: MainWindow) -> list[tuple[QWidget, str, bool]]:
    seen: list[tuple[QWidget, str, bool]] = []
    window.announcer.announced.connect(lambda widget, message, assertive: seen.append((widget, message, assertive)))
    return seen


def advance(window: MainWindow, clock: FakeClock, seconds: float) -> None:
    """Time passes with the UI's ticks (ticked by hand: the fake clock does not move by itself)."""
    end = clock.now + seconds
    while clock.now < end:
        clock.now = min(end, clock.now + 1.0)
        window.idle.timer.tick()


def typing_on_a_question(window: MainWindow, qtbot) -> QWidget:  # type: ignore[no-untyped-def]
    """Start a form and type on its first question: what must survive the call."""
    window.deps.journey.choose_service("child-benefit")
    window.show_screen("service-start")
    qtbot.mouseClick(window.screen_widget("service-start").start_button, Qt.MouseButton.LeftButton)
    assert window.current_screen_name() == "question"
    box = window.screen_widget("question").answer.box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(box, TYPED)
    assert box.text() == TYPED and box.hasFocus()
    return box


def press_call(window: MainWindow, qtbot) -> HelpCallScreen:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(window.header.help, Qt.MouseButton.LeftButton)
    screen = window.stack.currentWidget()
    assert isinstance(screen, HelpCallScreen) and window.current_screen_name() == "help-call"
    return screen


def test_the_call_covers_the_page_with_a_sound_and_an_announcement(window, qtbot, sounds, announcements) -> None:  # type: ignore[no-untyped-def]
    typing_on_a_question(window, qtbot)
    history = window.history()
    screen = press_call(window, qtbot)
    assert window.deps.help_calls.pending == HelpCall("question", CALLED_AT)
    assert sounds.played == ["help-call"]
    widget, message, assertive = announcements[-1]
    assert widget is screen.title and assertive
    assert message.startswith("A mediator is on the way") and "Your answers are kept." in message
    assert screen.since.text() == f"Called at {clock_time(CALLED_AT)}"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.back_button)
    assert screen.back_button.height() >= REFERENCE_PANEL.px(20)
    assert "A mediator is on the way" in window.windowTitle()
    assert window.history() == history  # a cover, not a navigation
    assert window.header.help.text() == window.header.help.accessibleName() == "Mediator called"


def test_back_to_my_form_keeps_the_text_the_focus_and_the_history(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    box = typing_on_a_question(window, qtbot)
    question = window.screen_widget("question")
    history = window.history()
    screen = press_call(window, qtbot)
    qtbot.mouseClick(screen.back_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is question and window.screen_widget("question") is question
    assert question.answer.box is box and box.text() == TYPED
    assert window.history() == history
    qtbot.waitUntil(box.hasFocus)
    assert window.deps.help_calls.pending is not None  # still coming
    assert window.header.help.accessibleName() == "Mediator called"
    assert window.header.help.accessibleDescription() == "A mediator is on the way. Tap to see your call."
    window.back()  # Back leads where it did before the call
    assert window.current_screen_name() == "service-start"


def test_escape_on_the_call_goes_back_to_the_page(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    box = typing_on_a_question(window, qtbot)
    press_call(window, qtbot)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert window.current_screen_name() == "question" and box.text() == TYPED
    assert window.deps.help_calls.pending is not None


def test_a_second_press_says_already_called_and_makes_no_second_call(  # type: ignore[no-untyped-def]
    window, qtbot, sounds, calls, announcements
) -> None:
    typing_on_a_question(window, qtbot)
    raised: list[HelpCall] = []
    calls.raised.connect(raised.append)
    screen = press_call(window, qtbot)
    assert screen.already.isHidden()
    qtbot.mouseClick(window.header.help, Qt.MouseButton.LeftButton)  # pressed again on the call itself
    assert screen.already.isVisible() and "already called" in announcements[-1][1]
    qtbot.mouseClick(screen.back_button, Qt.MouseButton.LeftButton)
    again = press_call(window, qtbot)  # and again from the page
    assert again.already.isVisible()
    assert len(raised) == 1 and sounds.played == ["help-call"]


def test_i_no_longer_need_help_cancels_audited_and_gives_the_page_back(window, qtbot, calls, audit) -> None:  # type: ignore[no-untyped-def]
    box = typing_on_a_question(window, qtbot)
    screen = press_call(window, qtbot)
    qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
    assert calls.pending is None
    assert window.current_screen_name() == "question" and box.text() == TYPED
    assert window.header.help.text() == window.header.help.accessibleName() == "Call a mediator"
    assert [(kind, actor) for kind, actor, _ in audit.records] == [("help-call-cancelled", "system")]
    assert TYPED not in repr(audit.records)


def test_the_idle_expiry_waits_while_the_call_is_pending_and_resumes_after(window, qtbot, clock, calls) -> None:  # type: ignore[no-untyped-def]
    box = typing_on_a_question(window, qtbot)
    screen = press_call(window, qtbot)
    timer = window.idle.timer
    assert timer.state is IdleState.HELD and "help-call" in timer.holds
    advance(window, clock, 3600)  # an hour: far past any expiry
    assert window.idle.warning is None and window.stack.currentWidget() is screen
    qtbot.mouseClick(screen.back_button, Qt.MouseButton.LeftButton)
    advance(window, clock, 3600)  # back on the page, the call still pending
    assert window.idle.warning is None and box.text() == TYPED and timer.state is IdleState.HELD
    calls.answer("Rui")
    assert timer.state is IdleState.RUNNING and not timer.holds
    advance(window, clock, POLICY.question_seconds - POLICY.warning_seconds)  # the full countdown, from the answer
    assert isinstance(window.idle.warning, IdleWarningScreen)


def test_the_call_is_listed_for_a_signed_in_mediator_and_answered_from_the_console(  # type: ignore[no-untyped-def]
    window, qtbot, calls, audit, announcements
) -> None:
    box = typing_on_a_question(window, qtbot)
    presence = StaffPresence()
    presence.sign_in(MEDIATOR)
    # The console as on a display facing the mediator (built, not shown: a second top-level window would only make
    # the offscreen platform warn): the citizen's page stays covered while the call is answered.
    console = StaffHomeScreen(window.context, StaffConsole(presence, SampleQueue(), "pt-PT", help_calls=calls))
    qtbot.addWidget(console)
    part = console.help_calls
    assert not part.isVisibleTo(console)  # nothing pending
    press_call(window, qtbot)
    assert part.isVisibleTo(console)
    assert part.line.text() == f"Help called from question at {clock_time(CALLED_AT)}"
    assert part.answer_button.text() == "I am on my way"
    part.answer_button.click()
    assert calls.pending is None and not part.isVisibleTo(console)
    assert audit.records == [("help-call-answered", "Rui", {"screen": "question", "delay_seconds": 0})]
    assert window.current_screen_name() == "question" and box.text() == TYPED  # the call's screen went away
    assert window.header.help.text() == "Call a mediator"
    assert announcements[-1][1] == "A mediator has answered your call."


def test_a_trainer_does_not_see_the_call(window, qtbot, calls) -> None:  # type: ignore[no-untyped-def]
    presence = StaffPresence()
    presence.sign_in(TRAINER)
    console = StaffHomeScreen(window.context, StaffConsole(presence, SampleQueue(), "pt-PT", help_calls=calls))
    qtbot.addWidget(console)
    calls.raise_call("question")
    assert not console.help_calls.isVisibleTo(console)


def test_the_sessions_end_drops_the_call_and_the_call_screen(window, qtbot, calls, audit) -> None:  # type: ignore[no-untyped-def]
    typing_on_a_question(window, qtbot)
    press_call(window, qtbot)
    window.deps.session.end("staff")
    assert calls.pending is None and audit.records == []
    assert window.current_screen_name() == "home" and window.help_call.screen is None
    assert not any(isinstance(window.stack.widget(i), HelpCallScreen) for i in range(window.stack.count()))
    assert window.header.help.text() == "Call a mediator" and not window.idle.timer.holds


def test_the_call_screen_follows_a_language_change(window, qtbot, catalog) -> None:  # type: ignore[no-untyped-def]
    typing_on_a_question(window, qtbot)
    screen = press_call(window, qtbot)
    qtbot.mouseClick(window.header.language_buttons["pt-PT"], Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is screen  # the header's language switch keeps the call showing
    assert screen.title.text() == catalog.t("help_call.title", "pt-PT")
    assert screen.since.text() == catalog.t("help_call.since", "pt-PT", time=clock_time(CALLED_AT))
    assert window.header.help.text() == catalog.t("header.help_pending", "pt-PT")
