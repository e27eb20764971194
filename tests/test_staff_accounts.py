"""Staff accounts: only a scrypt hash is stored, lockout delays grow and survive a restart, the CLI works without Qt."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.session import CitizenSession, Presentation
from kiosk.staff import (
    ROLES,
    LockoutPolicy,
    Refusal,
    SignInRefused,
    StaffAccounts,
    StaffError,
    StaffMember,
    checked_name,
)
from kiosk.staff_presence import StaffPresence
from kiosk.staff_secret import (
    CURRENT,
    ScryptParams,
    check_secret,
    hash_secret,
    needs_rehash,
    stored_params,
    weakness,
)
from kiosk.storage import open_storage
from tests.helpers import BLOCK_QT, ROOT, child_env

T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
PIN = "246810"
PASSPHRASE = "correct horse battery"
Audit = list[tuple[str, str, dict[str, str | int | bool]]]


def _accounts(storage, audit: Audit) -> StaffAccounts:  # type: ignore[no-untyped-def]
    return StaffAccounts(storage.db.conn, audit=lambda kind, actor, detail: audit.append((kind, actor, detail)))


def test_only_a_salted_scrypt_hash_is_stored(tmp_path: Path) -> None:
    audit: Audit = []
    with open_storage(tmp_path) as storage:
        accounts = _accounts(storage, audit)
        accounts.add("Sofia", "site-manager", PIN, now=T0)
        accounts.add("Miguel", "mediator", PASSPHRASE, now=T0)
        assert isinstance(accounts.verify("sofia", PIN, T0), StaffMember)
        assert isinstance(accounts.verify("Miguel", PASSPHRASE, T0), StaffMember)
        stored = [row[0] for row in storage.db.conn.execute("SELECT secret_hash FROM staff_accounts")]
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert PIN.encode() not in data, path
            assert PASSPHRASE.encode() not in data and PASSPHRASE.encode("utf-16-le") not in data, path
    assert all(s.startswith("scrypt$16384$8$1$") for s in stored)
    assert PIN not in repr(audit) and PASSPHRASE not in repr(audit)


def test_scrypt_parameters_travel_with_the_hash() -> None:
    assert ScryptParams(n=2**14, r=8, p=1, salt_bytes=16, key_bytes=32) == CURRENT
    first, second = hash_secret(PIN), hash_secret(PIN)
    assert first != second  # a fresh salt each time
    assert stored_params(first) == CURRENT
    assert check_secret(PIN, first) and not check_secret("246811", first)
    cheap = hash_secret(PIN, ScryptParams(n=2**10))
    assert check_secret(PIN, cheap)  # old, cheaper hashes still verify …
    assert needs_rehash(cheap) and not needs_rehash(first)  # … and are upgraded
    assert not check_secret(PIN, "plain:246810") and not check_secret(PIN, "scrypt$3$8$1$AA$AA")


def test_a_cheaper_hash_is_upgraded_at_the_next_sign_in(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        StaffAccounts(storage.db.conn, params=ScryptParams(n=2**10)).add("Ana", "trainer", PIN, now=T0)
        assert isinstance(StaffAccounts(storage.db.conn).verify("Ana", PIN, T0), StaffMember)
        (stored,) = storage.db.conn.execute("SELECT secret_hash FROM staff_accounts").fetchone()
    assert stored_params(stored) == CURRENT


@pytest.mark.parametrize(
    "weak", ["12345", "111111", "123456", "987654", "121212", "123123", "too short!", "aaaaaaaaaaaa"]
)
def test_weak_secrets_are_refused(tmp_path: Path, weak: str) -> None:
    assert weakness(weak) is not None
    with open_storage(tmp_path) as storage, pytest.raises(StaffError):
        StaffAccounts(storage.db.conn).add("Ana", "mediator", weak, now=T0)


@pytest.mark.parametrize("good", ["246810", "135791", "112358", "a long enough phrase", "9081726354"])
def test_reasonable_secrets_are_accepted(good: str) -> None:
    assert weakness(good) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", max_size=5))
def test_pins_under_six_digits_are_always_refused(pin: str) -> None:
    assert weakness(pin) is not None


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=200))
def test_lockout_delay_grows_and_is_capped(failures: int) -> None:
    policy = LockoutPolicy()
    now, following = policy.delay(failures), policy.delay(failures + 1)
    if failures < 3:
        assert now is None
    else:
        assert now is not None and following is not None
        assert dt.timedelta(seconds=30) <= now <= following <= dt.timedelta(minutes=15)


def test_names_and_roles_are_checked(tmp_path: Path) -> None:
    assert checked_name("  Ana   Maria ") == "Ana Maria"
    for bad in ("", "123", "x" * 41, "Ana\x00"):
        with pytest.raises(StaffError):
            checked_name(bad)
    with open_storage(tmp_path) as storage:
        accounts = StaffAccounts(storage.db.conn)
        with pytest.raises(StaffError, match="role"):
            accounts.add("Ana", "admin", PIN, now=T0)
        accounts.add("Ana", "mediator", PIN, now=T0)
        with pytest.raises(StaffError, match="already"):
            accounts.add("ANA", "trainer", "135791", now=T0)


def test_lockout_grows_and_survives_a_restart(tmp_path: Path) -> None:
    audit: Audit = []
    with open_storage(tmp_path) as storage:
        accounts = _accounts(storage, audit)
        accounts.add("Ana", "mediator", PIN, now=T0)
        results = [accounts.verify("Ana", "000001", T0 + dt.timedelta(seconds=i)) for i in range(3)]
    assert [r.locked_until for r in results if isinstance(r, SignInRefused)] == [
        None,
        None,
        T0 + dt.timedelta(seconds=32),
    ]
    delays = [30]
    now = T0 + dt.timedelta(seconds=2)
    for expected in (60, 120, 240, 480, 900, 900):
        with open_storage(tmp_path) as storage:  # a restart between attempts changes nothing
            accounts = _accounts(storage, audit)
            locked = accounts.verify("Ana", PIN, now + dt.timedelta(seconds=delays[-1] - 1))
            assert isinstance(locked, SignInRefused) and locked.reason is Refusal.LOCKED  # even the right PIN
            assert locked.message_key == "staff.sign_in.locked"
            now += dt.timedelta(seconds=delays[-1])
            wrong = accounts.verify("Ana", "000001", now)
            assert isinstance(wrong, SignInRefused) and wrong.locked_until == now + dt.timedelta(seconds=expected)
            delays.append(expected)
    with open_storage(tmp_path) as storage:
        accounts = _accounts(storage, audit)
        assert accounts.locked_until("Ana", now) == now + dt.timedelta(seconds=900)
        assert isinstance(accounts.verify("Ana", PIN, now + dt.timedelta(seconds=900)), StaffMember)
        again = accounts.verify("Ana", "000001", now + dt.timedelta(seconds=901))
        assert isinstance(again, SignInRefused) and again.locked_until is None  # success reset the count
    kinds = [kind for kind, _actor, _detail in audit]
    assert kinds.count("staff-sign-in") == 1 and kinds.count("staff-sign-in-failed") == len(kinds) - 2


def test_a_clock_moved_back_never_stretches_a_lock(tmp_path: Path) -> None:
    with open_storage(tmp_path) as storage:
        accounts = StaffAccounts(storage.db.conn)
        accounts.add("Ana", "mediator", PIN, now=T0)
        for _ in range(3):
            accounts.verify("Ana", "000001", T0)
        earlier = T0 - dt.timedelta(days=1)
        locked = accounts.verify("Ana", PIN, earlier)
        assert isinstance(locked, SignInRefused) and locked.locked_until is not None
        assert locked.locked_until <= earlier + dt.timedelta(seconds=30)
        assert isinstance(accounts.verify("Ana", PIN, earlier + dt.timedelta(seconds=31)), StaffMember)


def test_disabled_and_unknown_are_refused_and_audited(tmp_path: Path) -> None:
    audit: Audit = []
    with open_storage(tmp_path) as storage:
        accounts = _accounts(storage, audit)
        accounts.add("Ana", "mediator", PIN, now=T0)
        assert accounts.disable("ana", now=T0, by="Sofia")
        assert not accounts.disable("Ana", now=T0)
        assert not accounts.has_active()
        disabled = accounts.verify("Ana", PIN, T0)
        wrong = accounts.verify("Ana", "000001", T0)
        unknown = accounts.verify("135791", "246810", T0)  # a PIN typed into the name field
    assert isinstance(disabled, SignInRefused) and disabled.reason is Refusal.DISABLED
    assert isinstance(wrong, SignInRefused) and wrong.reason is Refusal.WRONG
    assert isinstance(unknown, SignInRefused) and unknown.reason is Refusal.UNKNOWN
    assert wrong.message_key == unknown.message_key != disabled.message_key
    assert audit[-3:] == [
        ("staff-sign-in-failed", "Ana", {"reason": "disabled"}),
        ("staff-sign-in-failed", "Ana", {"reason": "wrong", "failures": 1}),
        ("staff-sign-in-failed", "unknown", {"reason": "unknown"}),
    ]
    assert "135791" not in repr(audit)


def test_roles_open_their_areas_and_presence_signs_out_with_the_session() -> None:
    audit: Audit = []
    manager = StaffMember("Sofia", "site-manager", False, T0)
    mediator = StaffMember("Miguel", "mediator", False, T0)
    trainer = StaffMember("Teresa", "trainer", False, T0)
    assert manager.may("queue") and manager.may("tutorials") and manager.may("health")
    assert mediator.may("queue") and mediator.may("assist") and not mediator.may("health")
    assert trainer.may("tutorials") and not trainer.may("queue")
    presence = StaffPresence(audit=lambda kind, actor, detail: audit.append((kind, actor, detail)))
    session = CitizenSession(Presentation("pt-PT"), 4)
    presence.follow(session)
    seen: list[StaffMember | None] = []
    presence.changed.connect(seen.append)
    presence.sign_in(mediator)
    assert presence.may("queue") and not presence.may("health")
    session.end("timeout")
    assert presence.member is None and not presence.may("queue")
    assert seen == [mediator, None]
    assert audit == [("staff-sign-out", "Miguel", {"reason": "session ended timeout"})]
    with pytest.raises(ValueError, match="disabled"):
        presence.sign_in(mediator._replace(disabled=True))


def _cli(args: list[str], tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = child_env(tmp_path)
    return subprocess.run(
        [sys.executable, "-c", BLOCK_QT, "--data-dir", str(tmp_path / "data"), *args],
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.subprocess
def test_cli_add_list_disable_without_qt(tmp_path: Path) -> None:
    added = _cli(["staff", "add", "Sofia", "--role", "site-manager"], tmp_path, f"{PIN}\nignored second line\n")
    assert added.returncode == 0, added.stderr
    weak = _cli(["staff", "add", "Rui", "--role", "mediator"], tmp_path, "123456\n")
    assert weak.returncode == 1 and "easy to guess" in weak.stderr
    empty = _cli(["staff", "add", "Rui", "--role", "mediator"], tmp_path, "")
    assert empty.returncode == 1 and "standard input" in empty.stderr
    again = _cli(["staff", "add", "sofia", "--role", "trainer", "--exists-ok"], tmp_path, "135791\n")
    assert again.returncode == 0
    assert _cli(["staff", "add", "Miguel", "--role", "mediator"], tmp_path, PASSPHRASE + "\n").returncode == 0
    assert _cli(["staff", "disable", "miguel"], tmp_path).returncode == 0
    assert _cli(["staff", "disable", "nobody"], tmp_path).returncode == 1
    listed = _cli(["staff", "list", "--json"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["name"], r["role"], r["disabled"]) for r in rows] == [
        ("Miguel", "mediator", True),
        ("Sofia", "site-manager", False),
    ]
    assert set(rows[0]) == {"name", "role", "disabled", "created_at"}
    table = _cli(["staff", "list"], tmp_path)
    assert "Sofia" in table.stdout and "scrypt" not in table.stdout + listed.stdout
    for result in (added, weak, again, listed, table):
        assert "QT-IMPORTED" not in result.stderr and PIN not in result.stdout + result.stderr
    with open_storage(tmp_path / "data") as storage:
        accounts = StaffAccounts(storage.db.conn)
        assert isinstance(accounts.verify("Sofia", PIN, T0), StaffMember)
        refused = accounts.verify("Miguel", PASSPHRASE, T0)
        assert isinstance(refused, SignInRefused) and refused.reason is Refusal.DISABLED


def test_the_cli_offers_the_core_roles() -> None:
    from citizen_kiosk.commands.staff_accounts_cmd import ROLES as CLI_ROLES

    assert CLI_ROLES == ROLES
