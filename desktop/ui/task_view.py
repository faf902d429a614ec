"""The task list: Overdue, Today, Upcoming, All open and Done, with filters."""

from __future__ import annotations

import uuid
from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.errors import CallsheetError
from db.groups import GroupRow
from db.tasks import Bucket
from desktop.contact_book import ContactBook
from desktop.models.formats import number
from desktop.models.task_list import DUE, TaskListModel
from desktop.ui.workers import JobRunner
from desktop.wording import KIND_TITLES

BUCKETS = (Bucket.OVERDUE, Bucket.TODAY, Bucket.UPCOMING, Bucket.OPEN, Bucket.DONE)
PRIORITY_TITLES = {"high": "High", "normal": "Normal", "low": "Low"}


class TaskView(QWidget):
    """Signals carry activity ids (or a contact id for `contactRequested`)."""

    contactRequested = Signal(object)
    sheetRequested = Signal(object)
    scheduleRequested = Signal()
    clearRequested = Signal(object)
    editRequested = Signal(object)
    deleteRequested = Signal(list)
    failed = Signal(object)
    counted = Signal(int)

    def __init__(self, book: ContactBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.setObjectName("taskView")
        self.model = TaskListModel(book, self)
        self.tabs = QTabBar()
        self.tabs.setObjectName("taskBuckets")
        for bucket in BUCKETS:
            self.tabs.addTab(bucket.value)
        self.tabs.setUsesScrollButtons(False)
        self.tabs.setDrawBase(False)
        self.tabs.setElideMode(Qt.TextElideMode.ElideNone)
        self.tabs.setExpanding(False)
        self.tabs.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.tabs.setCurrentIndex(BUCKETS.index(Bucket.TODAY))
        self.tabs.currentChanged.connect(self._filters_changed)
        self.tabs.tabBarClicked.connect(self._bucket_chosen)
        self._bucket_settled = False  # the first look opens where the work is
        self.jobs = JobRunner(self)
        self._counts_asked = 0
        self.kind = QComboBox()
        self.kind.addItem("Any kind", None)
        for value, title in KIND_TITLES.items():
            self.kind.addItem(title, value)
        self.priority = QComboBox()
        self.priority.addItem("Any priority", None)
        for value, title in PRIORITY_TITLES.items():
            self.priority.addItem(title, value)
        self.group = QComboBox()
        self.group.addItem("Any group", None)
        self.group.setMinimumContentsLength(14)
        for combo in (self.kind, self.priority, self.group):
            combo.currentIndexChanged.connect(self._filters_changed)

        self.table = QTableView()
        self.table.setObjectName("taskTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(DUE, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((170, 80, 300, 220, 90)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(self._open_contact)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.schedule_button = QPushButton("Schedule…")
        self.schedule_button.setToolTip("Schedule a follow-up (Ctrl+Shift+F)")
        self.schedule_button.clicked.connect(self.scheduleRequested)
        self.clear_button = QPushButton("Clear…")
        self.clear_button.setToolTip("Clear the activity: log how it went (Ctrl+D)")
        self.clear_button.clicked.connect(self.clear_current)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("Edit the activity (F2)")
        self.edit_button.clicked.connect(self.edit_current)
        self.contact_button = QPushButton("Show contact")
        self.contact_button.setToolTip("Open the activity's contact (Enter)")
        self.contact_button.clicked.connect(lambda: self._open_contact(self.table.currentIndex()))
        self.sheet_button = QPushButton("Call sheet")
        self.sheet_button.setToolTip("The call sheet of the task's contact (F9)")
        self.sheet_button.clicked.connect(self._open_sheet)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("tasksEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #546e7a; padding: 24px;")

        filters = QHBoxLayout()
        filters.addWidget(self.tabs)
        filters.addStretch(1)
        filters.addWidget(self.kind)
        filters.addWidget(self.priority)
        filters.addWidget(self.group)
        buttons = QHBoxLayout()
        for button in (
            self.schedule_button,
            self.clear_button,
            self.edit_button,
            self.contact_button,
            self.sheet_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        self._add_shortcuts()
        self._update_buttons()

    def _add_shortcuts(self) -> None:
        for keys, slot in (
            ("Ctrl+D", self.clear_current),
            ("F2", self.edit_current),
            (QKeySequence.StandardKey.Delete, self.delete_selected),
        ):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        for n in range(len(BUCKETS)):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Alt+{n + 1}"))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _c=False, i=n: self.tabs.setCurrentIndex(i))
            self.addAction(action)

    # Showing
    def set_groups(self, groups: list[GroupRow]) -> None:
        chosen = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("Any group", None)
        for group in groups:
            self.group.addItem(group.name, str(group.id))
        index = self.group.findData(chosen)
        self.group.setCurrentIndex(max(index, 0))
        self.group.blockSignals(False)

    def show_bucket(self, bucket: Bucket) -> None:
        self._bucket_settled = True
        self.tabs.setCurrentIndex(BUCKETS.index(bucket))

    def _bucket_chosen(self, _index: int) -> None:
        self._bucket_settled = True

    def reload(self, select: uuid.UUID | None = None) -> None:
        """Re-read the rows, keeping the selected activity if it stays, and the bucket
        counts off the UI thread (at a million they walk a quarter million entries). The
        first look opens on the first bucket that holds anything (asked row by row)."""
        if not self._bucket_settled:
            self._bucket_settled = True
            try:
                first = self.book.first_busy_bucket(self.book.clock.moment())
            except CallsheetError as error:
                self.failed.emit(error)
                return
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(BUCKETS.index(first))
            self.tabs.blockSignals(False)
            self.model.query = replace(self.model.query, bucket=first)
        self.reload_rows(select)
        self._counts_asked += 1
        asked = self._counts_asked
        self.jobs.start(
            self.book.bucket_counts,
            self.model.moment,
            on_done=lambda counts: self._show_counts(asked, counts),
            on_failed=self.failed.emit,
        )

    def _show_counts(self, asked: int, counts: dict[Bucket, int]) -> None:
        if asked != self._counts_asked:
            return  # a newer reload asked again
        for n, bucket in enumerate(BUCKETS):
            count = counts.get(bucket)
            self.tabs.setTabText(n, f"{bucket.value} ({number(count)})" if count else bucket.value)
        self.tabs.updateGeometry()
        overdue_tab = BUCKETS.index(Bucket.OVERDUE)
        self.tabs.setTabTextColor(
            overdue_tab,
            self.palette().text().color() if not counts.get(Bucket.OVERDUE) else Qt.GlobalColor.red,
        )

    def reload_rows(self, select: uuid.UUID | None = None) -> None:
        """Re-read the rows only (another bucket or filter; the counts still hold)."""
        current = select or self.current_activity()
        try:
            self.model.refresh()
        except CallsheetError as error:
            self.failed.emit(error)
            return
        self.counted.emit(self.model.total)
        row = self.model.row_of(current) if current is not None else None
        self._select(row if row is not None else 0)
        empty = self.model.rowCount() == 0
        self.empty_label.setVisible(empty)
        self.empty_label.setText(_empty_text(self.model.query.bucket))
        self._update_buttons()

    def current_activity(self) -> uuid.UUID | None:
        row = self.model.row(self.table.currentIndex().row())
        return row.activity_id if row else None

    def selected_activities(self) -> list[uuid.UUID]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        ids = [self.model.rows[r].activity_id for r in rows if r < len(self.model.rows)]
        return [i for i in ids if i is not None]

    # Acting
    def clear_current(self) -> None:
        activity = self.current_activity()
        if activity is not None and not self.model.showing_done:
            self.clearRequested.emit(activity)

    def edit_current(self) -> None:
        activity = self.current_activity()
        if activity is not None and not self.model.showing_done:
            self.editRequested.emit(activity)

    def delete_selected(self) -> None:
        ids = self.selected_activities()
        if ids and not self.model.showing_done:
            self.deleteRequested.emit(ids)

    def _open_contact(self, index: object) -> None:
        row = self.model.row(self.table.currentIndex().row())
        if row is not None and row.first_contact_id is not None:
            self.contactRequested.emit(row.first_contact_id)

    def _open_sheet(self) -> None:
        row = self.model.row(self.table.currentIndex().row())
        if row is not None and row.first_contact_id is not None:
            self.sheetRequested.emit(row.first_contact_id)

    def _filters_changed(self, *_args: object) -> None:
        query = replace(
            self.model.query,
            bucket=BUCKETS[self.tabs.currentIndex()],
            kind=self.kind.currentData(),
            priority=self.priority.currentData(),
            group_id=uuid.UUID(self.group.currentData()) if self.group.currentData() else None,
        )
        self.model.query = query
        self.reload_rows()

    def _select(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            self.table.clearSelection()
            return
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _update_buttons(self, *_args: object) -> None:
        has_row = self.model.row(self.table.currentIndex().row()) is not None
        open_rows = has_row and not self.model.showing_done
        self.clear_button.setEnabled(open_rows)
        self.edit_button.setEnabled(open_rows)
        self.contact_button.setEnabled(has_row)
        self.sheet_button.setEnabled(has_row)


def _empty_text(bucket: Bucket) -> str:
    return {
        Bucket.OVERDUE: "Nothing overdue. Well done.",
        Bucket.TODAY: "Nothing due today. Ctrl+Shift+F schedules a follow-up.",
        Bucket.UPCOMING: "Nothing due in the next seven days.",
        Bucket.OPEN: "No open follow-ups. Ctrl+Shift+F schedules one.",
        Bucket.DONE: "Nothing cleared yet.",
    }[bucket]
