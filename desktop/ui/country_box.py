"""A country picker: names in the user's language, ISO codes as values."""

from __future__ import annotations

import phonenumbers
from PySide6.QtWidgets import QComboBox, QWidget

from desktop.models.formats import country_name


class _CodeBox(QComboBox):
    """Entries that each stand for an ISO country code (or "" for none)."""

    def __init__(self, entries: list[tuple[str, str]], tip: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        for title, code in entries:
            self.addItem(title, code)
        self.setToolTip(tip)

    def code(self) -> str:
        return str(self.currentData() or "")

    def set_code(self, code: str) -> None:
        self.setCurrentIndex(max(self.findData(code.upper()), 0))


class CountryBox(_CodeBox):
    """Every country phonenumbers knows, by name, plus a blank first entry."""

    def __init__(self, parent: QWidget | None = None) -> None:
        choices = sorted((country_name(c), c) for c in phonenumbers.SUPPORTED_REGIONS)
        super().__init__(
            [("", ""), *choices], "Type the first letters of the country to pick it", parent
        )


def region_choices() -> list[tuple[str, str]]:
    """(ISO code, "Norway (+47)") for every region phonenumbers knows, by name."""
    choices = [
        (code, f"{country_name(code)} (+{phonenumbers.country_code_for_region(code)})")
        for code in phonenumbers.SUPPORTED_REGIONS
    ]
    return sorted(choices, key=lambda c: c[1])


class RegionBox(_CodeBox):
    """The country numbers typed without +country code belong to: "Norway (+47)".
    `automatic` adds a first entry (value "") for "as this computer's locale says"."""

    def __init__(self, parent: QWidget | None = None, automatic: str = "") -> None:
        first = [(automatic, "")] if automatic else []
        regions = [(label, code) for code, label in region_choices()]
        tip = "Numbers typed without +country code are read as numbers of this country."
        super().__init__([*first, *regions], tip, parent)
