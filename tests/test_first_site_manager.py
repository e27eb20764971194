"""The first site manager of a real kiosk: created from the staff sign-in screen only while the kiosk has no account at
all, audited, with a PIN of at least 6 digits typed twice; refused once any account exists, even to a racing screen."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kiosk.staff import StaffAccounts, StaffError, StaffMember
from kiosk.staff_presence import StaffGate, StaffPresence
from kiosk.staff_secret import ScryptParams
from kiosk.storage import connect, open_storage
from tests.conftest import REFERENCE_PANEL
from ui.screens.registry import default_registry
from ui.screens.staff_samples import sample_accounts_db
from ui.screens.staff_sign_in import StaffSignInScreen, staff_sign_in_factory
from ui.shell import MainWindow

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
FAST = ScryptParams(n=2**10)  # the real cost is the staff tests' business; here only who may create matters
Audit = list[tuple[str, str, object]]


def _accounts(conn, audit: Audit | None = None) -> StaffAccounts:  # type: ignore[no-untyped-def]
    sink = audit if audit is not None else []
    return StaffAccounts(conn, audit=lambda kind, actor, detail: sink.append((kind, actor, detail)), params=FAST)


def test_the_first_site_manager_is_created_once_and_audited(tmp_path: Path) -> None:
    audit: Audit = []
    with open_storage(tmp_path) as storage:
        accounts = _accounts(storage.db.conn, audit)
        assert accounts.is_empty() and not accounts.has_active()
        member = accounts.create_first_site_manager("  Rita  Lopes ", "135791", now=T0)
        assert (member.name, member.role, member.disabled) == ("Rita Lopes", "site-manager", False)
        assert isinstance(accounts.verify("rita lopes", "135791", T0), StaffMember)
        with pytest.raises(StaffError) as refused:
            accounts.create_first_site_manager("Someone Else", "975319", now=T0)
        assert refused.value.code == "not-first"
        assert [m.name for m in accounts.members()] == ["Rita Lopes"]
    assert ("staff-account-added", "first-start", {"name": "Rita Lopes", "role": "site-manager"}) in audit
    assert "135791" not in repr(audit)


@pytest.mark.parametrize(("secret", "code"), [("13579", "pin-too-short"), ("111111", "pin-too-simple")])
def test_a_weak_pin_creates_nothing(tmp_path: Path, secret: str, code: str) -> None:
    with open_storage(tmp_path) as storage:
        accounts = _accounts(storage.db.conn)
        with pytest.raises(StaffError) as refused:
            accounts.create_first_site_manager("Rita", secret, now=T0)
        assert refused.value.code == code and accounts.is_empty()


def test_a_kiosk_whose_accounts_are_all_disabled_does_not_offer_it(tmp_path: Path) -> None:
    """Nobody can sign in, yet whoever walks up must not become the manager: the CLI adds one (staff add)."""
    with open_storage(tmp_path) as storage:
        accounts = _accounts(storage.db.conn)
        accounts.add("Sofia", "site-manager", "246810", now=T0)
        accounts.disable("Sofia", now=T0)
        assert not accounts.has_active() and not accounts.is_empty()
        with pytest.raises(StaffError, match="already has staff accounts"):
            accounts.create_first_site_manager("Rita", "135791", now=T0)


def test_a_racing_creation_waits_for_the_other_and_is_refused(tmp_path: Path) -> None:
    """Another screen or process adds an account while this one is creating: the emptiness check is made inside the
    write transaction, so it waits for the other's COMMIT and then refuses (checked before it, it would say yes)."""
    with open_storage(tmp_path) as storage:
        path = storage.path
    other = connect(path)
    other.isolation_level = None
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO staff_accounts (name, role, secret_hash, created_at) VALUES ('Ana', 'mediator', 'scrypt$x', 'x')"
    )
    outcome: list[object] = []
    entered = threading.Event()

    def create() -> None:
        conn = connect(path)
        conn.isolation_level = None
        try:
            entered.set()
            outcome.append(_accounts(conn).create_first_site_manager("Rita", "135791", now=T0))
        except StaffError as error:
            outcome.append(error.code)
        finally:
            conn.close()

    thread = threading.Thread(target=create)
    thread.start()
    entered.wait()
    thread.join(0.5)
    assert thread.is_alive()  # waiting for the other writer
    other.execute("COMMIT")
    other.close()
    thread.join(10)
    assert outcome == ["not-first"]
    with open_storage(tmp_path) as storage:
        assert [m.name for m in _accounts(storage.db.conn).members()] == ["Ana"]


# On screen ------------------------------------------------------------------------------------------------------------
def _window(qtbot, shell_deps, conn) -> tuple[MainWindow, StaffGate]:  # type: ignore[no-untyped-def]
    @contextmanager
    def accounts() -> Iterator[StaffAccounts]:
        yield _accounts(conn)

    presence = StaffPresence()
    presence.follow(shell_deps.session)
    gate = StaffGate(accounts, presence, lambda: T0)
    registry = default_registry()
    registry.register("staff-sign-in", staff_sign_in_factory(gate), replace=True)
    shell_deps.registry = registry
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    window.resize(REFERENCE_PANEL.width_px, REFERENCE_PANEL.height_px)
    window.show()
    return window, gate


def _sign_in_screen(window: MainWindow) -> StaffSignInScreen:
    window.show_screen("staff-sign-in")
    screen = window.screen_widget("staff-sign-in")
    assert isinstance(screen, StaffSignInScreen)
    return screen


def test_the_screen_offers_it_only_while_the_kiosk_has_no_account(qapp, qtbot, shell_deps) -> None:  # type: ignore[no-untyped-def]
    conn = sample_accounts_db(with_manager=False)
    window, gate = _window(qtbot, shell_deps, conn)
    screen = _sign_in_screen(window)
    assert screen.first_start and screen.repeat is not None and not screen.toggle.isVisible()
    assert screen.submit.text() == shell_deps.catalog.t("staff.first.create", shell_deps.session.presentation.language)
    screen.name.setText("Rita")
    screen.secret.setText("135791")
    screen.repeat.setText("135791")
    _accounts(conn).add("Ana", "mediator", "975319", now=T0)  # meanwhile, the CLI added someone
    screen.submit.click()
    assert screen.message_key == "staff.first.refused" and not gate.presence.signed_in
    assert screen.secret.text() == "" and screen.repeat.text() == ""
    shell_deps.session.end("timeout")  # the next session's sign-in screen is the ordinary one
    screen = _sign_in_screen(window)
    assert not screen.first_start and screen.repeat is None
    window.allow_close()
