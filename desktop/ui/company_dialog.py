"""The New/Edit company dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from db.companies import CompanyDetails, CompanyDraft
from desktop.ui.country_box import CountryBox
from desktop.ui.form_dialog import FormDialog


class CompanyDialog(FormDialog):
    """Edits a company; `draft()` holds the validated values after `accept()`.

    `check` validates a draft against the database (names must be unique).
    """

    def __init__(
        self,
        details: CompanyDetails | None,
        check: Callable[[CompanyDraft], CompanyDraft],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.check = check
        self.setWindowTitle(f"Edit {details.draft.name}" if details else "New company")
        self.setObjectName("companyDialog")
        self.name = QLineEdit()
        self.website = QLineEdit()
        self.website.setPlaceholderText("example.com")
        self.phone = QLineEdit()
        self.city = QLineEdit()
        self.country = CountryBox()
        self.background = QPlainTextEdit()
        self.background.setPlaceholderText("What they do, who decides, what they buy")
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Website:", self.website)
        form.addRow("&Phone:", self.phone)
        form.addRow("Cit&y:", self.city)
        form.addRow("C&ountry:", self.country)
        form.addRow("&Background:", self.background)
        self.finish_layout(form)
        if details is not None:
            draft = details.draft
            self.name.setText(draft.name)
            self.website.setText(draft.website)
            self.phone.setText(draft.phone)
            self.city.setText(draft.city)
            self.country.set_code(draft.country)
            self.background.setPlainText(draft.background)
        for edit in (self.name, self.website, self.phone, self.city):
            edit.textEdited.connect(self.mark_dirty)
        self.country.currentIndexChanged.connect(self.mark_dirty)
        self.background.textChanged.connect(self.mark_dirty)
        self.mark_clean()
        self.name.setFocus()
        self.resize(520, 420)

    def current_draft(self) -> CompanyDraft:
        return CompanyDraft(
            self.name.text(),
            self.website.text(),
            self.phone.text(),
            self.city.text(),
            self.country.code(),
            self.background.toPlainText(),
        )

    def draft(self) -> CompanyDraft:
        value: CompanyDraft = self.value()
        return value

    def checked_value(self) -> CompanyDraft:
        return self.check(self.current_draft())

    def widget_for(self, key: str) -> QWidget | None:
        return {
            "name": self.name,
            "website": self.website,
            "phone": self.phone,
            "city": self.city,
            "country": self.country,
        }.get(key)

    def markable_widgets(self) -> list[QWidget]:
        return [self.name, self.website, self.phone, self.city, self.country]
