#!/bin/sh
# Delete Qt Virtual Keyboard from the PySide6 installed for PYTHON: it is GPL-3.0 only, and the kiosk has its own
# on-screen keyboard (ui/keyboard), so it must not be in the bundle (reference checklist #34). The PySide6-Addons wheel
# brings it (the input-context plugin, the QML module and its libraries); nothing else in Qt links against them.
# pip puts it back whenever it reinstalls PySide6: both install targets of the Makefile run this right after pip, and
# `citizen-kiosk doctor` reports it if it is there again.
# Usage: sh installer/drop-qt-virtual-keyboard.sh PYTHON
set -eu
python=${1:?usage: $0 PYTHON}
# The package's folder, found without importing it (importing PySide6 loads Qt's core libraries).
pyside=$("$python" -c 'import importlib.util as u; s = u.find_spec("PySide6"); print(s.submodule_search_locations[0] if s else "")')
[ -n "$pyside" ] || exit 0
found=$(find "$pyside" -iname '*virtualkeyboard*' -prune -print)
[ -n "$found" ] || exit 0
find "$pyside" -iname '*virtualkeyboard*' -prune -exec rm -rf {} +
echo "drop-qt-virtual-keyboard: removed Qt Virtual Keyboard (GPL) from $pyside"
