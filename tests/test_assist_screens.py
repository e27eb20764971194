"""An assisted session in the real window: a mediator (a demo account made here) signs in, offers help, the citizen
agrees on the consent screen, the banner names the mediator by first name, private answers are the citizen's to type
(hand over), "More time" stretches the idle expiry on a fake clock, the consent reaches the sealed submission, the
"learn to do this yourself" slip prints through the receipt printer, and End session wipes everything while the
mediator keeps their console. The mirror for a second screen masks private boxes in its picture."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLineEdit

from kiosk.assist import CITIZEN, MEDIATOR, Assistance, Phase, follow_session
from kiosk.crypto import PayloadCipher
from kiosk.forms.flow import Stage
from kiosk.idle import IdlePolicy, IdleState
from kiosk.readiness import Readiness
from kiosk.staff import StaffAccounts
from kiosk.staff_presence import StaffGate, StaffPresence
from tests.helpers import FakeClock
from tests.test_accessibility_screens import interactive
from tests.test_form_screens import (
    DIGITAL_KEY,
    PAYLOAD_KEY,
    FakePrinter,
    answer,
    form_shell_deps,
    open_window,
    settle,
    start,
)
from tests.test_staff_screens import T0, Clock
from ui.assist_banner import AssistBanner
from ui.assist_mirror import AssistMirror, masked_rects, mediator_screen
from ui.screens.assist_consent import AssistConsentScreen, assist_consent_factory
from ui.screens.registry import default_registry
from ui.screens.staff_home import StaffHomeScreen, staff_home_factory
from ui.screens.staff_samples import sample_accounts_db, sample_console, sample_gate
from ui.screens.staff_sign_in import StaffSignInScreen, staff_sign_in_factory
from ui.shell import MainWindow

MEDIATOR_NAME, MEDIATOR_PIN = "Miguel Santos", "135791"
POLICY = IdlePolicy(question_seconds=120, reading_seconds=300, warning_seconds=60)
SECRET_PIN = "4821"  # the citizen's private answer: never in the audit log, never on the mirror


class Assisted:
    def __init__(self, window: MainWindow, *, presence: StaffPresence, assistance: Assistance, audit, clock, printer):  # type: ignore[no-untyped-def]
        self.window, self.presence, self.assistance, self.audit = window, presence, assistance, audit
        self.clock, self.printer = clock, printer

    @property
    def banner(self) -> AssistBanner:
        banner = self.window.assist_banner
        assert banner is not None
        return banner

    def sign_in_and_offer_help(self) -> AssistConsentScreen:
        window = self.window
        window.home.entries["staff-sign-in"].click()
        sign_in = window.screen_widget("staff-sign-in")
        assert isinstance(sign_in, StaffSignInScreen)
        sign_in.name.setText(MEDIATOR_NAME)
        sign_in.secret.setText(MEDIATOR_PIN)
        sign_in.submit.click()
        console = window.screen_widget("staff-home")
        assert isinstance(console, StaffHomeScreen) and window.current_screen_name() == "staff-home"
        assert console.buttons["assist"].isVisible()
        console.buttons["assist"].click()
        screen = window.screen_widget("assist-consent")
        assert isinstance(screen, AssistConsentScreen) and window.current_screen_name() == "assist-consent"
        return screen

    def agree(self) -> None:
        self.sign_in_and_offer_help().yes_button.click()
        settle()

    def private_box(self) -> QLineEdit:
        question = self.window.screen_widget("question")
        boxes = [box for box in question.findChildren(QLineEdit) if box.property("privateAnswer") and box.isVisible()]
        assert len(boxes) == 1
        return boxes[0]


@pytest.fixture
def assisted(qtbot, shell_deps, demo_services, tmp_path) -> Iterator[Assisted]:  # type: ignore[no-untyped-def]
    printer = FakePrinter()
    deps = form_shell_deps(shell_deps, demo_services, tmp_path, printer, Readiness())
    audit: list[tuple[str, str, dict[str, object]]] = []

    def record(kind: str, actor: str, detail: object) -> None:
        audit.append((kind, actor, dict(detail)))  # type: ignore[call-overload]

    conn = sample_accounts_db()
    StaffAccounts(conn).add(MEDIATOR_NAME, "mediator", MEDIATOR_PIN, now=T0)  # the demo mediator of this test
    presence = StaffPresence(audit=record)
    follow_session(presence, deps.session)
    gate = StaffGate(sample_gate(conn).accounts, presence, Clock())
    holder: list[MainWindow] = []

    def idle():  # type: ignore[no-untyped-def]
        controller = holder[0].idle if holder else None
        return controller.timer if controller is not None else None

    assistance = Assistance(deps.session, journey=deps.journey, audit=record, idle=idle, sign_out=presence.sign_out)

    def mediator() -> str | None:
        member = presence.member
        return member.name if member is not None and member.may("assist") else None

    registry = default_registry()
    registry.register("staff-sign-in", staff_sign_in_factory(gate), replace=True)
    registry.register("staff-home", staff_home_factory(sample_console(presence)), staff_only=True, replace=True)
    registry.register("assist-consent", assist_consent_factory(assistance, mediator), staff_only=True, replace=True)
    deps.registry = registry
    deps.staff_allowed = lambda name: presence.may("assist") if name == "assist-consent" else presence.signed_in
    deps.assistance = assistance
    build_desk = deps.desk

    def desk():  # type: ignore[no-untyped-def]
        built = build_desk()
        built.assistance = assistance.record  # as citizen_kiosk.gui wires it
        return built

    deps.desk = desk
    clock = FakeClock(1000.0)
    deps.idle, deps.idle_clock = POLICY, clock
    window = open_window(qtbot, deps)
    holder.append(window)
    assert window.assist_banner is not None and not window.assist_banner.isVisible()
    yield Assisted(window, presence=presence, assistance=assistance, audit=audit, clock=clock, printer=printer)
    window.allow_close()


def fill_until(window: MainWindow, until: str) -> None:
    start(window, "activate-digital-key")
    flow = window.deps.journey.flow
    while flow.stage is Stage.QUESTION and flow.current.question.id != until:
        answer(window, DIGITAL_KEY[flow.current.question.id])


# The consent screen ---------------------------------------------------------------------------------------------------
def test_the_consent_screen_tells_the_citizen_who_helps_and_what_they_see(assisted: Assisted, save_artifact) -> None:  # type: ignore[no-untyped-def]
    screen = assisted.sign_in_and_offer_help()
    assert assisted.assistance.phase is Phase.ASKING and assisted.assistance.mediator == MEDIATOR_NAME
    texts = [screen.title.text(), *(label.text() for label in screen.points), screen.question.text()]
    assert texts[0] == "Miguel, a mediator, will help you"
    assert "Miguel will see your answers on this screen and may type for you." in texts
    assert any("PIN" in text and "cannot see" in text for text in texts)
    assert "You can stop the help at any time." in texts
    assert "Santos" not in " ".join(texts)  # the first name only
    assert screen.yes_button.text() == "Yes, help me" and screen.no_button.text() == "No, I will do it alone"
    panel = assisted.window.deps.panel
    assert all(button.height() >= panel.primary_target_px for button in (screen.yes_button, screen.no_button))
    save_artifact(assisted.window, "assist-consent.png")


def test_no_means_alone_the_refusal_is_audited_and_the_mediator_signs_out(assisted: Assisted) -> None:
    assisted.sign_in_and_offer_help().no_button.click()
    assert assisted.window.current_screen_name() == "home" and not assisted.banner.isVisible()
    assert not assisted.presence.signed_in and not assisted.window.deps.journey.assisted
    assert ("assist-consent", MEDIATOR_NAME, {"outcome": "refused"}) in assisted.audit
    assert ("staff-sign-out", MEDIATOR_NAME, {"reason": "assist consent refused"}) in assisted.audit
    assisted.window.show_screen("assist-consent")  # nobody signed in: the sign-in instead
    assert assisted.window.current_screen_name() == "staff-sign-in"


def test_back_from_the_consent_screen_cancels_the_offer(assisted: Assisted) -> None:
    assisted.sign_in_and_offer_help().go_back()
    assert assisted.assistance.phase is Phase.OFF and assisted.window.current_screen_name() == "staff-home"
    assert assisted.audit[-1] == ("assist-end", MEDIATOR_NAME, {"reason": "cancelled"})


# The banner -----------------------------------------------------------------------------------------------------------
def test_yes_opens_the_citizens_home_with_the_banner(assisted: Assisted) -> None:
    assisted.agree()
    window, banner = assisted.window, assisted.banner
    assert window.current_screen_name() == "home" and window.history() == []
    assert banner.isVisible() and banner.label.text() == "Assisted session — with Miguel"
    assert "Santos" not in banner.label.text()
    layout = window.layout()
    assert layout.indexOf(banner) == layout.indexOf(window.header) + 1  # right under the header
    for button in (banner.hand_button, banner.time_button, banner.stop_button, banner.end_button):
        assert button.isVisible() and button.accessibleName() == button.text()
        assert min(button.width(), button.height()) >= window.deps.panel.min_target_px  # 44 px and 15 mm
    window.show_screen("services")
    assert banner.isVisible()  # on every screen


def test_the_banner_passes_the_accessibility_checks_at_200_percent(assisted: Assisted, save_artifact) -> None:  # type: ignore[no-untyped-def]
    from tests import a11y_matrix

    assisted.agree()
    window = assisted.window
    session = window.deps.session
    session.set_theme("high-contrast")
    session.set_text_step(a11y_matrix.LARGEST)
    window.deps.journey.choose_life_event("id-and-digital-identity")
    window.show_screen("life-event")
    settle()
    assert len([w for w in interactive(window) if assisted.banner.isAncestorOf(w)]) == 4  # all checked below
    failures = []
    for check in ("contrast", "accessible", "targets", "spacing", "clipping", "tab-order"):
        failures += a11y_matrix.CHECKS[check](window)
    save_artifact(window, "assist-banner-high-contrast-200.png")
    banner = assisted.banner
    assert banner.flow.heightForWidth(banner.width()) <= banner.height()  # two rows here, none clipped
    assert banner.geometry().bottom() < window.stack.geometry().top()  # the screens start under it
    assert failures == []
    failures = a11y_matrix.check_focused_contrast(window)
    assert [failure for failure in failures if "assist" in failure.lower()] == []


# Private answers and hand over ----------------------------------------------------------------------------------------
def test_private_answers_are_the_citizens_to_type(assisted: Assisted, save_artifact) -> None:  # type: ignore[no-untyped-def]
    assisted.agree()
    window = assisted.window
    fill_until(window, "pin")
    box = assisted.private_box()
    assert box.echoMode() == QLineEdit.EchoMode.Password
    assert box.isReadOnly() and box.placeholderText() == "Hand over: only the citizen types this"
    save_artifact(window, "assist-question-private.png")
    assisted.banner.hand_button.click()
    assert assisted.assistance.at_keyboard == CITIZEN and not box.isReadOnly() and box.placeholderText() == ""
    assert "The citizen is typing" in assisted.banner.label.text()
    assert assisted.banner.hand_button.text() == "Take back"
    box.setFocus()
    box.setText(SECRET_PIN)
    question = window.screen_widget("question")
    question.continue_button.click()  # the next page (pin_again) is private too: a fresh box, still the citizen's
    settle()
    again = assisted.private_box()
    assert again is not box and not again.isReadOnly()
    assisted.banner.hand_button.click()  # take back: the mediator cannot type into it
    assert assisted.assistance.at_keyboard == MEDIATOR and again.isReadOnly()
    again.setFocus()
    assert again.isReadOnly()
    assert ("hand-over", MEDIATOR_NAME, {"outcome": "to-citizen"}) in assisted.audit
    assert SECRET_PIN not in json.dumps(assisted.audit)


def test_a_private_page_built_while_the_mediator_types_is_locked_before_it_is_typed_in(assisted: Assisted) -> None:
    assisted.agree()
    fill_until(assisted.window, "email")
    answer(assisted.window, DIGITAL_KEY["email"])  # Continue re-renders the question screen onto the PIN page
    settle()
    assert assisted.private_box().isReadOnly()


# Idle time ------------------------------------------------------------------------------------------------------------
def test_more_time_changes_the_fake_clock_expiry(assisted: Assisted) -> None:
    assisted.agree()
    window = assisted.window
    idle = window.idle
    assert idle is not None
    idle.install()
    fill_until(window, "nif")
    timer = idle.timer
    timer.touch()
    assert timer.seconds_left() == 120
    assisted.banner.time_button.click()  # ×2
    assert timer.seconds_left() == 240 and assisted.banner.time_button.text() == "More time: ×2"
    assisted.clock.now += 170
    timer.tick()
    assert timer.state is IdleState.RUNNING  # past the site's 120 s: still no warning
    assisted.banner.time_button.click()  # ×3
    assisted.banner.time_button.click()  # paused
    assert timer.state is IdleState.HELD and assisted.banner.time_button.text() == "More time: paused"
    assisted.clock.now += 100_000
    timer.tick()
    assert window.current_screen_name() == "question" and assisted.assistance.assisting
    assisted.banner.time_button.click()  # back to the site's time, from now
    assert timer.seconds_left() == 120
    idle.remove()


# Submission, slip and the end -----------------------------------------------------------------------------------------
def test_consent_reaches_the_sealed_submission_the_slip_prints_and_end_session_wipes(
    assisted: Assisted,
    qtbot,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from kiosk.storage import open_storage
    from kiosk.submissions import read_payload

    assisted.agree()
    window = assisted.window
    fill_until(window, "pin")
    assisted.banner.hand_button.click()
    while window.deps.journey.flow.stage is Stage.QUESTION:
        answer(window, DIGITAL_KEY[window.deps.journey.flow.current.question.id])
    assisted.banner.hand_button.click()
    check = window.screen_widget("check-answers")
    check.send_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "confirmation", timeout=10_000)
    submission = window.deps.journey.last_submission
    assert submission is not None and submission.assisted
    with open_storage(tmp_path / "data") as storage:
        document = json.loads(read_payload(storage.db, submission.uuid, PayloadCipher(PAYLOAD_KEY)))
    assert document["assisted"] is True and document["assistance"] == {"consent": True, "mediator": "Miguel"}

    confirmation = window.screen_widget("confirmation")
    assert confirmation.slip_button is not None and confirmation.slip_button.isVisible()
    confirmation.slip_button.click()
    slip = assisted.printer.printed[-1]
    assert slip.title == "Learn to do this yourself next time"
    assert slip.service_title == "Activate your mobile digital key"
    assert "Activate your mobile digital key" in slip.sent_at_text and "Use a public service" in slip.sent_at_text
    assert slip.contact_lines[0] == "Lesson: Signing in with a mobile digital key"  # the tutorial linked to it
    printed = json.dumps(slip._asdict(), ensure_ascii=False)
    for personal in (submission.reference, "Miguel", "15432876", "123456789", "912", SECRET_PIN):
        assert personal not in printed
    assert any(path.name.startswith("receipt-") for path in (tmp_path / "spool").iterdir())  # the same spool

    assisted.banner.end_button.click()
    settle()
    assert assisted.assistance.phase is Phase.OFF and not assisted.banner.isVisible()
    assert window.deps.journey.flow is None and window.deps.journey.last_submission is None
    assert window.screen_widget("question") is None and not any((tmp_path / "spool").iterdir())
    assert assisted.presence.member is not None  # the mediator keeps the console for the next person
    assert window.current_screen_name() == "staff-home"
    kinds = [kind for kind, _actor, _detail in assisted.audit]
    for kind in ("assist-start", "assist-consent", "hand-over", "assist-end"):
        assert kind in kinds
    assert ("assist-end", MEDIATOR_NAME, {"reason": "finished"}) in assisted.audit
    everything = json.dumps(assisted.audit, ensure_ascii=False)
    for personal in (SECRET_PIN, "15432876", "123456789", "912 345 678", submission.reference):
        assert personal not in everything  # never citizen data in the audit


def test_without_assistance_the_confirmation_has_no_slip(assisted: Assisted, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = assisted.window
    start(window, "activate-digital-key")
    while window.deps.journey.flow.stage is Stage.QUESTION:
        answer(window, DIGITAL_KEY[window.deps.journey.flow.current.question.id])
    window.screen_widget("check-answers").send_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "confirmation", timeout=10_000)
    assert window.screen_widget("confirmation").slip_button is None
    assert window.deps.journey.last_submission.assistance is None


# The mirror -----------------------------------------------------------------------------------------------------------
def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    buffer = np.frombuffer(image.constBits(), dtype=np.uint32, count=image.bytesPerLine() * image.height() // 4)
    return buffer.reshape(image.height(), image.bytesPerLine() // 4)[:, : image.width()].copy()


def test_the_mirror_masks_private_boxes_in_its_picture(assisted: Assisted, qtbot, save_artifact) -> None:  # type: ignore[no-untyped-def]
    assisted.agree()
    window = assisted.window
    fill_until(window, "pin")
    assisted.banner.hand_button.click()
    box = assisted.private_box()
    box.setFocus()
    box.setText(SECRET_PIN)  # shown as dots on the citizen's screen
    settle()
    mirror = AssistMirror(window, None)  # no second screen here: built offscreen, never shown
    qtbot.addWidget(mirror)
    mirror.refresh()
    rect = QRect(box.mapTo(window, box.rect().topLeft()), box.size())
    assert rect in masked_rects(window) or any(r.contains(rect.center()) for r in masked_rects(window))
    masked = _pixels(mirror.frame.toImage())
    original = _pixels(window.grab().toImage())
    ratio = mirror.frame.devicePixelRatio()
    inside = QRect(
        round(rect.x() * ratio), round(rect.y() * ratio), round(rect.width() * ratio), round(rect.height() * ratio)
    )
    region = masked[inside.top() : inside.bottom(), inside.left() : inside.right()]
    assert len(np.unique(region)) == 1  # one solid block: no dots, no caret, no border
    assert len(np.unique(original[inside.top() : inside.bottom(), inside.left() : inside.right()])) > 1
    outside = (slice(0, inside.top() - 2), slice(None))
    assert np.array_equal(masked[outside], original[outside])
    mirror.resize(960, 540)
    save_artifact(mirror, "assist-mirror.png")
    mirror.stop()
    assert mirror.frame.isNull()


def test_the_mirror_opens_only_with_a_second_screen(assisted: Assisted) -> None:
    window = assisted.window
    own = window.screen()
    assert mediator_screen(window, lambda: [own]) is None
    assert mediator_screen(window, lambda: []) is None
    assisted.banner.screens = lambda: [own]
    assisted.agree()
    assert assisted.banner.mirror is None  # one display: both look at it


# The composition root -------------------------------------------------------------------------------------------------
def test_the_composition_root_wires_assistance_to_staff_desk_and_window(qapp, qtbot, shell_deps, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from citizen_kiosk.gui import STAFF_SCREEN_AREAS
    from citizen_kiosk.staff_wiring import build_assistance, register_staff
    from citizen_kiosk.wiring import load_context
    from kiosk.desk import SubmissionDesk
    from kiosk.settings.model import SiteSettings
    from kiosk.staff import StaffMember

    context = load_context(config_option=None, data_dir_option=str(tmp_path / "data"), env={}, missing_ok=True)
    shell_deps.desk = lambda: SubmissionDesk(tmp_path, SiteSettings("s", "Site", "k"), Readiness(), lambda: PAYLOAD_KEY)
    shell_deps.registry = registry = default_registry()
    presences: list[StaffPresence] = []
    windows: list[MainWindow] = []
    assistance = build_assistance(shell_deps, context, presences, lambda: windows[0])
    presences.append(register_staff(registry, context, shell_deps.session, assistance=assistance))
    assert shell_deps.assistance is assistance and STAFF_SCREEN_AREAS["assist-consent"] == "assist"
    assert shell_deps.desk().assistance() is None  # the desk asks the assistance at each submission
    window = open_window(qtbot, shell_deps)
    windows.append(window)
    presence = presences[0]
    presence.sign_in(StaffMember(MEDIATOR_NAME, "mediator", False, T0))
    window.show_screen("assist-consent")
    screen = window.screen_widget("assist-consent")
    assert isinstance(screen, AssistConsentScreen) and assistance.mediator == MEDIATOR_NAME
    screen.yes_button.click()
    banner = window.assist_banner
    assert banner is not None and banner.isVisibleTo(window) and shell_deps.journey.assisted
    banner.end_button.click()
    assert presence.member is not None and window.current_screen_name() == "staff-home"  # kept for the next person
    shell_deps.session.end("timeout")
    assert presence.member is None  # any other end signs the mediator out
    presence.sign_in(StaffMember(MEDIATOR_NAME, "mediator", False, T0))
    window.show_screen("assist-consent")
    window.screen_widget("assist-consent").yes_button.click()
    banner.stop_button.click()  # the citizen goes on alone: the mediator leaves
    assert presence.member is None and not banner.isVisibleTo(window) and assistance.phase is Phase.DONE
    window.allow_close()
