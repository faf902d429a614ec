"""A country picker: names in the user's language, ISO codes as values."""

from __future__ import annotations

import phonenumbers
from PySide6.QtWidgets import QComboBox, QWidget

from desktop.models.formats import country_name


class CountryBox(QComboBox):
    """Every country phonenumbers knows, by name, plus a blank first entry."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem("", "")
        choices = sorted((country_name(c), c) for c in phonenumbers.SUPPORTED_REGIONS)
        for name, code in choices:
            self.addItem(name, code)
        self.setToolTip("Type the first letters of the country to pick it")

    def code(self) -> str:
        return str(self.currentData() or "")

    def set_code(self, code: str) -> None:
        self.setCurrentIndex(max(self.findData(code.upper()), 0))
