"""Companies from the main window: new, edit and delete (undoable)."""

from __future__ import annotations

from db.errors import CallsheetError
from desktop.ui.company_dialog import CompanyDialog
from desktop.ui.controller import WindowController
from desktop.ui.sidebar import View
from desktop.ui.undo import EditCompany, TrashCompany


class CompaniesController(WindowController):
    def new(self) -> None:
        dialog = CompanyDialog(None, self.book.check_company, self.window)
        if not dialog.exec():
            return
        try:
            company_id = self.book.create_company(dialog.draft())
        except CallsheetError as error:
            self.window.show_error(error)
            return
        self.window.refresh_navigation()
        self.window.choose(View("company", company_id))

    def edit(self) -> None:
        window = self.window
        if window.view.kind != "company" or window.view.id is None:
            return
        company_id = window.view.id
        try:
            before = self.book.company(company_id)
        except CallsheetError as error:
            window.show_error(error)
            return
        dialog = CompanyDialog(
            before, lambda draft: self.book.check_company(draft, company_id), window
        )
        if not dialog.exec():
            return
        after = dialog.draft()
        if self.attempt(self.book.update_company, company_id, after):
            window.undo_stack.push(
                EditCompany(
                    company_id, before.draft, after, self.book, window.refresh_all,
                    window.show_error,
                )
            )  # fmt: skip
        window.refresh_all()

    def delete(self) -> None:
        window = self.window
        if window.view.kind != "company" or window.view.id is None:
            return
        company_id = window.view.id
        try:
            company = self.book.company(company_id)
            self.book.trash_company(company_id)
        except CallsheetError as error:
            window.show_error(error)
            return
        name = company.draft.name
        window.undo_stack.push(
            TrashCompany(company_id, name, self.book, window.refresh_all, window.show_error)
        )
        self.say(
            f"Moved the company {name} to the Trash; its contacts keep the name. "
            "Undo brings it back.",
            8000,
        )
        window.refresh_navigation()
        window.choose(View("all"))
