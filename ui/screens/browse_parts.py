"""Pieces the catalog-browsing screens share: tiles that lead on, an inline message, a bullet list, definition text.

Catalog texts (life events, services) come from the definitions, in the session's language through `Text.t`, falling
back to English where a definition has no translation. Such a text keeps its own direction inside a mirrored Arabic
screen: it is wrapped in Unicode isolates, so "Register a birth." keeps its full stop at the end, after a mark of the
screen's direction, so the paragraph still lines up with the rest of the screen (a QLabel aligns plain text by the
direction of its first strong character, and the isolate hides those).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from accessibility.speech import remember_language
from kiosk.i18n import is_rtl
from ui import icons
from ui.screens.entry import EntryButton

if TYPE_CHECKING:
    from kiosk.catalog.model import LifeEvent, Service, Text
    from ui.screens.base import ScreenContext

FIRST_STRONG_ISOLATE, POP_ISOLATE = "\u2068", "\u2069"
LEFT_TO_RIGHT_MARK, RIGHT_TO_LEFT_MARK = "\u200e", "\u200f"
BADGE_TOKEN = "accent"  # life-event badges in blue: green stays the colour of the one primary action on a screen


def definition_text(text: Text, lang: str) -> str:
    """`text` in `lang` (or its fallback); isolated, after a mark of the screen's direction, when its own direction
    differs from the screen's."""
    found = text.get(lang)
    if found.lang != lang:
        remember_language(found.text, found.lang)  # read aloud speaks a fallback text in its own language's voice
    if is_rtl(found.lang) == is_rtl(lang):
        return found.text
    mark = RIGHT_TO_LEFT_MARK if is_rtl(lang) else LEFT_TO_RIGHT_MARK
    return f"{mark}{FIRST_STRONG_ISOLATE}{found.text}{POP_ISOLATE}"


def plain_label(role: str = "body") -> QLabel:
    """A wrapping label for definition text: plain text always, so a definition is never read as rich text."""
    label = QLabel()
    label.setProperty("role", role)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class TileSpec(NamedTuple):
    """One tile: what it leads to (`key`), its badge icon (None: none), its texts, and whether it needs a connection."""

    key: str
    icon: str | None
    title: Text
    summary: Text
    needs_connection: bool = False


def life_event_tile(event: LifeEvent) -> TileSpec:
    return TileSpec(event.id, event.icon, event.title, event.summary)


def service_tile(service: Service) -> TileSpec:
    return TileSpec(service.id, None, service.title, service.summary, service.needs_connection)


class TileList(QWidget):
    """A column of large tiles (`EntryButton`s). Tapping one calls `on_choose(key)`.

    The tiles are rebuilt only when the list of keys changes; a language or text-size change updates them in place.
    New tiles join the end of the focus chain, which is where they are on screen (nothing focusable follows them).
    """

    def __init__(self, context: ScreenContext, on_choose: Callable[[str], None]) -> None:
        super().__init__()
        self.context = context
        self._on_choose = on_choose
        self._specs: tuple[TileSpec, ...] = ()
        self.tiles: dict[str, EntryButton] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.restyle()

    def set_tiles(self, specs: Sequence[TileSpec]) -> None:
        specs = tuple(specs)
        if [s.key for s in specs] != [s.key for s in self._specs]:
            for tile in self.tiles.values():
                self._layout.removeWidget(tile)
                tile.hide()
                tile.deleteLater()
            self.tiles = {}
            for spec in specs:
                tile = EntryButton(spec.icon, BADGE_TOKEN)
                tile.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
                tile.setMinimumHeight(self.context.panel.primary_target_px)
                tile.clicked.connect(lambda _=False, key=spec.key: self._on_choose(key))
                tile.apply_metrics(self.context)
                self._layout.addWidget(tile)
                self.tiles[spec.key] = tile
        self._specs = specs
        self.retranslate()
        self.setVisible(bool(specs))

    def shown_keys(self) -> list[str]:
        """The keys of the tiles shown, in screen order."""
        return [spec.key for spec in self._specs]

    def retranslate(self) -> None:
        lang = self.context.language
        note = self.context.t("services.needs_connection")
        for spec in self._specs:
            title, summary = definition_text(spec.title, lang), definition_text(spec.summary, lang)
            self.tiles[spec.key].set_texts(title, summary, note if spec.needs_connection else "")
        for tile in self.tiles.values():
            tile.apply_metrics(self.context)  # the chevron points the reading direction

    def restyle(self) -> None:
        self._layout.setSpacing(self.context.px() * 3 // 4)
        for tile in self.tiles.values():
            tile.apply_metrics(self.context)


class InlineMessage(QFrame):
    """A polite message in an info box with an icon ("Loading…", "No services match", "needs a connection")."""

    def __init__(self, context: ScreenContext, icon: str = "info") -> None:
        super().__init__()
        self.context = context
        self.icon_name = icon
        self.setProperty("role", "inline-message")
        self._row = QHBoxLayout(self)
        self.icon = plain_label()  # shows a pixmap; plain text all the same, like every label of these screens
        self.icon.setWordWrap(False)
        self.text = plain_label()
        self._row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        self._row.addWidget(self.text, 1)
        self.restyle()

    def set_text(self, text: str) -> None:
        self.text.setText(text)

    def restyle(self) -> None:
        body = self.context.px()
        self._row.setContentsMargins(body, body * 3 // 4, body, body * 3 // 4)
        self._row.setSpacing(body * 3 // 4)
        size = round(body * 1.5)
        self.icon.setPixmap(icons.pixmap(self.icon_name, size, self.context.theme.info_accent))


class BulletList(QWidget):
    """A list of short texts, each after a round bullet (the list mirrors with the layout in right-to-left)."""

    def __init__(self, context: ScreenContext) -> None:
        super().__init__()
        self.context = context
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.items: list[QLabel] = []
        self._rows: list[QWidget] = []
        self._bullets: list[QLabel] = []

    def set_items(self, texts: Sequence[str]) -> None:
        while len(self._rows) > len(texts):
            row = self._rows.pop()
            self.items.pop()
            self._bullets.pop()
            self._layout.removeWidget(row)
            row.deleteLater()
        while len(self._rows) < len(texts):
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            bullet, label = plain_label(), plain_label()
            bullet.setWordWrap(False)
            line.addWidget(bullet, 0, Qt.AlignmentFlag.AlignTop)
            line.addWidget(label, 1)
            self._layout.addWidget(row)
            self._rows.append(row)
            self._bullets.append(bullet)
            self.items.append(label)
        for label, text in zip(self.items, texts, strict=True):
            label.setText(text)
        self.restyle()

    def texts(self) -> list[str]:
        return [label.text() for label in self.items]

    def restyle(self) -> None:
        body = self.context.px()
        self._layout.setSpacing(body // 3)
        # A drawn dot, centred on the first line's x-height (a typed bullet would depend on the font).
        line_height = round(body * 1.4)
        dot = icons.pixmap("bullet", line_height, self.context.theme.text)
        for bullet, row in zip(self._bullets, self._rows, strict=True):
            bullet.setPixmap(dot)
            row_layout = row.layout()
            if row_layout is not None:
                row_layout.setSpacing(body // 2)
