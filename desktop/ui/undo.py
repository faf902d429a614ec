"""Undoable actions. Each command is pushed after its action already succeeded (so a
failure is reported, never half-recorded); undo and redo call the contact book again."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtGui import QUndoCommand

from db.activity_values import ActivityDraft, HistoryDraft
from db.companies import CompanyDraft
from db.contact_values import ContactDraft, compose_display_name
from db.errors import CallsheetError
from desktop.contact_book import ContactBook
from desktop.ui.workers import JobRunner

log = logging.getLogger(__name__)

# Called after an undo or redo with the contact worth selecting (if any).
Refresh = Callable[[uuid.UUID | None], None]
Report = Callable[[CallsheetError], None]


class _BookCommand(QUndoCommand):
    def __init__(self, text: str, book: ContactBook, refresh: Refresh, report: Report) -> None:
        super().__init__(text)
        self.book = book
        self.refresh = refresh
        self.report = report
        self._already_done = True

    def redo(self) -> None:
        if self._already_done:
            self._already_done = False
            return
        self._run(self.do)

    def undo(self) -> None:
        self._run(self.undo_it)

    def do(self) -> uuid.UUID | None:
        """Redo the action; returns the contact to select afterwards, if any."""
        raise NotImplementedError

    def undo_it(self) -> uuid.UUID | None:
        """Undo the action; returns the contact to select afterwards, if any."""
        raise NotImplementedError

    def _run(self, action: Callable[[], uuid.UUID | None]) -> None:
        select = None
        try:
            select = action()
        except CallsheetError as error:
            log.warning("undo/redo of %r failed: %s", self.text(), error)
            self.report(error)
        self.refresh(select)


class TrashContacts(_BookCommand):
    """Contacts to the Trash, with the open activities the user chose to delete too."""

    def __init__(
        self,
        ids: list[uuid.UUID],
        text: str,
        *args: object,
        activity_ids: Sequence[uuid.UUID] = (),
    ) -> None:
        super().__init__(text, *args)  # type: ignore[arg-type]
        self.ids = ids
        self.activity_ids = list(activity_ids)

    def do(self) -> uuid.UUID | None:
        self.book.trash(self.ids)
        if self.activity_ids:
            self.book.trash_activities(self.activity_ids)
        return None

    def undo_it(self) -> uuid.UUID | None:
        self.book.restore(self.ids)
        if self.activity_ids:
            self.book.restore_activities(self.activity_ids)
        return self.ids[0]


class CreateContact(_BookCommand):
    def __init__(self, contact_id: uuid.UUID, name: str, *args: object) -> None:
        super().__init__(f"New contact {name}", *args)  # type: ignore[arg-type]
        self.contact_id = contact_id

    def do(self) -> uuid.UUID | None:
        self.book.restore([self.contact_id])
        return self.contact_id

    def undo_it(self) -> uuid.UUID | None:
        self.book.trash([self.contact_id])
        return None


class EditContact(_BookCommand):
    def __init__(
        self, contact_id: uuid.UUID, before: ContactDraft, after: ContactDraft, *args: object
    ) -> None:
        super().__init__(f"Edit {compose_display_name(after)}", *args)  # type: ignore[arg-type]
        self.contact_id = contact_id
        self.before = before
        self.after = after

    def do(self) -> uuid.UUID | None:
        self.book.update(self.contact_id, self.after)
        return self.contact_id

    def undo_it(self) -> uuid.UUID | None:
        self.book.update(self.contact_id, self.before)
        return self.contact_id


class TrashNote(_BookCommand):
    def __init__(self, note_id: uuid.UUID, *args: object) -> None:
        super().__init__("Delete note", *args)  # type: ignore[arg-type]
        self.note_id = note_id

    def do(self) -> uuid.UUID | None:
        self.book.trash_note(self.note_id)
        return None

    def undo_it(self) -> uuid.UUID | None:
        self.book.restore_note(self.note_id)
        return None


class _BackgroundCommand(_BookCommand):
    """A command whose undo and redo are written in the background (they may change
    thousands of contacts: each member's card and lookup row carry its groups), saying
    so in the status bar; the window is refreshed when the write is done."""

    def __init__(
        self, text: str, jobs: JobRunner, say: Callable[[str], None], *args: object
    ) -> None:
        super().__init__(text, *args)  # type: ignore[arg-type]
        self.jobs = jobs
        self.say = say

    def _run(self, action: Callable[[], uuid.UUID | None]) -> None:
        action()  # it starts the write, whose job refreshes the window when done

    def _write(
        self,
        saying: str,
        function: Callable[..., object],
        *args: object,
        select: uuid.UUID | None = None,
    ) -> None:
        refresh, report, text = self.refresh, self.report, self.text()  # outlive the command
        self.say(saying)
        self.jobs.start(
            function,
            *args,
            on_done=lambda _result: refresh(select),
            on_failed=lambda error: report_failure(text, error, report),
            writes=True,
        )


class TrashGroup(_BackgroundCommand):
    """A group to the Trash and back."""

    def __init__(self, group_id: uuid.UUID, name: str, *args: object) -> None:
        super().__init__(f"Delete group {name}", *args)  # type: ignore[arg-type]
        self.group_id = group_id
        self.name = name

    def do(self) -> uuid.UUID | None:
        saying = f"Moving the group “{self.name}” to the Trash…"
        self._write(saying, self.book.trash_group, self.group_id)
        return None

    def undo_it(self) -> uuid.UUID | None:
        saying = f"Bringing back the group “{self.name}”…"
        self._write(saying, self.book.restore_group, self.group_id)
        return None


class ChangeMembership(_BackgroundCommand):
    """Contacts put into (or taken out of) a group; only those that changed."""

    def __init__(
        self, group_id: uuid.UUID, ids: list[uuid.UUID], joined: bool, text: str, *args: object
    ) -> None:
        super().__init__(text, *args)  # type: ignore[arg-type]
        self.group_id = group_id
        self.ids = ids
        self.joined = joined

    def do(self) -> uuid.UUID | None:
        self._set(self.joined, f"Redoing “{self.text()}”…")
        return None

    def undo_it(self) -> uuid.UUID | None:
        self._set(not self.joined, f"Undoing “{self.text()}”…")
        return None

    def _set(self, joined: bool, saying: str) -> None:
        change = self.book.add_to_group if joined else self.book.remove_from_group
        self._write(saying, change, self.group_id, self.ids, select=self.ids[0])


class TrashCompany(_BookCommand):
    def __init__(self, company_id: uuid.UUID, name: str, *args: object) -> None:
        super().__init__(f"Delete company {name}", *args)  # type: ignore[arg-type]
        self.company_id = company_id

    def do(self) -> uuid.UUID | None:
        self.book.trash_company(self.company_id)
        return None

    def undo_it(self) -> uuid.UUID | None:
        self.book.restore_company(self.company_id)
        return None


class EditCompany(_BookCommand):
    def __init__(
        self, company_id: uuid.UUID, before: CompanyDraft, after: CompanyDraft, *args: object
    ) -> None:
        super().__init__(f"Edit company {after.name}", *args)  # type: ignore[arg-type]
        self.company_id = company_id
        self.before = before
        self.after = after

    def do(self) -> uuid.UUID | None:
        self.book.update_company(self.company_id, self.after)
        return None

    def undo_it(self) -> uuid.UUID | None:
        self.book.update_company(self.company_id, self.before)
        return None


class ScheduleActivity(_BookCommand):
    def __init__(self, activity_id: uuid.UUID, regarding: str, *args: object) -> None:
        super().__init__(f"Schedule {regarding}", *args)  # type: ignore[arg-type]
        self.activity_id = activity_id

    def do(self) -> uuid.UUID | None:
        self.book.restore_activities([self.activity_id])
        return None

    def undo_it(self) -> uuid.UUID | None:
        self.book.trash_activities([self.activity_id])
        return None


class TrashActivities(_BookCommand):
    def __init__(self, activity_ids: list[uuid.UUID], text: str, *args: object) -> None:
        super().__init__(text, *args)  # type: ignore[arg-type]
        self.activity_ids = activity_ids

    def do(self) -> uuid.UUID | None:
        self.book.trash_activities(self.activity_ids)
        return None

    def undo_it(self) -> uuid.UUID | None:
        self.book.restore_activities(self.activity_ids)
        return None


class EditActivity(_BookCommand):
    def __init__(
        self, activity_id: uuid.UUID, before: ActivityDraft, after: ActivityDraft, *args: object
    ) -> None:
        super().__init__(f"Edit {after.regarding or after.kind}", *args)  # type: ignore[arg-type]
        self.activity_id = activity_id
        self.before = before
        self.after = after

    def do(self) -> uuid.UUID | None:
        self.book.update_activity(self.activity_id, self.after)
        return None

    def undo_it(self) -> uuid.UUID | None:
        self.book.update_activity(self.activity_id, self.before)
        return None


class RescheduleActivity(_BookCommand):
    def __init__(
        self, activity_id: uuid.UUID, before: datetime, after: datetime, *args: object
    ) -> None:
        super().__init__("Move activity", *args)  # type: ignore[arg-type]
        self.activity_id = activity_id
        self.before = before
        self.after = after

    def do(self) -> uuid.UUID | None:
        self.book.reschedule(self.activity_id, self.after)
        return None

    def undo_it(self) -> uuid.UUID | None:
        self.book.reschedule(self.activity_id, self.before)
        return None


class ClearActivity(_BookCommand):
    """Clearing wrote a history entry (and maybe advanced a series); undo takes the
    entry back and reopens the activity at its old due time."""

    def __init__(
        self,
        activity_id: uuid.UUID,
        history_id: uuid.UUID,
        due: datetime,
        outcome: str,
        notes: str,
        *args: object,
    ) -> None:
        super().__init__("Clear activity", *args)  # type: ignore[arg-type]
        self.activity_id = activity_id
        self.history_id = history_id
        self.due = due
        self.outcome = outcome
        self.notes = notes

    def do(self) -> uuid.UUID | None:
        self.history_id = self.book.clear_activity(
            self.activity_id, self.outcome, self.notes
        ).history_id
        return None

    def undo_it(self) -> uuid.UUID | None:
        self.book.reopen_activity(self.activity_id, self.history_id, self.due)
        return None


class RecordHistory(_BookCommand):
    def __init__(self, history_id: uuid.UUID, contact_id: uuid.UUID | None, *args: object) -> None:
        super().__init__("Record history", *args)  # type: ignore[arg-type]
        self.history_id = history_id
        self.contact_id = contact_id

    def do(self) -> uuid.UUID | None:
        self.book.set_history_trashed(self.history_id, False)
        return self.contact_id

    def undo_it(self) -> uuid.UUID | None:
        self.book.set_history_trashed(self.history_id, True)
        return self.contact_id


class EditHistory(_BookCommand):
    def __init__(
        self, history_id: uuid.UUID, before: HistoryDraft, after: HistoryDraft, *args: object
    ) -> None:
        super().__init__("Edit history entry", *args)  # type: ignore[arg-type]
        self.history_id = history_id
        self.before = before
        self.after = after

    def do(self) -> uuid.UUID | None:
        self.book.update_history(self.history_id, self.after)
        return None

    def undo_it(self) -> uuid.UUID | None:
        self.book.update_history(self.history_id, self.before)
        return None


class UndoImport(_BackgroundCommand):
    """An import, taken back in one step, in the background (a big import takes a
    while). It cannot be redone: the file is imported again for that, so the command
    leaves the stack once undone."""

    def __init__(self, batch_id: uuid.UUID, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.batch_id = batch_id

    def do(self) -> uuid.UUID | None:
        return None

    def undo(self) -> None:
        saying = f"Taking back the {self.text()[0].lower()}{self.text()[1:]}…"
        self.setObsolete(True)  # the stack deletes this command
        self._write(saying, self.book.undo_import, self.batch_id)


def report_failure(text: str, error: Exception, report: Report) -> None:
    """Report a change written in the background (`text` says which) that failed for a
    reason the user can act on; anything else is a bug, raised for the unexpected-error
    handler."""
    if not isinstance(error, CallsheetError):
        raise error
    log.warning("%r failed: %s", text, error)
    report(error)


class MergeContacts(_BookCommand):
    """Duplicates merged into a survivor; undo puts every one back as it was."""

    def __init__(
        self,
        merge_id: uuid.UUID,
        survivor_id: uuid.UUID,
        others: Sequence[uuid.UUID],
        draft: ContactDraft,
        photo_from: uuid.UUID | None,
        *args: object,
    ) -> None:
        name = compose_display_name(draft)
        super().__init__(f"Merge {len(others) + 1} records of {name}", *args)  # type: ignore[arg-type]
        self.merge_id = merge_id
        self.survivor_id = survivor_id
        self.others = list(others)
        self.draft = draft
        self.photo_from = photo_from

    def do(self) -> uuid.UUID | None:
        self.merge_id = self.book.merge(self.survivor_id, self.others, self.draft, self.photo_from)
        return self.survivor_id

    def undo_it(self) -> uuid.UUID | None:
        self.book.undo_merge(self.merge_id)
        return self.survivor_id
