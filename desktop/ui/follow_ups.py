"""The follow-up actions every view shares: schedule, edit, clear, record history,
move and delete activities, each undoable, each through its dialog."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from db.activity_values import ActivityDraft, HistoryDraft
from db.clock import Moment
from db.errors import CallsheetError
from desktop.contact_book import ContactBook
from desktop.settings import WORKING_DAYS, Settings
from desktop.typed_dates import WORKWEEK
from desktop.ui.log_dialog import LogDialog, LogEntry
from desktop.ui.schedule_dialog import ScheduleDialog, preset_start
from desktop.ui.undo import (
    ClearActivity,
    EditActivity,
    EditHistory,
    RecordHistory,
    RescheduleActivity,
    ScheduleActivity,
    TrashActivities,
)

Contacts = list[tuple[uuid.UUID, str]]


class FollowUps(QObject):
    """Signals:
    changed(object): something was scheduled, cleared or logged; carries the contact
        worth showing (or None).
    failed(object): a CallsheetError to report.
    message(str): what was done, for the status bar.
    """

    changed = Signal(object)
    failed = Signal(object)
    message = Signal(str)

    def __init__(
        self,
        book: ContactBook,
        undo_stack: object,
        parent: QWidget,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.undo_stack = undo_stack
        self.settings = settings
        self.window = parent

    # Scheduling
    def schedule(self, contacts: Contacts, preset: ActivityDraft | None = None) -> uuid.UUID | None:
        """Open the schedule dialog for `contacts`; returns the new activity's id."""
        dialog = self._schedule_dialog(preset=preset, contacts=contacts)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        draft = dialog.draft()
        try:
            activity_id = self.book.schedule(draft)
        except CallsheetError as error:
            self.failed.emit(error)
            return None
        self._push(ScheduleActivity, activity_id, draft.regarding or draft.kind)
        self.changed.emit(draft.contact_ids[0] if draft.contact_ids else None)
        return activity_id

    def edit(self, activity_id: uuid.UUID) -> None:
        try:
            details = self.book.activity(activity_id)
        except CallsheetError as error:
            self.failed.emit(error)
            return
        dialog = self._schedule_dialog(details=details)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        draft = dialog.draft()
        if self._attempt(self.book.update_activity, activity_id, draft):
            self._push(EditActivity, activity_id, details.draft, draft)
            self.changed.emit(None)

    def reschedule(self, activity_id: uuid.UUID, starts_at: datetime) -> bool:
        """Move an activity (calendar drag or keyboard); undoable."""
        try:
            before = self.book.activity(activity_id).starts_at
        except CallsheetError as error:
            self.failed.emit(error)
            return False
        if not self._attempt(self.book.reschedule, activity_id, starts_at):
            return False
        self._push(RescheduleActivity, activity_id, before, starts_at)
        self.changed.emit(None)
        local = starts_at.astimezone(ZoneInfo(self.book.clock.zone()))
        self.message.emit(f"Moved to {local:%a %d %b %H:%M}. Ctrl+Z moves it back.")
        return True

    def delete(self, activity_ids: list[uuid.UUID]) -> None:
        count = len(activity_ids)
        if self._attempt(self.book.trash_activities, activity_ids):
            text = "Delete activity" if count == 1 else f"Delete {count} activities"
            self._push(TrashActivities, activity_ids, text)
            self.changed.emit(None)
            what = "the activity" if count == 1 else f"{count} activities"
            self.message.emit(f"Moved {what} to the Trash. Ctrl+Z brings it back.")

    # Logging what happened
    def clear(self, activity_id: uuid.UUID) -> None:
        """Clear an activity through its dialog, then offer the next follow-up."""
        now = self.book.clock.moment()
        try:
            details = self.book.activity(activity_id)
        except CallsheetError as error:
            self.failed.emit(error)
            return
        dialog = self._log_dialog(now, activity=details)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        entry = dialog.entry()
        try:
            result = self.book.clear_activity(
                activity_id,
                entry.outcome,
                entry.notes,
                occurred_at=self._utc(entry.occurred_at, now),
                duration_minutes=entry.duration_minutes,
            )
        except CallsheetError as error:
            self.failed.emit(error)
            return
        self._push(
            ClearActivity,
            activity_id,
            result.history_id,
            details.starts_at,
            entry.outcome,
            entry.notes,
        )
        first = details.contacts[0][0] if details.contacts else None
        self.changed.emit(first)
        people = len(details.contacts)
        logged = f"Logged in the history of {people} contact{'s' if people != 1 else ''}."
        if result.next_due is not None:
            due = result.next_due.astimezone(ZoneInfo(now.zone))
            logged += f" Next in the series: {due:%a %d %b %H:%M}."
        self.message.emit(logged)
        if entry.follow_up:
            self._follow_up(entry, list(details.contacts), details.draft.time_zone)

    def record_history(
        self,
        contacts: Contacts,
        *,
        call_started: datetime | None = None,
        call_minutes: int | None = None,
        their_zone: str | None = None,
    ) -> uuid.UUID | None:
        """Log a call, meeting or email that was not scheduled (Ctrl+H); after a call
        dialed from the call sheet, with its start and length filled in. The next
        follow-up is offered in `their_zone` when the contact's zone is known."""
        now = self.book.clock.moment()
        dialog = self._log_dialog(now, contacts=contacts)
        if call_started is not None:
            local_start = call_started.astimezone(ZoneInfo(now.zone)).replace(tzinfo=None)
            dialog.set_call(local_start, call_minutes or 0)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        entry = dialog.entry()
        try:
            history_id = self.book.record_history(
                entry.contact_ids,
                kind=entry.kind,
                occurred_at=self._utc(entry.occurred_at, now),
                regarding=entry.regarding,
                outcome=entry.outcome,
                duration_minutes=entry.duration_minutes,
                notes=entry.notes,
            )
        except CallsheetError as error:
            self.failed.emit(error)
            return None
        first = entry.contact_ids[0] if entry.contact_ids else None
        self._push(RecordHistory, history_id, first)
        self.changed.emit(first)
        if entry.follow_up:
            names = dict(contacts)
            chosen = [(i, names.get(i, "")) for i in entry.contact_ids]
            self._follow_up(entry, chosen, their_zone or now.zone)
        return history_id

    def edit_history(self, history_id: uuid.UUID) -> bool:
        """Open a history entry to change what it says; undoable."""
        try:
            details = self.book.history_entry(history_id)
        except CallsheetError as error:
            self.failed.emit(error)
            return False
        now = self.book.clock.moment()
        dialog = self._log_dialog(now, entry=details, zone=now.zone)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        entry = dialog.entry()
        occurred_at = self._utc(entry.occurred_at, now)
        if occurred_at == details.draft.occurred_at.replace(second=0, microsecond=0):
            occurred_at = details.draft.occurred_at  # the time was left as it was
        after = HistoryDraft(
            contact_ids=entry.contact_ids,
            kind=entry.kind,
            occurred_at=occurred_at,
            regarding=entry.regarding,
            outcome=entry.outcome,
            duration_minutes=entry.duration_minutes,
            notes=entry.notes,
        )
        if not self._attempt(self.book.update_history, history_id, after):
            return False
        self._push(EditHistory, history_id, details.draft, after)
        self.changed.emit(entry.contact_ids[0] if entry.contact_ids else None)
        self.message.emit("History entry changed. Ctrl+Z takes the change back.")
        return True

    def _follow_up(self, entry: LogEntry, contacts: Contacts, zone: str) -> None:
        assert entry.follow_up is not None
        start = preset_start(
            entry.follow_up, self.book.clock.moment().local_now, self._working_days()
        )
        kind = entry.kind if entry.kind in ("call", "meeting", "to-do", "email") else "call"
        preset = ActivityDraft(
            kind=kind,
            regarding=entry.regarding,
            start=start,
            time_zone=zone,
            contact_ids=tuple(c for c, _n in contacts),
        )
        self.schedule(contacts, preset)

    # Helpers
    def _schedule_dialog(self, **kwargs: object) -> ScheduleDialog:
        now = self.book.clock.moment()
        return ScheduleDialog(
            lookup=self.book.lookup,
            validate=self.book.validate_activity,
            now=now.local_now,
            zone=now.zone,
            working_days=self._working_days(),
            parent=self.window,
            **kwargs,  # type: ignore[arg-type]
        )

    def _working_days(self) -> tuple[str, ...]:
        """The user's working days (Preferences), Monday to Friday unless set."""
        return self.settings.get(WORKING_DAYS) if self.settings is not None else WORKWEEK

    def _log_dialog(self, now: Moment, **kwargs: object) -> LogDialog:
        return LogDialog(
            lookup=self.book.lookup,
            now=now.local_now,
            parent=self.window,
            **kwargs,  # type: ignore[arg-type]
        )

    def _push(self, command: type, *args: object) -> None:
        refresh = self.changed.emit
        self.undo_stack.push(command(*args, self.book, refresh, self.failed.emit))  # type: ignore[attr-defined]

    def _attempt(self, action: Callable[..., object], *args: object) -> bool:
        try:
            action(*args)
        except CallsheetError as error:
            self.failed.emit(error)
            return False
        return True

    @staticmethod
    def _utc(local: datetime, now: Moment) -> datetime:
        return local.replace(tzinfo=ZoneInfo(now.zone))


def confirm_open_activities(parent: QWidget, count: int) -> str | None:
    """Ask what to do with open activities of contacts being deleted: "delete",
    "keep", or None to cancel."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Open follow-ups")
    box.setText(
        f"The contacts you are deleting have {count} open follow-up{'s' if count != 1 else ''}."
    )
    box.setInformativeText(
        "Delete them too, or keep them on your task list? Either way Undo brings everything back."
    )
    delete = box.addButton("Delete them too", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep them", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(keep)
    box.exec()
    clicked = box.clickedButton()
    if clicked is delete:
        return "delete"
    if clicked is keep:
        return "keep"
    return None
