"""The strip above the list while a company is shown: who they are, and Edit."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from db.companies import CompanyDetails
from desktop.models.formats import country_name, number


class CompanyBar(QWidget):
    """Signals:
    editRequested(): the user asked to edit the company shown.
    """

    editRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("companyBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "QWidget#companyBar { background: palette(alternate-base); "
            "border-bottom: 1px solid palette(mid); }"
        )
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setOpenExternalLinks(True)
        self.text.setWordWrap(True)
        self.edit_button = QPushButton("Edit company…")
        self.edit_button.clicked.connect(self.editRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.edit_button)
        self.hide()

    def show_company(self, details: CompanyDetails | None) -> None:
        """Show a company's name, web, phone and place (None hides the bar)."""
        if details is None:
            self.hide()
            return
        draft = details.draft
        parts = [f"<b style='font-size: 12pt'>{html.escape(draft.name)}</b>"]
        if draft.website:
            target = draft.website if "://" in draft.website else f"https://{draft.website}"
            parts.append(f'<a href="{html.escape(target)}">{html.escape(draft.website)}</a>')
        if draft.phone:
            parts.append(html.escape(draft.phone))
        place = ", ".join(
            p for p in (draft.city, country_name(draft.country) if draft.country else "") if p
        )
        if place:
            parts.append(html.escape(place))
        count = details.contact_count
        parts.append(f"{number(count)} contact{'s' if count != 1 else ''}")
        self.text.setText(" · ".join(parts))
        self.text.setToolTip(draft.background)
        self.show()
