"""Use a public service: a search button, then one large tile per life event ("Having a baby", "Moving house"), and
a way to find a sent form by its reference or to continue a saved one.

The catalog loads in the background after the first paint, so this screen may open before it is ready: it says
"Loading the services…" and fills in when the provider's `changed` event arrives (through an `EventBridge`, since the
event fires on the loading thread). No life event to show means the catalog failed: the citizen is asked to see staff.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.bridge import EventBridge
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage, TileList, life_event_tile, plain_label
from ui.widgets import FlowLayout, KioskButton


class ServicesScreen(Screen):
    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        self.back_button = self.add_back_button()
        self.add_heading("services.title")
        self.add_label("services.lead", role="lead")
        self.search_button = KioskButton("primary")
        self.bind(self.search_button.set_label, "services.search")
        self.bind_icon(self.search_button, "search", token="primary_text")
        self.search_button.clicked.connect(lambda: context.navigate("search"))
        # A sent form's reference leads to its progress ("where is my application?"): a second, quieter way in.
        self.lookup_button = self.add_button("services.lookup", lambda: context.navigate("lookup"))
        # A form saved to finish later is continued from here too, with the code on its slip.
        self.resume_button = self.add_button("draft.resume_link", lambda: context.navigate("resume-draft"))
        actions = QWidget()
        self.action_row = FlowLayout(actions, spacing=context.px())
        self.action_row.setContentsMargins(0, 0, 0, 0)
        self.action_row.addWidget(self.search_button)
        self.action_row.addWidget(self.lookup_button)
        self.action_row.addWidget(self.resume_button)
        self.body.addWidget(actions)
        self.loading = plain_label("lead")
        self.bind(self.loading.setText, "services.loading")
        self.body.addWidget(self.loading)
        self.unavailable = InlineMessage(context)
        self.bind(self.unavailable.set_text, "services.unavailable")
        self.body.addWidget(self.unavailable)
        self.tiles = TileList(context, self._choose)
        self.body.addWidget(self.tiles)
        self._bridge = EventBridge(context.services.changed, self)
        self._bridge.fired.connect(self._refresh)
        self._refresh()

    def _refresh(self, _payload: object = None) -> None:
        provider = self.context.services
        events = provider.life_events()
        loading = provider.state == "loading"
        self.loading.setVisible(loading)
        self.unavailable.setVisible(not loading and not events)
        self.search_button.setVisible(loading or bool(events))
        self.tiles.set_tiles([life_event_tile(event) for event in events])

    def _choose(self, life_event_id: str) -> None:
        self.context.journey.choose_life_event(life_event_id)
        self.context.navigate("life-event")

    def on_retranslate(self) -> None:
        self.tiles.retranslate()

    def on_restyle(self) -> None:
        self.action_row.set_gap(self.context.px())
        self.tiles.restyle()
        self.unavailable.restyle()

    def first_focus(self) -> QWidget | None:
        return self.back_button
