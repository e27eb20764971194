"""Browsing the catalog on the real window: services -> life event -> start page, by keyboard and by touch; loading and
failure states; search as the citizen types; live language changes; and nothing left behind when the session ends."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from accessibility.sizing import TEXT_STEPS
from kiosk.catalog import DEMO_CATALOG_DIR
from kiosk.catalog.provider import CatalogProvider
from kiosk.i18n import SHIPPED_LANGUAGES
from kiosk.journey import Journey
from tests.conftest import REFERENCE_PANEL
from tests.test_ui_shell import assert_nothing_clipped
from ui import icons
from ui.screenshot import render_screen
from ui.shell import MainWindow, ShellDeps

BROWSE_SCREENS = ("services", "life-event", "search", "service-start")
SIZE = (REFERENCE_PANEL.width_px, REFERENCE_PANEL.height_px)


@pytest.fixture
def services(demo_services: CatalogProvider) -> CatalogProvider:
    """The loaded demo catalog; a test that needs another state overrides this fixture's use with its own provider."""
    return demo_services


def open_window(qtbot, deps: ShellDeps) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(deps)
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


DepsFor = Callable[[CatalogProvider], ShellDeps]


@pytest.fixture
def deps_for(qapp, catalog, session, notices, panel) -> DepsFor:  # type: ignore[no-untyped-def]
    """deps_for(provider): the shell's dependencies with that catalog provider and a journey of this session."""

    def build(provider: CatalogProvider) -> ShellDeps:
        return ShellDeps(
            catalog=catalog,
            session=session,
            notices=notices,
            panel=panel,
            languages=SHIPPED_LANGUAGES,
            services=provider,
            journey=Journey(session),
        )

    return build


@pytest.fixture
def window(qtbot, deps_for: DepsFor, services: CatalogProvider) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = open_window(qtbot, deps_for(services))
    yield win
    win.allow_close()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def tab(qtbot, times: int = 1) -> QWidget:  # type: ignore[no-untyped-def]
    for _ in range(times):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    return focused()


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


# Navigation -----------------------------------------------------------------------------------------------------------
def test_keyboard_only_from_home_to_a_start_page(window: MainWindow, qtbot, services: CatalogProvider) -> None:  # type: ignore[no-untyped-def]
    entry = window.home.entries["services"]
    entry.setFocus()
    qtbot.waitUntil(entry.hasFocus)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert window.current_screen_name() == "services"
    screen = window.screen_widget("services")
    assert focused() is screen.back_button
    assert tab(qtbot) is screen.search_button
    assert tab(qtbot) is screen.lookup_button  # "Find a submission by its reference", beside search
    assert tab(qtbot) is screen.resume_button  # "Continue a saved form", beside it
    first = tab(qtbot)
    assert first is screen.tiles.tiles["having-a-baby"]
    qtbot.keyClick(first, Qt.Key.Key_Enter)
    assert window.current_screen_name() == "life-event"
    assert window.deps.journey.life_event_id == "having-a-baby"
    life = window.screen_widget("life-event")
    assert life.heading.text() == "Having a baby"
    assert focused() is life.back_button
    service_ids = life.tiles.shown_keys()
    assert service_ids == [s.id for s in services.services_for("having-a-baby")]
    qtbot.keyClick(tab(qtbot, 1 + service_ids.index("register-birth")), Qt.Key.Key_Return)
    assert window.current_screen_name() == "service-start"
    assert window.deps.journey.service_id == "register-birth"
    start = window.screen_widget("service-start")
    assert start.heading.text() == "Register a birth"
    assert tab(qtbot) is start.start_button  # Back, then the one button of the page
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert window.current_screen_name() == "life-event"
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert window.current_screen_name() == "services"
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert window.current_screen_name() == "home"


def test_touch_from_home_to_a_start_page_and_start(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    click = Qt.MouseButton.LeftButton
    qtbot.mouseClick(window.home.entries["services"], click)
    qtbot.mouseClick(window.screen_widget("services").tiles.tiles["id-and-digital-identity"], click)
    life = window.screen_widget("life-event")
    assert life.heading.text() == "ID and digital identity"
    tile = life.tiles.tiles["activate-digital-key"]
    assert tile.note_text == "Needs an internet connection"
    assert life.tiles.tiles["renew-citizen-card"].note_text == ""
    qtbot.mouseClick(tile, click)
    start = window.screen_widget("service-start")
    assert window.current_screen_name() == "service-start"
    assert start.connection.isVisible()
    assert start.connection.text.text().startswith("This service needs an internet connection.")
    qtbot.mouseClick(start.start_button, click)
    # Start now begins the form: a fresh flow for this service, on its first question.
    assert window.current_screen_name() == "question"
    flow = window.deps.journey.flow
    assert flow is not None and flow.service.id == "activate-digital-key" and flow.position()[0] == 1


def test_another_life_event_refreshes_the_kept_screen(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    click = Qt.MouseButton.LeftButton
    window.show_screen("services")
    qtbot.mouseClick(window.screen_widget("services").tiles.tiles["driving"], click)
    life = window.screen_widget("life-event")
    assert "renew-driving-licence" in life.tiles.shown_keys()
    window.back()
    qtbot.mouseClick(window.screen_widget("services").tiles.tiles["retiring"], click)
    assert window.screen_widget("life-event") is life  # the same screen, showing the new choice
    assert life.heading.text() == "Retiring"
    assert life.tiles.shown_keys() == ["apply-for-pension", "pension-simulation"]


# The start page -------------------------------------------------------------------------------------------------------
def show_start(window: MainWindow, service_id: str):  # type: ignore[no-untyped-def]
    window.deps.journey.choose_service(service_id)
    window.show_screen("service-start")
    return window.screen_widget("service-start")


def test_start_page_has_the_gov_uk_start_content(window: MainWindow, services: CatalogProvider) -> None:
    start = show_start(window, "register-birth")
    service = services.service("register-birth")
    assert service is not None and service.eligibility is not None
    assert start.summary.text() == service.summary.t("en")
    assert start.eligibility.isVisible() and start.eligibility.text() == service.eligibility.t("en")
    assert start.you_need.texts() == [item.t("en") for item in service.you_need]
    assert not start.nothing_needed.isVisible()
    assert start.duration.text() == "About 15 minutes."
    assert start.other_ways.text() == service.other_ways.t("en")
    assert not start.connection.isVisible()
    buttons = [w for w in start.findChildren(QWidget) if w.property("kind") == "primary" and w.isVisible()]
    assert buttons == [start.start_button] and start.start_button.text() == "Start now"
    assert start.start_button.height() >= window.deps.panel.primary_target_px


def test_start_page_without_documents_or_eligibility_says_so(window: MainWindow) -> None:
    start = show_start(window, "job-training-courses")
    assert start.nothing_needed.isVisible()
    assert start.nothing_needed.text() == "You do not need any documents for this service."
    assert not start.you_need.isVisible()
    assert not start.eligibility.isVisible() and not start.eligibility_heading.isVisible()


def test_an_unknown_choice_shows_the_polite_message(window: MainWindow) -> None:
    start = show_start(window, "no-such-service")
    assert start.unavailable.isVisible() and not start.details.isVisible()
    window.deps.journey.choose_life_event("no-such-event")
    window.show_screen("life-event")
    life = window.screen_widget("life-event")
    assert life.unavailable.isVisible() and life.tiles.shown_keys() == []


def test_definition_text_is_never_rich_text(window: MainWindow) -> None:
    for name in ("services", "life-event", "search"):
        window.show_screen(name)
    show_start(window, "register-birth")
    for name in BROWSE_SCREENS:
        labels = window.screen_widget(name).findChildren(QLabel)
        assert labels
        for label in labels:
            assert label.textFormat() == Qt.TextFormat.PlainText, (name, label.text())


# Loading and failure --------------------------------------------------------------------------------------------------
def test_services_say_loading_then_fill_in_when_the_catalog_arrives(qtbot, deps_for: DepsFor) -> None:  # type: ignore[no-untyped-def]
    provider = CatalogProvider()
    window = open_window(qtbot, deps_for(provider))
    window.show_screen("services")
    screen = window.screen_widget("services")
    assert screen.loading.isVisible() and screen.loading.text() == "Loading the services…"
    assert screen.tiles.tiles == {} and not screen.unavailable.isVisible()
    window.show_screen("search")
    qtbot.keyClicks(focused(), "birth")
    search = window.screen_widget("search")
    qtbot.waitUntil(search.loading.isVisible)
    window.back()
    loader = threading.Thread(target=provider.load, args=(DEMO_CATALOG_DIR,))  # as the start-up task does
    loader.start()
    loader.join()
    qtbot.waitUntil(lambda: len(screen.tiles.tiles) == 11)
    assert not screen.loading.isVisible() and not screen.unavailable.isVisible()
    assert [t.title_text for t in screen.tiles.tiles.values()][:2] == ["Having a baby", "Moving house"]
    assert search.results.shown_keys()[0] == "register-birth"  # the waiting search ran when the catalog arrived
    window.allow_close()


@pytest.mark.parametrize("how", ["raised", "empty"])
def test_without_a_catalog_the_citizen_is_sent_to_staff(qtbot, deps_for: DepsFor, monkeypatch, tmp_path, how) -> None:  # type: ignore[no-untyped-def]
    import kiosk.catalog.loader

    provider = CatalogProvider()
    if how == "raised":
        monkeypatch.setattr(kiosk.catalog.loader, "load_catalog", lambda *a, **k: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            provider.load(DEMO_CATALOG_DIR)
    else:
        provider.load(tmp_path / "no-catalog-here")
    window = open_window(qtbot, deps_for(provider))
    window.show_screen("services")
    screen = window.screen_widget("services")
    assert screen.unavailable.isVisible()
    assert screen.unavailable.text.text() == window.deps.catalog.t("services.unavailable", "en")
    assert not screen.search_button.isVisible() and not screen.loading.isVisible() and screen.tiles.tiles == {}
    window.allow_close()


# Search ---------------------------------------------------------------------------------------------------------------
def open_search(window: MainWindow, qtbot):  # type: ignore[no-untyped-def]
    window.show_screen("services")
    qtbot.mouseClick(window.screen_widget("services").search_button, Qt.MouseButton.LeftButton)
    search = window.screen_widget("search")
    qtbot.waitUntil(search.field.hasFocus)
    return search


def test_typing_a_misspelt_word_finds_the_birth_registration_first(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    search = open_search(window, qtbot)
    assert focused() is search.field and isinstance(search.field, QLineEdit)
    qtbot.keyClicks(focused(), "nacimento")
    assert search.search_pending and search.results.shown_keys() == []  # debounced: nothing while the citizen types
    qtbot.waitUntil(lambda: bool(search.results.shown_keys()), timeout=2000)
    assert search.results.shown_keys()[0] == "register-birth"
    assert not search.no_results.isVisible()
    first = search.results.tiles["register-birth"]
    assert first.title_text == "Register a birth" and first.hint_text
    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    assert window.current_screen_name() == "service-start"
    assert window.screen_widget("service-start").heading.text() == "Register a birth"


def test_no_match_says_so_with_a_way_forward(window: MainWindow, qtbot, catalog) -> None:  # type: ignore[no-untyped-def]
    search = open_search(window, qtbot)
    qtbot.keyClicks(focused(), "zzqxj")
    qtbot.waitUntil(search.no_results.isVisible, timeout=2000)
    assert search.no_results.text.text() == catalog.t("search.no_results", "en")
    assert "mediator" in search.no_results.text.text()
    assert search.results.shown_keys() == []
    search.field.setText("")
    search.run_search()
    assert not search.no_results.isVisible()  # an empty field is not a failed search


def test_search_uses_the_session_language(window: MainWindow, qtbot, monkeypatch, services) -> None:  # type: ignore[no-untyped-def]
    languages: list[str | None] = []
    real = services.search

    def spy(query: str, lang: str | None = None, limit: int = 10):  # type: ignore[no-untyped-def]
        languages.append(lang)
        return real(query, lang=lang, limit=limit)

    monkeypatch.setattr(services, "search", spy)
    window.deps.session.set_language("pt-PT")
    search = open_search(window, qtbot)
    qtbot.keyClicks(focused(), "morada")
    qtbot.waitUntil(lambda: bool(search.results.shown_keys()), timeout=2000)
    assert languages and set(languages) == {"pt-PT"}
    assert search.results.tiles[search.results.shown_keys()[0]].title_text == services.service(
        search.results.shown_keys()[0]
    ).title.t("pt-PT")


def test_the_field_is_labelled_locked_down_and_gone_after_the_session(window: MainWindow, qtbot, catalog) -> None:  # type: ignore[no-untyped-def]
    search = open_search(window, qtbot)
    field = search.field
    assert search.label.buddy() is field and search.label.isVisible()
    assert field.accessibleName() == search.label.text() == "What are you looking for?"
    assert field.placeholderText() == ""  # the label is above the field, never inside it
    assert field.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
    qtbot.keyClicks(field, "maria silva 123456789")
    window.deps.session.end("timeout")
    assert window.screen_widget("search") is None  # dropped: its text and undo history went with it
    fresh = open_search(window, qtbot)
    assert fresh is not search and fresh.field.text() == "" and not fresh.field.isUndoAvailable()


# Language, text size, session -----------------------------------------------------------------------------------------
def test_language_switch_retranslates_tiles_and_pages(window: MainWindow, qtbot, services, catalog) -> None:  # type: ignore[no-untyped-def]
    window.show_screen("services")
    screen = window.screen_widget("services")
    baby = screen.tiles.tiles["having-a-baby"]
    event = services.life_event("having-a-baby")
    start = show_start(window, "register-birth")
    service = services.service("register-birth")
    window.show_screen("services")
    qtbot.mouseClick(window.header.language_buttons["pt-PT"], Qt.MouseButton.LeftButton)
    assert baby.title_text == event.title.t("pt-PT") and baby.hint_text == event.summary.t("pt-PT")
    assert screen.search_button.text() == catalog.t("services.search", "pt-PT")
    assert start.heading.text() == service.title.t("pt-PT")
    assert start.duration.text() == "Cerca de 15 minutos."
    assert start.you_need.texts() == [item.t("pt-PT") for item in service.you_need]
    qtbot.mouseClick(window.header.language_buttons["ar"], Qt.MouseButton.LeftButton)
    # The demo definitions speak Arabic too (an English fallback would be isolated: tests/test_translations.py).
    assert baby.title_text == event.title.t("ar") and event.title.get("ar").lang == "ar"
    assert screen.search_button.text() == catalog.t("services.search", "ar")
    assert screen.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert start.heading.text() == service.title.t("ar")


def test_arabic_mirrors_the_tiles(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.show_screen("services")
    tile = window.screen_widget("services").tiles.tiles["having-a-baby"]
    badge = QColor(window.theme.colour("accent"))

    def badge_side() -> str:
        image = tile.grab().toImage()
        middle = image.height() // 2
        left = any(image.pixelColor(x, middle) == badge for x in range(image.width() // 4))
        right = any(image.pixelColor(x, middle) == badge for x in range(3 * image.width() // 4, image.width()))
        assert left != right
        return "left" if left else "right"

    assert badge_side() == "left"
    window.deps.session.set_language("ar")
    qtbot.waitUntil(lambda: tile.layoutDirection() == Qt.LayoutDirection.RightToLeft)
    assert badge_side() == "right"


def test_nothing_is_clipped_at_any_text_size_in_any_language(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.deps.journey.choose_life_event("id-and-digital-identity")
    window.deps.journey.choose_service("activate-digital-key")
    search = None
    for step in (0, len(TEXT_STEPS) - 1):
        window.deps.session.set_text_step(step)
        for lang in SHIPPED_LANGUAGES:
            window.deps.session.set_language(lang)
            for name in BROWSE_SCREENS:
                window.show_screen(name)
                if name == "search" and search is None:
                    search = window.screen_widget("search")
                    search.field.setText("certificado")
                    search.run_search()
                assert_nothing_clipped(window, qtbot)
                for tile in window.findChildren(QWidget):
                    if tile.isVisibleTo(window) and hasattr(tile, "painted_texts"):
                        assert tile.height() >= tile.heightForWidth(tile.width()), (name, lang, tile.title_text)


def test_session_end_clears_the_journey_and_drops_the_screens(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.show_screen("services")
    qtbot.mouseClick(window.screen_widget("services").tiles.tiles["driving"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.screen_widget("life-event").tiles.tiles["renew-driving-licence"], Qt.MouseButton.LeftButton)
    journey = window.deps.journey
    assert (journey.life_event_id, journey.service_id) == ("driving", "renew-driving-licence")
    window.deps.session.end("finished")
    assert (journey.life_event_id, journey.service_id) == (None, None)
    assert window.current_screen_name() == "home"
    assert all(window.screen_widget(name) is None for name in BROWSE_SCREENS)


# Icons and pictures ---------------------------------------------------------------------------------------------------
def test_every_life_event_icon_is_drawn_and_unknown_names_fall_back(qapp, services: CatalogProvider) -> None:  # type: ignore[no-untyped-def]
    catalog = services.catalog
    assert catalog is not None
    for event in catalog.life_events:
        assert event.icon in icons.ICONS, event.icon
    fallback = icons.pixmap("no-such-icon", 48, "#000000").toImage()
    assert fallback == icons.pixmap(icons.FALLBACK_ICON, 48, "#000000").toImage()
    assert icons.pixmap("baby", 48, "#000000").toImage() != fallback
    assert "search" in icons.ICONS


@pytest.mark.parametrize("name", BROWSE_SCREENS)
def test_screens_render_in_every_direction_and_size(qapp, shell_deps, services, save_artifact, name) -> None:  # type: ignore[no-untyped-def]
    shell_deps.services = services
    shell_deps.journey.choose_life_event("id-and-digital-identity")
    shell_deps.journey.choose_service("activate-digital-key")
    for lang, step in (("en", 0), ("pt-PT", 0), ("ar", 0), ("en", len(TEXT_STEPS) - 1), ("ar", len(TEXT_STEPS) - 1)):
        image = render_screen(shell_deps, name, lang, SIZE, text_step=step)
        save_artifact(image, f"{name}-{lang}{'-largest' if step else ''}.png")
        colours = {image.pixel(x, y) for x in range(0, image.width(), 8) for y in range(0, image.height(), 8)}
        assert len(colours) > 30, (name, lang, step)


def test_search_results_picture(window: MainWindow, qtbot, save_artifact) -> None:  # type: ignore[no-untyped-def]
    search = open_search(window, qtbot)
    qtbot.keyClicks(focused(), "certidao")
    qtbot.waitUntil(lambda: len(search.results.shown_keys()) > 1, timeout=2000)
    settle()
    save_artifact(window, "search-results-en.png")
    window.deps.session.set_language("ar")
    settle()
    save_artifact(window, "search-results-ar.png")
    assert search.field.hasFocus()
