"""One life event: its title and summary, then one tile per service that belongs to it.

Which life event comes from the session's `Journey` (set by the services screen). The screen is kept while the session
lasts, so it re-reads the journey each time it is shown; without a known life event it asks the citizen to see staff.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.bridge import EventBridge
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage, TileList, definition_text, plain_label, service_tile


class LifeEventScreen(Screen):
    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        self.back_button = self.add_back_button()
        self.heading = plain_label("h1")
        self.summary = plain_label("lead")
        self.body.addWidget(self.heading)
        self.body.addWidget(self.summary)
        self.unavailable = InlineMessage(context)
        self.bind(self.unavailable.set_text, "services.unavailable")
        self.body.addWidget(self.unavailable)
        self.tiles = TileList(context, self._choose)
        self.body.addWidget(self.tiles)
        self._bridge = EventBridge(context.services.changed, self)
        self._bridge.fired.connect(self._refresh)
        self._refresh()

    def _refresh(self, _payload: object = None) -> None:
        provider, lang = self.context.services, self.context.language
        event = provider.life_event(self.context.journey.life_event_id)
        services = provider.services_for(event.id) if event is not None else ()
        self.heading.setVisible(event is not None)
        self.summary.setVisible(event is not None)
        self.unavailable.setVisible(not services)
        if event is not None:
            self.heading.setText(definition_text(event.title, lang))
            self.summary.setText(definition_text(event.summary, lang))
        self.tiles.set_tiles([service_tile(service) for service in services])

    def _choose(self, service_id: str) -> None:
        self.context.journey.choose_service(service_id)
        self.context.navigate("service-start")

    def on_shown(self) -> None:
        self._refresh()  # the citizen may have chosen another life event since this screen was built

    def on_retranslate(self) -> None:
        self._refresh()

    def on_restyle(self) -> None:
        self.tiles.restyle()
        self.unavailable.restyle()

    def first_focus(self) -> QWidget | None:
        return self.back_button
