"""The main window: navigation, the contact list with lookup, and the contact's details.

The window is built in two steps: its frame (menus, toolbar, sidebar, the list) needs Qt
and the list's source alone, its parts (`desktop.ui.window_parts`) the open book. A
start with a first page read by sqlite3 (`db.first_page`) paints the frame with rows,
then opens the book and `attach`es it; given the book, the window does both at once.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QSignalBlocker,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from db.errors import CallsheetError
from db.list_query import ListQuery, SortColumn
from desktop.models.contact_list import COLUMNS, NAME, ContactListModel
from desktop.models.formats import number
from desktop.settings import PHONE_REGION
from desktop.ui.call_list_bar import CallListBar
from desktop.ui.contact_table import fill_columns_menu, make_contact_table
from desktop.ui.lookup_controller import LIMIT as LOOKUP_LIMIT
from desktop.ui.lookup_controller import make_lookup_box
from desktop.ui.settings import user_settings
from desktop.ui.sidebar import Sidebar, View
from desktop.ui.window_actions import build_actions, enable_actions
from desktop.ui.window_pages import make_follow_up_filter, side_by_side, stacked
from desktop.ui.window_state import restore_window, save_window
from desktop.ui.workers import JobRunner, executor

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from db.first_page import FirstPage
    from desktop.contact_book import ContactBook, NavigationCounts
    from desktop.credentials import CredentialStore
    from desktop.ui.backups import BackupsController
    from desktop.ui.calendar_view import CalendarView
    from desktop.ui.call_lists import CallListsController
    from desktop.ui.call_sheet import CallSheetWindow
    from desktop.ui.companies_controller import CompaniesController
    from desktop.ui.companies_view import CompaniesView
    from desktop.ui.company_bar import CompanyBar
    from desktop.ui.contact_detail import ContactDetailView
    from desktop.ui.contacts_controller import ContactsController
    from desktop.ui.demo_data import DemoDataController
    from desktop.ui.follow_up_actions import FollowUpActions
    from desktop.ui.follow_ups import FollowUps
    from desktop.ui.groups_controller import GroupsController
    from desktop.ui.interop import Interop
    from desktop.ui.lookup_controller import LookupController
    from desktop.ui.no_match import NoMatchPanel
    from desktop.ui.reminder_banner import ReminderBanner
    from desktop.ui.reminders import Reminders
    from desktop.ui.sync_controller import SyncController
    from desktop.ui.task_view import TaskView
    from desktop.ui.trash_view import TrashView

log = logging.getLogger(__name__)

MAX_SELECTION = 10_000
DETAIL_STRETCH = (3, 2)  # the list's and the detail pane's shares of the room
# Kept as the user left them; the others are enabled once the book is attached.
_OWN_STATE = ("undo", "redo", "toolbar_undo")


class MainWindow(QMainWindow):
    # The parts `attach` builds (desktop.ui.window_parts).
    follow_up_actions: FollowUpActions
    reminder_banner: ReminderBanner
    reminders: Reminders
    follow_ups: FollowUps
    interop: Interop
    detail: ContactDetailView
    company_bar: CompanyBar
    empty_state: QWidget
    no_match: NoMatchPanel
    trash_view: TrashView
    task_view: TaskView
    calendar_view: CalendarView
    companies_view: CompaniesView
    contacts: ContactsController
    groups: GroupsController
    companies: CompaniesController
    call_lists: CallListsController
    demo: DemoDataController
    backups: BackupsController
    sync: SyncController
    lookup: LookupController

    def __init__(
        self,
        book: ContactBook | None,
        default_region: str = "US",
        credentials: CredentialStore | None = None,
        *,
        first_page: FirstPage | None = None,
    ) -> None:
        """The window on `book`; or, with `book` None, its frame alone, the list showing
        `first_page` until `attach` gives it the book."""
        super().__init__()
        self.book: Any = book
        self.locale_region = default_region
        self.settings = user_settings()
        self.undo_stack = QUndoStack(self)
        self.jobs = JobRunner(self)
        self.view = View("all")
        self.attached = False
        self._counts_generation = 0
        self.setWindowTitle("Callsheet")
        self.setObjectName("mainWindow")
        self._build_frame(book if book is not None else first_page)
        if book is not None:
            self.attach(book, credentials)

    # Building
    def _build_frame(self, source: object) -> None:
        self.count_label = QLabel()
        self.statusBar().addPermanentWidget(self.count_label)
        self.model = ContactListModel(source, self)  # type: ignore[arg-type]
        self.model.counted.connect(self._update_status)
        self.model.sortRefused.connect(self._sort_refused)
        self.table = make_contact_table(self.model)
        self.table.horizontalHeader().customContextMenuRequested.connect(self._column_menu)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.update_actions())
        self.table.customContextMenuRequested.connect(self._list_menu)
        self.lookup_box = make_lookup_box()

        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        list_column = stacked(self.list_stack)  # the company bar goes above the list
        self.list_layout = list_column.layout()
        # The detail pane's place until it is built (given the book, it is built first).
        self.detail_placeholder = QWidget() if self.book is None else None
        self.contacts_split = side_by_side(
            "contactsSplit", list_column, self.detail_placeholder, DETAIL_STRETCH
        )
        self.call_list_bar = CallListBar()
        # The call list's bar spans the page, so starting one moves no splitter.
        self.contacts_page = stacked(self.call_list_bar, self.contacts_split, spacing=4)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.contacts_page)

        self.sidebar = Sidebar()
        self.sidebar.chosen.connect(self.show_view)
        self.main_split = side_by_side("mainSplit", self.sidebar, self.pages, (0, 1))
        self.main_split.setSizes([240, 1040])  # room for "Bergen distributors (30,078)"
        central = stacked(self.main_split, spacing=4)  # the reminder banner goes above
        self.top_layout = central.layout()
        self.setCentralWidget(central)

        self.follow_up_filter = make_follow_up_filter(self)
        self.resize(1280, 800)
        self._actions: dict[str, QAction] = build_actions(self)
        for name, action in self._actions.items():
            if name not in _OWN_STATE:
                action.setEnabled(False)
        self.follow_up_filter.setEnabled(False)
        restore_window(self)
        with QSignalBlocker(self.by_family_name_action):
            self.by_family_name_action.setChecked(self.model.name_sort is SortColumn.FILE_AS)
        with QSignalBlocker(self.sidebar):  # a group's item comes with the book's groups
            self.sidebar.select(self.view)
        self.model.refresh()
        if self.model.rowCount():
            self.model.load_now(0)  # the first paint shows rows, not blanks
            self.table.selectionModel().setCurrentIndex(
                self.model.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def attach(self, book: ContactBook, credentials: CredentialStore | None = None) -> None:
        """Finish the window on the open book: its parts, the sidebar's groups and
        counts, the view (as left, or as chosen meanwhile), reminders, backups, sync."""
        from desktop.ui.window_parts import build_parts  # loads SQLAlchemy and the models

        self.book = book
        self.model.book = book
        build_parts(self)
        self.attached = True
        for name, action in self._actions.items():
            if name not in _OWN_STATE:
                action.setEnabled(True)
        self.follow_up_filter.setEnabled(True)
        self.refresh_navigation()
        with QSignalBlocker(self.sidebar):  # shown once, below, not once per selection
            if not self.sidebar.select(self.view):
                self.view = View("all")
                self.sidebar.select(self.view)
        if self.lookup_box.text().strip():
            self.lookup.run()  # typed while the book was opening
        elif self.view.kind == "all":  # the rows shown stay, with the row chosen
            current = self.table.currentIndex()
            self.select_row(current.row() if current.isValid() else None)
        else:
            self.show_view(self.view)
        QTimer.singleShot(0, self.reminders.start)
        self.backups.start()
        self.sync.start(credentials)
        problem = self.settings.machine.problem
        if problem:
            log.warning("%s", problem)
            self.statusBar().showMessage(problem)

    # Navigation and refreshing
    def choose(self, view: View) -> None:
        if not self.sidebar.select(view):
            self.show_view(view)

    def show_view(self, view: View) -> None:
        if not self.attached:  # chosen while the book opens: shown once it is open
            self.view = view
            return
        self.detail.save_pending_note()
        self.view = view
        if view.kind == "trash":
            self.trash_view.reload()
            self.pages.setCurrentWidget(self.trash_view)
        elif view.kind == "calendar":
            self.calendar_view.reload()
            self.pages.setCurrentWidget(self.calendar_view)
            self.calendar_view.scroll_to_working_hours()
            self.calendar_view.setFocus()
        elif view.kind == "companies":
            self.companies_view.reload()
            self.pages.setCurrentWidget(self.companies_view)
            self.companies_view.search.setFocus()
        elif view.kind == "tasks":
            self.task_view.set_groups(self.book.groups())
            self.task_view.reload()
            self.pages.setCurrentWidget(self.task_view)
            self.task_view.table.setFocus()
        else:
            self.pages.setCurrentWidget(self.contacts_page)
            self.lookup.clear_quietly()
            self.browse()
        self.update_actions()

    def browse(self) -> None:
        self._show_company_bar()
        sort = self.model.query.sort
        descending = self.model.query.descending
        self.model.set_query(
            ListQuery(
                sort,
                descending,
                group_id=self.view.id if self.view.kind == "group" else None,
                company_id=self.view.id if self.view.kind == "company" else None,
                follow_up=self.follow_up_filter.currentData(),
            )
        )
        self.select_row(0 if self.model.rowCount() else None)

    def _show_company_bar(self) -> None:
        details = None
        if self.view.kind == "company" and self.view.id is not None:
            try:
                details = self.book.company(self.view.id)
            except CallsheetError:
                details = None
        self.company_bar.show_company(details)

    def refresh_navigation(self) -> None:
        """Re-read groups (and companies, when shown); counts follow from a worker."""
        try:
            self.sidebar.set_groups(self.book.groups())
            if self.view.kind == "companies":
                self.companies_view.reload()
        except CallsheetError as error:
            self.show_error(error)
        self._counts_generation += 1
        generation = self._counts_generation
        self.jobs.start(
            self.book.navigation_counts,
            on_done=lambda counts: self._counts_done(generation, counts),
            on_failed=self.show_error,
        )

    def _counts_done(self, generation: int, counts: NavigationCounts) -> None:
        if generation == self._counts_generation:
            self.sidebar.set_counts(counts)

    def refresh_all(self, select: uuid.UUID | None = None) -> None:
        """Re-read everything shown after a change (and select `select` if given)."""
        current = select
        if current is None and self.detail.details is not None:
            current = self.detail.details.id
        self.refresh_navigation()
        if self.view.kind == "trash":
            self.trash_view.reload()
            return
        if self.view.kind == "tasks":
            self.task_view.reload()
            return
        if self.view.kind == "calendar":
            self.calendar_view.reload()
            return
        if self.model.in_lookup:
            # Ask again: an undo or restore may have brought back a match.
            self.lookup.run(select=current)
            return
        self._show_company_bar()
        was_at = self.model.loaded_row_of(current) if current is not None else None
        self.model.refresh()
        row = self._row_after_refresh(current, was_at)
        if row is None and current is None and self.model.rowCount():
            row = 0
        self.select_row(row)
        if row is None and current is not None and select is not None:
            self.detail.show_contact(current)
        self.update_actions()

    def _row_after_refresh(self, contact_id: uuid.UUID | None, was_at: int | None) -> int | None:
        """The contact's row once the list is read again: where it was, when a change
        left it there (counting the rows before it costs 0.2 s in a big group at a
        million), else wherever it now is."""
        if contact_id is None:
            return None
        if was_at is not None:
            found = self.model.load_now(was_at)
            if found is not None and found.id == contact_id:
                return was_at
        return self.row_of(contact_id)

    def row_of(self, contact_id: uuid.UUID) -> int | None:
        """The contact's row in the list shown: among the rows read (a call list's next
        contact is), else counted in the book (a big group at a million: 0.2 s)."""
        loaded = self.model.loaded_row_of(contact_id)
        if loaded is not None or self.model.in_lookup:
            return loaded
        try:
            return self.book.position(self.model.query, contact_id)
        except CallsheetError:
            return None

    def select_row(self, row: int | None) -> None:
        nothing = self.model.rowCount() == 0
        if nothing and self.model.in_lookup:
            self.list_stack.setCurrentWidget(self.no_match)
        elif nothing and self.view.kind == "all":
            self.list_stack.setCurrentWidget(self.empty_state)
        else:
            self.list_stack.setCurrentWidget(self.table)
        if row is None or row >= self.model.rowCount():
            self.table.clearSelection()
            self.detail.show_contact(None)
            return
        index = self.model.index(row, 0)
        selection = self.table.selectionModel()
        moved = selection.currentIndex().row() != row
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        if not moved:  # no currentRowChanged: the contact there may still be another one
            self._current_changed(index, QModelIndex())

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self.attached:
            return
        if not current.isValid():
            self.detail.show_contact(None)
        else:
            row = self.model.load_now(current.row())
            self.detail.show_contact(row.id if row else None)
        self.update_actions()

    def _update_status(self, count: int) -> None:
        shown = number(count)
        if self.model.in_lookup:
            text = self.lookup_box.text().strip()
            more = " (the best matches; type more to narrow)" if count >= LOOKUP_LIMIT else ""
            self.count_label.setText(f"{shown} found for “{text}”{more}")
        else:
            self.count_label.setText(f"{shown} contact{'s' if count != 1 else ''}")

    def _sort_refused(self, why: str) -> None:
        self.statusBar().showMessage(why, 10_000)
        column = next((n for n, c in enumerate(COLUMNS) if c.sort is self.model.query.sort), NAME)
        order = (
            Qt.SortOrder.DescendingOrder
            if self.model.query.descending
            else Qt.SortOrder.AscendingOrder
        )
        header = self.table.horizontalHeader()
        QTimer.singleShot(0, lambda: header.setSortIndicator(column, order))

    def update_actions(self) -> None:
        if self.attached:
            enable_actions(self)

    # Contacts
    def selected_ids(self) -> list[uuid.UUID]:
        selection = self.table.selectionModel().selection()
        if sum(span.height() for span in selection) > MAX_SELECTION:
            QMessageBox.information(
                self, "Too many selected", f"Select at most {MAX_SELECTION:,} contacts at a time."
            )
            return []
        ids = []
        rows = self.table.selectionModel().selectedRows()
        for index in sorted(rows, key=lambda i: i.row()):
            row = self.model.load_now(index.row())
            if row is not None:
                ids.append(row.id)
        if not ids and self.detail.details is not None:
            ids.append(self.detail.details.id)
        return ids

    def sort_names_by_family(self, by_family: bool) -> None:
        """View > Sort Names by Last Name: the Name column files people by family name."""
        name_sort = SortColumn.FILE_AS if by_family else SortColumn.NAME
        self.model.name_sort = name_sort
        query = self.model.query
        if query.sort in (SortColumn.NAME, SortColumn.FILE_AS) and query.sort is not name_sort:
            self.model.set_query(replace(query, sort=name_sort))

    @property
    def default_region(self) -> str:
        """The region numbers typed without +country code are read in: the one chosen in
        Preferences, else this computer's locale's."""
        return self.settings.get(PHONE_REGION) or self.locale_region

    def edit_preferences(self, page: str | None = None) -> None:
        """Dialing, the phone region, profile fetching, backups and sync; an open call
        sheet picks the change up, and a sync account just added syncs at once."""
        from desktop.ui.preferences import PreferencesDialog  # loads the social sources

        dialog = PreferencesDialog(
            self.settings,
            self,
            credentials=self.sync.credentials,
            locale_region=self.locale_region,
            book=self.book,
            page=page,
        )
        accounts_changed = False
        if dialog.sync_page is not None:

            def changed() -> None:
                nonlocal accounts_changed
                accounts_changed = True

            dialog.sync_page.accountsChanged.connect(changed)
        if dialog.exec():
            self.follow_up_actions.settings_changed()
            self.backups.apply_settings()
            self.sync.apply_settings()
        if accounts_changed and not self.sync.running:
            self.sync.sync(asked=True)
        dialog.deleteLater()

    def view_name(self) -> str:
        if self.view.kind == "group":
            names = {g.id: g.name for g in self.book.groups()}
            return names.get(self.view.id, "Group")  # type: ignore[arg-type]
        if self.view.kind == "company" and self.view.id is not None:
            return self.book.company(self.view.id).draft.name
        return "All contacts"

    def bring_to_front(self) -> None:
        """Show the window on top (another start of Callsheet asked for it)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    @property
    def call_sheet(self) -> CallSheetWindow | None:
        return self.follow_up_actions.sheet

    def show_contact(self, contact_id: uuid.UUID) -> None:
        """Show a contact from anywhere (the task list, a reminder, the calendar)."""
        if self.view.kind not in ("all", "group", "company") or self.model.in_lookup:
            self.choose(View("all"))
        self.select_contact(contact_id)
        self.update_actions()

    def select_contact(self, contact_id: uuid.UUID) -> None:
        """Select the contact's row in the list shown, or show it alone if not there."""
        row = self.row_of(contact_id)
        if row is not None:
            self.select_row(row)
        else:
            self.table.clearSelection()
            self.detail.show_contact(contact_id)

    def on_contacts_page(self) -> bool:
        return self.pages.currentWidget() is self.contacts_page

    def add_note(self) -> None:
        if self.detail.details is not None:
            self.detail.start_new_note()

    # Import, export, duplicates
    def export(self) -> None:
        """File > Export, offering what is shown: a lookup, a group, the selection."""
        from desktop.ui.export_dialog import shown_scopes

        group = (self.view.id, self.view_name()) if self.view.kind == "group" else None
        looked_up = self.lookup_box.text().strip() if self.model.in_lookup else None
        selected = self.selected_ids() if self.table.selectionModel().selectedRows() else []
        self.interop.export(shown_scopes(self.book, group, looked_up, selected))  # type: ignore[arg-type]

    def after_interop(self, select: uuid.UUID | None) -> None:
        self.refresh_all(select=select)
        self.detail.reload()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from desktop.ui.interop import dropped_import_file

        if dropped_import_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        from desktop.ui.interop import dropped_import_file

        path = dropped_import_file(event.mimeData())
        if path is None:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        # After the drop has finished: the wizard's event loop must not run inside it.
        QTimer.singleShot(0, lambda: self.interop.import_file(path))

    # Menus and errors
    def _column_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        fill_columns_menu(menu, self.table.horizontalHeader())
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))

    def _list_menu(self, position: QPoint) -> None:
        names = ("edit", "note", "add_to_group", "remove_from_group", "delete")
        menu = QMenu(self)
        for action in (getattr(self, f"{name}_action") for name in names):
            if action.isEnabled():
                menu.addAction(action)
        if not menu.isEmpty():
            menu.exec(self.table.viewport().mapToGlobal(position))

    def show_error(self, error: object) -> None:
        QMessageBox.warning(self, "Callsheet", str(error))

    # Settings
    def save_settings(self) -> None:
        save_window(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.attached:
            self.detail.save_pending_note()
            self.sync.stop()
        self.save_settings()
        jobs = executor()
        jobs.cancel(owner=self)
        jobs.wait()
        super().closeEvent(event)
