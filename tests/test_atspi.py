"""The real kiosk on a virtual X display is visible to screen readers: an AT-SPI client finds its window and every
button of the home screen by name (EN 301 549 platform exposure; checklist item 19).

The set-up is what a Linux desktop does: Xvfb, a session D-Bus (`dbus-run-session`), the accessibility bus and its
registry (`at-spi-bus-launcher --launch-immediately` starts `at-spi2-registryd`), and Qt with
`QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1` on xcb. The client is pyatspi, which imports only in Debian's own python3, so it
runs as a separate process with that interpreter. As root, missing packages are installed (`installer/system-deps.sh
window test`, as `make test` does); otherwise the test skips and says which packages are missing.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton

from tests import test_installer
from tests.helpers import ROOT, child_env, ensure_test_packages, start_xvfb

pytestmark = pytest.mark.subprocess

DEBIAN_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
TIME_LIMIT_S = 60  # the whole test: display, buses, kiosk start-up and the client's search

# Debian's python3 with pyatspi: wait for the application, then its window (by title) and each expected button.
CLIENT = r"""
import json, sys, time
import pyatspi

expected = json.loads(sys.argv[1])
deadline = time.monotonic() + float(sys.argv[2])
BUTTON_ROLES = {"push button", "toggle button", "check box", "radio button"}


def buttons(node, found, depth=0):
    if node is None or depth > 60:
        return
    try:
        if node.getRoleName() in BUTTON_ROLES:
            found.add(node.name)
        children = [node.getChildAtIndex(i) for i in range(node.childCount)]
    except Exception:  # a node can vanish while we walk (the page changes): try again on the next round
        return
    for child in children:
        buttons(child, found, depth + 1)


report = {"apps": [], "windows": [], "buttons": []}
while time.monotonic() < deadline:
    desktop = pyatspi.Registry.getDesktop(0)
    apps = [desktop.getChildAtIndex(i) for i in range(desktop.childCount)]
    apps = [app for app in apps if app is not None]
    report["apps"] = [app.name for app in apps]
    for app in apps:
        if app.name != expected["app"]:
            continue
        windows = [app.getChildAtIndex(i) for i in range(app.childCount)]
        report["windows"] = [window.name for window in windows if window is not None]
        for window in windows:
            if window is None or expected["window"] not in window.name:
                continue
            found = set()
            buttons(window, found)
            report["buttons"] = sorted(found)
            if set(expected["buttons"]) <= found:
                print(json.dumps(report))
                sys.exit(0)
    time.sleep(0.5)
print(json.dumps(report))
sys.exit(1)
"""


def _missing() -> list[str]:
    needs = {
        "Xvfb": shutil.which("Xvfb"),
        "dbus-run-session": shutil.which("dbus-run-session"),
        BUS_LAUNCHER: os.path.exists(BUS_LAUNCHER),
        "pyatspi in /usr/bin/python3": os.path.exists(DEBIAN_PYTHON)
        and subprocess.run([DEBIAN_PYTHON, "-c", "import pyatspi"], capture_output=True, check=False).returncode == 0,
    }
    return [name for name, present in needs.items() if not present]


@pytest.fixture(scope="module")
def atspi_tools() -> None:
    """Install what the test needs when root on Debian; otherwise skip, saying exactly why."""
    ensure_test_packages("AT-SPI test", _missing)


def home_button_names(window) -> list[str]:  # type: ignore[no-untyped-def]
    """Accessible names of every visible button of the home screen (header included), as the kiosk shows them."""
    names = []
    for button in window.findChildren(QAbstractButton):
        if button.isVisibleTo(window):
            names.append(QAccessible.queryAccessibleInterface(button).text(QAccessible.Text.Name))
    return names


def test_an_atspi_client_finds_the_window_and_every_home_button(atspi_tools, main_window, catalog, tmp_path) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    expected = {
        "app": "citizen-kiosk",
        "window": catalog.t("app.title", "en"),
        "buttons": home_button_names(main_window),
    }
    assert len(expected["buttons"]) >= 10  # header (read aloud, help, six languages, sizes) and the home entries
    xvfb, display = start_xvfb()
    env = child_env(tmp_path, DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1")
    # One session bus for the accessibility bus, the kiosk and the client; the client gives up at once if the kiosk
    # dies (its stderr is kept for the failure message), and everything started here ends with the bus.
    script = (
        f"{BUS_LAUNCHER} --launch-immediately & launcher=$!; "
        f'"{sys.executable}" -m citizen_kiosk run --windowed --lang en --data-dir "$1" 2>"$1.stderr" & kiosk=$!; '
        f'{DEBIAN_PYTHON} -c "$2" "$3" "$4" & client=$!; '
        "while kill -0 $client 2>/dev/null; do kill -0 $kiosk 2>/dev/null || kill $client; sleep 0.2; done; "
        "wait $client; rc=$?; kill -TERM $kiosk 2>/dev/null; wait $kiosk; kill $launcher; exit $rc"
    )
    budget = TIME_LIMIT_S - 10  # what the client may wait; the rest is for start and shutdown
    arguments = [str(tmp_path / "data"), CLIENT, json.dumps(expected), str(budget)]
    bus = subprocess.Popen(
        ["dbus-run-session", "--", "sh", "-c", script, "sh", *arguments],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # one process group: on a timeout everything it started is ended with it
    )
    try:
        stdout, stderr = bus.communicate(timeout=TIME_LIMIT_S)
    except subprocess.TimeoutExpired:
        os.killpg(bus.pid, signal.SIGKILL)
        stdout, stderr = bus.communicate()
        pytest.fail(f"the AT-SPI check took longer than {TIME_LIMIT_S} s: {stderr[-1000:]}")
    finally:
        xvfb.send_signal(signal.SIGTERM)
        xvfb.wait(timeout=10)
    result = subprocess.CompletedProcess(bus.args, bus.returncode, stdout, stderr)
    report = json.loads(result.stdout.strip().splitlines()[-1]) if result.stdout.strip() else {}
    kiosk_stderr = Path(f"{tmp_path / 'data'}.stderr").read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, (report, kiosk_stderr[-2000:], result.stderr[-1000:])
    assert expected["app"] in report["apps"]
    assert any(expected["window"] in name for name in report["windows"])
    assert set(expected["buttons"]) <= set(report["buttons"])
    assert time.monotonic() - started < TIME_LIMIT_S
    log = Path(tmp_path / "data" / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "kiosk shut down cleanly" in log  # SIGTERM ended it as on a real kiosk, not a crash


# The packages: a [test] group, installed by `make test` as root, and only named to anyone else --------------------
world_readable_dir = test_installer.world_readable_dir


def test_the_test_group_names_what_this_test_needs_and_make_test_installs_it() -> None:
    listed = (ROOT / "installer" / "debian-packages.txt").read_text(encoding="utf-8")
    group = listed.split("[test]\n", 1)[1].split("\n[", 1)[0]
    packages = {line.strip() for line in group.splitlines() if line.strip() and not line.startswith("#")}
    assert {"xvfb", "dbus-daemon", "at-spi2-core", "python3-pyatspi"} <= packages
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "system-deps.sh --optional window test" in makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]


@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="needs a Debian-like system")
@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root to drop to nobody")
def test_optional_groups_only_tell_a_normal_user_what_is_missing(world_readable_dir: Path) -> None:
    script = test_installer._installer_with(world_readable_dir, "[test]\ndpkg\ncitizen-kiosk-no-such-package\n")
    as_nobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "sh", str(script)]
    optional = subprocess.run([*as_nobody, "--optional", "test"], capture_output=True, text=True, check=False)
    assert optional.returncode == 0
    assert "optional packages missing: citizen-kiosk-no-such-package" in optional.stderr
    assert "will skip" in optional.stderr
    required = subprocess.run([*as_nobody, "test"], capture_output=True, text=True, check=False)
    assert required.returncode == 1  # without --optional a missing package is still an error
