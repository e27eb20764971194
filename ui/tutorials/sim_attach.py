"""The `attach` simulation: a practice "Add a document" page with a folder of documents, Attach, and the slot.

The page says what the form asks for, shows the slot ("No document attached yet", or the attached document with its
type icon and *Remove*), the learner's folder of made-up documents (one radio group: Tab enters it once, the arrow
keys choose, Enter attaches, as Enter continues on a question page) and *Attach*. Attaching reports
`Attached(document)`; the engine's answer says whether it was the one asked for, with the document's own feedback
when it was not. A wrongly attached document stays in the slot, as on a real site, until another replaces it or
*Remove* takes it out. Attach with nothing chosen is the simulated site's own check ("Choose a document first"), not
a mistake: nothing is reported. Nothing is read from or written to disk: the documents are names in the tutorial.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QVBoxLayout

from tutorials.actions import Attached
from tutorials.model import AttachSimulation, Document, Frame, Simulation
from ui import icons
from ui.forms.painted import FOCUS_RING_PX, RadioOption, longest_word, wrapped_height
from ui.screens.browse_parts import definition_text, plain_label
from ui.tutorials.simulations import Act, SimulatedScreen, SimulationContext, register
from ui.widgets import KioskButton

if TYPE_CHECKING:
    from kiosk.catalog.model import Text
    from ui.screens.base import ScreenContext

_LEADING = (Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft).value | Qt.TextFlag.TextWordWrap.value


def _pen(colour: QColor, width: float = 2.0) -> QPen:
    pen = QPen(colour, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _page(p: QPainter, colour: QColor) -> None:
    """A page with a folded corner (24-unit grid), as `ui.icons`' document."""
    p.setPen(_pen(colour))
    path = QPainterPath(QPointF(5, 2.5))
    for x, y in ((14, 2.5), (19, 7.5), (19, 21.5), (5, 21.5)):
        path.lineTo(x, y)
    path.closeSubpath()
    p.drawPath(path)
    p.drawPolyline(QPolygonF([QPointF(14, 2.5), QPointF(14, 7.5), QPointF(19, 7.5)]))


def _draw_type(p: QPainter, kind: str, colour: QColor) -> None:
    """The document type's icon, beside its name and type in words: a PDF (a page with a label band), a photo (a
    frame with a hill and the sun), anything else a page with lines of text."""
    if kind == "photo":
        p.setPen(_pen(colour))
        p.drawRoundedRect(QRectF(2.5, 4.5, 19, 15), 2, 2)
        p.drawPolyline(
            QPolygonF([QPointF(4, 18), QPointF(10, 11), QPointF(14, 15), QPointF(16.5, 12.5), QPointF(20.5, 17)])
        )
        p.drawEllipse(QPointF(16.5, 8.5), 1.8, 1.8)
        return
    _page(p, colour)
    if kind == "pdf":  # a label band across the page, as file icons mark a PDF (the hint names the type in words)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawRoundedRect(QRectF(2, 11, 16, 7.5), 1.2, 1.2)
        # Three short strokes are cut out of the band: the page's own background shows through them.
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
        for x in (4.5, 9, 13.5):
            p.drawRect(QRectF(x, 13.5, 2.5, 2.5))
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        return
    for y in (11.5, 15, 18.5):
        p.drawLine(QPointF(8.5, y), QPointF(15.5, y))


def type_pixmap(kind: str, size: int, colour: str) -> QPixmap:
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 24, size / 24)
    _draw_type(p, kind, QColor(colour))
    p.end()
    return pm


class DocumentOption(RadioOption):
    """A document of the folder: the radio circle, the type icon, the name, and the type as its hint."""

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document = document
        self._icon_colours = ("#000000", "#000000")

    def apply_metrics(self, context: ScreenContext) -> None:
        super().apply_metrics(context)
        theme = context.theme
        self._icon_colours = (theme.text, theme.focus_text)

    def _lead(self) -> int:
        """Room before the texts: the circle, a gap, the type icon, a gap."""
        return 2 * self._indicator + 2 * self._gap

    def _text_width(self, width: int) -> int:
        return max(1, width - 2 * self._pad - self._lead())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        texts = (self.label_text, self.hint_text)
        widest = max(QFontMetrics(self._font).horizontalAdvance(t) for t in texts) + 4
        width = 2 * self._pad + self._lead() + widest
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        words = longest_word(self._font, self.label_text, self.hint_text)
        return QSize(2 * self._pad + self._lead() + words, self.minimumHeight())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        width, height = self.width(), self.height()
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        focused = self.hasFocus()
        colours = self._colours
        ink = colours.focus_text if focused else colours.text
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if focused:
            p.fillRect(self.rect(), colours.focus_bg)
            half = FOCUS_RING_PX / 2
            p.setPen(QPen(colours.ring, FOCUS_RING_PX))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(half, half, width - FOCUS_RING_PX, height - FOCUS_RING_PX))
        size = self._indicator
        first_line = QFontMetrics(self._font).height()
        top = self._pad + max(0, (first_line - size) // 2)
        circle_x = width - self._pad - size if rtl else self._pad
        icon_x = circle_x - self._gap - size if rtl else circle_x + size + self._gap
        self._paint_indicator(p, QRectF(circle_x, top, size, size), ink)
        p.drawPixmap(icon_x, top, type_pixmap(self.document.type, size, self._icon_colours[1 if focused else 0]))
        text_w = self._text_width(width)
        text_x = self._pad if rtl else self._pad + self._lead()
        text_y = self._pad + max(0, (size - first_line) // 2)
        label_h = wrapped_height(self._font, text_w, self.label_text)
        align = _LEADING | (Qt.AlignmentFlag.AlignRight.value if rtl else 0)
        p.setPen(ink)
        p.setFont(self._font)
        p.drawText(QRect(text_x, text_y, text_w, label_h), align, self.label_text)
        if self.hint_text:
            p.setPen(ink if focused else colours.muted)
            p.setFont(self._hint_font)
            hint_h = wrapped_height(self._hint_font, text_w, self.hint_text)
            p.drawText(QRect(text_x, text_y + label_h + self._gap // 2, text_w, hint_h), align, self.hint_text)
        p.end()


class AttachScreen(SimulatedScreen):
    simulation: AttachSimulation

    def __init__(self, simulation: Simulation, context: SimulationContext, act: Act) -> None:
        assert isinstance(simulation, AttachSimulation)
        super().__init__(simulation, context, act)
        self.attached: Document | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.heading = plain_label("h2")
        self.asked = plain_label("body")
        column.addWidget(self.heading)
        column.addWidget(self.asked)
        # The slot: what is attached now, and Remove.
        self.slot = QFrame()
        self.slot.setProperty("role", "summary-row")
        slot_row = QHBoxLayout(self.slot)
        slot_row.setContentsMargins(0, 0, 0, 0)
        self.slot_icon = QLabel()
        self.slot_text = plain_label("title")
        self.remove_button = KioskButton()
        self.remove_button.clicked.connect(self.remove)
        slot_row.addWidget(self.slot_icon, 0, Qt.AlignmentFlag.AlignTop)
        slot_row.addWidget(self.slot_text, 1)
        slot_row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addWidget(self.slot)
        # The folder: one radio group of documents.
        self.folder = QFrame()
        self.folder.setProperty("role", "attach-folder")
        folder_column = QVBoxLayout(self.folder)
        folder_column.setContentsMargins(0, 0, 0, 0)
        self.folder_title = plain_label("title")
        folder_column.addWidget(self.folder_title)
        self.group = QButtonGroup(self)
        self.options: dict[str, DocumentOption] = {}
        for document in simulation.documents:
            option = DocumentOption(document)
            option.enter_pressed.connect(self.attach)
            self.group.addButton(option)
            folder_column.addWidget(option, 0, Qt.AlignmentFlag.AlignLeading)
            self.options[document.id] = option
        column.addWidget(self.folder)
        # The simulated site's own check: Attach with nothing chosen.
        self.site_error = plain_label("error")
        self.site_error.hide()
        column.addWidget(self.site_error)
        self.attach_button = KioskButton("primary")
        self.attach_button.clicked.connect(self.attach)
        row = QHBoxLayout()
        row.addWidget(self.attach_button)
        row.addStretch(1)
        column.addLayout(row)
        self.controls = {**self.options, "attach": self.attach_button, "folder": self.folder}
        for control_id, widget in (*self.controls.items(), ("remove", self.remove_button)):
            widget.setObjectName(f"sim-{control_id}")
            widget.setProperty("control", control_id)
        self.retranslate()

    # Texts and sizes -------------------------------------------------------------------------------------------------
    def _text(self, value: Text | None) -> str:
        return definition_text(value, self.context.screen.language) if value is not None else ""

    def type_name(self, document: Document) -> str:
        kind = document.type if document.type in ("pdf", "photo") else "document"
        return self.context.t(f"tutorial.attach.type.{kind}")

    def retranslate(self) -> None:
        t, screen = self.context.t, self.context.screen
        column = self.layout()
        if column is not None:
            column.setSpacing(max(screen.px() // 2, screen.panel.min_gap_px))
        folder = self.folder.layout()
        if folder is not None:  # the documents are targets: 3 mm apart at least (the style's default is 6 px)
            folder.setSpacing(max(screen.px() // 2, screen.panel.min_gap_px))
        self.heading.setText(t("tutorial.attach.heading"))
        slot = self.simulation.slot
        self.asked.setText(
            t("tutorial.attach.asked", what=self._text(slot)) if slot else t("tutorial.attach.asked_any")
        )
        self.folder_title.setText(t("tutorial.attach.folder"))
        self.folder.setAccessibleName(self.folder_title.text())
        for option in self.options.values():
            option.set_texts(self._text(option.document.name), self.type_name(option.document))
            option.setAccessibleDescription(f"{self.folder_title.text()}. {self.type_name(option.document)}")
            option.apply_metrics(screen)
        self.attach_button.set_label(t("tutorial.attach.attach"))
        self.site_error.setText(t("tutorial.attach.choose_first"))
        self._show_slot()

    def _show_slot(self) -> None:
        t, screen = self.context.t, self.context.screen
        document = self.attached
        size = round(screen.px() * 1.5)
        if document is None:
            self.slot_icon.setPixmap(icons.pixmap("document", size, screen.theme.text_muted))
            self.slot_text.setText(t("tutorial.attach.slot_empty"))
            self.remove_button.hide()
            return
        self.slot_icon.setPixmap(type_pixmap(document.type, size, screen.theme.text))
        name = self._text(document.name)
        self.slot_text.setText(t("tutorial.attach.slot_attached", name=name))
        self.remove_button.setText(t("tutorial.attach.remove"))
        self.remove_button.setAccessibleName(t("tutorial.attach.remove_named", name=name))
        self.remove_button.show()

    # Acting ----------------------------------------------------------------------------------------------------------
    def chosen(self) -> Document | None:
        button = self.group.checkedButton()
        return button.document if isinstance(button, DocumentOption) else None

    def attach(self) -> None:
        if self.context.demo:
            return
        document = self.chosen()
        if document is None:
            self.site_error.show()
            first = next(iter(self.options.values()), None)
            if first is not None:
                first.setFocus(Qt.FocusReason.OtherFocusReason)
            self.context.screen.announce(self.site_error, self.site_error.text(), assertive=True)
            return
        self.site_error.hide()
        self.attached = document  # a wrong one too: it is in the slot until replaced or removed, as on a real site
        self._show_slot()
        self.act(Attached(document.id))  # the step renderer shows, says and focuses what the engine answers

    def remove(self) -> None:
        document, self.attached = self.attached, None
        self._show_slot()
        target = self.options.get(document.id) if document is not None else None
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        if document is not None:
            name = self._text(document.name)
            self.context.screen.announce(self, self.context.t("tutorial.attach.removed", name=name))

    def show_frame(self, frame: Frame | None) -> None:
        """A demo frame, on a screen built for it alone: highlighting a document chooses it; highlighting Attach
        shows the document asked for chosen and in the slot (the frame before it chose one)."""
        super().show_frame(frame)
        if frame is None:
            return
        option = self.options.get(frame.highlight)
        if option is not None:
            option.setChecked(True)
        elif frame.highlight == "attach":
            chosen = self.chosen() or next(d for d in self.simulation.documents if d.id == self.simulation.expect)
            self.options[chosen.id].setChecked(True)
            self.attached = chosen
            self._show_slot()


register("attach", AttachScreen)
