"""SIGTERM and SIGINT reach KioskGui.shutdown through the event loop and end the session cleanly."""

from __future__ import annotations

import os
import signal

import pytest

from ui.app import KioskGui, install_shutdown_handlers


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_shuts_down_cleanly(qapp, qtbot, shell_deps, signum) -> None:
    ended: list[str] = []
    shell_deps.session.ended.connect(ended.append)
    shell_deps.session.set_language("uk")
    gui = KioskGui(qapp, shell_deps, windowed=True)
    qtbot.addWidget(gui.window)
    gui.start()
    previous = signal.getsignal(signum)
    install_shutdown_handlers(gui)
    os.kill(os.getpid(), signum)
    qtbot.waitUntil(lambda: gui.is_shut_down)
    assert ended == ["shutdown"]
    assert shell_deps.session.presentation.language == "en"  # the citizen's choices are wiped
    assert not gui.window.isVisible()
    assert signal.getsignal(signum) is previous  # handlers are restored once the kiosk has shut down
    gui.shutdown()
    assert ended == ["shutdown"]  # idempotent
