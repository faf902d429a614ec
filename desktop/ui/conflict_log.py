"""File > Sync Conflicts: the values that lost when this computer and the server changed
the same field of a contact or follow-up, and putting one back (it then goes to the server as an
edit made here)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.errors import CallsheetError
from db.sync_state import ConflictRow
from desktop.contact_book import ContactBook
from desktop.models.formats import when
from desktop.sync.conflicts import describe, label

ID = Qt.ItemDataRole.UserRole
COLUMNS = (
    "When",
    "Item",
    "Field",
    "This computer's value (lost)",
    "Kept (the server's)",
)


class ConflictLogDialog(QDialog):
    """Signals:
    restored(): a value was put back; the views should refresh.
    """

    restored = Signal()

    def __init__(self, book: ContactBook, region: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.region = region
        self.setObjectName("conflictLog")
        self.setWindowTitle("Sync Conflicts")
        intro = QLabel(
            "When this computer and the server changed the same detail of a contact, a "
            "follow-up or a note before they synced, the server's value was kept and this "
            "computer's is listed here. Restore puts it back; the next sync sends it."
        )
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setObjectName("conflictList")
        self.list.setHeaderLabels(list(COLUMNS))
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        for column, width in enumerate((130, 150, 120, 220)):
            self.list.setColumnWidth(column, width)
        self.list.itemSelectionChanged.connect(self._update)
        self.list.itemActivated.connect(lambda *_: self.restore_selected())
        self.empty = QLabel("No conflicts: every change made here reached the server as it was.")
        self.empty.setObjectName("noConflicts")
        self.empty.setWordWrap(True)
        self.show_restored = QCheckBox("S&how restored ones too")
        self.show_restored.toggled.connect(lambda _on: self.load())
        self.restore = QPushButton("&Restore This Computer's Value")
        self.restore.setObjectName("restoreConflict")
        self.restore.clicked.connect(self.restore_selected)
        close = QPushButton("Close")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_restored)
        buttons.addStretch(1)
        buttons.addWidget(self.restore)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self.resize(900, 420)
        self.load()

    def load(self) -> None:
        self.list.clear()
        rows = self.book.conflicts(include_restored=self.show_restored.isChecked())
        for row in rows:
            self.list.addTopLevelItem(self._item(row))
        self.empty.setVisible(not rows)
        self.list.setVisible(bool(rows))
        if rows:
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self._update()

    def _item(self, row: ConflictRow) -> QTreeWidgetItem:
        item = QTreeWidgetItem(
            [
                when(row.detected_at),
                _named(row),
                label(row.record_type, row.field),
                describe(row.record_type, row.field, row.kept),
                describe(row.record_type, row.field, row.chosen),
            ]
        )
        for column in (3, 4):
            item.setToolTip(column, item.text(column))
        item.setData(0, ID, None if row.restored_at else row.id)
        if row.restored_at:
            grey = QBrush(self.palette().color(QPalette.ColorRole.PlaceholderText))
            for column in range(len(COLUMNS)):
                item.setForeground(column, grey)
            item.setText(2, f"{item.text(2)} (restored {when(row.restored_at)})")
        return item

    def _selected(self) -> list[uuid.UUID]:
        return [i.data(0, ID) for i in self.list.selectedItems() if i.data(0, ID) is not None]

    def _update(self) -> None:
        self.restore.setEnabled(bool(self._selected()))

    def restore_selected(self) -> None:
        names: list[str] = []
        for conflict_id in self._selected():
            try:
                names.append(self.book.restore_conflict(conflict_id, self.region))
            except CallsheetError as error:
                QMessageBox.warning(self, "Sync Conflicts", str(error))
                break
        if names:
            self.restored.emit()
            self.load()


def _named(row: ConflictRow) -> str:
    """The record as the log names it: “Maya Lund”, “Follow-up: Ring Maya”."""
    prefix = {"activity": "Follow-up: ", "history": "History: ", "note": "Note: "}.get(
        row.record_type, ""
    )
    return prefix + row.record_name
