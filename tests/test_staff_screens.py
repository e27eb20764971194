"""The staff sign-in and console screens in the real window: keypad sign-in, wrong PIN, lockout with the time left,
the first site manager, buttons by role, masked fields wiped (no undo), sign out and sign-out at session end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from kiosk.staff import StaffAccounts, StaffMember
from kiosk.staff_presence import StaffGate, StaffPresence
from tests.conftest import REFERENCE_PANEL
from ui.screens.registry import default_registry
from ui.screens.staff_home import StaffHomeScreen, staff_home_factory
from ui.screens.staff_samples import SAMPLE_PIN, sample_accounts_db, sample_console, sample_gate
from ui.screens.staff_sign_in import KEY_MM, StaffSignInScreen, staff_sign_in_factory
from ui.shell import MainWindow

T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


class Kiosk:
    def __init__(self, window: MainWindow, gate: StaffGate, audit: list[tuple[str, str, object]], clock: Clock):
        self.window, self.gate, self.audit, self.clock = window, gate, audit, clock

    def sign_in_screen(self) -> StaffSignInScreen:
        self.window.home.entries["staff-sign-in"].click()
        screen = self.window.screen_widget("staff-sign-in")
        assert isinstance(screen, StaffSignInScreen) and self.window.current_screen_name() == "staff-sign-in"
        return screen

    def type_pin(self, screen: StaffSignInScreen, name: str, pin: str) -> None:
        screen.name.setText(name)
        screen.secret.setFocus()
        for digit in pin:
            screen.keys[digit].click()


def _kiosk(qtbot, shell_deps, *, with_manager: bool = True) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    audit: list[tuple[str, str, object]] = []
    conn = sample_accounts_db(with_manager=with_manager)
    clock = Clock()
    presence = StaffPresence(audit=lambda kind, actor, detail: audit.append((kind, actor, detail)))
    presence.follow(shell_deps.session)
    opener = sample_gate(conn).accounts

    def accounts():  # type: ignore[no-untyped-def]
        return _audited(opener, audit)

    gate = StaffGate(accounts, presence, clock)
    registry = default_registry()
    registry.register("staff-sign-in", staff_sign_in_factory(gate), replace=True)
    registry.register("staff-home", staff_home_factory(sample_console(presence)), staff_only=True, replace=True)
    shell_deps.registry = registry
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    window.resize(REFERENCE_PANEL.width_px, REFERENCE_PANEL.height_px)
    window.show()
    qtbot.waitExposed(window)
    yield Kiosk(window, gate, audit, clock)
    window.allow_close()


class _audited:  # noqa: N801 - used like a function: a context manager giving audited accounts
    def __init__(self, opener, audit) -> None:  # type: ignore[no-untyped-def]
        self._inner = opener()
        self._audit = audit

    def __enter__(self) -> StaffAccounts:
        accounts = self._inner.__enter__()
        return StaffAccounts(accounts._conn, audit=lambda k, a, d: self._audit.append((k, a, d)))

    def __exit__(self, *exc: object) -> None:
        self._inner.__exit__(*exc)


@pytest.fixture
def kiosk(qapp, qtbot, shell_deps) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    yield from _kiosk(qtbot, shell_deps)


@pytest.fixture
def new_kiosk(qapp, qtbot, shell_deps) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    yield from _kiosk(qtbot, shell_deps, with_manager=False)


def _assert_wiped(field: QLineEdit) -> None:
    assert field.text() == ""
    assert field.echoMode() == QLineEdit.EchoMode.Password
    field.undo()
    assert field.text() == ""  # nothing to undo back into the field


def test_sign_in_with_the_keypad_opens_the_console(kiosk: Kiosk) -> None:
    screen = kiosk.sign_in_screen()
    size = REFERENCE_PANEL.px(KEY_MM)
    assert all(min(key.width(), key.height()) >= size for key in screen.keys.values())
    kiosk.type_pin(screen, "Sofia", SAMPLE_PIN)
    assert screen.secret.text() == SAMPLE_PIN and screen.secret.echoMode() == QLineEdit.EchoMode.Password
    screen.keys["delete"].click()
    screen.keys[SAMPLE_PIN[-1]].click()
    screen.submit.click()
    assert kiosk.window.current_screen_name() == "staff-home"
    assert kiosk.gate.presence.member is not None and kiosk.gate.presence.member.name == "Sofia"
    _assert_wiped(screen.secret)
    assert ("staff-sign-in", "Sofia", {"role": "site-manager"}) in kiosk.audit


def test_wrong_pin_then_lockout_with_time_left(kiosk: Kiosk) -> None:
    screen = kiosk.sign_in_screen()
    kiosk.type_pin(screen, "Sofia", "999999")
    screen.submit.click()
    assert screen.message_key == "staff.sign_in.wrong" and screen.message.isVisible()
    _assert_wiped(screen.secret)
    kiosk.type_pin(screen, "Nobody", SAMPLE_PIN)  # an unknown name: the very same message
    screen.submit.click()
    wrong_text = screen.message.text.text()
    assert screen.message_key == "staff.sign_in.wrong"
    for _ in range(2):
        kiosk.type_pin(screen, "Sofia", "999999")
        screen.submit.click()
    assert screen.message_key == "staff.sign_in.locked"
    assert "0:30" in screen.message.text.text() and screen.message.text.text() != wrong_text
    kiosk.clock.now += dt.timedelta(seconds=20)
    kiosk.type_pin(screen, "Sofia", SAMPLE_PIN)  # even the right PIN waits
    screen.submit.click()
    assert screen.message_key == "staff.sign_in.locked" and "0:10" in screen.message.text.text()
    assert kiosk.window.current_screen_name() == "staff-sign-in"
    kiosk.clock.now += dt.timedelta(seconds=11)
    kiosk.type_pin(screen, "Sofia", SAMPLE_PIN)
    screen.submit.click()
    assert kiosk.window.current_screen_name() == "staff-home"
    failed = [entry for entry in kiosk.audit if entry[0] == "staff-sign-in-failed"]
    assert len(failed) == 5 and SAMPLE_PIN not in repr(kiosk.audit)


def test_passphrase_mode_hides_the_keypad_and_wipes(kiosk: Kiosk) -> None:
    screen = kiosk.sign_in_screen()
    screen.secret.setText("123")
    screen.toggle.click()
    assert screen.passphrase_mode and not screen.keypad.isVisible()
    _assert_wiped(screen.secret)
    screen.secret.setText("typed but left behind")
    kiosk.window.back()  # leaving the screen empties the field
    _assert_wiped(screen.secret)


def test_first_site_manager_is_created_on_a_new_kiosk(new_kiosk: Kiosk) -> None:
    screen = new_kiosk.sign_in_screen()
    assert screen.first_start and screen.repeat is not None
    screen.name.setText("Rita")
    screen.secret.setFocus()
    for digit in "135791":
        screen.keys[digit].click()
    screen.repeat.setFocus()
    for digit in "135790":
        screen.keys[digit].click()
    screen.submit.click()
    assert screen.message_key == "staff.first.mismatch"
    _assert_wiped(screen.secret)
    _assert_wiped(screen.repeat)
    screen.secret.setText("123456")
    screen.repeat.setText("123456")
    screen.submit.click()
    assert screen.message_key == "staff.weak.simple"
    screen.secret.setText("135791")
    screen.repeat.setText("135791")
    screen.submit.click()
    assert new_kiosk.window.current_screen_name() == "staff-home"
    member = new_kiosk.gate.presence.member
    assert member is not None and (member.name, member.role) == ("Rita", "site-manager")
    with new_kiosk.gate.accounts() as accounts:
        assert not accounts.is_empty()


@pytest.mark.parametrize(
    ("role", "shown"),
    [("site-manager", {"queue", "assist", "tutorials"}), ("mediator", {"queue", "assist"}), ("trainer", {"tutorials"})],
)
def test_console_buttons_follow_the_role(kiosk: Kiosk, role: str, shown: set[str]) -> None:
    kiosk.gate.presence.sign_in(StaffMember("Ana", role, False, T0))
    kiosk.window.show_screen("staff-home")
    screen = kiosk.window.screen_widget("staff-home")
    assert isinstance(screen, StaffHomeScreen)
    assert {area for area, button in screen.buttons.items() if button.isVisible()} == shown
    assert screen.lines["health"].isVisible() == (role == "site-manager")
    assert screen.lines["queue"].isVisible() == (role != "trainer")
    assert "Ana" in screen.who.text()


def test_sign_out_and_session_end_leave_the_console(kiosk: Kiosk, shell_deps) -> None:  # type: ignore[no-untyped-def]
    screen = kiosk.sign_in_screen()
    kiosk.type_pin(screen, "Sofia", SAMPLE_PIN)
    screen.submit.click()
    home = kiosk.window.screen_widget("staff-home")
    assert isinstance(home, StaffHomeScreen)
    home.sign_out_button.click()
    assert kiosk.gate.presence.member is None and kiosk.window.current_screen_name() == "home"
    kiosk.window.show_screen("staff-home")  # nobody signed in: never shown
    assert kiosk.window.current_screen_name() == "home"
    screen = kiosk.sign_in_screen()
    kiosk.type_pin(screen, "Sofia", SAMPLE_PIN)
    assert screen.keys["0"].focusPolicy() == Qt.FocusPolicy.TabFocus  # a tap leaves the focus in the field
    screen.submit.click()
    assert kiosk.gate.presence.signed_in
    shell_deps.session.end("timeout")
    assert kiosk.gate.presence.member is None
    assert ("staff-sign-out", "Sofia", {"reason": "session ended timeout"}) in kiosk.audit


def test_the_composition_root_wires_the_kiosk_database(qapp, qtbot, shell_deps, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from citizen_kiosk.staff_wiring import register_staff
    from citizen_kiosk.wiring import load_context

    context = load_context(config_option=None, data_dir_option=str(tmp_path / "data"), env={}, missing_ok=True)
    registry = default_registry()
    presence = register_staff(registry, context, shell_deps.session)
    shell_deps.registry = registry
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    window.show_screen("staff-sign-in")
    screen = window.screen_widget("staff-sign-in")
    assert isinstance(screen, StaffSignInScreen) and screen.first_start  # a new kiosk: create the first manager
    screen.name.setText("Rita")
    screen.secret.setText("135791")
    assert screen.repeat is not None
    screen.repeat.setText("135791")
    screen.submit.click()
    assert presence.member is not None and window.current_screen_name() == "staff-home"
    home = window.screen_widget("staff-home")
    assert isinstance(home, StaffHomeScreen)
    assert home.lines["health"].text() == "Checking…"  # the doctor runs on a worker thread: the screen is already up
    qtbot.waitUntil(lambda: not home.checking_health and home.health_results is not None, timeout=30_000)
    qapp.processEvents()
    assert "Database: " in home.lines["health"].text() and "Open: 0" in home.lines["alerts"].text()
    assert "Citizen sessions today: 0" in home.lines["today"].text()  # counted in the kiosk's database
    window.allow_close()
