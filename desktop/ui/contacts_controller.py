"""Contacts from the main window: new, edit and delete (to the Trash), undoable."""

from __future__ import annotations

import uuid

from PySide6.QtGui import QKeySequence

from db.contact_values import ContactDetails, ContactDraft, compose_display_name
from db.errors import CallsheetError
from desktop.ui.contact_dialog import ContactDialog
from desktop.ui.controller import WindowController
from desktop.ui.follow_ups import confirm_open_activities
from desktop.ui.undo import CreateContact, EditContact, TrashContacts


class ContactsController(WindowController):
    def new(self, named: str = "") -> None:
        """Add a contact; `named` (what a lookup found nobody for) starts the form."""
        window = self.window
        preset = window.view.id if window.view.kind == "group" else None
        draft = self.ask(None, preset, named)
        if draft is None:
            return
        try:
            contact_id = self.book.create(draft)
        except CallsheetError as error:
            window.show_error(error)
            return
        name = compose_display_name(draft)
        window.undo_stack.push(
            CreateContact(contact_id, name, self.book, window.refresh_all, window.show_error)
        )
        self.say(f"Added {name}.")
        if window.model.in_lookup:
            window.show_view(window.view)
        window.refresh_all(select=contact_id)

    def edit(self) -> None:
        window = self.window
        details = window.detail.details
        if details is None or window.view.kind == "trash":
            return
        after = self.ask(details, None)
        if after is None or not self.attempt(self.book.update, details.id, after):
            return
        before = details.to_draft(window.default_region)
        window.undo_stack.push(
            EditContact(details.id, before, after, self.book, window.refresh_all, window.show_error)
        )
        window.refresh_all(select=details.id)

    def ask(
        self, details: ContactDetails | None, preset_group: uuid.UUID | None, named: str = ""
    ) -> ContactDraft | None:
        """Show the contact dialog; the validated draft, or None if cancelled."""
        try:
            dialog = ContactDialog(
                details=details,
                groups=self.book.groups(),
                company_names=self.book.company_names(),
                default_region=self.window.default_region,
                preset_group=preset_group,
                lookup=self.book.lookup,
                referrer=self.book.referrer(details.id) if details else None,
                parent=self.window,
            )
            if named:
                dialog.start_from(named)
        except CallsheetError as error:
            self.window.show_error(error)
            return None
        return dialog.draft() if dialog.exec() else None

    def delete(self) -> None:
        """The selected contacts to the Trash (asking about their open follow-ups)."""
        window = self.window
        ids = window.selected_ids()
        if not ids or window.view.kind == "trash":
            return
        rows = window.table.selectionModel().selectedRows()
        first_row = min((i.row() for i in rows), default=0)
        try:
            open_activities = self.book.open_activities_of(ids)
        except CallsheetError as error:
            window.show_error(error)
            return
        take_along: list[uuid.UUID] = []
        if open_activities:
            choice = confirm_open_activities(window, len(open_activities))
            if choice is None:
                return
            take_along = open_activities if choice == "delete" else []
        try:
            moved = self.book.trash(ids)
            if take_along:
                self.book.trash_activities(take_along)
        except CallsheetError as error:
            window.show_error(error)
            return
        shown = window.detail.details
        name = shown.display_name if len(ids) == 1 and shown else f"{moved} contacts"
        window.undo_stack.push(
            TrashContacts(
                ids, f"Delete {name}", self.book, window.refresh_all, window.show_error,
                activity_ids=take_along,
            )
        )  # fmt: skip
        undo_key = window.undo_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.say(f"Moved {name} to the Trash. Undo with {undo_key}.", 8000)
        window.refresh_navigation()
        window.model.refresh()
        count = window.model.rowCount()
        window.select_row(min(first_row, count - 1) if count else None)
