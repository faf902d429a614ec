"""The Companies page: every company with its city, country and how many contacts work
there, found by typing part of its name; Enter opens the company's contacts."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.companies import CompanyOverview
from db.text import fold
from desktop.contact_book import ContactBook
from desktop.models.formats import country_name, number
from desktop.models.record_table import Column, RecordTableModel
from desktop.ui.workers import JobRunner

_Index = QModelIndex | QPersistentModelIndex
COLUMNS: tuple[Column[CompanyOverview], ...] = (
    Column("Company", lambda c: c.name),
    Column("City", lambda c: c.city),
    Column("Country", lambda c: country_name(c.country) if c.country else ""),
    Column("Contacts", lambda c: number(c.contacts), align_right=True),
)
NAME, CONTACTS = 0, 3


class CompanyFilter(QSortFilterProxyModel):
    """Rows whose name holds every typed word (case and accents ignored); the Contacts
    column sorts by number."""

    def __init__(self, source: RecordTableModel[CompanyOverview]) -> None:
        super().__init__()
        self.source = source
        self.setSourceModel(source)
        self.words: list[str] = []
        self._keys: list[str] = []  # each company's folded name, by source row

    def set_companies(self, rows: list[CompanyOverview]) -> None:
        """Show `rows`; their names are folded once, for filtering and sorting."""
        self._keys = [fold(row.name) for row in rows]
        self.source.set_records(rows)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, _source_parent: _Index) -> bool:
        return all(word in self._keys[source_row] for word in self.words)

    def lessThan(self, left: _Index, right: _Index) -> bool:
        if left.column() == NAME:
            return self._keys[left.row()] < self._keys[right.row()]
        if left.column() == CONTACTS:
            records = self.source.records
            return records[left.row()].contacts < records[right.row()].contacts
        return fold(str(left.data())) < fold(str(right.data()))

    def company_id(self, index: _Index) -> uuid.UUID | None:
        if not index.isValid():
            return None
        return self.source.records[self.mapToSource(index).row()].id


class CompaniesView(QWidget):
    """Signals:
    companyChosen(object): a company's id, to show its contacts.
    newRequested(): the user asked for a new company.
    failed(object): an error to show.
    """

    companyChosen = Signal(object)
    newRequested = Signal()
    failed = Signal(object)

    def __init__(self, book: ContactBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("companiesView")
        self.book = book
        self.jobs = JobRunner(self, serial=True)
        self.search = QLineEdit()
        self.search.setObjectName("companySearch")
        self.search.setPlaceholderText("Find a company by name")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.model: RecordTableModel[CompanyOverview] = RecordTableModel(COLUMNS, self)
        self.shown = CompanyFilter(self.model)
        self.table = QTableView()
        self.table.setObjectName("companyList")
        self.table.setModel(self.shown)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 150), (2, 140), (3, 90)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(self._open)
        self.status = QLabel()
        self.status.setObjectName("companiesStatus")
        new = QPushButton("&New Company…")
        new.clicked.connect(self.newRequested)
        self.open_button = QPushButton("&Show Contacts")
        self.open_button.clicked.connect(lambda: self._open(self.table.currentIndex()))
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.open_button)
        top.addWidget(new)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 4, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    def reload(self) -> None:
        """Read the companies again (off the UI thread: counting takes a moment)."""
        self.status.setText("Reading companies…")
        self.jobs.start(self.book.company_overview, on_done=self._show, on_failed=self.failed.emit)

    def _show(self, rows: list[CompanyOverview]) -> None:
        self.shown.set_companies(rows)
        self._filter()

    def _filter(self) -> None:
        self.shown.set_text(self.search.text())
        shown, total = self.shown.rowCount(), self.model.rowCount()
        if not total:
            self.status.setText("No companies yet: a contact's company is added when you save it.")
        elif shown == total:
            self.status.setText(f"{number(total)} companies. Enter shows a company's contacts.")
        else:
            self.status.setText(f"{number(shown)} of {number(total)} companies.")
        if shown and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.shown.index(0, 0))
        self.open_button.setEnabled(shown > 0)

    def _open(self, index: QModelIndex) -> None:
        company_id = self.shown.company_id(index)
        if company_id is not None:
            self.companyChosen.emit(company_id)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        """Down and Enter in the search box go to the list, as in the contact lookup;
        Enter also shows the company picked."""
        keys = (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == event.Type.KeyPress
            and event.key() in keys
        ):
            if event.key() != Qt.Key.Key_Down:
                self._open(self.table.currentIndex())
            self.table.setFocus()
            return True
        return super().eventFilter(watched, event)
