"""Finding what Qt needs without importing Qt: displays, platform plugins and the system libraries behind them."""

from __future__ import annotations

from pathlib import Path

import pytest

from citizen_kiosk import gui, platform_probe


@pytest.mark.parametrize(
    ("env", "ok", "platform"),
    [
        ({}, False, "xcb"),
        ({"DISPLAY": ":99"}, True, "xcb"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, True, "wayland"),
        ({"QT_QPA_PLATFORM": "offscreen:configfile=/x.json"}, True, "offscreen"),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, False, "xcb"),
    ],
)
def test_display_status(env: dict[str, str], ok: bool, platform: str) -> None:
    status = platform_probe.display_status(env)
    assert (status.ok, status.platform) == (ok, platform)


def test_missing_x11_libraries_are_named_with_their_debian_packages(tmp_path: Path) -> None:
    present = set(platform_probe.XCB_PLUGIN_LIBRARIES) - {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}
    for name in present:
        (tmp_path / name).touch()
    assert platform_probe.absent_libraries(platform_probe.XCB_PLUGIN_LIBRARIES, [tmp_path]) == [
        "libxcb-icccm.so.4",
        "libxcb-keysyms.so.1",
    ]
    message = gui.platform_problem("xcb", [tmp_path])
    assert message is not None
    assert message.endswith("apt-get install libxcb-icccm4 libxcb-keysyms1")


def test_no_problem_when_every_library_is_there(tmp_path: Path) -> None:
    for name in platform_probe.XCB_PLUGIN_LIBRARIES:
        (tmp_path / name).touch()
    assert gui.platform_problem("xcb", [tmp_path]) is None
    assert gui.platform_problem("offscreen", []) is None
