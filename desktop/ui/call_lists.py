"""Call lists from the main window: make one from what the list shows, walk it."""

from __future__ import annotations

import uuid

from db.errors import CallsheetError
from desktop.calls.call_list import MAX_CALL_LIST, CallList
from desktop.ui.controller import WindowController
from desktop.ui.sidebar import View


class CallListsController(WindowController):
    """The call list being walked (`current`), shown in the window's call list bar."""

    current: CallList | None = None

    @property
    def calling(self) -> uuid.UUID | None:
        """The contact being called, while a list is walked."""
        return self.current.current if self.current is not None else None

    def make(self) -> None:
        """Turn what the list shows (a lookup, a selection, a group) into a call list."""
        window = self.window
        if not window.on_contacts_page():
            return
        model = window.model
        selected = window.table.selectionModel().selectedRows()
        try:
            if model.in_lookup:
                ids = [model.contact_id(r) for r in range(model.rowCount())]
                name = f"“{window.lookup_box.text().strip()}”"
            elif len(selected) > 1:
                ids = window.selected_ids()
                name = f"{len(ids)} selected"
            else:
                ids = self.book.ids_on_page(model.query, 0, MAX_CALL_LIST)
                name = window.view_name()
        except CallsheetError as error:
            window.show_error(error)
            return
        walk = [i for i in ids if i is not None][:MAX_CALL_LIST]
        if not walk:
            self.say("There is nobody to call in this list.", 8000)
            return
        if model.rowCount() > MAX_CALL_LIST and not model.in_lookup:
            self.say(f"The call list holds the first {MAX_CALL_LIST:,} contacts of this view.")
        self.current = CallList(name, walk)
        self.walk_to(walk[0])

    def next(self) -> None:
        if self.current is not None:
            self.walk_to(self.current.next())

    def previous(self) -> None:
        if self.current is not None:
            self.walk_to(self.current.previous())

    def end(self) -> None:
        self.current = None
        self.window.call_list_bar.show_list(None)
        self.window.update_actions()

    def logged(self, contact_id: uuid.UUID) -> None:
        """History was logged with the contact being called: on to the next one."""
        if self.current is None:
            return
        self.current.mark_logged(contact_id)
        if self.current.at_end:
            self.window.call_list_bar.show_list(self.current)
            self.say("That was the last contact on the call list.", 8000)
        else:
            self.next()

    def walk_to(self, contact_id: uuid.UUID | None) -> None:
        window = self.window
        if contact_id is None:
            return
        if not window.on_contacts_page():
            window.choose(View("all"))
        window.select_contact(contact_id)
        window.call_list_bar.show_list(self.current)
        window.update_actions()
        if window.call_sheet is not None and window.call_sheet.isVisible():
            window.call_sheet.show_contact(contact_id)
