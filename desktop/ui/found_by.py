"""The lookup's "found by" hint: after a name, in a muted colour, the values the typed
words matched that the list does not show ("Bergen (city)")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QHeaderView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.models.contact_list import CITY, COMPANY, EMAIL, PHONE, REASONS_ROLE, TITLE

if TYPE_CHECKING:
    from db.lookup_reasons import Reason

_Index = QModelIndex | QPersistentModelIndex
# The list column that shows a field, where one does.
FIELD_COLUMNS = {"company": COMPANY, "title": TITLE, "email": EMAIL, "phone": PHONE, "city": CITY}
GAP = 8


def hint_text(reasons: list[Reason], header: QHeaderView) -> str:
    """The reasons the list does not already show, as "Bergen (city)"."""
    hidden = [
        r
        for r in reasons
        if r.field != "name"
        and (r.field not in FIELD_COLUMNS or header.isSectionHidden(FIELD_COLUMNS[r.field]))
    ]
    return " · ".join(f"{r.value} ({r.field})" for r in hidden)


class FoundByDelegate(QStyledItemDelegate):
    """Paints the Name cell as usual, then the hint in the room left."""

    def __init__(self, header: QHeaderView) -> None:
        super().__init__(header)
        self.header = header

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        super().paint(painter, option, index)
        reasons = index.data(REASONS_ROLE)
        hint = hint_text(reasons, self.header) if reasons else ""
        if not hint:
            return
        metrics = option.fontMetrics  # type: ignore[attr-defined]
        margin = 2 * (self.header.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
        name_width = metrics.horizontalAdvance(str(index.data() or "")) + margin
        rect = QRect(option.rect)  # type: ignore[attr-defined]
        rect.setLeft(rect.left() + name_width + GAP)
        if rect.width() < metrics.horizontalAdvance("…") * 3:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        role = (
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        painter.save()
        painter.setPen(option.palette.color(role))  # type: ignore[attr-defined]
        text = metrics.elidedText(hint, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text
        )
        painter.restore()
