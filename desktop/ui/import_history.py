"""File > Import History: every import, and taking back one made before this session
(the last ones are also on Edit > Undo)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from db.imports import BatchRow
from desktop.contact_book import ContactBook
from desktop.models.formats import when
from desktop.ui.workers import JobRunner

KINDS = {"csv": "Table", "vcf": "vCard", "ics": "iCalendar"}
STATES = {
    "done": "Imported",
    "cancelled": "Stopped (what landed stays)",
    "running": "Interrupted (what landed stays)",
    "undone": "Taken back",
}
BATCH = Qt.ItemDataRole.UserRole


class ImportHistory(QDialog):
    """Signals:
    changed(): an import was taken back.
    """

    changed = Signal()

    def __init__(self, book: ContactBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.setObjectName("importHistory")
        self.setWindowTitle("Import History")
        self.list = QTreeWidget()
        self.list.setObjectName("importList")
        self.list.setHeaderLabels(["When", "File", "Kind", "New", "Changed", "State"])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for column, width in enumerate((140, 240, 80, 70, 70)):
            self.list.setColumnWidth(column, width)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.empty = QLabel("Nothing has been imported yet.")
        self.status = QLabel()
        self.status.setObjectName("takeBackStatus")
        self.jobs = JobRunner(self)
        self.take_back = QPushButton("&Take Back…")
        self.take_back.setObjectName("takeBack")
        self.take_back.clicked.connect(self.take_back_selected)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.take_back)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.resize(820, 360)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        batches = self.book.import_batches()
        for batch in batches:
            item = QTreeWidgetItem(
                [
                    when(batch.started_at) if batch.started_at else "",
                    Path(batch.source).name,
                    KINDS.get(batch.format, batch.format),
                    f"{batch.created_count:,}",
                    f"{batch.changed_count:,}",
                    STATES.get(batch.status, batch.status),
                ]
            )
            item.setToolTip(1, batch.source)
            item.setData(0, BATCH, batch)
            for column in (3, 4):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.list.addTopLevelItem(item)
        self.empty.setVisible(not batches)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        self._update_buttons()

    def _selected(self) -> BatchRow | None:
        item = self.list.currentItem()
        return item.data(0, BATCH) if item is not None else None

    def _update_buttons(self) -> None:
        batch = self._selected()
        self.take_back.setEnabled(batch is not None and batch.status != "undone")

    def take_back_selected(self) -> None:
        batch = self._selected()
        if batch is None or batch.status == "undone":
            return
        answer = QMessageBox.question(
            self,
            "Take back an import",
            f"Take back the import of {Path(batch.source).name}? The {batch.created_count:,} "
            f"records it added go to the Trash, and the {batch.changed_count:,} contacts it "
            "changed get their earlier values back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.take_back.setEnabled(False)
        self.status.setText(f"Taking back the import of {Path(batch.source).name}…")
        self.jobs.start(
            self.book.undo_import,
            batch.id,
            on_done=lambda _count: self._taken_back(),
            on_failed=self._take_back_failed,
            writes=True,
        )

    def _taken_back(self) -> None:
        self.status.clear()
        self.reload()
        self.changed.emit()

    def _take_back_failed(self, error: Exception) -> None:
        self.status.clear()
        self._update_buttons()
        if not isinstance(error, CallsheetError):
            raise error
        QMessageBox.warning(self, "Take back an import", str(error))

    def done(self, result: int) -> None:
        self.jobs.wait()  # a take-back under way finishes before the list goes
        super().done(result)
