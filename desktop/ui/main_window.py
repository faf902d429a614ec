"""The main window: navigation, the contact list with lookup, and the contact's details."""

from __future__ import annotations

import html
import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QSystemTrayIcon,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from db.activities import ActivityDraft, AlarmRow
from db.contacts import (
    ContactDetails,
    ContactDraft,
    ContactRow,
    ListQuery,
    SortColumn,
    compose_display_name,
)
from db.errors import CallsheetError
from db.follow_up import FollowUpFilter
from desktop import __version__
from desktop.calls.call_list import MAX_CALL_LIST, CallList
from desktop.calls.dialer import DialSettings
from desktop.contact_book import ContactBook, NavigationCounts
from desktop.interop.kinds import IMPORT_SUFFIXES
from desktop.models.contact_list import COLUMNS, NAME, ContactListModel
from desktop.models.formats import number
from desktop.settings import LIST_DESCENDING, LIST_SORT, LIST_VIEW
from desktop.social.refresh import RefreshPolicy
from desktop.ui.calendar_view import CalendarView
from desktop.ui.call_list_bar import CallListBar
from desktop.ui.call_sheet import CallSheetWindow
from desktop.ui.company_bar import CompanyBar
from desktop.ui.company_dialog import CompanyDialog
from desktop.ui.contact_detail import ContactDetailView
from desktop.ui.contact_dialog import ContactDialog
from desktop.ui.export_dialog import Scope
from desktop.ui.follow_ups import FollowUps, confirm_open_activities
from desktop.ui.import_history import ImportHistory
from desktop.ui.interop import Interop
from desktop.ui.preferences import PreferencesDialog
from desktop.ui.reminder_banner import ReminderBanner
from desktop.ui.reminders import Reminders
from desktop.ui.reminders import describe as describe_alarm
from desktop.ui.settings import user_settings
from desktop.ui.sidebar import Sidebar, View
from desktop.ui.task_view import TaskView
from desktop.ui.trash_view import TrashView
from desktop.ui.undo import (
    ChangeMembership,
    CreateContact,
    EditCompany,
    EditContact,
    TrashCompany,
    TrashContacts,
    TrashGroup,
)
from desktop.ui.workers import JobRunner, executor

log = logging.getLogger(__name__)

LOOKUP_DELAY_MS = 150
LOOKUP_LIMIT = 200
MAX_SELECTION = 10_000
DEMO_COUNT = 1000


class MainWindow(QMainWindow):
    def __init__(
        self,
        book: ContactBook,
        default_region: str = "US",
    ) -> None:
        super().__init__()
        self.book = book
        self.default_region = default_region
        self.settings = user_settings()
        self.undo_stack = QUndoStack(self)
        self.jobs = JobRunner(self)
        self.view = View("all")
        self._lookup_generation = 0
        self._counts_generation = 0
        self.setWindowTitle("Callsheet")
        self.setObjectName("mainWindow")
        self._build()
        self._build_actions()
        self._restore_settings()
        self.refresh_navigation()
        if not self.sidebar.select(self.view):
            self.view = View("all")
            self.sidebar.select(self.view)
        self._show_view(self.view)
        QTimer.singleShot(0, self.reminders.start)
        problem = self.settings.machine.problem
        if problem:
            log.warning("%s", problem)
            self.statusBar().showMessage(problem)

    # Building
    def _build(self) -> None:
        self.count_label = QLabel()
        self.statusBar().addPermanentWidget(self.count_label)
        self.model = ContactListModel(self.book, self)
        self.model.counted.connect(self._update_status)
        self.model.sortRefused.connect(self._sort_refused)
        self.table = QTableView()
        self.table.setObjectName("contactList")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSortIndicator(NAME, Qt.SortOrder.AscendingOrder)
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        for column, width in enumerate((190, 180, 150, 220, 140, 120, 90, 110, 130)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.table.activated.connect(lambda _index: self.edit_contact())
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._list_menu)

        self.empty_state = self._build_empty_state()
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_state)

        self.detail = ContactDetailView(self.book, self.undo_stack)
        self.detail.editRequested.connect(self.edit_contact)
        self.detail.companyChosen.connect(lambda cid: self._choose(View("company", cid)))
        self.detail.failed.connect(self.show_error)
        self.follow_ups = FollowUps(self.book, self.undo_stack, self)
        self.follow_ups.changed.connect(self._follow_ups_changed)
        self.follow_ups.failed.connect(self.show_error)
        self.follow_ups.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.detail.scheduleRequested.connect(self.schedule_follow_up)
        self.detail.recordRequested.connect(self.record_history)
        self.detail.clearRequested.connect(self.follow_ups.clear)
        self.detail.editActivityRequested.connect(self.follow_ups.edit)
        self.interop = Interop(self.book, self.undo_stack, self.settings, self.default_region, self)
        self.interop.changed.connect(self._after_interop)
        self.interop.failed.connect(self.show_error)
        self.interop.message.connect(lambda text: self.statusBar().showMessage(text, 15_000))
        self.setAcceptDrops(True)
        self.call_sheet: CallSheetWindow | None = None
        self.detail.sheetRequested.connect(lambda: self.open_call_sheet())

        self.company_bar = CompanyBar()
        self.company_bar.editRequested.connect(self.edit_company)
        list_side = QWidget()
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(0)
        list_layout.addWidget(self.company_bar)
        list_layout.addWidget(self.list_stack, 1)
        self.call_list: CallList | None = None
        self.call_list_bar = CallListBar()
        self.call_list_bar.previousRequested.connect(self.previous_in_call_list)
        self.call_list_bar.nextRequested.connect(self.next_in_call_list)
        self.call_list_bar.logRequested.connect(self.record_history)
        self.call_list_bar.endRequested.connect(self.end_call_list)
        detail_side = QWidget()
        detail_layout = QVBoxLayout(detail_side)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.setSpacing(4)
        detail_layout.addWidget(self.call_list_bar)
        detail_layout.addWidget(self.detail, 1)
        self.contacts_split = _splitter("contactsSplit", list_side, detail_side, (3, 2))

        self.trash_view = TrashView(self.book)
        self.trash_view.changed.connect(self.refresh_all)
        self.trash_view.failed.connect(self.show_error)
        self.task_view = TaskView(self.book)
        self.task_view.contactRequested.connect(self.show_contact)
        self.task_view.sheetRequested.connect(self.open_call_sheet)
        self.task_view.scheduleRequested.connect(self.schedule_follow_up)
        self.task_view.clearRequested.connect(self.follow_ups.clear)
        self.task_view.editRequested.connect(self.follow_ups.edit)
        self.task_view.deleteRequested.connect(self.follow_ups.delete)
        self.task_view.failed.connect(self.show_error)
        self.task_view.counted.connect(
            lambda n: self.count_label.setText(f"{number(n)} task{'s' if n != 1 else ''}")
        )
        self.pages = QStackedWidget()
        self.pages.addWidget(self.contacts_split)
        self.pages.addWidget(self.trash_view)
        self.pages.addWidget(self.task_view)
        self.calendar_view = CalendarView(self.book)
        self.calendar_view.rescheduleRequested.connect(self.follow_ups.reschedule)
        self.calendar_view.editRequested.connect(self.follow_ups.edit)
        self.calendar_view.scheduleAtRequested.connect(self.schedule_at)
        self.calendar_view.failed.connect(self.show_error)
        self.calendar_view.counted.connect(
            lambda n: self.count_label.setText(
                f"{number(n)} follow-up{'s' if n != 1 else ''} shown"
            )
        )
        self.pages.addWidget(self.calendar_view)

        self.sidebar = Sidebar()
        self.sidebar.chosen.connect(self._show_view)
        self.sidebar.newGroupRequested.connect(self.new_group)
        self.sidebar.contactsDropped.connect(self._dropped_on_group)
        self.sidebar.renameGroupRequested.connect(self.rename_group)
        self.sidebar.deleteGroupRequested.connect(self.delete_group)
        self.sidebar.itemExpanded.connect(self._expanded)

        self.main_split = _splitter("mainSplit", self.sidebar, self.pages, (0, 1))
        self.main_split.setSizes([220, 1060])
        self.reminder_banner = ReminderBanner()
        self.reminders = Reminders(self.book, self)
        self.reminders.due.connect(self._reminders_due)
        self.reminders.failed.connect(self.show_error)
        self.reminder_banner.snoozed.connect(self.reminders.snooze)
        self.reminder_banner.dismissed.connect(self.reminders.dismiss)
        self.reminder_banner.openRequested.connect(self._open_reminder)
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self.windowIcon(), self)
            self.tray.setToolTip("Callsheet")
            self.tray.messageClicked.connect(lambda: self.reminder_banner.open_current())
            self.tray.show()
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(4)
        central_layout.addWidget(self.reminder_banner)
        central_layout.addWidget(self.main_split, 1)
        self.setCentralWidget(central)

        self.lookup_box = QLineEdit()
        self.lookup_box.setObjectName("lookupBox")
        self.lookup_box.setPlaceholderText("Look up name, company, email, phone or city  (Ctrl+F)")
        self.lookup_box.setClearButtonEnabled(True)
        self.lookup_box.setMinimumWidth(360)
        self.lookup_timer = QTimer(self)
        self.lookup_timer.setSingleShot(True)
        self.lookup_timer.setInterval(LOOKUP_DELAY_MS)
        self.lookup_timer.timeout.connect(self.run_lookup)
        self.lookup_box.textChanged.connect(lambda _text: self.lookup_timer.start())
        self.lookup_box.returnPressed.connect(self._lookup_enter)
        self.lookup_box.installEventFilter(self)
        self.table.installEventFilter(self)
        self.follow_up_filter = QComboBox()
        self.follow_up_filter.setObjectName("followUpFilter")
        self.follow_up_filter.setToolTip("Show contacts by their follow-up state")
        self.follow_up_filter.addItem("Any follow-up state", None)
        self.follow_up_filter.addItem("No next step", FollowUpFilter.NO_NEXT_STEP)
        self.follow_up_filter.addItem("Next step overdue", FollowUpFilter.OVERDUE)
        self.follow_up_filter.addItem("Next step scheduled", FollowUpFilter.HAS_NEXT_STEP)
        self.follow_up_filter.currentIndexChanged.connect(lambda _i: self._show_view(self.view))

        self.resize(1280, 800)

    def _build_empty_state(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("emptyState")
        title = QLabel("No contacts yet")
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        text = QLabel(
            "Add the people you sell to, or try Callsheet with demo data.\n"
            "Everything stays on this computer; no server needed."
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        new = QPushButton("New contact (Ctrl+N)")
        new.clicked.connect(self.new_contact)
        demo = QPushButton(f"Try demo data ({DEMO_COUNT:,} contacts)")
        demo.setObjectName("demoButton")
        demo.clicked.connect(lambda: self.load_demo_data(DEMO_COUNT))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(new)
        buttons.addWidget(demo)
        buttons.addStretch(1)
        layout = QVBoxLayout(panel)
        layout.addStretch(1)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(text)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(2)
        return panel

    def _action(
        self, text: str, slot: object, shortcut: QKeySequence | str | None = None, tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action(
            "&New Contact…", self.new_contact, QKeySequence.StandardKey.New, "Add a contact"
        )
        self.edit_action = self._action(
            "&Edit Contact…", self.edit_contact, "Ctrl+E", "Edit the selected contact"
        )
        self.delete_action = self._action(
            "&Delete",
            self.delete_contacts,
            QKeySequence.StandardKey.Delete,
            "Move the selected contacts to the Trash",
        )
        self.find_action = self._action(
            "&Look Up…",
            self.focus_lookup,
            QKeySequence.StandardKey.Find,
            "Find contacts by any fragment",
        )
        self.note_action = self._action(
            "Add &Note", self.add_note, "Ctrl+Shift+N", "Write a note on the selected contact"
        )
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.import_action = self._action(
            "&Import…",
            lambda: self.interop.import_file(),
            "Ctrl+I",
            "Bring in contacts (CSV, vCard) or follow-ups (iCalendar); you see what happens first",
        )
        self.export_action = self._action(
            "&Export…",
            self.export,
            "Ctrl+Shift+E",
            "Write contacts to a CSV or vCard file, or follow-ups to an iCalendar file",
        )
        self.import_history_action = self._action(
            "Import &History…",
            self.show_import_history,
            tip="Every import, and taking back an earlier one",
        )
        self.duplicates_action = self._action(
            "Find &Duplicates…",
            self.interop.find_duplicates,
            "Ctrl+Shift+D",
            "Records that look like the same person, to merge",
        )
        self.merge_action = self._action(
            "&Merge Selected Contacts…",
            lambda: self.interop.merge(self.selected_ids()),
            "Ctrl+M",
            "Merge the selected records of one person into one",
        )
        self.demo_action = self._action("Add &Demo Data…", self.ask_demo_data)
        self.preferences_action = self._action(
            "&Preferences…", self.edit_preferences, QKeySequence.StandardKey.Preferences
        )
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.new_group_action = self._action("&New Group…", self.new_group)
        self.add_to_group_action = self._action(
            "&Add Selected to Group…", self.add_to_group, "Ctrl+G"
        )
        self.remove_from_group_action = self._action(
            "&Remove Selected from This Group", self.remove_from_group
        )
        self.rename_group_action = self._action(
            "Re&name This Group…", lambda: self.rename_group(self.view.id)
        )
        self.delete_group_action = self._action(
            "&Delete This Group", lambda: self.delete_group(self.view.id)
        )
        self.all_action = self._action("&All Contacts", lambda: self._choose(View("all")), "Ctrl+1")
        self.trash_action = self._action("&Trash", lambda: self._choose(View("trash")), "Ctrl+2")
        self.tasks_action = self._action("Tas&ks", lambda: self._choose(View("tasks")), "Ctrl+3")
        self.calendar_action = self._action(
            "&Calendar", lambda: self._choose(View("calendar")), "Ctrl+4"
        )
        self.schedule_action = self._action(
            "&Schedule Follow-up…",
            self.schedule_follow_up,
            "Ctrl+Shift+F",
            "Schedule a call, meeting, to-do or email with the selected contacts",
        )
        self.record_action = self._action(
            "&Record History…",
            self.record_history,
            "Ctrl+H",
            "Log a call, meeting or email that was not scheduled",
        )
        self.sheet_action = self._action(
            "Call S&heet",
            lambda: self.open_call_sheet(),
            "F9",
            "The call sheet of the contact shown: local time, dialing, history, profiles",
        )
        self.call_list_action = self._action(
            "Make &Call List",
            self.make_call_list,
            "Ctrl+Shift+L",
            "Walk the contacts shown (a group, a lookup or a selection) one after another",
        )
        self.next_in_list_action = self._action(
            "&Next in Call List", self.next_in_call_list, "Alt+Right"
        )
        self.previous_in_list_action = self._action(
            "&Previous in Call List", self.previous_in_call_list, "Alt+Left"
        )
        self.new_company_action = self._action("&New Company…", self.new_company)
        self.edit_company_action = self._action("&Edit This Company…", self.edit_company)
        self.delete_company_action = self._action("&Delete This Company", self.delete_company)

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.import_history_action)
        file_menu.addSeparator()
        file_menu.addAction(self.demo_action)
        file_menu.addAction(self.preferences_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.edit_action)
        edit_menu.addAction(self.note_action)
        edit_menu.addAction(self.delete_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.merge_action)
        edit_menu.addAction(self.duplicates_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.all_action)
        view_menu.addAction(self.trash_action)
        view_menu.addAction(self.tasks_action)
        view_menu.addAction(self.calendar_action)
        self.columns_menu = view_menu.addMenu("&Columns")
        self.columns_menu.aboutToShow.connect(lambda: self._fill_columns_menu(self.columns_menu))
        follow_menu = self.menuBar().addMenu("F&ollow-ups")
        follow_menu.addAction(self.schedule_action)
        follow_menu.addAction(self.record_action)
        follow_menu.addSeparator()
        follow_menu.addAction(self.sheet_action)
        follow_menu.addAction(self.call_list_action)
        follow_menu.addAction(self.next_in_list_action)
        follow_menu.addAction(self.previous_in_list_action)
        follow_menu.addSeparator()
        follow_menu.addAction(self.tasks_action)
        follow_menu.addAction(self.calendar_action)
        groups_menu = self.menuBar().addMenu("&Groups")
        for action in (
            self.new_group_action,
            self.add_to_group_action,
            self.remove_from_group_action,
            self.rename_group_action,
            self.delete_group_action,
        ):
            groups_menu.addAction(action)
        companies_menu = self.menuBar().addMenu("&Companies")
        for action in (
            self.new_company_action,
            self.edit_company_action,
            self.delete_company_action,
        ):
            companies_menu.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("&About Callsheet", self.about))

        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.new_action)
        toolbar.addAction(self.edit_action)
        toolbar.addAction(self.delete_action)
        # The menu's Undo says what it undoes; the toolbar's keeps one width and says it
        # in its tooltip, so the lookup box does not jump around.
        self.toolbar_undo = self._action("Undo", self.undo_stack.undo)
        self.toolbar_undo.setEnabled(False)
        self.undo_stack.canUndoChanged.connect(self.toolbar_undo.setEnabled)
        self.undo_stack.undoTextChanged.connect(
            lambda text: self.toolbar_undo.setToolTip(f"Undo {text} (Ctrl+Z)" if text else "Undo")
        )
        toolbar.addAction(self.toolbar_undo)
        toolbar.addSeparator()
        toolbar.addAction(self.schedule_action)
        toolbar.addAction(self.record_action)
        toolbar.addAction(self.sheet_action)
        toolbar.addSeparator()
        toolbar.addWidget(self.lookup_box)
        toolbar.addWidget(self.follow_up_filter)
        self.addToolBar(toolbar)
        self.schedule_action.setIconText("Schedule…")
        self.record_action.setIconText("Log…")
        for action in (
            self.new_action,
            self.edit_action,
            self.delete_action,
            self.find_action,
            self.schedule_action,
            self.record_action,
        ):
            action.setToolTip(
                f"{action.text().replace('&', '').rstrip('…')} "
                f"({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
            )
        self._update_actions()

    # Navigation and refreshing
    def _choose(self, view: View) -> None:
        if view.kind == "company" and not self.sidebar.select(view):
            self.sidebar.set_companies(self.book.companies())
        if not self.sidebar.select(view):
            self._show_view(view)

    def _show_view(self, view: View) -> None:
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
        elif view.kind == "tasks":
            self.task_view.set_groups(self.book.groups())
            self.task_view.reload()
            self.pages.setCurrentWidget(self.task_view)
            self.task_view.table.setFocus()
        else:
            self.pages.setCurrentWidget(self.contacts_split)
            self.lookup_box.blockSignals(True)
            self.lookup_box.clear()
            self.lookup_box.blockSignals(False)
            self._lookup_generation += 1
            self._browse()
        self._update_actions()

    def _browse(self) -> None:
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
        self._select_row(0 if self.model.rowCount() else None)

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
            if self.sidebar.companies_item.isExpanded() or self.view.kind == "company":
                self.sidebar.set_companies(self.book.companies())
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
            self.run_lookup(select=current)
            return
        self._show_company_bar()
        self.model.refresh()
        row = self._row_of(current) if current is not None else None
        if row is None and current is None and self.model.rowCount():
            row = 0
        self._select_row(row)
        if row is None and current is not None and select is not None:
            self.detail.show_contact(current)
        self._update_actions()

    def _row_of(self, contact_id: uuid.UUID) -> int | None:
        if self.model.in_lookup:
            for row in range(self.model.rowCount()):
                if self.model.contact_id(row) == contact_id:
                    return row
            return None
        try:
            return self.book.position(self.model.query, contact_id)
        except CallsheetError:
            return None

    def _select_row(self, row: int | None) -> None:
        empty = self.model.rowCount() == 0 and not self.model.in_lookup and self.view.kind == "all"
        self.list_stack.setCurrentWidget(self.empty_state if empty else self.table)
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
        self._update_actions()

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

    def _update_actions(self) -> None:
        on_contacts = self.view.kind not in ("trash", "tasks", "calendar")
        has_contact = self.detail.details is not None and on_contacts
        self.edit_action.setEnabled(has_contact)
        self.delete_action.setEnabled(has_contact)
        self.note_action.setEnabled(has_contact)
        self.merge_action.setEnabled(
            on_contacts and len(self.table.selectionModel().selectedRows()) > 1
        )
        self.add_to_group_action.setEnabled(has_contact)
        in_group = self.view.kind == "group"
        self.remove_from_group_action.setEnabled(in_group and has_contact)
        self.rename_group_action.setEnabled(in_group)
        self.delete_group_action.setEnabled(in_group)
        self.edit_company_action.setEnabled(self.view.kind == "company")
        walking = self.call_list is not None
        self.next_in_list_action.setEnabled(walking)
        self.previous_in_list_action.setEnabled(walking)
        self.call_list_action.setEnabled(on_contacts)
        self.delete_company_action.setEnabled(self.view.kind == "company")

    def _expanded(self, item: object) -> None:
        if item is self.sidebar.companies_item:
            self.sidebar.set_companies(self.book.companies())

    # Lookup
    def focus_lookup(self) -> None:
        if self.view.kind == "trash":
            self._choose(View("all"))
        self.lookup_box.setFocus()
        self.lookup_box.selectAll()

    def run_lookup(self, select: uuid.UUID | None = None) -> None:
        """Filter the list by the lookup text, off the UI thread; stale answers are dropped.

        `select` is the contact to select in the answer, if it is there.
        """
        text = self.lookup_box.text()
        self._lookup_generation += 1
        generation = self._lookup_generation
        if not text.strip():
            self._browse()
            return
        self.jobs.start(
            self.book.lookup_rows,
            text,
            LOOKUP_LIMIT,
            on_done=lambda hits: self._lookup_done(generation, hits, select),
            on_failed=self.show_error,
        )

    def _lookup_done(
        self, generation: int, hits: list[ContactRow], select: uuid.UUID | None = None
    ) -> None:
        if generation != self._lookup_generation:
            return
        self.model.show_hits(hits)
        row = self._row_of(select) if select is not None else None
        self._select_row(row if row is not None else (0 if hits else None))
        self._update_actions()

    def _lookup_enter(self) -> None:
        self.lookup_timer.stop()
        self.run_lookup()
        self.table.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent) or event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        if watched is self.lookup_box:
            if event.key() == Qt.Key.Key_Escape:
                self.lookup_box.clear()
                return True
            if event.key() == Qt.Key.Key_Down:
                self.table.setFocus()
                return True
        elif watched is self.table and _starts_a_lookup(event):
            # Typing in the list looks up (Qt's own type-to-find would read every row).
            self.lookup_box.setFocus()
            self.lookup_box.setText(event.text())
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

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

    def new_contact(self) -> None:
        preset = self.view.id if self.view.kind == "group" else None
        draft = self._ask_for_contact(None, preset)
        if draft is None:
            return
        try:
            contact_id = self.book.create(draft)
        except CallsheetError as error:
            self.show_error(error)
            return
        name = compose_display_name(draft)
        self.undo_stack.push(
            CreateContact(contact_id, name, self.book, self.refresh_all, self.show_error)
        )
        self.statusBar().showMessage(f"Added {name}.", 5000)
        if self.model.in_lookup:
            self._show_view(self.view)
        self.refresh_all(select=contact_id)

    def edit_contact(self) -> None:
        details = self.detail.details
        if details is None or self.view.kind == "trash":
            return
        after = self._ask_for_contact(details, None)
        if after is None or not self._attempt(self.book.update, details.id, after):
            return
        before = details.to_draft(self.default_region)
        self.undo_stack.push(
            EditContact(details.id, before, after, self.book, self.refresh_all, self.show_error)
        )
        self.refresh_all(select=details.id)

    def _ask_for_contact(
        self, details: ContactDetails | None, preset_group: uuid.UUID | None
    ) -> ContactDraft | None:
        """Show the contact dialog; the validated draft, or None if cancelled."""
        try:
            dialog = ContactDialog(
                details=details,
                groups=self.book.groups(),
                company_names=self.book.company_names(),
                default_region=self.default_region,
                preset_group=preset_group,
                lookup=self.book.lookup,
                referrer=self.book.referrer(details.id) if details else None,
                parent=self,
            )
        except CallsheetError as error:
            self.show_error(error)
            return None
        return dialog.draft() if dialog.exec() else None

    def delete_contacts(self) -> None:
        ids = self.selected_ids()
        if not ids or self.view.kind == "trash":
            return
        first_row = min((i.row() for i in self.table.selectionModel().selectedRows()), default=0)
        try:
            open_activities = self.book.open_activities_of(ids)
        except CallsheetError as error:
            self.show_error(error)
            return
        take_along: list[uuid.UUID] = []
        if open_activities:
            choice = confirm_open_activities(self, len(open_activities))
            if choice is None:
                return
            take_along = open_activities if choice == "delete" else []
        try:
            moved = self.book.trash(ids)
            if take_along:
                self.book.trash_activities(take_along)
        except CallsheetError as error:
            self.show_error(error)
            return
        name = (
            self.detail.details.display_name
            if len(ids) == 1 and self.detail.details
            else f"{moved} contacts"
        )
        self.undo_stack.push(
            TrashContacts(
                ids,
                f"Delete {name}",
                self.book,
                self.refresh_all,
                self.show_error,
                activity_ids=take_along,
            )
        )
        self.statusBar().showMessage(
            f"Moved {name} to the Trash. Undo with "
            f"{self.undo_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}.",
            8000,
        )
        self.refresh_navigation()
        self.model.refresh()
        self._select_row(
            min(first_row, self.model.rowCount() - 1) if self.model.rowCount() else None
        )

    # Follow-ups
    def _chosen_contacts(self) -> list[tuple[uuid.UUID, str]]:
        """The contacts an action applies to: the list's selection on the contacts page,
        the selected task's contacts on the task list."""
        if self.pages.currentWidget() is self.contacts_split:
            ids = self.selected_ids()[:50]
            rows = self.book.rows(ids) if ids else []
            return [(row.id, row.display_name) for row in rows]
        task = self.task_view.current_activity()
        if self.pages.currentWidget() is self.task_view and task is not None:
            try:
                return list(self.book.activity(task).contacts)
            except CallsheetError:
                return []
        return []

    def schedule_follow_up(self) -> None:
        self.follow_ups.schedule(self._chosen_contacts())

    def record_history(self) -> None:
        """Ctrl+H: log history with the chosen contacts; on a call list, with the contact
        being called, then move on to the next one."""
        calling = self.call_list.current if self.call_list is not None else None
        if calling is not None:
            contacts = [(row.id, row.display_name) for row in self.book.rows([calling])]
        else:
            contacts = self._chosen_contacts()
        logged = self.follow_ups.record_history(contacts)
        if logged is None or calling is None or self.call_list is None:
            return
        self.call_list.mark_logged(calling)
        if self.call_list.at_end:
            self.call_list_bar.show_list(self.call_list)
            self.statusBar().showMessage("That was the last contact on the call list.", 8000)
        else:
            self.next_in_call_list()

    def edit_preferences(self) -> None:
        """Dialing and profile fetching; an open call sheet picks the change up."""
        if PreferencesDialog(self.settings, self).exec() and self.call_sheet is not None:
            self.call_sheet.dial_settings = DialSettings.from_settings(self.settings)
            self.call_sheet.policy = RefreshPolicy.from_settings(self.settings)

    # The call sheet
    def open_call_sheet(self, contact_id: uuid.UUID | None = None) -> CallSheetWindow | None:
        """Show the sheet of `contact_id`, the task's contact, or the contact shown."""
        if contact_id is None:
            contact_id = self._sheet_contact()
        if contact_id is None:
            self.statusBar().showMessage("Select a contact first.", 5000)
            return None
        if self.call_sheet is None:
            self.call_sheet = CallSheetWindow(
                self.book,
                self.follow_ups,
                Path(self.book.path).parent / "avatars",
                dial_settings=DialSettings.from_settings(self.settings),
                policy=RefreshPolicy.from_settings(self.settings),
                default_region=self.default_region,
                parent=self,
            )
            self.call_sheet.failed.connect(self.show_error)
            self.call_sheet.changed.connect(lambda _cid: self.detail.reload())
        self.call_sheet.show_contact(contact_id)
        self.call_sheet.show()
        self.call_sheet.raise_()
        return self.call_sheet

    def _sheet_contact(self) -> uuid.UUID | None:
        if self.pages.currentWidget() is self.task_view:
            row = self.task_view.model.row(self.task_view.table.currentIndex().row())
            return row.first_contact_id if row else None
        if self.call_list is not None and self.call_list.current is not None:
            return self.call_list.current
        return self.detail.details.id if self.detail.details else None

    # Call lists
    def make_call_list(self) -> None:
        """Turn what the list shows (a lookup, a selection, a group) into a call list."""
        if self.pages.currentWidget() is not self.contacts_split:
            return
        selected = self.table.selectionModel().selectedRows()
        try:
            if self.model.in_lookup:
                ids = [self.model.contact_id(r) for r in range(self.model.rowCount())]
                name = f"“{self.lookup_box.text().strip()}”"
            elif len(selected) > 1:
                ids = self.selected_ids()
                name = f"{len(ids)} selected"
            else:
                ids = [row.id for row in self.book.page(self.model.query, 0, MAX_CALL_LIST)]
                name = self._view_name()
        except CallsheetError as error:
            self.show_error(error)
            return
        walk = [i for i in ids if i is not None][:MAX_CALL_LIST]
        if not walk:
            self.statusBar().showMessage("There is nobody to call in this list.", 8000)
            return
        if self.model.rowCount() > MAX_CALL_LIST and not self.model.in_lookup:
            self.statusBar().showMessage(
                f"The call list holds the first {MAX_CALL_LIST:,} contacts of this view.", 10_000
            )
        self.call_list = CallList(name, walk)
        self._walk_to(walk[0])

    def next_in_call_list(self) -> None:
        if self.call_list is not None:
            self._walk_to(self.call_list.next())

    def previous_in_call_list(self) -> None:
        if self.call_list is not None:
            self._walk_to(self.call_list.previous())

    def end_call_list(self) -> None:
        self.call_list = None
        self.call_list_bar.show_list(None)
        self._update_actions()

    def _walk_to(self, contact_id: uuid.UUID | None) -> None:
        if contact_id is None:
            return
        if self.pages.currentWidget() is not self.contacts_split:
            self._choose(View("all"))
        row = self._row_of(contact_id)
        if row is not None:
            self._select_row(row)
        else:
            self.detail.show_contact(contact_id)
        self.call_list_bar.show_list(self.call_list)
        self._update_actions()
        if self.call_sheet is not None and self.call_sheet.isVisible():
            self.call_sheet.show_contact(contact_id)

    def _view_name(self) -> str:
        if self.view.kind == "group":
            names = {g.id: g.name for g in self.book.groups()}
            return names.get(self.view.id, "Group")  # type: ignore[arg-type]
        if self.view.kind == "company" and self.view.id is not None:
            return self.book.company(self.view.id).draft.name
        return "All contacts"

    def schedule_at(self, start: datetime) -> None:
        """Schedule from an empty calendar slot."""
        zone = self.calendar_view.zone
        self.follow_ups.schedule([], ActivityDraft(start=start, time_zone=zone))

    def _follow_ups_changed(self, contact_id: uuid.UUID | None) -> None:
        if self.pages.currentWidget() is self.task_view:
            self.task_view.reload()
            self.refresh_navigation()
        elif self.pages.currentWidget() is self.calendar_view:
            self.calendar_view.reload()
        else:
            self.refresh_all(select=contact_id)
            self.detail.reload()

    def _reminders_due(self, alarms: list[AlarmRow], missed: bool) -> None:
        now = self.book.clock.now()
        self.reminder_banner.add(alarms, missed, now)
        if self.tray is not None and not missed:
            self.tray.showMessage("Callsheet reminder", describe_alarm(alarms[0], now))

    def bring_to_front(self) -> None:
        """Show the window on top (another start of Callsheet asked for it)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def _open_reminder(self, contact_id: uuid.UUID | None, _activity_id: uuid.UUID) -> None:
        self.bring_to_front()
        if contact_id is not None:
            self.show_contact(contact_id)

    def show_contact(self, contact_id: uuid.UUID) -> None:
        """Show a contact from anywhere (the task list, a reminder, the calendar)."""
        if self.view.kind not in ("all", "group", "company") or self.model.in_lookup:
            self._choose(View("all"))
        row = self._row_of(contact_id)
        if row is not None:
            self._select_row(row)
        else:
            self.table.clearSelection()
            self.detail.show_contact(contact_id)
        self._update_actions()

    def add_note(self) -> None:
        if self.detail.details is not None:
            self.detail.start_new_note()

    # Groups and companies
    def new_group(self) -> None:
        name, ok = QInputDialog.getText(self, "New group", "Name of the new group:")
        if not ok or not name.strip():
            return
        try:
            group_id = self.book.create_group(name)
        except CallsheetError as error:
            self.show_error(error)
            return
        self.refresh_navigation()
        self._choose(View("group", group_id))

    def rename_group(self, group_id: uuid.UUID | None) -> None:
        group = next((g for g in self.book.groups() if g.id == group_id), None)
        name = self._ask_new_name("Rename group", group.name) if group else None
        if group is not None and name is not None:
            self._attempt(self.book.rename_group, group.id, name)
            self.refresh_navigation()

    def delete_group(self, group_id: uuid.UUID | None) -> None:
        group = next((g for g in self.book.groups() if g.id == group_id), None)
        if group is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete group",
            f"Move the group “{group.name}” to the Trash? Its contacts stay in Callsheet; "
            "only the group goes (Undo brings it back).",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.book.trash_group(group.id)
        except CallsheetError as error:
            self.show_error(error)
            return
        self.undo_stack.push(
            TrashGroup(group.id, group.name, self.book, self._after_group_undo, self.show_error)
        )
        self.refresh_navigation()
        self._choose(View("all"))

    def _after_group_undo(self, _select: uuid.UUID | None) -> None:
        self.refresh_navigation()
        self.refresh_all()

    def add_to_group(self) -> None:
        ids = self.selected_ids()
        groups = self.book.groups()
        if not ids:
            return
        if not groups:
            QMessageBox.information(
                self, "No groups", "Create a group first (Groups > New Group…)."
            )
            return
        names = [g.name for g in groups]
        name, ok = QInputDialog.getItem(
            self, "Add to group", f"Add {len(ids)} contact(s) to:", names, 0, False
        )
        if not ok:
            return
        group = groups[names.index(name)]
        self.change_membership(group.id, group.name, ids, joined=True)

    def remove_from_group(self) -> None:
        if self.view.kind != "group" or self.view.id is None:
            return
        group = next((g for g in self.book.groups() if g.id == self.view.id), None)
        if group is not None:
            self.change_membership(group.id, group.name, self.selected_ids(), joined=False)

    def _dropped_on_group(self, group_id: uuid.UUID, ids: list[uuid.UUID]) -> None:
        group = next((g for g in self.book.groups() if g.id == group_id), None)
        if group is not None and ids:
            self.change_membership(group.id, group.name, ids, joined=True)

    def change_membership(
        self, group_id: uuid.UUID, group_name: str, ids: list[uuid.UUID], *, joined: bool
    ) -> None:
        """Put contacts into a group or take them out, undoably."""
        try:
            change = self.book.add_to_group if joined else self.book.remove_from_group
            changed = change(group_id, ids)
        except CallsheetError as error:
            self.show_error(error)
            return
        what = f"{len(changed)} contact{'s' if len(changed) != 1 else ''}"
        text = f"Add {what} to {group_name}" if joined else f"Remove {what} from {group_name}"
        if changed:
            self.undo_stack.push(
                ChangeMembership(
                    group_id, changed, joined, text, self.book, self.refresh_all, self.show_error
                )
            )
        self.statusBar().showMessage(
            f"{'Added' if joined else 'Removed'} {what} {'to' if joined else 'from'} {group_name}.",
            5000,
        )
        self.refresh_all()

    def new_company(self) -> None:
        dialog = CompanyDialog(None, self.book.check_company, self)
        if not dialog.exec():
            return
        try:
            company_id = self.book.create_company(dialog.draft())
        except CallsheetError as error:
            self.show_error(error)
            return
        self.refresh_navigation()
        self._choose(View("company", company_id))

    def edit_company(self) -> None:
        if self.view.kind != "company" or self.view.id is None:
            return
        company_id = self.view.id
        try:
            before = self.book.company(company_id)
        except CallsheetError as error:
            self.show_error(error)
            return
        dialog = CompanyDialog(
            before, lambda draft: self.book.check_company(draft, company_id), self
        )
        if not dialog.exec():
            return
        after = dialog.draft()
        if self._attempt(self.book.update_company, company_id, after):
            self.undo_stack.push(
                EditCompany(
                    company_id, before.draft, after, self.book, self.refresh_all, self.show_error
                )
            )
        self.refresh_navigation()
        self.refresh_all()

    def delete_company(self) -> None:
        if self.view.kind != "company" or self.view.id is None:
            return
        company_id = self.view.id
        try:
            company = self.book.company(company_id)
            self.book.trash_company(company_id)
        except CallsheetError as error:
            self.show_error(error)
            return
        name = company.draft.name
        self.undo_stack.push(
            TrashCompany(company_id, name, self.book, self._after_company_undo, self.show_error)
        )
        self.statusBar().showMessage(
            f"Moved the company {name} to the Trash; its contacts keep the name. "
            "Undo brings it back.",
            8000,
        )
        self.refresh_navigation()
        self._choose(View("all"))

    def _after_company_undo(self, _select: uuid.UUID | None) -> None:
        self.refresh_navigation()
        self.refresh_all()

    def _ask_new_name(self, title: str, current: str) -> str | None:
        name, ok = QInputDialog.getText(self, title, "New name:", text=current)
        return name if ok and name.strip() and name != current else None

    def _attempt(self, action: Callable[..., Any], *args: Any) -> bool:
        """Run a contact book call; a failure is shown to the user. True if it worked."""
        try:
            action(*args)
        except CallsheetError as error:
            self.show_error(error)
            return False
        return True

    # Import, export, duplicates
    def export(self) -> None:
        """File > Export, offering what is shown: a lookup, a group, the selection."""
        book = self.book
        scopes = [Scope(f"All contacts ({number(book.count())})", lambda: book.export_ids())]
        if self.view.kind == "group" and self.view.id is not None:
            group_id = self.view.id
            scopes.insert(
                0, Scope(f"The group “{self._view_name()}”", lambda: book.export_ids(group_id))
            )
        if self.model.in_lookup:
            text = self.lookup_box.text().strip()
            scopes.insert(
                0, Scope(f"The contacts found for “{text}”", lambda: book.export_ids(None, text))
            )
        selected = (
            self.selected_ids() if len(self.table.selectionModel().selectedRows()) > 1 else []
        )
        if selected:
            scopes.insert(0, Scope(f"The {len(selected):,} selected contacts", lambda: selected))
        self.interop.export(scopes)

    def show_import_history(self) -> None:
        try:
            history = ImportHistory(self.book, self)
        except CallsheetError as error:
            self.show_error(error)
            return
        history.changed.connect(lambda: self._after_interop(None))
        history.exec()
        history.deleteLater()

    def _after_interop(self, select: uuid.UUID | None) -> None:
        self.refresh_all(select=select)
        self.detail.reload()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event.mimeData())
        if path is None:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        # After the drop has finished: the wizard's event loop must not run inside it.
        QTimer.singleShot(0, lambda: self.interop.import_file(path))

    # Demo data
    def ask_demo_data(self) -> None:
        count, ok = QInputDialog.getInt(
            self,
            "Add demo data",
            "How many demo contacts should be added?",
            DEMO_COUNT,
            1,
            2_000_000,
            1000,
        )
        if ok:
            self.load_demo_data(count)

    def load_demo_data(self, count: int) -> None:
        progress = QProgressDialog("Adding demo contacts…", "Stop", 0, count, self)
        progress.setWindowTitle("Demo data")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        job = self.jobs.start(
            lambda progress: self.book.seed(count, progress=progress),
            on_done=lambda _n: finished(),
            on_failed=lambda error: finished(error),
            with_progress=True,
            writes=True,
        )
        job.signals.progress.connect(lambda done, _total: progress.setValue(done))
        progress.canceled.connect(job.cancel)

        def finished(error: Exception | None = None) -> None:
            progress.reset()
            if error is not None:
                self.show_error(error)
            self.refresh_all()

    # Column choice, menus, errors
    def _column_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        self._fill_columns_menu(menu)
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))

    def _fill_columns_menu(self, menu: QMenu) -> None:
        menu.clear()
        header = self.table.horizontalHeader()
        for column, spec in enumerate(COLUMNS):
            action = menu.addAction(spec.title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column != NAME)
            action.toggled.connect(lambda shown, c=column: header.setSectionHidden(c, not shown))

    def _list_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        for action in (
            self.edit_action,
            self.note_action,
            self.add_to_group_action,
            self.remove_from_group_action,
            self.delete_action,
        ):
            if action.isEnabled():
                menu.addAction(action)
        if not menu.isEmpty():
            menu.exec(self.table.viewport().mapToGlobal(position))

    def show_error(self, error: object) -> None:
        QMessageBox.warning(self, "Callsheet", str(error))

    def about(self) -> None:
        from PySide6 import __version__ as qt_version

        from desktop.build_info import build_info

        QMessageBox.about(
            self,
            "About Callsheet",
            f"<b>Callsheet {__version__}</b><p>The contact manager for people "
            f"who sell.</p><p>Build: {html.escape(build_info())}<br>Qt for Python "
            f"{qt_version}</p><p>Database: {html.escape(self.book.path)}</p>",
        )

    # Settings
    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.state("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = s.state("window/state")
        if state is not None:
            self.restoreState(state)
        for splitter in (self.main_split, self.contacts_split):
            saved = s.state(f"window/{splitter.objectName()}")
            if saved is not None:
                splitter.restoreState(saved)
        header_state = s.state("list/header")
        if header_state is not None:
            self.table.horizontalHeader().restoreState(header_state)
        sort = s.get(LIST_SORT)
        descending = s.get(LIST_DESCENDING)
        try:
            chosen = SortColumn(sort)
        except ValueError:
            chosen = SortColumn.NAME
        self.model.query = ListQuery(chosen, descending)
        column = next((n for n, c in enumerate(COLUMNS) if c.sort is chosen), NAME)
        self.table.horizontalHeader().setSortIndicator(
            column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        )
        self.view = View.from_key(s.get(LIST_VIEW))

    def save_settings(self) -> None:
        s = self.settings
        s.set_state("window/geometry", self.saveGeometry())
        s.set_state("window/state", self.saveState())
        for splitter in (self.main_split, self.contacts_split):
            s.set_state(f"window/{splitter.objectName()}", splitter.saveState())
        s.set_state("list/header", self.table.horizontalHeader().saveState())
        s.set(LIST_SORT, self.model.query.sort.value)
        s.set(LIST_DESCENDING, self.model.query.descending)
        s.set(LIST_VIEW, self.view.key())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.detail.save_pending_note()
        self.save_settings()
        jobs = executor()
        jobs.cancel(owner=self)
        jobs.wait()
        super().closeEvent(event)


def _splitter(name: str, first: QWidget, second: QWidget, stretch: tuple[int, int]) -> QSplitter:
    """A side-by-side splitter whose sizes are saved under `name`."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName(name)
    splitter.addWidget(first)
    splitter.addWidget(second)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    return splitter


def _dropped_file(data: QMimeData) -> Path | None:
    """The one local file being dragged in, if it is one an import can read."""
    urls = data.urls() if data.hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() in IMPORT_SUFFIXES else None


def _starts_a_lookup(event: QKeyEvent) -> bool:
    text = event.text()
    plain = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier == Qt.KeyboardModifier.NoModifier
    return plain and len(text) == 1 and text.isprintable() and not text.isspace()
