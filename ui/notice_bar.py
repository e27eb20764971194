"""The staff notice bar: what staff must know now, in the screen's language, with an icon and a text label.

It shows `NoticeBoard` notices as `notice.<kind>` texts; it is hidden while there are none. Notices may be posted from
any thread, so the shell feeds this bar through `ui.bridge.EventBridge`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from accessibility.sizing import ReferencePanel
from accessibility.tokens import Theme
from kiosk.i18n import Catalog
from kiosk.notices import StaffNotice
from ui import icons

log = logging.getLogger(__name__)


class NoticeBar(QFrame):
    def __init__(self, catalog: Catalog, panel: ReferencePanel, theme: Theme) -> None:
        super().__init__()
        self.setObjectName("noticeBar")
        self._catalog, self._panel, self._theme = catalog, panel, theme
        self._notices: tuple[StaffNotice, ...] = ()
        self._language = "en"
        self._step = 0
        self._column = column = QVBoxLayout(self)
        row = QHBoxLayout()
        self.icon = QLabel()
        self.label = QLabel()
        self.label.setProperty("role", "title")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self._texts = QVBoxLayout()
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.label, 1, Qt.AlignmentFlag.AlignVCenter)
        column.addLayout(row)
        column.addLayout(self._texts)
        self._row = row
        self.text_labels: list[QLabel] = []
        self.hide()

    def set_notices(self, notices: tuple[StaffNotice, ...]) -> None:
        self._notices = tuple(notices)
        self._render()

    def apply(self, language: str, step: int) -> None:
        self._language, self._step = language, step
        self._render()

    def set_theme(self, theme: Theme) -> None:
        """Draw the warning icon in another theme's colours (the citizen changed the theme)."""
        self._theme = theme
        self._render()

    def texts(self) -> list[str]:
        """The notice texts as shown (for tests and the staff screen)."""
        return [label.text() for label in self.text_labels]

    def _text(self, notice: StaffNotice) -> str:
        try:
            # Paths and codes are isolated from the surrounding text, so they read correctly in Arabic too.
            params = {key: f"\u2068{value}\u2069" for key, value in notice.params.items()}
            return self._catalog.t(f"notice.{notice.kind}", self._language, **params)
        except (KeyError, IndexError, ValueError):
            # An untranslated kind or a missing parameter: staff still get the plain-English summary.
            log.warning("notice kind %s has no usable text; showing its summary", notice.kind)
            return notice.summary

    def _render(self) -> None:
        while len(self.text_labels) > len(self._notices):
            self.text_labels.pop().deleteLater()
        if not self._notices:
            # Hidden: nothing to size or draw (the usual state at start-up); the next notice renders everything.
            self.hide()
            return
        while len(self.text_labels) < len(self._notices):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
            self._texts.addWidget(label)
            self.text_labels.append(label)
        for label, notice in zip(self.text_labels, self._notices, strict=True):
            label.setText(self._text(notice))
        body = self._panel.chrome_px(self._step)
        self._column.setContentsMargins(body, body // 2, body, body // 2)
        self._column.setSpacing(body // 4)
        self._row.setSpacing(body // 2)
        self._texts.setSpacing(body // 4)
        self.icon.setPixmap(icons.pixmap("warning", round(body * 1.4), self._theme.notice_accent))
        self.label.setText(self._catalog.t("notice.label", self._language))
        self.show()
