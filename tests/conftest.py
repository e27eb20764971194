"""Shared test set-up: Qt offscreen on one screen matching the reference panel, and the kiosk's core objects.

The environment is set at import time, before anything imports Qt (see `ui.offscreen` for the configfile format and
why the physical size comes from `ReferencePanel`, not from the screen).
"""

from __future__ import annotations

import os
from pathlib import Path

from accessibility.sizing import ReferencePanel
from ui.offscreen import offscreen_platform  # Qt-free: safe before Qt is imported

REFERENCE_PANEL = ReferencePanel()
REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"


if "QT_QPA_PLATFORM" not in os.environ:  # a user's choice (e.g. xcb under Xvfb) wins
    os.environ["QT_QPA_PLATFORM"] = offscreen_platform(
        REFERENCE_PANEL.width_px, REFERENCE_PANEL.height_px, REFERENCE_PANEL.diagonal_inches
    )

import pytest  # noqa: E402

from accessibility.sizing import TEXT_STEPS  # noqa: E402
from kiosk.i18n import SHIPPED_LANGUAGES, Catalog  # noqa: E402
from kiosk.notices import NoticeBoard  # noqa: E402
from kiosk.session import CitizenSession, Presentation  # noqa: E402


@pytest.fixture(scope="session")
def qapp():  # type: ignore[no-untyped-def]
    """The one QApplication of the test run, built like the kiosk's (Fusion, bundled fonts)."""
    from PySide6.QtWidgets import QApplication

    from ui.app import create_application

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else create_application(["citizen-kiosk-tests"])
    yield app


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture
def session() -> CitizenSession:
    return CitizenSession(Presentation(language="en"), text_steps=len(TEXT_STEPS))


@pytest.fixture
def notices() -> NoticeBoard:
    return NoticeBoard()


@pytest.fixture
def panel() -> ReferencePanel:
    return REFERENCE_PANEL


@pytest.fixture
def shell_deps(catalog: Catalog, session: CitizenSession, notices: NoticeBoard, panel: ReferencePanel):  # type: ignore[no-untyped-def]
    from ui.shell import ShellDeps

    return ShellDeps(catalog=catalog, session=session, notices=notices, panel=panel, languages=SHIPPED_LANGUAGES)


@pytest.fixture
def main_window(qapp, qtbot, shell_deps):  # type: ignore[no-untyped-def]
    """The real MainWindow at the reference panel's size, shown and active (focus tests need an active window)."""
    from ui.shell import MainWindow

    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    window.resize(REFERENCE_PANEL.width_px, REFERENCE_PANEL.height_px)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield window
    window.allow_close()


@pytest.fixture
def save_artifact():  # type: ignore[no-untyped-def]
    """save_artifact(image_or_widget, "name.png") -> Path under <repo>/test-artifacts/ (kept for people to look at)."""

    def save(image, name: str) -> Path:  # type: ignore[no-untyped-def]
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        if hasattr(image, "grab"):
            image = image.grab().toImage()
        assert image.save(str(path), "PNG"), f"could not write {path}"
        return path

    return save


@pytest.fixture(scope="module")
def demo_services():  # type: ignore[no-untyped-def]
    """The demo service catalog, loaded once per test module (screens only read it)."""
    from kiosk.catalog import DEMO_CATALOG_DIR
    from kiosk.catalog.provider import CatalogProvider

    provider = CatalogProvider()
    provider.load(DEMO_CATALOG_DIR)
    return provider
