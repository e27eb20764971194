"""Search for a service: a labelled field, and results that follow what the citizen types.

Results are searched in the session's language (`CatalogProvider.search`), 200 ms after the last key press (one
single-shot timer restarted on each change), so typing stays smooth and the list does not flicker on every letter.
Kiosk rules for the field: no context menu (no copy/paste way out), and it is never emptied with `clear()` (undoable):
at the end of a session the shell drops this screen and builds a fresh one, so no text survives.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from ui.bridge import EventBridge
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage, TileList, plain_label, service_tile

DEBOUNCE_MS = 200
MAX_QUERY_CHARS = 80  # longer than any service's words; a cap keeps a stuck key from building a huge query
MAX_RESULTS = 10


class SearchScreen(Screen):
    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        self.back_button = self.add_back_button()
        self.add_heading("search.title")
        # Label, hint and field read as one group: closer to each other than to the rest of the page.
        self.field_group = QVBoxLayout()
        self.label = plain_label("title")  # the field's visible label, above it (a placeholder is not a label)
        self.bind(self.label.setText, "search.label")
        self.hint = plain_label("muted")
        self.bind(self.hint.setText, "search.hint")
        self.field = QLineEdit()
        self.field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.field.setMaxLength(MAX_QUERY_CHARS)
        self.field.setInputMethodHints(Qt.InputMethodHint.ImhNoPredictiveText)
        self.label.setBuddy(self.field)  # the label names the field for assistive technology too
        self.bind(self.field.setAccessibleName, "search.label")
        self.bind(self.field.setAccessibleDescription, "search.hint")
        for widget in (self.label, self.hint, self.field):
            self.field_group.addWidget(widget)
        self.body.addLayout(self.field_group)
        self.loading = plain_label("lead")
        self.bind(self.loading.setText, "services.loading")
        self.body.addWidget(self.loading)
        self.no_results = InlineMessage(context)
        self.bind(self.no_results.set_text, "search.no_results")
        self.body.addWidget(self.no_results)
        self.results = TileList(context, self._choose)
        self.body.addWidget(self.results)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_search)
        self.field.textChanged.connect(lambda _text: self._timer.start())
        self.field.returnPressed.connect(self.run_search)  # Enter searches at once
        self._bridge = EventBridge(context.services.changed, self)
        self._bridge.fired.connect(self.run_search)
        self.on_restyle()
        self.run_search()

    @property
    def search_pending(self) -> bool:
        return self._timer.isActive()

    def run_search(self, _payload: object = None) -> None:
        self._timer.stop()
        provider = self.context.services
        query = self.field.text().strip()
        loading = provider.state == "loading"
        found = provider.search(query, lang=self.context.language, limit=MAX_RESULTS) if query else []
        self.loading.setVisible(bool(query) and loading)
        self.no_results.setVisible(bool(query) and not loading and not found)
        self.results.set_tiles([service_tile(service) for service in found])

    def _choose(self, service_id: str) -> None:
        self.context.journey.choose_service(service_id)
        self.context.navigate("service-start")

    def on_retranslate(self) -> None:
        self.run_search()  # the citizen's language weighs the ranking; tiles take the new language

    def on_restyle(self) -> None:
        self.field_group.setSpacing(self.context.px() // 3)
        self.results.restyle()
        self.no_results.restyle()

    def first_focus(self) -> QWidget | None:
        return self.field
