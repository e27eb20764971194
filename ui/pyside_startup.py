"""Load PySide6 without letting it read the source of every module imported afterwards.

Once PySide6 is loaded, its import hook asks, for each module name it has not seen, whether that module uses
PySide's opt-in `from __feature__ import snake_case, true_property`: it reads the module's whole source file to look
for the word "PySide6" (`shibokensupport.feature._mod_uses_pyside`). On the way to the first frame that is ~50 files
read, decoded and split into lines (~3–4 ms, a tenth of the kiosk's start-up above a bare window) to learn what we
already know: no module of this application uses `__feature__` (a test checks), so every module runs with PySide's
default selection. `load_pyside` records that answer up front for the modules already imported and for every module
of this application, in the table the hook consults first. The table is PySide's internal `pyside_feature_dict`; if a
release renames it, nothing breaks: the hook simply goes back to reading sources.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

# The value PySide itself records for a module that mentions PySide6 (0: default features) and for one that does not
# (-1: ignore it when switching features). With no module selecting a feature the two behave the same.
USES_PYSIDE = 0
NO_PYSIDE = -1
ROOT = Path(__file__).resolve().parents[1]
QT_PACKAGES = ("ui", "citizen_kiosk")  # the packages whose modules may import PySide6; the Qt-free ones are
# imported before PySide (citizen_kiosk.gui), so they are in sys.modules by then


def module_names(packages: Iterable[str] = QT_PACKAGES, root: Path = ROOT) -> Iterator[str]:
    """Dotted names of every module of these packages, from the file tree (nothing is imported)."""
    for package in packages:
        for directory, subdirectories, files in os.walk(root / package):
            subdirectories[:] = [name for name in subdirectories if not name.startswith(("_", "."))]
            if "__init__.py" not in files:
                subdirectories[:] = []
                continue
            prefix = ".".join(Path(directory).relative_to(root).parts)
            yield prefix
            yield from (f"{prefix}.{name[:-3]}" for name in files if name.endswith(".py") and name != "__init__.py")


def feature_table() -> dict[str, object] | None:
    """PySide's per-module feature selection, or None when this PySide keeps it elsewhere."""
    module = sys.modules.get("PySide6.support.feature") or sys.modules.get("shibokensupport.feature")
    table = getattr(module, "pyside_feature_dict", None)
    return table if isinstance(table, dict) else None


def load_pyside() -> int:
    """Import PySide6's core and record every known module's feature selection; returns how many were recorded."""
    import PySide6.QtCore  # noqa: F401 - loading it installs the import hook and creates the table

    table = feature_table()
    if table is None:
        return 0
    before = len(table)
    for name in list(sys.modules):
        table.setdefault(name, NO_PYSIDE)
    for name in module_names():
        table.setdefault(name, USES_PYSIDE)
    return len(table) - before
