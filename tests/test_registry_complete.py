"""Every screen the kiosk can show is one the accessibility tests check.

Those tests walk `default_registry().names()` and the form variants (`tests.test_accessibility_screens.SCREENS`). The
kiosk itself builds its registry at start-up and registers more right after the first paint (staff, the queue on its
own database, learning, the trainer: `citizen_kiosk.gui.run_kiosk` and the `*_wiring` modules); a name registered only
there would never be checked. So this test starts the real kiosk (`run_kiosk`, with a window that is never shown and
an event loop that only runs the first paint's wiring) and compares the names it ends up with.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ui.app
from citizen_kiosk import gui
from citizen_kiosk.wiring import load_context
from tests.test_accessibility_screens import SCREENS
from ui.screens.registry import ScreenRegistry


def kiosk_registry(qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ScreenRegistry, list[str]]:  # type: ignore[no-untyped-def]
    """The registry of a kiosk started by `run_kiosk`, as it stands once the first paint's wiring has run, and the
    names registered again over the defaults (`replace=True`) on the way."""
    registries: list[ScreenRegistry] = []
    replaced: list[str] = []
    register = ScreenRegistry.register

    def spy(self, name, factory, **options):  # type: ignore[no-untyped-def]
        if options.get("replace"):
            replaced.append(name)
        register(self, name, factory, **options)

    monkeypatch.setattr(ScreenRegistry, "register", spy)

    class OffscreenGui(ui.app.KioskGui):  # the real shell and window, never shown; no event loop, no signals
        def start(self) -> None:
            pass

        def exec(self) -> int:
            self.deps.after_first_paint()  # what the shell calls once the home screen is painted
            registries.append(self.deps.registry)
            self.window.allow_close()
            self.window.close()
            self.window.deleteLater()
            return 0

    monkeypatch.setattr(ui.app, "KioskGui", OffscreenGui)
    monkeypatch.setattr(ui.app, "create_application", lambda argv: qapp)
    monkeypatch.setattr(ui.app, "install_shutdown_handlers", lambda kiosk: None)
    monkeypatch.setattr(gui, "start_logging", lambda context: tmp_path / "kiosk.log")  # no process-wide log handler
    monkeypatch.setattr(gui, "resume_collection", lambda: None)  # no gc.freeze() in the test process
    monkeypatch.setattr(gui, "_PROCESS_LIFETIME", [])  # nothing kept alive after the test
    config = tmp_path / "kiosk.toml"
    config.write_text("", encoding="utf-8")
    context = load_context(config_option=str(config), data_dir_option=str(tmp_path / "data"), env={})
    assert gui.run_kiosk(context, language="en", windowed=True, exit_after_first_paint=False) == 0
    assert len(registries) == 1
    return registries[0], replaced


def test_every_screen_the_kiosk_registers_is_checked_for_accessibility(qapp, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    registry, replaced = kiosk_registry(qapp, tmp_path, monkeypatch)
    names = registry.names()
    # The first paint's wiring ran: these were registered again there, on the kiosk's own database.
    wired = {"staff-sign-in", "staff-home", "staff-queue", "assist-consent", "learn-home", "trainer-session"}
    assert wired <= set(replaced) <= set(names)
    missing = sorted(set(names) - set(SCREENS))
    assert not missing, f"registered by the kiosk but never checked by the accessibility tests: {missing}"
