"""The staff console's counts and device health: today's sessions by how they ended, in the staff's language; the
doctor's checks run off the GUI thread ("Checking…" meanwhile) with translated names and states, their English
details in a smaller line that says so; and the kiosk's wiring counts real sessions across a restart."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.i18n import SHIPPED_LANGUAGES
from kiosk.session_counts import FINISHED, SHUTDOWN, STAFF, TIMEOUT, SessionCounts, local_now
from kiosk.staff_presence import StaffPresence
from tests.conftest import REFERENCE_PANEL
from ui.screens.registry import default_registry
from ui.screens.staff_home import HealthLine, StaffConsole, StaffHomeScreen, staff_home_factory
from ui.screens.staff_samples import SAMPLE_MANAGER, sample_console
from ui.shell import MainWindow

CHECKS = (
    HealthLine("database", True, "kiosk.db opens, schema 9"),
    HealthLine("secrets", False, "no keyring backend", required=True),
    HealthLine("speech", False, "espeak-ng is not installed", required=False),
)


def _console(
    sessions: Callable[[], Mapping[str, int] | int | None],
    health: Callable[[], Sequence[HealthLine]] = lambda: CHECKS,
    *,
    background: bool = False,
) -> StaffConsole:
    presence = StaffPresence()
    presence.sign_in(SAMPLE_MANAGER)
    return sample_console(presence)._replace(sessions_today=sessions, health=health, health_in_background=background)


@pytest.fixture
def show_console(qapp, qtbot, shell_deps) -> Iterator[Callable[[StaffConsole], StaffHomeScreen]]:  # type: ignore[no-untyped-def]
    windows: list[MainWindow] = []

    def show(console: StaffConsole) -> StaffHomeScreen:
        registry = default_registry()
        registry.register("staff-home", staff_home_factory(console), staff_only=True, replace=True)
        shell_deps.registry = registry
        window = MainWindow(shell_deps)
        qtbot.addWidget(window)
        window.resize(REFERENCE_PANEL.width_px, REFERENCE_PANEL.height_px)
        window.show()
        windows.append(window)
        window.show_screen("staff-home")
        screen = window.screen_widget("staff-home")
        assert isinstance(screen, StaffHomeScreen) and window.current_screen_name() == "staff-home"
        return screen

    yield show
    for window in windows:
        window.allow_close()


def test_todays_sessions_by_how_they_ended_in_the_staffs_language(show_console, shell_deps) -> None:  # type: ignore[no-untyped-def]
    counts = {FINISHED: 9, TIMEOUT: 3}
    screen = show_console(_console(lambda: counts))
    assert screen.lines["today"].text() == "Citizen sessions today: 12 (finished: 9 · timed out: 3)"
    counts[STAFF] = 1
    counts[SHUTDOWN] = 0  # kinds that did not happen are left out
    shell_deps.session.set_language("pt-PT")
    assert screen.lines["today"].text() == (
        "Sessões de cidadãos hoje: 13 (concluídas: 9 · terminadas por inatividade: 3 · terminadas por funcionários: 1)"
    )
    shell_deps.session.set_language("uk")
    assert screen.lines["today"].text().startswith("Сеансів громадян сьогодні: 13 (завершено: 9")


@pytest.mark.parametrize(
    ("sessions", "expected"),
    [({}, "Citizen sessions today: 0"), (14, "Citizen sessions today: 14"), (None, "not counted yet")],
)
def test_no_sessions_a_bare_total_and_no_count(show_console, sessions: object, expected: str) -> None:  # type: ignore[no-untyped-def]
    screen = show_console(_console(lambda: sessions))  # type: ignore[arg-type, return-value]
    assert expected in screen.lines["today"].text()


def test_health_runs_off_the_gui_thread_and_says_checking_meanwhile(show_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    threads: list[str] = []

    def slow_doctor() -> Sequence[HealthLine]:
        threads.append(threading.current_thread().name)
        release.wait(10)
        return CHECKS

    screen = show_console(_console(lambda: {}, slow_doctor, background=True))
    assert screen.checking_health
    assert screen.lines["health"].text() == "Checking…"  # and the GUI thread is free: this line ran
    assert not screen.health_details.isVisible()
    screen.on_shown()  # shown again while checking: no second run
    release.set()
    qtbot.waitUntil(lambda: not screen.checking_health and screen.health_results is not None)
    QApplication.processEvents()
    assert threads == ["kiosk-health-checks"]
    assert screen.lines["health"].text() == "Database: working\nEncryption keys: problem\nRead aloud: needs attention"
    details = screen.health_details.text().splitlines()
    assert details == [
        "Details in English, as citizen-kiosk doctor prints them:",
        "secrets: no keyring backend",
        "speech: espeak-ng is not installed",
    ]
    assert screen.health_details.isVisible() and screen.health_details.property("role") == "muted"
    release.clear()
    screen.on_shown()  # shown again: checked again, the last results stay meanwhile
    assert screen.checking_health and "Database: working" in screen.lines["health"].text()
    assert screen.lines["health"].text().startswith("Checking…")
    release.set()
    qtbot.waitUntil(lambda: not screen.checking_health)
    assert threads == ["kiosk-health-checks"] * 2


def test_a_crashing_doctor_is_shown_not_raised(show_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    def broken() -> Sequence[HealthLine]:
        raise OSError("/home/maria")

    screen = show_console(_console(lambda: {}, broken, background=True))
    qtbot.waitUntil(lambda: not screen.checking_health and screen.health_results is not None)
    QApplication.processEvents()
    assert screen.lines["health"].text() == "doctor: problem"
    assert "OSError" in screen.health_details.text() and "maria" not in screen.health_details.text()


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_check_names_and_states_are_translated(show_console, shell_deps, lang: str) -> None:  # type: ignore[no-untyped-def]
    from ui.screens.staff_home import CHECK_KEYS, HEALTH_STATE_KEYS

    every_check = [HealthLine(name, False, "") for name in CHECK_KEYS]
    shell_deps.session.set_language(lang)
    screen = show_console(_console(lambda: {}, lambda: every_check))
    lines = screen.lines["health"].text().splitlines()
    names = [shell_deps.catalog.t(key, lang) for key in CHECK_KEYS.values()]
    assert lines == [shell_deps.catalog.t(HEALTH_STATE_KEYS["problem"], lang, name=name) for name in names]
    if lang != "en":
        english = {shell_deps.catalog.t(key, "en") for key in CHECK_KEYS.values()}
        assert not english & set(names)


def test_the_kiosk_counts_real_sessions_and_keeps_them_across_a_restart(qapp, qtbot, shell_deps, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from citizen_kiosk.staff_wiring import _sessions_today, count_sessions
    from citizen_kiosk.wiring import load_context

    context = load_context(config_option=None, data_dir_option=str(tmp_path / "data"), env={}, missing_ok=True)
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    tally = count_sessions(context, shell_deps.session)
    window.screen_changed.connect(tally.screen_shown)
    shell_deps.session.end("timeout")  # nobody touched anything
    window.show_screen("help")
    shell_deps.session.end("timeout")
    window.show_screen("help")
    shell_deps.session.end("finished")
    window.show_screen("help")
    shell_deps.session.end("shutdown")
    qtbot.waitUntil(lambda: sum((_sessions_today(context) or {}).values()) == 3)
    assert _sessions_today(context) == {TIMEOUT: 1, FINISHED: 1, SHUTDOWN: 1}
    tally.close()
    assert SessionCounts(context.data_dir.path).on(local_now().date()) == {TIMEOUT: 1, FINISHED: 1, SHUTDOWN: 1}
    window.allow_close()
