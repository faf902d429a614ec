"""The main window's parts that work on the open book: the detail pane, the follow-up
actions and reminders, import and export, the pages besides the contacts and the
feature controllers. A window started on its first page (`db.first_page`) builds them
once the book is open, after its first paint: these modules load SQLAlchemy and the
models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.ui.backups import BackupsController
from desktop.ui.call_lists import CallListsController
from desktop.ui.companies_controller import CompaniesController
from desktop.ui.companies_view import CompaniesView
from desktop.ui.company_bar import CompanyBar
from desktop.ui.contact_detail import ContactDetailView
from desktop.ui.contact_table import make_empty_state
from desktop.ui.contacts_controller import ContactsController
from desktop.ui.demo_data import DEMO_COUNT, DemoDataController
from desktop.ui.follow_up_actions import FollowUpActions
from desktop.ui.follow_ups import FollowUps
from desktop.ui.groups_controller import GroupsController
from desktop.ui.interop import Interop
from desktop.ui.lookup_controller import LookupController
from desktop.ui.main_window import DETAIL_STRETCH
from desktop.ui.no_match import NoMatchPanel
from desktop.ui.sidebar import View
from desktop.ui.sync_controller import SyncController
from desktop.ui.window_pages import (
    add_second,
    make_calendar_view,
    make_task_view,
    make_trash_view,
)
from desktop.ui.window_state import restore_splitter

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


def build_parts(window: MainWindow) -> None:
    """Build and wire the parts into the window's frame (see `MainWindow`)."""
    _follow_ups(window)
    _contacts_page(window)
    _pages(window)
    window.contacts = ContactsController(window)
    window.groups = GroupsController(window)
    window.companies = CompaniesController(window)
    window.call_lists = CallListsController(window)
    window.demo = DemoDataController(window)
    window.backups = BackupsController(window)
    window.sync = SyncController(window)
    window.lookup = LookupController(window, window.lookup_box)
    _wire_frame(window)


def _follow_ups(window: MainWindow) -> None:
    window.follow_up_actions = FollowUpActions(window)
    window.reminder_banner = window.follow_up_actions.banner
    window.reminders = window.follow_up_actions.reminders
    window.top_layout.insertWidget(0, window.reminder_banner)
    window.follow_ups = FollowUps(window.book, window.undo_stack, window, window.settings)
    window.follow_ups.changed.connect(window.follow_up_actions.changed)
    window.follow_ups.failed.connect(window.show_error)
    window.follow_ups.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
    window.interop = Interop(window.book, window.undo_stack, window.settings, window)
    window.interop.changed.connect(window.after_interop)
    window.interop.failed.connect(window.show_error)
    window.interop.message.connect(lambda text: window.statusBar().showMessage(text, 15_000))


def _contacts_page(window: MainWindow) -> None:
    actions, follow_ups = window.follow_up_actions, window.follow_ups
    window.empty_state = make_empty_state(
        lambda: window.contacts.new(), lambda: window.demo.load(DEMO_COUNT), DEMO_COUNT
    )
    window.list_stack.addWidget(window.empty_state)
    window.no_match = NoMatchPanel()
    window.no_match.createRequested.connect(lambda text: window.contacts.new(named=text))
    window.list_stack.addWidget(window.no_match)
    window.list_stack.updateGeometry()  # the list's room now also fits those panels

    detail = window.detail = ContactDetailView(window.book, window.undo_stack)
    detail.editRequested.connect(lambda: window.contacts.edit())
    detail.companyChosen.connect(lambda cid: window.choose(View("company", cid)))
    detail.failed.connect(window.show_error)
    detail.scheduleRequested.connect(actions.schedule)
    detail.recordRequested.connect(actions.record_history)
    detail.historyEditRequested.connect(follow_ups.edit_history)
    detail.clearRequested.connect(follow_ups.clear)
    detail.editActivityRequested.connect(follow_ups.edit)
    detail.sheetRequested.connect(lambda: actions.open_sheet())
    add_second(window.contacts_split, detail, DETAIL_STRETCH[1])
    if window.detail_placeholder is not None:
        window.detail_placeholder.deleteLater()
    restore_splitter(window, window.contacts_split)

    window.company_bar = CompanyBar()
    window.company_bar.editRequested.connect(lambda: window.companies.edit())
    window.list_layout.insertWidget(0, window.company_bar)
    bar = window.call_list_bar
    bar.previousRequested.connect(lambda: window.call_lists.previous())
    bar.nextRequested.connect(lambda: window.call_lists.next())
    bar.logRequested.connect(actions.record_history)
    bar.endRequested.connect(lambda: window.call_lists.end())


def _pages(window: MainWindow) -> None:
    window.trash_view = make_trash_view(window)
    window.companies_view = CompaniesView(window.book)
    window.companies_view.companyChosen.connect(lambda cid: window.choose(View("company", cid)))
    window.companies_view.newRequested.connect(lambda: window.companies.new())
    window.companies_view.failed.connect(window.show_error)
    window.task_view = make_task_view(window)
    window.calendar_view = make_calendar_view(window)
    pages = (window.trash_view, window.task_view, window.calendar_view, window.companies_view)
    for page in pages:
        window.pages.addWidget(page)


def _wire_frame(window: MainWindow) -> None:
    """What the frame's list and sidebar do once there is a book behind them."""
    window.table.activated.connect(lambda _index: window.contacts.edit())
    sidebar = window.sidebar
    sidebar.newGroupRequested.connect(lambda: window.groups.new())
    sidebar.contactsDropped.connect(lambda gid, ids: window.groups.dropped_on(gid, ids))
    sidebar.renameGroupRequested.connect(lambda gid: window.groups.rename(gid))
    sidebar.deleteGroupRequested.connect(lambda gid: window.groups.delete(gid))
    window.setAcceptDrops(True)
