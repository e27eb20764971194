"""When the on-screen keyboard opens (the setting `keyboard.on_screen`), and keeping Qt's own keyboard out.

- "always": whenever a text field has the focus (tests, and kiosks that are touch-only whatever they report);
- "never": a kiosk with a physical keyboard;
- "auto" (default): when a touch screen is attached, i.e. Qt lists an input device of type TouchScreen. It is asked
  each time the keyboard would open, so a touch panel plugged in later counts. A kiosk whose touch panel presents
  itself as a mouse (some USB controllers do) is not seen as touch: set "always" there.

Qt Virtual Keyboard is GPL-only (or commercial), and the Essentials wheel ships its input-context plugin: an
environment with `QT_IM_MODULE=qtvirtualkeyboard` (some desktop images set it) would load it. `forbid_qt_virtual_
keyboard` removes that value before the QApplication exists; `ui.app.create_application` calls it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import MutableMapping

from kiosk.settings.schema import KEYBOARD_MODES

log = logging.getLogger(__name__)

IM_MODULE_VARIABLES = ("QT_IM_MODULE", "QT_IM_MODULES")  # Qt 6.7+ also reads the plural list
FORBIDDEN_IM_MODULE = "qtvirtualkeyboard"


def checked_mode(mode: str) -> str:
    if mode not in KEYBOARD_MODES:
        raise ValueError(f"keyboard mode must be one of {', '.join(KEYBOARD_MODES)}, not {mode!r}")
    return mode


def touch_screen_attached() -> bool:
    from PySide6.QtGui import QInputDevice  # here: ui.app imports this module on the way to the first paint

    return any(device.type() == QInputDevice.DeviceType.TouchScreen for device in QInputDevice.devices())


def should_open(mode: str) -> bool:
    """Whether a text field getting the focus opens the keyboard under this mode."""
    if mode == "always":
        return True
    if mode == "never":
        return False
    return touch_screen_attached()


def forbid_qt_virtual_keyboard(environ: MutableMapping[str, str] = os.environ) -> bool:
    """Drop Qt Virtual Keyboard from the input-method variables; True if it was there."""
    found = False
    for name in IM_MODULE_VARIABLES:
        value = environ.get(name)
        if value is None:
            continue
        kept = [module for module in value.split(";") if module.strip().lower() != FORBIDDEN_IM_MODULE]
        if len(kept) != len(value.split(";")):
            found = True
            if kept:
                environ[name] = ";".join(kept)
            else:
                del environ[name]
    if found:
        log.warning("ignored QT_IM_MODULE=qtvirtualkeyboard: the kiosk has its own on-screen keyboard")
    return found
