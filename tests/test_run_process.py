"""The real `citizen-kiosk run` process: first paint, no display, and a clean shutdown on SIGTERM/SIGINT."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT, child_env, run_cli

pytestmark = pytest.mark.subprocess


def _log(data_dir: Path) -> str:
    path = data_dir / "logs" / "kiosk.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_no_display_is_one_clear_sentence(tmp_path: Path) -> None:
    result = run_cli(["run", "--data-dir", str(tmp_path / "data")], child_env(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "No display was found" in lines[0] and "xvfb-run make run" in lines[0]


def test_reaches_the_painted_home_screen_offscreen(tmp_path: Path) -> None:
    env = child_env(tmp_path, QT_QPA_PLATFORM="offscreen")
    result = run_cli(["run", "--exit-after-first-paint", "--data-dir", str(tmp_path / "data")], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "first-paint"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_shuts_down_cleanly(tmp_path: Path, signum: int) -> None:
    data = tmp_path / "data"
    env = child_env(tmp_path, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen(
        [sys.executable, "-m", "citizen_kiosk", "run", "--data-dir", str(data)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while "background tasks finished" not in _log(data) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "background tasks finished" in _log(data), _log(data)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    assert "session ended (shutdown)" in _log(data)
    assert "kiosk shut down cleanly" in _log(data)
    assert "Traceback" not in stderr


def test_make_run_starts_the_kiosk_pointed_at_a_sandbox_and_stops_it_after(tmp_path: Path) -> None:
    import socket

    from kiosk.settings import load_config

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    demo = tmp_path / "demo"
    env = child_env(tmp_path, QT_QPA_PLATFORM="offscreen", SANDBOX_PORT=str(port))
    result = subprocess.run(
        ["sh", "installer/demo.sh", sys.executable, str(demo), "--exit-after-first-paint"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "first-paint"
    assert (demo / "sandbox.out").read_text().strip() == f"http://127.0.0.1:{port}/"  # it was serving
    config = load_config(demo / "config.toml")
    assert config.routing.endpoint_for("any-service", "any-target") == "sandbox"
    assert config.endpoints["sandbox"].url == f"http://127.0.0.1:{port}/submissions"
    assert (demo / "credentials" / "endpoint-sandbox-client-secret").exists()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the script stops its sandbox when the kiosk exits
        with socket.socket() as again:
            if again.connect_ex(("127.0.0.1", port)) != 0:
                break
        time.sleep(0.1)
    else:
        raise AssertionError("the demo's sandbox is still serving after the kiosk exited")
