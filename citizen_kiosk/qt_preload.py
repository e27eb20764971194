"""Load Qt's libraries and fontconfig's configuration on a helper thread while the Qt-free start-up runs.

Before its first frame the kiosk spends ~30 ms in Python that needs no Qt (the command line, the configuration, the
core's modules) and then waits on two things that need no Python: the dynamic loader mapping and relocating PySide's
and Qt's shared libraries (~12 ms, `import PySide6.QtCore` and friends), and fontconfig reading its XML configuration
and caches at the first text (~3 ms). A helper thread started first thing does those two on the second core, so the
GUI thread finds them done (`benchmarks/startup.py` measures the difference).

Why not simply import PySide6 on the thread: an import holds the GIL throughout, and so does `ctypes.CDLL`. A call
*through* ctypes releases it, so the helper calls libc's `dlopen` and fontconfig's `FcInit` as foreign functions.
Loading a library runs only its static initialisers, which create no Qt object; `FcInit` builds the same default
configuration Qt would build at its first text (fontconfig is thread-safe), and Qt's own `FcInit` then returns at once.
Nothing here imports PySide6, and nothing here can fail the kiosk: whatever goes wrong, the GUI thread simply loads
things itself, and a real problem is reported there, as without the helper.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.machinery
import os
import sys
import threading
from collections.abc import Sequence

from citizen_kiosk.commands import runs_kiosk

# The binding modules the first frame imports; each pulls in its Qt library (and shiboken and libpyside with QtCore).
EXTENSIONS = ("QtCore", "QtGui", "QtWidgets")
FONTCONFIG = "libfontconfig.so.1"  # the library Qt's font database reads on Linux (linked by libQt6Gui)
# The standard library's C extension modules the GUI thread imports before PySide (json, math, datetime, shutil's
# compressors, and random's when platformdirs brings in tempfile). Importing one is a dlopen too, and a dlopen waits
# while another holds the dynamic loader's lock, as the helper does for several milliseconds per Qt library: imported
# before the helper starts they cost what they would anyway (PySide's own import needs random too) and wait for
# nothing. tests/test_qt_preload.py keeps this list complete.
EARLY_EXTENSIONS = ("math", "_json", "_datetime", "zlib", "_bz2", "_lzma", "_bisect", "_random", "_sha512")


def start(argv: Sequence[str]) -> threading.Thread | None:
    """Start the helper when `argv` starts the kiosk (`citizen_kiosk.commands.runs_kiosk`); returns it.

    Only for the kiosk, whose start citizens wait for: `screenshot` renders offscreen, where a few milliseconds do not
    matter, and some of its forms need no Qt at all (`--list-themes`); windowless commands never load Qt's libraries.
    """
    if not runs_kiosk(argv):
        return None
    paths = extension_paths()
    if not paths:
        return None
    for name in EARLY_EXTENSIONS:
        with contextlib.suppress(ImportError):  # an optional one (_bz2, _lzma) this Python was built without
            importlib.import_module(name)
    helper = threading.Thread(target=preload, args=(paths,), name="qt-preload", daemon=True)
    helper.start()
    return helper


def extension_paths() -> list[str]:
    """The files `import PySide6.QtCore` (QtGui, QtWidgets) will load, found without importing PySide6."""
    try:
        spec = importlib.machinery.PathFinder.find_spec("PySide6")
    except ImportError:  # a meta path hook refused it: then Qt cannot load at all
        return []
    if spec is None or not spec.submodule_search_locations:
        return []
    directory = next(iter(spec.submodule_search_locations))
    paths = []
    for name in EXTENSIONS:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(directory, name + suffix)
            if os.path.isfile(path):
                paths.append(path)
                break
    return paths


def preload(paths: Sequence[str]) -> None:
    """Map `paths` with the flags Python's importer uses, then initialise fontconfig; never raises."""
    try:
        import ctypes

        dlopen = ctypes.CDLL(None).dlopen  # libc's, through ctypes: the GIL is released while it runs
        dlopen.argtypes = (ctypes.c_char_p, ctypes.c_int)
        dlopen.restype = ctypes.c_void_p
        flags = sys.getdlopenflags()  # the importer's flags, so its own dlopen later finds the same mapping
        for path in paths:
            if not dlopen(os.fsencode(path), flags):
                return  # the import on the GUI thread will report the problem
        ctypes.CDLL(FONTCONFIG).FcInit()
    except (ImportError, OSError, AttributeError):
        return  # no ctypes, no libc dlopen or no fontconfig: the GUI thread does it all, as it would anyway
