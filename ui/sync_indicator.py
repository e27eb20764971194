"""The header's delivery indicator: online, offline (saved here, sent later), sending N, or network login needed.

It shows what the last `sync.snapshot.SyncSnapshot` says (`show_snapshot`, connected by the composition root through
`ui.bridge.EventBridge(worker.status_changed)`), in the session's language, as a glyph and a short text: the glyph's
shape differs per state, so the state is never told by colour alone. Before the first snapshot it stays hidden: the
kiosk does not know yet, and saying "online" or "offline" then could be wrong. Its accessible name reads the whole
state ("Connection: Offline — saved here, sent later") and its description says what that means for submissions.
Counts and states only: a snapshot holds nothing personal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

from accessibility.sizing import ReferencePanel
from accessibility.tokens import Theme
from kiosk.i18n import Catalog

if TYPE_CHECKING:
    from sync.snapshot import SyncSnapshot


class SyncIndicator(QFrame):
    def __init__(self, catalog: Catalog, panel: ReferencePanel, theme: Theme) -> None:
        super().__init__()
        self.setObjectName("syncIndicator")
        self._catalog, self._panel, self._theme = catalog, panel, theme
        self._language, self._step = "en", 0
        self.snapshot: SyncSnapshot | None = None
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a status, not a control: nothing happens on activation
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.icon = QLabel()
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(False)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.label, 0, Qt.AlignmentFlag.AlignVCenter)
        self._row = row
        self.hide()

    # Fed by the shell ------------------------------------------------------------------------------------------------
    def show_snapshot(self, snapshot: object) -> None:
        """Show a new `SyncSnapshot` (the bridge's signal carries `object`; anything else is ignored)."""
        from sync.snapshot import SyncSnapshot  # imported with the first snapshot, not at start-up

        if isinstance(snapshot, SyncSnapshot):
            self.snapshot = snapshot
            self._render()

    def apply(self, language: str, step: int) -> None:
        self._language, self._step = language, step
        self._render()

    def set_theme(self, theme: Theme) -> None:
        """Draw the glyph in another theme's header colours (the citizen changed the theme)."""
        self._theme = theme
        self._render()

    def state_text(self) -> str:
        """What the indicator says now ("" before the first snapshot)."""
        return self.label.text() if self.snapshot is not None else ""

    # Inside ----------------------------------------------------------------------------------------------------------
    def _t(self, key: str, **params: object) -> str:
        return self._catalog.t(key, self._language, **params)

    def _render(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        headline = snapshot.headline
        text = self._t(f"sync_indicator.{headline}", n=snapshot.sending)
        self.label.setText(text)
        self.setAccessibleName(self._t("sync_indicator.name", state=text))
        self.setAccessibleDescription(self._t(f"sync_indicator.detail.{headline}"))
        self.label.setAccessibleName(self.accessibleName())
        chrome = self._panel.chrome_px(self._step)
        self._row.setSpacing(max(4, chrome // 3))
        self.icon.setPixmap(glyph(headline, round(chrome * 1.1), self._theme.header_text, self._theme.header_bg))
        self.icon.setAccessibleName(self.accessibleName())
        self.show()
        self.updateGeometry()


def glyph(headline: str, size: int, colour: str, background: str) -> QPixmap:
    """A square glyph per state on a 24-unit grid: waves (online), waves struck through (offline), an arrow going up
    out of a tray (sending), a door with a key hole (a network login)."""
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 24, size / 24)
    ink = QColor(colour)
    p.setPen(_stroke(ink, 2.4))
    if headline in ("online", "offline"):
        for radius in (4.5, 9, 13.5):
            p.drawArc(QRectF(12 - radius, 19 - radius, 2 * radius, 2 * radius), 45 * 16, 90 * 16)
        p.setBrush(ink)
        p.drawEllipse(QPointF(12, 19), 1.6, 1.6)
        if headline == "offline":  # struck through, with a gap cut out around the stroke so it reads at small sizes
            p.setPen(_stroke(QColor(background), 6.5))
            p.drawLine(QPointF(3.5, 3.5), QPointF(20.5, 20.5))
            p.setPen(_stroke(ink, 2.8))
            p.drawLine(QPointF(3.5, 3.5), QPointF(20.5, 20.5))
    elif headline == "sending":
        p.drawLine(QPointF(12, 15), QPointF(12, 3.5))
        p.drawPolyline(QPolygonF([QPointF(6.5, 9), QPointF(12, 3.5), QPointF(17.5, 9)]))
        p.drawPolyline(QPolygonF([QPointF(3.5, 14), QPointF(3.5, 20.5), QPointF(20.5, 20.5), QPointF(20.5, 14)]))
    else:  # captive-portal: a door with a key hole
        p.drawRoundedRect(QRectF(5, 2.5, 14, 19), 1.5, 1.5)
        p.setBrush(ink)
        p.drawEllipse(QPointF(12, 10.5), 2, 2)
        p.drawLine(QPointF(12, 12), QPointF(12, 16))
    p.end()
    return pm


def _stroke(colour: QColor, width: float) -> QPen:
    pen = QPen(colour, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen
