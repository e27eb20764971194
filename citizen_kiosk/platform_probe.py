"""What the machine offers Qt, found without importing Qt: the doctor and the display check use it.

Qt's own failure messages on a bare machine are obscure ("could not load the Qt platform plugin", "libxcb-cursor0 is
needed" when another library is missing), so we look first and name the exact Debian packages.
"""

import importlib.util
import re
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

# Shared-library names Qt needs, mapped to the Debian package that ships each (installer/debian-packages.txt).
LIBRARY_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libpulse.so.0": "libpulse0",
}
# What Qt's X11 plugin loads directly (its full closure is checked by the doctor with ldd).
XCB_PLUGIN_LIBRARIES = tuple(lib for lib in LIBRARY_PACKAGES if lib not in ("libpulse.so.0", "libOpenGL.so.0"))
# Platforms that need no display server.
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"})


class DisplayStatus(NamedTuple):
    ok: bool
    platform: str  # the Qt platform that will be used
    detail: str


def qt_dir() -> Path | None:
    """The PySide6 package directory, or None when PySide6 is not installed (found without importing it)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def platform_plugin(name: str) -> Path | None:
    base = qt_dir()
    if base is None:
        return None
    path = base / "Qt" / "plugins" / "platforms" / f"libq{name}.so"
    return path if path.exists() else None


def missing_libraries(binary: Path) -> list[str]:
    """Shared libraries `binary` needs that the dynamic loader cannot find (via ldd: thorough, ~10 ms)."""
    import subprocess

    if shutil.which("ldd") is None:
        return []
    result = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=False, timeout=20)
    return sorted(set(re.findall(r"^\s*(\S+) => not found", result.stdout, re.MULTILINE)))


def library_dirs() -> list[Path]:
    """Where the dynamic loader looks on Debian-like systems (multiarch first)."""
    import sysconfig  # here, not at the top: only an X11 start needs it, and it costs 1 ms to import

    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    bases = ("/lib", "/usr/lib", "/usr/local/lib")
    return [Path(base, multiarch) for base in bases if multiarch] + [Path(base) for base in bases] + [Path("/lib64")]


def absent_libraries(names: Iterable[str], directories: Iterable[Path] | None = None) -> list[str]:
    """Libraries of `names` found in none of the loader's directories: a few stat calls, fit for every start-up."""
    folders = list(directories) if directories is not None else library_dirs()
    return sorted(name for name in names if not any((folder / name).exists() for folder in folders))


def packages_for(libraries: list[str]) -> list[str]:
    return sorted({LIBRARY_PACKAGES.get(lib, lib) for lib in libraries})


def requested_platform(env: Mapping[str, str]) -> str:
    return env.get("QT_QPA_PLATFORM", "").split(":")[0].strip()


def display_status(env: Mapping[str, str]) -> DisplayStatus:
    platform = requested_platform(env)
    if platform in HEADLESS_PLATFORMS:
        return DisplayStatus(True, platform, f"Qt platform {platform!r} needs no display")
    if platform in ("", "wayland") and env.get("WAYLAND_DISPLAY"):
        return DisplayStatus(True, "wayland", f"Wayland display {env['WAYLAND_DISPLAY']}")
    if platform in ("", "xcb") and env.get("DISPLAY"):
        return DisplayStatus(True, "xcb", f"X11 display {env['DISPLAY']}")
    return DisplayStatus(False, platform or "xcb", "no display: neither DISPLAY nor WAYLAND_DISPLAY is set")


def no_display_message() -> str:
    return (
        "No display was found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the kiosk has nowhere to show its "
        "window: start it from the kiosk's desktop session, or under a virtual display with `xvfb-run make run`."
    )


def espeak_voices() -> set[str]:
    """Language codes espeak-ng can speak (empty when it is not installed)."""
    if shutil.which("espeak-ng") is None:
        return set()
    import subprocess

    result = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True, check=False, timeout=20)
    return {line.split()[1].lower() for line in result.stdout.splitlines()[1:] if len(line.split()) > 1}
