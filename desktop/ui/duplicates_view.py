"""Find Duplicates: every group of records that look like one person (same email,
phone or profile under names that agree, or a similar name at the same company), to
merge one group at a time. Each group names its people and the evidence that ties them,
so a group can be judged without opening it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.contacts import ContactRow
from db.duplicates import DuplicateGroup
from desktop.contact_book import ContactBook
from desktop.ui.workers import JobRunner

IDS = Qt.ItemDataRole.UserRole
EXPANDED_GROUPS = 200


@dataclass(frozen=True)
class Found:
    groups: list[DuplicateGroup]
    rows: dict[uuid.UUID, ContactRow]


def find_duplicates(book: ContactBook) -> Found:
    """The groups and the list rows of their contacts (runs off the UI thread)."""
    groups = book.duplicate_groups()
    ids = [cid for group in groups for cid in group.contact_ids]
    return Found(groups, {row.id: row for row in book.rows(ids)})


def group_title(rows: list[ContactRow], reasons: tuple[str, ...]) -> str:
    """One line that says who and why: "Anna Berg · Ana Berg: same email anna@x.example",
    readable with the group collapsed."""
    names = " · ".join(row.display_name for row in rows)
    return f"{names}: {'; '.join(evidence(reasons, rows))}"


def evidence(reasons: tuple[str, ...], rows: list[ContactRow]) -> list[str]:
    """The reasons, the company named where the names matched at one."""
    company = next((row.company for row in rows if row.company), "")
    return [
        f"similar names at {company}" if reason.startswith("similar name") and company else reason
        for reason in reasons
    ]


class DuplicatesView(QDialog):
    """Signals:
    mergeRequested(list): the ids of a group to merge.
    contactRequested(object): a contact's id to show in the main window.
    failed(object): an error to show.
    """

    mergeRequested = Signal(list)
    contactRequested = Signal(object)
    failed = Signal(object)

    def __init__(self, book: ContactBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.jobs = JobRunner(self, serial=True)
        self.setObjectName("duplicatesView")
        self.setWindowTitle("Find Duplicates")
        self.status = QLabel()
        self.status.setObjectName("duplicatesStatus")
        self.status.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # a scan cannot say how far it is
        self.busy.setTextVisible(False)
        self.busy.hide()
        self._scanning = False
        self.tree = QTreeWidget()
        self.tree.setObjectName("duplicateGroups")
        self.tree.setHeaderLabels(["Name", "Company", "Email", "Phone", "City"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for column, width in enumerate((260, 190, 230, 150)):
            self.tree.setColumnWidth(column, width)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.merge_button = QPushButton("&Merge…")
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.setDefault(True)
        self.merge_button.clicked.connect(self._merge_selected)
        self.scan_button = QPushButton("&Scan Again")
        self.scan_button.clicked.connect(self.scan)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.scan_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.resize(1000, 560)
        self._update_buttons()

    def scan(self) -> None:
        """Look again; until the answer comes, the old groups cannot be merged."""
        self.status.setText("Looking for duplicates…")
        self._set_scanning(True)
        self.jobs.start(find_duplicates, self.book, on_done=self._show, on_failed=self._scan_failed)

    def scanning(self) -> bool:
        return self._scanning

    def _set_scanning(self, scanning: bool) -> None:
        self._scanning = scanning
        self.busy.setVisible(scanning)
        self.scan_button.setEnabled(not scanning)
        self.tree.setEnabled(not scanning)
        self._update_buttons()

    def _scan_failed(self, error: Exception) -> None:
        self._set_scanning(False)
        self.status.setText("The scan did not finish.")
        self.failed.emit(error)

    def _show(self, found: Found) -> None:
        self.tree.clear()
        for number, group in enumerate(found.groups):
            rows = [found.rows[cid] for cid in group.contact_ids if cid in found.rows]
            if len(rows) < 2:
                continue
            top = QTreeWidgetItem([group_title(rows, group.reasons)])
            top.setToolTip(0, "\n".join(evidence(group.reasons, rows)))
            top.setData(0, IDS, [row.id for row in rows])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for row in rows:
                child = QTreeWidgetItem(
                    [row.display_name, row.company or "", row.email or "",
                     row.phone or "", row.city or ""]
                )  # fmt: skip
                child.setData(0, IDS, [row.id])
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            top.setExpanded(number < EXPANDED_GROUPS)
        count = self.tree.topLevelItemCount()
        self.status.setText(
            f"{count:,} groups of records look like the same person. Select a group and "
            "press Merge to choose what the merged record keeps."
            if count
            else "No duplicates found: no two contacts share an email, phone or profile, "
            "or have a similar name at the same company."
        )
        self._set_scanning(False)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._update_buttons()

    def _group_item(self) -> QTreeWidgetItem | None:
        item = self.tree.currentItem()
        if item is not None and item.parent() is not None:
            item = item.parent()
        return item

    def _update_buttons(self) -> None:
        self.merge_button.setEnabled(self._group_item() is not None and not self.scanning())

    def _merge_selected(self) -> None:
        item = self._group_item()
        if item is not None and not self.scanning():
            self.mergeRequested.emit(list(item.data(0, IDS)))

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if self.scanning():
            return
        if item.parent() is not None:
            self.contactRequested.emit(item.data(0, IDS)[0])
        else:
            self.mergeRequested.emit(list(item.data(0, IDS)))

    def merged(self, ids: list[uuid.UUID]) -> None:
        """A group was merged: it leaves the list."""
        for n in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(n)
            if item is not None and set(item.data(0, IDS)) & set(ids):
                self.tree.takeTopLevelItem(n)
                break
        count = self.tree.topLevelItemCount()
        self.status.setText(
            f"{count:,} groups left. Undo (Ctrl+Z) in the main window takes a merge back."
        )
        self._update_buttons()

    def done(self, result: int) -> None:
        self.jobs.wait()
        super().done(result)
