"""The contact list model: pages through a million contacts without holding them.

Browsing: `rowCount` is the live count; rows are fetched a page at a time on a
worker thread and cached (a bounded number of pages). A row not yet loaded shows
as empty and fills in when its page arrives. Lookup: the model shows the hits of
one lookup, in ranked order.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from db.list_query import (
    INDEXED_SORTS,
    UNINDEXED_SORT_LIMIT,
    ContactRow,
    ListQuery,
    SortColumn,
)
from desktop.models.formats import day, when
from desktop.ui.workers import JobRunner

if TYPE_CHECKING:
    from db.lookup_reasons import Reason
    from desktop.contact_book import ContactBook

PAGE_SIZE = 200
CONTACT_IDS_MIME = "application/x-callsheet-contact-ids"
MAX_CACHED_PAGES = 60
WANTED_PAGES = 6
ID_ROLE = Qt.ItemDataRole.UserRole + 1
REASONS_ROLE = Qt.ItemDataRole.UserRole + 2  # why a lookup found the row (list[Reason])

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    sort: SortColumn | None


COLUMNS = (
    Column("display_name", "Name", SortColumn.NAME),
    Column("company", "Company", SortColumn.COMPANY),
    Column("title", "Title", SortColumn.TITLE),
    Column("email", "Email", SortColumn.EMAIL),
    Column("phone", "Phone", SortColumn.PHONE),
    Column("city", "City", SortColumn.CITY),
    Column("updated_at", "Updated", SortColumn.UPDATED),
    Column("last_contacted_at", "Last contacted", SortColumn.LAST_CONTACTED),
    Column("next_step_at", "Next step", SortColumn.NEXT_STEP),
)
NAME, COMPANY, TITLE, EMAIL, PHONE, CITY, UPDATED, LAST_CONTACTED, NEXT_STEP = range(len(COLUMNS))
NO_NEXT_STEP = "none"
OVERDUE_COLOR = QColor("#c62828")
UNSCHEDULED_COLOR = QColor("#b26a00")


class ContactListModel(QAbstractTableModel):
    """Signals:
    counted(int): the number of rows after a refresh or lookup.
    pageLoaded(int): a page of rows arrived (its first row).
    sortRefused(str): why the list was not sorted as asked (too many to sort).
    """

    counted = Signal(int)
    pageLoaded = Signal(int)
    sortRefused = Signal(str)

    def __init__(self, book: ContactBook, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.jobs = JobRunner(self, serial=True)
        self.query = ListQuery()
        self.name_sort = SortColumn.NAME  # what the Name column sorts by (FILE_AS: family)
        self._count = 0
        self._pages: OrderedDict[int, list[ContactRow]] = OrderedDict()
        self._requested: set[int] = set()
        # The pages asked for most recently; older asks are skipped when their turn comes.
        self._wanted: deque[int] = deque(maxlen=WANTED_PAGES)
        self._generation = 0
        self._hits: list[ContactRow] | None = None
        self._reasons: dict[uuid.UUID, list[Reason]] = {}

    # Qt overrides
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            value = getattr(row, COLUMNS[column].key)
            if isinstance(value, datetime):
                return day(value.astimezone().date())
            if column == NEXT_STEP:
                return NO_NEXT_STEP
            return value or ""
        if role == Qt.ItemDataRole.ForegroundRole and column == NEXT_STEP:
            if row.next_step_at is None:
                return UNSCHEDULED_COLOR
            if row.next_step_at < self.book.clock.now():
                return OVERDUE_COLOR
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column == NEXT_STEP:
            if row.next_step_at is None:
                return "No next step scheduled: Ctrl+Shift+F schedules one"
            return when(row.next_step_at)
        if role == REASONS_ROLE and column == NAME and self._hits is not None:
            return self._reasons.get(row.id, [])
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == NAME:
            lines = [v for v in (row.display_name, row.title, row.company) if v]
            if self._hits is not None:
                lines += [f"Found by {r.field}: {r.value}" for r in self._reasons.get(row.id, [])]
            return "\n".join(lines)
        if role == ID_ROLE:
            return str(row.id)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return [CONTACT_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """The dragged contacts' ids, one per line (drop them on a group)."""
        rows = sorted({index.row() for index in indexes})
        ids = [str(found.id) for row in rows if (found := self.load_now(row)) is not None]
        data = QMimeData()
        data.setData(CONTACT_IDS_MIME, QByteArray("\n".join(ids).encode()))
        data.setText(
            "\n".join(found.display_name for row in rows if (found := self.row_at(row)) is not None)
        )
        return data

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        sort = COLUMNS[column].sort
        if sort is None:
            return
        if sort is SortColumn.NAME:
            sort = self.name_sort
        descending = order == Qt.SortOrder.DescendingOrder
        if self._hits is not None:
            self.layoutAboutToBeChanged.emit()
            key = COLUMNS[column].key
            self._hits.sort(
                key=lambda r: (getattr(r, key) is None, getattr(r, key) or ""), reverse=descending
            )
            self.layoutChanged.emit()
            return
        if sort not in INDEXED_SORTS and self._count > UNINDEXED_SORT_LIMIT:
            self.sortRefused.emit(
                f"{COLUMNS[column].title} sorts lists of up to {UNINDEXED_SORT_LIMIT:,} "
                f"contacts; this one has {self._count:,}. Look up or pick a group first."
            )
            return
        self.set_query(ListQuery(sort, descending, self.query.group_id, self.query.company_id))

    # Our API
    @property
    def in_lookup(self) -> bool:
        return self._hits is not None

    def set_query(self, query: ListQuery) -> None:
        """Browse the contacts `query` selects, in its order."""
        self.query = query
        self._hits = None
        self.refresh()

    def show_hits(
        self, rows: list[ContactRow], reasons: dict[uuid.UUID, list[Reason]] | None = None
    ) -> None:
        """Show the results of a lookup (`ContactBook.lookup_explained`) instead of
        browsing, with why each was found."""
        self.beginResetModel()
        self._forget()
        self._hits = list(rows)
        self._reasons = reasons or {}
        self._count = len(self._hits)
        self.endResetModel()
        self.counted.emit(self._count)

    def refresh(self) -> None:
        """Reload after a change: browse counts again; lookup re-reads its rows."""
        self.beginResetModel()
        if self._hits is not None:
            fresh = {r.id: r for r in self.book.rows([r.id for r in self._hits])}
            self._hits = [fresh[r.id] for r in self._hits if r.id in fresh]
            self._forget()
            self._count = len(self._hits)
        else:
            self._forget()
            self._count = self.book.count(self.query)
        self.endResetModel()
        self.counted.emit(self._count)

    def row_at(self, row: int) -> ContactRow | None:
        """The row's contact, or None while its page is loading (it is then requested)."""
        if self._hits is not None:
            return self._hits[row] if 0 <= row < len(self._hits) else None
        page_number = row // PAGE_SIZE
        page = self._pages.get(page_number)
        if page is None:
            self._request(page_number)
            return None
        self._pages.move_to_end(page_number)
        offset = row - page_number * PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def contact_id(self, row: int) -> uuid.UUID | None:
        found = self.row_at(row)
        return found.id if found else None

    def loaded_row_of(self, contact_id: uuid.UUID) -> int | None:
        """The row showing this contact among the rows already read (the lookup's hits
        or the pages held), reading none; None when it is not among them."""
        if self._hits is not None:
            return next((n for n, row in enumerate(self._hits) if row.id == contact_id), None)
        for page_number, page in self._pages.items():
            for offset, row in enumerate(page):
                if row.id == contact_id:
                    return page_number * PAGE_SIZE + offset
        return None

    def load_now(self, row: int) -> ContactRow | None:
        """The row's contact, reading its page on this thread if needed (for keyboard
        actions on a row that is not loaded yet)."""
        if self._hits is not None or row // PAGE_SIZE in self._pages:
            return self.row_at(row)
        page_number = row // PAGE_SIZE
        self._store(
            self._generation,
            page_number,
            self.book.page(self.query, page_number * PAGE_SIZE, PAGE_SIZE),
        )
        return self.row_at(row)

    def _forget(self) -> None:
        self._generation += 1
        self._pages.clear()
        self._requested.clear()

    def _request(self, page_number: int) -> None:
        if page_number in self._requested:
            return
        self._requested.add(page_number)
        self._wanted.append(page_number)
        generation, query = self._generation, self.query
        self.jobs.start(
            self._fetch,
            query,
            page_number,
            on_done=lambda rows: self._store(generation, page_number, rows),
            on_failed=lambda _error: self._requested.discard(page_number),
        )

    def _fetch(self, query: ListQuery, page_number: int) -> list[ContactRow] | None:
        """On the worker: a page, unless the view has moved on since it was asked for
        (dragging the scroll bar across a million rows asks for hundreds)."""
        if page_number not in self._wanted:
            return None
        return self.book.page(query, page_number * PAGE_SIZE, PAGE_SIZE)

    def _store(self, generation: int, page_number: int, rows: list[ContactRow] | None) -> None:
        if generation != self._generation:
            return
        self._requested.discard(page_number)
        if rows is None:
            return
        self._pages[page_number] = rows
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)
        first = page_number * PAGE_SIZE
        last = min(first + PAGE_SIZE, self._count) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self.pageLoaded.emit(first)
