"""The main window: navigation, the contact list with lookup, and the contact's details."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING

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
)

from db.contacts import ListQuery, SortColumn
from db.errors import CallsheetError
from desktop.contact_book import ContactBook, NavigationCounts
from desktop.credentials import CredentialStore
from desktop.models.contact_list import COLUMNS, NAME, ContactListModel
from desktop.models.formats import number
from desktop.settings import PHONE_REGION
from desktop.ui.backups import BackupsController
from desktop.ui.call_list_bar import CallListBar
from desktop.ui.call_lists import CallListsController
from desktop.ui.companies_controller import CompaniesController
from desktop.ui.companies_view import CompaniesView
from desktop.ui.company_bar import CompanyBar
from desktop.ui.contact_detail import ContactDetailView
from desktop.ui.contact_table import fill_columns_menu, make_contact_table, make_empty_state
from desktop.ui.contacts_controller import ContactsController
from desktop.ui.demo_data import DEMO_COUNT, DemoDataController
from desktop.ui.export_dialog import shown_scopes
from desktop.ui.follow_up_actions import FollowUpActions
from desktop.ui.follow_ups import FollowUps
from desktop.ui.groups_controller import GroupsController
from desktop.ui.interop import Interop, dropped_import_file
from desktop.ui.lookup_controller import LIMIT as LOOKUP_LIMIT
from desktop.ui.lookup_controller import LookupController
from desktop.ui.no_match import NoMatchPanel
from desktop.ui.settings import user_settings
from desktop.ui.sidebar import Sidebar, View
from desktop.ui.sync_controller import SyncController
from desktop.ui.window_actions import build_actions, enable_actions
from desktop.ui.window_pages import (
    make_calendar_view,
    make_follow_up_filter,
    make_task_view,
    make_trash_view,
    side_by_side,
    stacked,
)
from desktop.ui.window_state import restore_window, save_window
from desktop.ui.workers import JobRunner, executor

if TYPE_CHECKING:
    from desktop.ui.call_sheet import CallSheetWindow

log = logging.getLogger(__name__)

MAX_SELECTION = 10_000


class MainWindow(QMainWindow):
    def __init__(
        self,
        book: ContactBook,
        default_region: str = "US",
        credentials: CredentialStore | None = None,
    ) -> None:
        super().__init__()
        self.book = book
        self.locale_region = default_region
        self.settings = user_settings()
        self.undo_stack = QUndoStack(self)
        self.jobs = JobRunner(self)
        self.view = View("all")
        self._counts_generation = 0
        self.setWindowTitle("Callsheet")
        self.setObjectName("mainWindow")
        self._build()
        self.contacts = ContactsController(self)
        self.groups = GroupsController(self)
        self.companies = CompaniesController(self)
        self.call_lists = CallListsController(self)
        self.demo = DemoDataController(self)
        self.backups = BackupsController(self)
        self.sync = SyncController(self)
        build_actions(self)
        self.update_actions()
        restore_window(self)
        with QSignalBlocker(self.by_family_name_action):
            self.by_family_name_action.setChecked(self.model.name_sort is SortColumn.FILE_AS)
        self.refresh_navigation()
        with QSignalBlocker(self.sidebar):  # shown once, below, not once per selection
            if not self.sidebar.select(self.view):
                self.view = View("all")
                self.sidebar.select(self.view)
        self.show_view(self.view)
        QTimer.singleShot(0, self.reminders.start)
        self.backups.start()
        self.sync.start(credentials)
        problem = self.settings.machine.problem
        if problem:
            log.warning("%s", problem)
            self.statusBar().showMessage(problem)

    # Building
    def _build(self) -> None:
        self.follow_up_actions = FollowUpActions(self)
        self.reminder_banner = self.follow_up_actions.banner
        self.reminders = self.follow_up_actions.reminders
        self.count_label = QLabel()
        self.statusBar().addPermanentWidget(self.count_label)
        self.model = ContactListModel(self.book, self)
        self.model.counted.connect(self._update_status)
        self.model.sortRefused.connect(self._sort_refused)
        self.table = make_contact_table(self.model)
        self.table.horizontalHeader().customContextMenuRequested.connect(self._column_menu)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.update_actions())
        self.table.activated.connect(lambda _index: self.contacts.edit())
        self.table.customContextMenuRequested.connect(self._list_menu)
        self.lookup = LookupController(self)
        self.lookup_box = self.lookup.box

        self.empty_state = make_empty_state(
            lambda: self.contacts.new(), lambda: self.demo.load(DEMO_COUNT), DEMO_COUNT
        )
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_state)
        self.no_match = NoMatchPanel()
        self.no_match.createRequested.connect(lambda text: self.contacts.new(named=text))
        self.list_stack.addWidget(self.no_match)

        self.detail = ContactDetailView(self.book, self.undo_stack)
        self.detail.editRequested.connect(lambda: self.contacts.edit())
        self.detail.companyChosen.connect(lambda cid: self.choose(View("company", cid)))
        self.detail.failed.connect(self.show_error)
        self.follow_ups = FollowUps(self.book, self.undo_stack, self, self.settings)
        self.follow_ups.changed.connect(self.follow_up_actions.changed)
        self.follow_ups.failed.connect(self.show_error)
        self.follow_ups.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.detail.scheduleRequested.connect(self.follow_up_actions.schedule)
        self.detail.recordRequested.connect(self.follow_up_actions.record_history)
        self.detail.historyEditRequested.connect(self.follow_ups.edit_history)
        self.detail.clearRequested.connect(self.follow_ups.clear)
        self.detail.editActivityRequested.connect(self.follow_ups.edit)
        self.interop = Interop(self.book, self.undo_stack, self.settings, self)
        self.interop.changed.connect(self._after_interop)
        self.interop.failed.connect(self.show_error)
        self.interop.message.connect(lambda text: self.statusBar().showMessage(text, 15_000))
        self.setAcceptDrops(True)
        self.detail.sheetRequested.connect(lambda: self.follow_up_actions.open_sheet())

        self.company_bar = CompanyBar()
        self.company_bar.editRequested.connect(lambda: self.companies.edit())
        self.call_list_bar = CallListBar()
        self.call_list_bar.previousRequested.connect(lambda: self.call_lists.previous())
        self.call_list_bar.nextRequested.connect(lambda: self.call_lists.next())
        self.call_list_bar.logRequested.connect(self.follow_up_actions.record_history)
        self.call_list_bar.endRequested.connect(lambda: self.call_lists.end())
        self.contacts_split = side_by_side(
            "contactsSplit",
            stacked(self.company_bar, self.list_stack),
            self.detail,
            (3, 2),
        )
        # The call list's bar spans the page, so starting one moves no splitter.
        self.contacts_page = stacked(self.call_list_bar, self.contacts_split, spacing=4)

        self.trash_view = make_trash_view(self)
        self.companies_view = CompaniesView(self.book)
        self.companies_view.companyChosen.connect(lambda cid: self.choose(View("company", cid)))
        self.companies_view.newRequested.connect(lambda: self.companies.new())
        self.companies_view.failed.connect(self.show_error)
        self.task_view = make_task_view(self)
        self.calendar_view = make_calendar_view(self)
        self.pages = QStackedWidget()
        pages = (
            self.contacts_page,
            self.trash_view,
            self.task_view,
            self.calendar_view,
            self.companies_view,
        )
        for page in pages:
            self.pages.addWidget(page)

        self.sidebar = Sidebar()
        self.sidebar.chosen.connect(self.show_view)
        self.sidebar.newGroupRequested.connect(lambda: self.groups.new())
        self.sidebar.contactsDropped.connect(lambda gid, ids: self.groups.dropped_on(gid, ids))
        self.sidebar.renameGroupRequested.connect(lambda gid: self.groups.rename(gid))
        self.sidebar.deleteGroupRequested.connect(lambda gid: self.groups.delete(gid))

        self.main_split = side_by_side("mainSplit", self.sidebar, self.pages, (0, 1))
        self.main_split.setSizes([240, 1040])  # room for "Bergen distributors (30,078)"
        self.setCentralWidget(stacked(self.reminder_banner, self.main_split, spacing=4))

        self.follow_up_filter = make_follow_up_filter(self)
        self.resize(1280, 800)

    # Navigation and refreshing
    def choose(self, view: View) -> None:
        if not self.sidebar.select(view):
            self.show_view(view)

    def show_view(self, view: View) -> None:
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
        group = (self.view.id, self.view_name()) if self.view.kind == "group" else None
        looked_up = self.lookup_box.text().strip() if self.model.in_lookup else None
        selected = self.selected_ids() if self.table.selectionModel().selectedRows() else []
        self.interop.export(shown_scopes(self.book, group, looked_up, selected))  # type: ignore[arg-type]

    def _after_interop(self, select: uuid.UUID | None) -> None:
        self.refresh_all(select=select)
        self.detail.reload()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_import_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
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
        self.detail.save_pending_note()
        self.save_settings()
        self.sync.stop()
        jobs = executor()
        jobs.cancel(owner=self)
        jobs.wait()
        super().closeEvent(event)
