"""Companies from the main window: new, edit and delete (undoable)."""

from __future__ import annotations

from db.companies import CompanyDetails
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

    def _shown(self) -> CompanyDetails | None:
        """The company the window shows, if it shows one (a failure to read it is shown)."""
        view = self.window.view
        if view.kind != "company" or view.id is None:
            return None
        try:
            return self.book.company(view.id)
        except CallsheetError as error:
            self.window.show_error(error)
            return None

    def edit(self) -> None:
        window = self.window
        before = self._shown()
        if before is None:
            return
        company_id = before.id
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
        company = self._shown()
        if company is None or not self.attempt(self.book.trash_company, company.id):
            return
        company_id = company.id
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
