"""The Trash: deleted contacts, companies and groups, to restore or delete for good."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from db.trash import TrashItem
from desktop.contact_book import ContactBook
from desktop.models.formats import when

ITEM = Qt.ItemDataRole.UserRole


class TrashView(QWidget):
    """Signals:
    changed(): something was restored or purged.
    failed(object): a CallsheetError to show.
    """

    changed = Signal()
    failed = Signal(object)

    def __init__(self, book: ContactBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.setObjectName("trashView")
        title = QLabel("Trash")
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.hint = QLabel(
            "Deleted contacts, companies and groups stay here until you delete "
            "them for good. Restore brings them back as they were."
        )
        self.hint.setWordWrap(True)
        self.items = QTreeWidget()
        self.items.setHeaderLabels(["Name", "Kind", "Company", "Deleted"])
        self.items.setRootIsDecorated(False)
        self.items.setAlternatingRowColors(True)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.items.setColumnWidth(0, 240)
        self.items.setColumnWidth(2, 220)
        self.items.itemSelectionChanged.connect(self._update_buttons)
        self.empty = QLabel("The Trash is empty.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(placeholder-text); font-size: 11pt;")
        self.restore_button = QPushButton("&Restore")
        self.restore_button.clicked.connect(self.restore_selected)
        self.purge_button = QPushButton("&Delete for good…")
        self.purge_button.clicked.connect(self.purge_selected)
        self.empty_button = QPushButton("&Empty Trash…")
        self.empty_button.clicked.connect(self.empty_trash)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.purge_button)
        buttons.addWidget(self.empty_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.hint)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(buttons)

    def reload(self) -> None:
        self.items.clear()
        try:
            trashed = self.book.trash_items()
        except CallsheetError as error:
            self.failed.emit(error)
            trashed = []
        for item in trashed:
            row = QTreeWidgetItem(
                self.items, [item.name, item.kind.capitalize(), item.detail, when(item.deleted_at)]
            )
            row.setData(0, ITEM, item)
        self.items.setVisible(bool(trashed))
        self.empty.setVisible(not trashed)
        self.empty_button.setEnabled(bool(trashed))
        self._update_buttons()

    def selected(self) -> list[TrashItem]:
        return [row.data(0, ITEM) for row in self.items.selectedItems()]

    def restore_selected(self) -> None:
        self._apply(self.book.restore_items, self.selected())

    def purge_selected(self) -> None:
        chosen = self.selected()
        if chosen and self._confirm(
            f"Delete {self._describe(chosen)} for good? This cannot be undone."
        ):
            self._apply(self.book.purge_items, chosen)

    def empty_trash(self) -> None:
        everything = [
            self.items.topLevelItem(n).data(0, ITEM) for n in range(self.items.topLevelItemCount())
        ]
        if everything and self._confirm(
            f"Delete all {self._describe(everything)} in the Trash for good? This cannot be undone."
        ):
            self._apply(self.book.purge_items, everything)

    def _apply(self, action: Callable[[list[TrashItem]], None], chosen: list[TrashItem]) -> None:
        if not chosen:
            return
        try:
            action(chosen)
        except CallsheetError as error:
            self.failed.emit(error)
        self.reload()
        self.changed.emit()

    def _update_buttons(self) -> None:
        has = bool(self.items.selectedItems())
        self.restore_button.setEnabled(has)
        self.purge_button.setEnabled(has)

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.warning(
            self,
            "Delete for good",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    @staticmethod
    def _describe(items: list[TrashItem]) -> str:
        if len(items) == 1:
            return f"“{items[0].name}”"
        return f"these {len(items)} items"
