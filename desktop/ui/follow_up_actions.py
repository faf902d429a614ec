"""Follow-ups as the main window starts them: scheduling and logging with whatever it
shows, the call sheet of the contact shown, and reminders arriving."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QSystemTrayIcon

from db.activities import AlarmRow
from db.activity_values import ActivityDraft
from db.errors import CallsheetError
from desktop.calls.dialer import DialSettings
from desktop.ui.controller import WindowController
from desktop.ui.reminder_banner import ReminderBanner
from desktop.ui.reminders import Reminders
from desktop.ui.reminders import describe as describe_alarm

if TYPE_CHECKING:
    from desktop.ui.call_sheet import CallSheetWindow
    from desktop.ui.main_window import MainWindow

MAX_WITH = 50  # contacts one follow-up is scheduled with from a selection


class FollowUpActions(WindowController):
    """Also owns the reminder timer and banner (`reminders`, `banner`), the tray icon
    where there is a tray, and the call sheet window once opened (`sheet`)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.sheet: CallSheetWindow | None = None
        self.banner = ReminderBanner()
        self.reminders = Reminders(self.book, window)
        self.reminders.due.connect(self._reminders_due)
        self.reminders.failed.connect(window.show_error)
        self.banner.snoozed.connect(self.reminders.snooze)
        self.banner.dismissed.connect(self.reminders.dismiss)
        self.banner.openRequested.connect(self._open_reminder)
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(window.windowIcon(), window)
            self.tray.setToolTip("Callsheet")
            self.tray.messageClicked.connect(lambda: self.banner.open_current())
            self.tray.show()

    def chosen_contacts(self) -> list[tuple[uuid.UUID, str]]:
        """The contacts an action applies to: the list's selection on the contacts page,
        the selected task's contacts on the task list."""
        window = self.window
        if window.on_contacts_page():
            ids = window.selected_ids()[:MAX_WITH]
            rows = self.book.rows(ids) if ids else []
            return [(row.id, row.display_name) for row in rows]
        task = window.task_view.current_activity()
        if window.pages.currentWidget() is window.task_view and task is not None:
            try:
                return list(self.book.activity(task).contacts)
            except CallsheetError:
                return []
        return []

    def schedule(self) -> None:
        self.window.follow_ups.schedule(self.chosen_contacts())

    def schedule_at(self, start: datetime) -> None:
        """Schedule from an empty calendar slot."""
        zone = self.window.calendar_view.zone
        self.window.follow_ups.schedule([], ActivityDraft(start=start, time_zone=zone))

    def record_history(self) -> None:
        """Ctrl+H: log history with the chosen contacts; on a call list, with the contact
        being called, then move on to the next one."""
        calling = self.window.call_lists.calling
        if calling is not None:
            contacts = [(row.id, row.display_name) for row in self.book.rows([calling])]
        else:
            contacts = self.chosen_contacts()
        logged = self.window.follow_ups.record_history(contacts)
        if logged is not None and calling is not None:
            self.window.call_lists.logged(calling)

    def changed(self, contact_id: uuid.UUID | None) -> None:
        """Re-read what shows follow-ups after one was scheduled, cleared or moved."""
        window = self.window
        page = window.pages.currentWidget()
        if page is window.task_view:
            window.task_view.reload()
            window.refresh_navigation()
        elif page is window.calendar_view:
            window.calendar_view.reload()
        else:
            window.refresh_all(select=contact_id)
            window.detail.reload()

    # The call sheet
    def open_sheet(self, contact_id: uuid.UUID | None = None) -> CallSheetWindow | None:
        """Show the sheet of `contact_id`, the task's contact, or the contact shown."""
        window = self.window
        if contact_id is None:
            contact_id = self._sheet_contact()
        if contact_id is None:
            self.say("Select a contact first.")
            return None
        if self.sheet is None:
            # The sheet brings the social sources and their HTTP client: loaded when
            # first opened, not at start-up.
            from desktop.social.refresh import RefreshPolicy
            from desktop.ui.call_sheet import CallSheetWindow

            self.sheet = CallSheetWindow(
                self.book,
                window.follow_ups,
                Path(self.book.path).parent / "avatars",
                dial_settings=DialSettings.from_settings(window.settings),
                policy=RefreshPolicy.from_settings(window.settings),
                default_region=window.default_region,
                settings=window.settings,
                parent=window,
            )
            self.sheet.failed.connect(window.show_error)
            self.sheet.changed.connect(lambda _cid: window.detail.reload())
        self.sheet.show_contact(contact_id)
        self.sheet.show()
        self.sheet.raise_()
        return self.sheet

    def settings_changed(self) -> None:
        """Preferences were saved: an open call sheet dials and fetches by them."""
        if self.sheet is not None:
            from desktop.social.refresh import RefreshPolicy

            self.sheet.dial_settings = DialSettings.from_settings(self.window.settings)
            self.sheet.policy = RefreshPolicy.from_settings(self.window.settings)
            self.sheet.default_region = self.window.default_region

    def _sheet_contact(self) -> uuid.UUID | None:
        window = self.window
        if window.pages.currentWidget() is window.task_view:
            row = window.task_view.model.row(window.task_view.table.currentIndex().row())
            return row.first_contact_id if row else None
        if window.call_lists.calling is not None:
            return window.call_lists.calling
        return window.detail.details.id if window.detail.details else None

    # Reminders
    def _reminders_due(self, alarms: list[AlarmRow], missed: bool) -> None:
        now = self.book.clock.now()
        self.banner.add(alarms, missed, now)
        if self.tray is not None and not missed:
            self.tray.showMessage("Callsheet reminder", describe_alarm(alarms[0], now))

    def _open_reminder(self, contact_id: uuid.UUID | None, _activity_id: uuid.UUID) -> None:
        self.window.bring_to_front()
        if contact_id is not None:
            self.window.show_contact(contact_id)
