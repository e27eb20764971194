"""The header's delivery indicator: each headline state's text, glyph and accessible name, and live updates."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtGui import QFontMetricsF, QImage

from accessibility.sizing import TEXT_STEPS
from kiosk.events import Event
from sync.snapshot import SyncSnapshot
from ui.bridge import EventBridge

STATES = [
    (SyncSnapshot(connectivity="online", pending=2), "online", "Online"),
    (SyncSnapshot(connectivity="offline", pending=5), "offline", "Offline — saved here, sent later"),
    (SyncSnapshot(connectivity="online", sending=3, pending=3), "sending", "Sending 3"),
    (SyncSnapshot(connectivity="captive-portal"), "captive-portal", "Network login needed"),
]


def glyph_mask(window) -> frozenset[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Where the glyph is drawn in its ink (the header's text colour): its shape, whatever the colours."""
    image: QImage = window.header.sync.icon.pixmap().toImage()
    ink = window.theme.header_text
    return frozenset(
        (x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200 and image.pixelColor(x, y).name() == ink
    )


def test_nothing_is_claimed_before_the_first_snapshot(main_window) -> None:
    indicator = main_window.header.sync
    assert not indicator.isVisible()
    assert indicator.state_text() == ""
    indicator.show_snapshot("not a snapshot")  # the bridge's signal carries `object`: anything else is ignored
    assert not indicator.isVisible()


@pytest.mark.parametrize(("snapshot", "headline", "text"), STATES, ids=[s[1] for s in STATES])
def test_each_state_shows_its_text_glyph_and_accessible_name(main_window, catalog, snapshot, headline, text) -> None:
    main_window.show_sync(snapshot)
    indicator = main_window.header.sync
    assert indicator.isVisible()
    assert indicator.label.text() == text == indicator.state_text()
    assert indicator.accessibleName() == f"Connection: {text}"
    assert indicator.accessibleDescription() == catalog.t(f"sync_indicator.detail.{headline}", "en")
    assert not indicator.icon.pixmap().isNull()


def test_the_states_differ_by_glyph_shape_not_colour_alone(main_window) -> None:
    masks = []
    for snapshot, _headline, _text in STATES:
        main_window.show_sync(snapshot)
        masks.append(glyph_mask(main_window))
    assert all(len(mask) > 20 for mask in masks)
    for i, first in enumerate(masks):  # every pair differs in a good part of its shape, drawn in the same ink
        for second in masks[i + 1 :]:
            assert len(first ^ second) > min(len(first), len(second)) // 4


def test_unknown_connectivity_reads_as_offline_not_online(main_window) -> None:
    main_window.show_sync(SyncSnapshot())
    assert main_window.header.sync.label.text() == "Offline — saved here, sent later"


def test_snapshots_from_the_worker_thread_update_it_through_the_bridge(main_window, qtbot) -> None:
    status_changed: Event[SyncSnapshot] = Event("sync-status-changed")  # as SyncWorker.status_changed
    bridge = EventBridge(status_changed, main_window)
    bridge.fired.connect(main_window.show_sync)
    indicator = main_window.header.sync
    for snapshot, _headline, text in STATES:
        worker = threading.Thread(target=status_changed.emit, args=(snapshot,))
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda text=text: indicator.label.text() == text)
        assert indicator.accessibleName().endswith(text)


def test_it_follows_the_language_and_the_text_size(main_window, catalog, panel) -> None:
    main_window.show_sync(SyncSnapshot(connectivity="online", sending=4))
    session = main_window.deps.session
    session.set_language("pt-PT")
    indicator = main_window.header.sync
    assert indicator.label.text() == catalog.t("sync_indicator.sending", "pt-PT", n=4) == "A enviar 4"
    assert indicator.accessibleName() == "Ligação: A enviar 4"
    small = indicator.icon.pixmap().width()
    session.set_text_step(len(TEXT_STEPS) - 1)
    assert indicator.icon.pixmap().width() > small
    assert panel.meets_large_text(QFontMetricsF(indicator.label.font()).capHeight())


def test_a_session_end_keeps_the_delivery_state(main_window) -> None:
    main_window.show_sync(SyncSnapshot(connectivity="captive-portal"))
    main_window.deps.session.end("finished")
    assert main_window.header.sync.label.text() == "Network login needed"  # not personal: the next citizen sees it
