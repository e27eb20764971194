"""Guards against Qt for Python builds that corrupt the interpreter (the kiosk runs for days, so these matter)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_calling_qt_methods_does_not_drain_none_refcount(qapp) -> None:
    """PySide6 6.12.0 on Python 3.11 returns None from void methods without a new reference: each call lowers
    None's refcount by one, and after a few thousand calls the process aborts with "deallocating None".
    Python 3.12+ has an immortal None and is immune; on 3.11 use PySide6 < 6.12 (6.11.3 is fine)."""
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(200):
        label.setText("x")
    assert sys.getrefcount(None) > before - 100, "this PySide6 build over-releases None: pin another version"
