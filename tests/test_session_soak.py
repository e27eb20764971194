"""Session after session, the kiosk keeps nothing: the same live widgets and the same subscribers of `session.ended`
after 12 citizen sessions as after 2, no connection to a signal's `.emit` (PySide 6.11 never frees one), and the
memory soak benchmark runs (a 3-session smoke run; the 1,000-session run is `benchmarks/sessions.py`)."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtWidgets import QApplication

from tests.helpers import ROOT, child_env

BENCHMARK = ROOT / "benchmarks" / "sessions.py"


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sessions_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sessions_leave_no_widgets_and_no_subscribers_behind(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kiosk.forms.answers_file import example_answers

    soak = _benchmark()
    window = soak.build_window(tmp_path / "data")
    try:
        answers = example_answers(window.deps.services.service("child-benefit"), today=soak.TODAY)

        def run(sessions: int) -> tuple[float, int, int]:
            for _ in range(sessions):
                soak.one_session(window, "child-benefit", answers)
            return soak.snapshot(window)

        _rss, widgets, subscribers = run(2)
        _rss, widgets_later, subscribers_later = run(10)
        assert (widgets_later, subscribers_later) == (widgets, subscribers)
        assert window.deps.journey.flow is None and window.history() == []
    finally:
        window.allow_close()
        window.close()
        QApplication.processEvents()


def test_each_session_reuses_the_same_icons(main_window) -> None:  # type: ignore[no-untyped-def]
    """A session's end re-applies the header and the next session builds its screens afresh: with a new QIcon each
    time, Qt cached their pictures again and again (~4 KB a session, benchmarks/sessions.py); now they are shared."""
    header = (main_window.header.help, main_window.header.display)
    main_window.show_screen("services")
    header_icons = [button.icon().cacheKey() for button in header]
    back_icon = main_window.screen_widget("services").back_button.icon().cacheKey()
    main_window.deps.session.end("finished")
    main_window.show_screen("services")
    assert [button.icon().cacheKey() for button in header] == header_icons
    assert main_window.screen_widget("services").back_button.icon().cacheKey() == back_icon


def _emit_connections(source: str) -> list[int]:
    """Lines with `x.connect(y.emit, ...)`: a connection PySide 6.11 keeps for ever; connect the signal itself."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "connect":
            target = node.args[0] if node.args else None
            if isinstance(target, ast.Attribute) and target.attr == "emit":
                found.append(node.lineno)
    return found


def test_the_emit_check_finds_the_leaking_pattern() -> None:
    assert _emit_connections("a.clicked.connect(self.submitted.emit)\nb.clicked.connect(self.submitted)\n") == [1]


def test_no_signal_is_connected_to_another_signals_emit() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "ui").rglob("*.py"))
        for line in _emit_connections(path.read_text(encoding="utf-8"))
    ]
    assert not found, "connect the signal, not its .emit (leaks a connection per widget):\n" + "\n".join(found)


@pytest.mark.subprocess
def test_the_soak_benchmark_runs_and_reports_on_its_last_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--sessions", "3", "--every", "1"],
        env=child_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == ["session 1", "session 2", "session 3"]
    assert lines[-1].startswith("rss growth ") and "MB (session 3 -> 3)" in lines[-1]
    assert "widgets" in lines[-1] and "session.ended subscribers" in lines[-1]
