"""The staff queue screen on a real database: rows in plain words (parked first), Retry now, Re-route, an encrypted
Export with masked, wiped passphrase fields, keyboard-only use, and never an answer on screen. Also the Qt-free
presenter (`kiosk.queue_view`): ages, times, and plain words for every reason the sync layer records."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from kiosk.crypto import PayloadCipher
from kiosk.export import ExportError, open_export, server_message_context
from kiosk.outbox import claim_due, record_outcome
from kiosk.outbox_staff import QueueItem
from kiosk.queue_view import PROBLEM_KEYS, QueueService, age_text, clock_text, problem_text, try_export
from kiosk.settings.model import RoutingSettings
from kiosk.storage import open_storage
from sync import breaker
from sync.classify import FAILURES, RULES, Response, classify_response
from tests.helpers import ROOT, queue_submissions
from ui.screens.staff_queue import StaffQueueScreen, staff_queue_factory
from ui.screens.staff_queue_source import database_queue

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CIPHER = PayloadCipher(b"q" * 32)
CANARY = "CANARY-ANSWER-123"
PASSPHRASE = "a long enough passphrase"
ENDPOINTS = ("civil-registry", "civil-registry-2")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A kiosk database with one item in each state staff see, every answer a canary."""
    data = tmp_path / "data"
    with open_storage(data) as storage:
        db = storage.db
        uuids = queue_submissions(db, 6, CIPHER, now=NOW - dt.timedelta(minutes=5), answers={"name": CANARY})
        held, paused, waiting, echoed, delivered, _queued = uuids
        outcomes = {
            held: ("quarantine", "the server rejected the answers (civil-registry)"),
            paused: ("auth-pause", "the server refused the kiosk's credentials (civil-registry)"),
            waiting: ("retry", "the server could not be reached in time (civil-registry)"),
            echoed: ("quarantine", f"the server said {CANARY} (civil-registry)"),  # unknown words are never shown
            delivered: ("ack", "delivered (civil-registry)"),
        }
        for claim in claim_due(db, owner="w", now=NOW, lease_seconds=60, limit=10):
            if claim.submission_uuid not in outcomes:
                continue
            result, reason = outcomes[claim.submission_uuid]
            message = f"field name: {CANARY} is not valid".encode()
            record_outcome(
                db,
                claim.submission_uuid,
                owner="w",
                result=result,  # type: ignore[arg-type]
                now=NOW,
                reason=reason,
                next_attempt_at=NOW + dt.timedelta(minutes=5) if result == "retry" else None,
                receipt="S-1" if result == "ack" else None,
                server_message=CIPHER.seal(message, context=server_message_context(claim.submission_uuid)),
            )
        with db.conn:  # the never-tried item was claimed above with the others: it waits again, unsent
            db.conn.execute("UPDATE outbox SET state = 'queued', attempts = 0 WHERE submission_uuid = ?", [_queued])
        breaker.pause(db, "civil-registry", now=NOW, reason="the server refused the kiosk's credentials")
    return data


@pytest.fixture
def service(data_dir: Path) -> QueueService:
    @contextmanager
    def open_db() -> Iterator[object]:
        with open_storage(data_dir) as storage:
            yield storage.db

    return database_queue(
        open_db,  # type: ignore[arg-type]
        endpoint_names=ENDPOINTS,
        export_dir=data_dir / "exports",
        cipher=lambda: CIPHER,
        routing=RoutingSettings(default="civil-registry"),
        clock=lambda: NOW,
    )


@pytest.fixture
def screen(main_window, service) -> StaffQueueScreen:  # type: ignore[no-untyped-def]
    main_window.deps.registry.register(
        "staff-queue", staff_queue_factory(service, tz=UTC), staff_only=True, replace=True
    )
    main_window.show_staff_queue()
    assert main_window.current_screen_name() == "staff-queue"
    shown = main_window.screen_widget("staff-queue")
    assert isinstance(shown, StaffQueueScreen)
    return shown


def texts(screen: StaffQueueScreen) -> list[str]:
    """Every text the page shows or tells assistive technology."""
    found: list[str] = [screen.window().windowTitle(), screen.page_title]
    for widget in [screen, *screen.findChildren(QWidget)]:
        found += [widget.accessibleName(), widget.accessibleDescription()]
        found += [text for text, _font in getattr(widget, "painted_texts", list)()]
        text = getattr(widget, "text", None)
        if callable(text):
            found.append(str(text()))
    return [text for text in found if text]


def state_of(data_dir: Path, uuid: str) -> str:
    with open_storage(data_dir) as storage:
        return str(storage.db.conn.execute("SELECT state FROM outbox WHERE submission_uuid = ?", [uuid]).fetchone()[0])


def choose(screen: StaffQueueScreen, state: str) -> str:
    row = next(row for row in screen.rows if row.state == state)
    screen.row_options[row.submission_uuid].click()
    assert screen.selected == row.submission_uuid
    return row.submission_uuid


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def test_rows_say_each_state_in_plain_words_parked_first(screen: StaffQueueScreen) -> None:
    states = [row.state for row in screen.rows]
    assert states == ["quarantined", "auth-paused", "quarantined", "retry-scheduled", "queued"]  # delivered: gone
    held, paused, echoed, waiting, queued = screen.rows
    assert held.details.splitlines() == [
        "Held back: needs staff · 11 min · Attempts: 1",
        "The service rejected the answers.",
    ]
    assert paused.details.splitlines()[0].startswith("Paused: credentials refused")
    assert echoed.details.splitlines()[1] == "The service did not accept this submission."
    assert waiting.details.splitlines() == [
        "Next try at \u206612:05\u2069 · 9 min · Attempts: 1",
        "The service could not be reached in time.",
    ]
    assert queued.details == "Waiting to be sent · 6 min · Attempts: 0"
    assert held.title == f"\u2066{held.reference}\u2069 · register-birth"  # no catalog loaded: the service id
    for row in screen.rows:
        option = screen.row_options[row.submission_uuid]
        assert option.accessibleName() == row.spoken
        assert row.title in option.accessibleName() and all(line in row.spoken for line in row.details.splitlines())
    assert screen.summary is not None
    assert screen.summary.text() == "Waiting: 2 · Need attention: 3 · Last delivery: \u206612:00\u2069"
    endpoints = [label.text() for label in screen.findChildren(QWidget) if hasattr(label, "text")]
    assert "\u2066civil-registry\u2069: refused the kiosk's credentials, next try \u206612:30\u2069" in endpoints
    assert "\u2066civil-registry-2\u2069: working" in endpoints


def test_retry_now_queues_a_held_back_item_again(screen: StaffQueueScreen, data_dir: Path, qtbot) -> None:
    uuid = choose(screen, "quarantined")
    assert screen.retry_button is not None and screen.retry_button.isEnabled()
    qtbot.mouseClick(screen.retry_button, Qt.MouseButton.LeftButton)
    assert state_of(data_dir, uuid) == "queued"
    row = next(row for row in screen.rows if row.submission_uuid == uuid)
    assert row.details.startswith("Waiting to be sent")
    assert screen.message_box is not None and "will be sent again now" in screen.message_box.text.text()
    assert screen.selected == uuid and screen.row_options[uuid].hasFocus()


def test_retry_now_on_a_paused_item_resumes_its_endpoint(screen: StaffQueueScreen, data_dir: Path) -> None:
    uuid = choose(screen, "auth-paused")
    screen.retry_now()
    assert state_of(data_dir, uuid) == "queued"
    with open_storage(data_dir) as storage:
        [state] = [s for s in breaker.states(storage.db) if s.endpoint == "civil-registry"]
        assert state.paused_reason is None  # the engine will send to it again at once


def test_an_item_being_sent_cannot_be_retried_or_re_routed(screen: StaffQueueScreen, data_dir: Path) -> None:
    uuid = choose(screen, "queued")
    assert not screen.retry_button.isEnabled()  # type: ignore[union-attr]
    with open_storage(data_dir) as storage:
        claim_due(storage.db, owner="other", now=NOW, lease_seconds=60)  # the worker took it meanwhile
    assert screen.queue.retry_now(uuid) is False and screen.queue.reroute(uuid, "civil-registry-2") is False
    screen.refresh()
    row = next(row for row in screen.rows if row.submission_uuid == uuid)
    assert row.details.startswith("Being sent now") and not row.can_reroute


def test_re_route_sends_the_item_to_the_chosen_endpoint(screen: StaffQueueScreen, data_dir: Path, qtbot) -> None:
    uuid = choose(screen, "quarantined")
    qtbot.mouseClick(screen.reroute_button, Qt.MouseButton.LeftButton)
    assert screen.mode == "reroute" and screen.retry_button is None  # one primary action at a time
    assert list(screen.endpoint_options) == list(ENDPOINTS)
    assert screen.endpoint_options["civil-registry"].hasFocus()
    screen.confirm_reroute()  # nothing chosen yet
    assert screen.mode == "reroute" and "Error: Choose an endpoint first." in texts(screen)
    screen.endpoint_options["civil-registry-2"].click()
    screen.confirm_reroute()
    assert screen.mode == "list"
    with open_storage(data_dir) as storage:
        claims = [c for c in claim_due(storage.db, owner="t", now=NOW, lease_seconds=60) if c.submission_uuid == uuid]
    assert claims[0].endpoint == "civil-registry-2"
    assert any("will be sent to \u2066civil-registry-2\u2069" in text for text in texts(screen))


def test_export_writes_a_file_only_the_passphrase_opens_and_wipes_the_fields(
    screen: StaffQueueScreen, tmp_path: Path, qtbot
) -> None:
    choose(screen, "auth-paused")
    assert not screen.export_button.isEnabled()  # type: ignore[union-attr]  # held-back items only
    uuid = choose(screen, "quarantined")
    qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
    assert screen.mode == "export" and screen.passphrase is not None and screen.passphrase.hasFocus()
    assert screen.passphrase.echoMode() == QLineEdit.EchoMode.Password
    assert screen.repeat is not None and screen.repeat.echoMode() == QLineEdit.EchoMode.Password
    assert screen.folder is not None and screen.folder.text() == str(screen.queue.export_dir)
    # Different passphrases: refused, both fields emptied.
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    qtbot.keyClicks(screen.repeat, PASSPHRASE + "x")
    screen.confirm_export()
    assert screen.mode == "export" and "Error: The two passphrases are different. Type them again." in texts(screen)
    assert screen.window().windowTitle() == "Error: Delivery queue – Citizen Spot"
    assert screen.passphrase.text() == "" and screen.repeat.text() == ""
    assert screen.passphrase.property("error") == "true"
    # The same twice, to a folder of staff's choice.
    screen.folder.setText(str(tmp_path / "usb"))
    # Qt keeps no undo history in Password mode; shown as plain text it would, and the wipe must still hold.
    screen.passphrase.setEchoMode(QLineEdit.EchoMode.Normal)
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    qtbot.keyClicks(screen.repeat, PASSPHRASE)
    assert screen.passphrase.isUndoAvailable()
    typed = (screen.passphrase, screen.repeat)
    qtbot.keyClick(screen.repeat, Qt.Key.Key_Return)
    for field in typed:  # wiped at once, and Qt's undo cannot bring the passphrase back
        assert field.text() == "" and not field.isUndoAvailable()
        field.undo()
        assert field.text() == ""
    [path] = (tmp_path / "usb").iterdir()
    assert open_export(path, PASSPHRASE)["submission_uuid"] == uuid
    with pytest.raises(ExportError):
        open_export(path, "another long passphrase")
    assert screen.mode == "list" and screen.passphrase is None
    assert any(str(path) in text for text in texts(screen))
    assert not any(PASSPHRASE in text for text in texts(screen))


def test_a_short_passphrase_is_refused_on_the_screen(screen: StaffQueueScreen, tmp_path: Path, qtbot) -> None:
    choose(screen, "quarantined")
    screen.start_export()
    assert screen.folder is not None and screen.passphrase is not None and screen.repeat is not None
    screen.folder.setText(str(tmp_path / "usb"))
    qtbot.keyClicks(screen.passphrase, "short")
    qtbot.keyClicks(screen.repeat, "short")
    screen.confirm_export()
    assert "Error: The passphrase must have at least 12 characters." in texts(screen)
    assert screen.folder.text() == str(tmp_path / "usb")  # kept: it is not a secret
    assert "Error: The passphrase must have at least 12 characters." in screen.passphrase.accessibleDescription()
    assert not (tmp_path / "usb").exists()


def test_export_problems_are_told_in_words(service: QueueService, data_dir: Path, tmp_path: Path) -> None:
    [held] = [item.submission_uuid for item in service.view().items if item.state == "quarantined"][:1]
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    assert try_export(service, held, PASSPHRASE, PASSPHRASE, a_file).problem == "staff_queue.export.failed"
    keyless = database_queue(service._open_db, endpoint_names=ENDPOINTS, export_dir=tmp_path, cipher=lambda: None)
    assert try_export(keyless, held, PASSPHRASE, PASSPHRASE, tmp_path).problem == "staff_queue.export.no_key"
    other_key = database_queue(
        service._open_db, endpoint_names=ENDPOINTS, export_dir=tmp_path, cipher=lambda: PayloadCipher(b"z" * 32)
    )
    assert try_export(other_key, held, PASSPHRASE, PASSPHRASE, tmp_path).problem == "staff_queue.export.unreadable"
    assert try_export(service, held, "short", "short", tmp_path).params == {"n": 12}
    assert not list(tmp_path.glob("*.kiosk-export"))


def test_escape_closes_the_panel_and_wipes_what_was_typed(screen: StaffQueueScreen, main_window, qtbot) -> None:
    choose(screen, "quarantined")
    screen.start_export()
    field = screen.passphrase
    assert field is not None
    qtbot.keyClicks(field, PASSPHRASE)
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert screen.mode == "list" and main_window.current_screen_name() == "staff-queue"
    assert field.text() == "" and not field.isUndoAvailable()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert main_window.current_screen_name() == "home"


def test_keyboard_only_reaches_the_list_and_every_action(screen: StaffQueueScreen, data_dir: Path, qtbot) -> None:
    screen.back_button.setFocus()
    visited: list[QWidget] = []
    for _ in range(40):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    first = screen.row_options[screen.rows[0].submission_uuid]
    actions = [screen.retry_button, screen.reroute_button, screen.export_button, screen.refresh_button]
    assert first in visited and all(action in visited for action in actions)
    assert visited.index(first) < min(visited.index(action) for action in actions)  # the list, then its actions
    assert sum(1 for option in screen.row_options.values() if option in visited) == 1  # the list is one Tab stop
    # Arrow keys choose a row; Tab then Enter acts on it.
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Down)
    second = screen.rows[1]
    assert screen.selected == second.submission_uuid and screen.row_options[second.submission_uuid].hasFocus()
    assert not screen.export_button.isEnabled()  # type: ignore[union-attr]  # paused, not held back
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is screen.retry_button
    qtbot.keyClick(screen.retry_button, Qt.Key.Key_Return)
    assert state_of(data_dir, second.submission_uuid) == "queued"


def test_no_answer_or_server_message_ever_reaches_the_screen(screen: StaffQueueScreen, main_window, qtbot) -> None:
    seen: list[str] = []

    def look() -> None:
        settle()
        seen.extend(texts(screen))
        seen.append(main_window.windowTitle())

    look()
    choose(screen, "quarantined")
    screen.start_reroute()
    look()
    screen.close_panel()
    screen.start_export()
    look()
    screen.close_panel()
    screen.retry_now()
    look()
    main_window.deps.session.set_language("ar")
    look()
    assert seen and not [text for text in seen if CANARY in text or "not valid" in text]


def test_the_page_follows_the_language_and_an_unreadable_database_is_told(main_window, qtbot) -> None:
    class Broken:
        endpoint_names = ("x",)
        export_dir = Path("/nowhere")

        def view(self):  # type: ignore[no-untyped-def]
            raise OSError("disk gone")

    main_window.deps.registry.register("staff-queue", staff_queue_factory(Broken()), replace=True)  # type: ignore[arg-type]
    main_window.show_staff_queue()
    screen = main_window.screen_widget("staff-queue")
    assert "The queue cannot be read at the moment. Check the staff notices." in texts(screen)
    main_window.deps.session.set_language("pt-PT")
    assert "Neste momento não é possível ler a fila. Veja os avisos para funcionários." in texts(screen)
    assert screen.page_title == "Fila de envio"


def test_the_default_registry_shows_a_sample_queue_for_pictures(main_window) -> None:
    main_window.show_staff_queue()
    screen = main_window.screen_widget("staff-queue")
    assert main_window.deps.registry.spec("staff-queue").staff_only
    assert {row.state for row in screen.rows} >= {"quarantined", "auth-paused", "retry-scheduled", "queued"}
    assert screen.queue.retry_now(screen.rows[0].submission_uuid) is False  # a picture changes nothing


# The presenter -------------------------------------------------------------------------------------------------------
def t(key: str, **params: object) -> str:
    from kiosk.i18n import Catalog

    return Catalog.load(languages=("en",)).t(key, "en", **params)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "just now"),
        (59, "just now"),
        (60, "1 min"),
        (3599, "59 min"),
        (7200, "2 h"),
        (86400, "1 day"),
        (3 * 86400 + 5, "3 days"),
    ],
)
def test_ages_read_plainly(seconds: int, text: str) -> None:
    created = (NOW - dt.timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")
    assert age_text(created, NOW, t) == text


def test_times_are_local_and_name_the_day_when_it_is_not_today() -> None:
    lisbon_summer = dt.timezone(dt.timedelta(hours=1))
    assert clock_text("2026-11-28T10:42:00.000Z", NOW, UTC) == "10:42"
    assert clock_text("2026-11-28T10:42:00.000Z", NOW, lisbon_summer) == "11:42"
    assert clock_text("2026-11-27T23:05:00.000Z", NOW, UTC) == "27/11 23:05"
    assert clock_text(None, NOW) == ""


def sync_reasons() -> set[str]:
    """Every reason the sync layer records: the classification table, transport failures, and the engine's own."""
    reasons = {reason for _match, _outcome, reason, _breaker in RULES} | {reason for reason, _ in FAILURES.values()}
    reasons.add(classify_response(Response(200, {}, b"<html>login</html>"), "u", now=NOW).reason)
    source = (ROOT / "sync" / "engine.py").read_text(encoding="utf-8")
    reasons |= set(re.findall(r'Classified\(Outcome\.\w+, "([^"]+)"', source))
    reasons |= set(re.findall(r'\n    reason = "([^"]+)"', source))
    return reasons


def test_every_reason_the_sync_layer_records_has_plain_words() -> None:
    reasons = sync_reasons()
    assert len(reasons) >= 18
    assert reasons <= set(PROBLEM_KEYS), reasons - set(PROBLEM_KEYS)
    for reason in reasons:
        item = QueueItem(
            "u", "R-1", "s", "t", None, "retry-scheduled", 1, "", "", None, f"{reason} (civil-registry)", None
        )
        assert problem_text(item, t) == t(f"staff_queue.problem.{PROBLEM_KEYS[reason]}")


def test_words_not_on_the_list_are_never_shown() -> None:
    item = QueueItem("u", "R-1", "s", "t", None, "quarantined", 1, "", "", None, f"{CANARY} (x)", None)
    assert problem_text(item, t) == "The service did not accept this submission."
    assert problem_text(item._replace(state="retry-scheduled"), t) == "The last attempt did not go through."
    assert problem_text(item._replace(last_error=None), t) == ""
