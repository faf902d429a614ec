"""The merge view: two or more records of one person side by side. The user picks the
record that stays and, field by field, whose value it keeps; emails, phones, addresses,
web sites, groups and custom fields of all of them are combined."""

from __future__ import annotations

import html
import uuid
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db.contact_values import AddressValue, ContactDetails, ContactDraft, compose_display_name
from db.merge import CHOOSABLE, combined_draft
from desktop.models.formats import birthday

MAX_AT_ONCE = 8
PHOTO_SIZE = 56
FIELD_TITLES = {
    "prefix": "Prefix",
    "given_name": "First name",
    "middle_name": "Middle name",
    "family_name": "Last name",
    "suffix": "Suffix",
    "display_name": "Shown as",
    "nickname": "Nickname",
    "title": "Job title",
    "department": "Department",
    "company": "Company",
    "birthday": "Birthday",
    "background": "Background",
    "owner": "Owner",
}


class MergeDialog(QDialog):
    """After `exec()`: `survivor_id`, `others`, `draft()` and `photo_from` say the merge."""

    def __init__(
        self,
        people: list[ContactDetails],
        photos: dict[uuid.UUID, bytes],
        region: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.people = people[:MAX_AT_ONCE]
        self.drafts = [p.to_draft(region) for p in self.people]
        self.photos = photos
        self.setObjectName("mergeDialog")
        self.setWindowTitle(f"Merge {len(self.people)} records")
        self.survivor = QButtonGroup(self)
        self.choices: dict[str, QButtonGroup] = {}
        self.photo_choice: QButtonGroup | None = None
        intro = QLabel(
            "Choose the record that stays and, where they differ, whose value it keeps. "
            "Emails, phones, addresses, web sites, groups and custom fields of all of them "
            "are kept. Notes, follow-ups, history and social profiles move to the record "
            "that stays; the others go to the Trash. Undo (Ctrl+Z) takes the merge back."
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        self._build_grid(grid)
        sheet = QWidget()
        sheet.setObjectName("mergeGrid")
        sheet.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(sheet)
        self.combined = QLabel()
        self.combined.setObjectName("mergeCombined")
        self.combined.setWordWrap(True)
        self.combined.setTextFormat(Qt.TextFormat.RichText)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Merge")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.combined)
        layout.addStretch(0)
        layout.addWidget(buttons)
        scroll.setMinimumHeight(min(sheet.sizeHint().height() + 8, 480))
        self.survivor.idClicked.connect(self._survivor_changed)
        self._survivor_changed(self._likely_survivor())
        self.resize(min(260 + 230 * len(self.people), 1200), self.sizeHint().height())

    # Building
    def _build_grid(self, grid: QGridLayout) -> None:
        for column, person in enumerate(self.people, start=1):
            heading = QLabel(f"<b>{html.escape(person.display_name)}</b>")
            heading.setWordWrap(True)
            grid.addWidget(heading, 0, column)
            keep = QRadioButton("Keep this record")
            keep.setObjectName(f"keep:{column - 1}")
            self.survivor.addButton(keep, column - 1)
            grid.addWidget(keep, 1, column)
            updated = QLabel(f"changed {person.updated_at:%Y-%m-%d}")
            updated.setStyleSheet("color: palette(placeholder-text);")
            grid.addWidget(updated, 2, column)
        row = 3
        for name in CHOOSABLE:
            values = [self._value(draft, name) for draft in self.drafts]
            if not any(values):
                continue
            grid.addWidget(_field_label(FIELD_TITLES[name]), row, 0)
            group = QButtonGroup(self)
            for column, value in enumerate(values, start=1):
                button = QRadioButton(_shown(value))
                button.setObjectName(f"choice:{name}:{column - 1}")
                button.setToolTip(value)
                button.setEnabled(bool(value))
                group.addButton(button, column - 1)
                grid.addWidget(button, row, column)
            self.choices[name] = group
            row += 1
        for title, values in (
            ("Emails", [[e.address for e in d.emails] for d in self.drafts]),
            ("Phones", [[p.number for p in d.phones] for d in self.drafts]),
            ("Addresses", [[_address(a) for a in d.addresses] for d in self.drafts]),
            ("Groups", [[g.name for g in p.groups] for p in self.people]),
        ):
            if not any(values):
                continue
            grid.addWidget(_field_label(title), row, 0)
            for column, listed in enumerate(values, start=1):
                shown = QLabel("\n".join(_shown(v) for v in listed) or "–")
                shown.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                shown.setToolTip("All of these are kept.")
                grid.addWidget(shown, row, column)
            row += 1
        if any(person.id in self.photos for person in self.people):
            grid.addWidget(_field_label("Photo"), row, 0)
            self.photo_choice = QButtonGroup(self)
            for column, person in enumerate(self.people, start=1):
                button = QRadioButton("" if person.id in self.photos else "no photo")
                button.setObjectName(f"choice:photo:{column - 1}")
                if person.id in self.photos:
                    pixmap = QPixmap()
                    pixmap.loadFromData(self.photos[person.id])
                    button.setIcon(pixmap)
                    fitted = pixmap.size().scaled(
                        PHOTO_SIZE, PHOTO_SIZE, Qt.AspectRatioMode.KeepAspectRatio
                    )
                    button.setIconSize(fitted)
                else:
                    button.setEnabled(False)
                self.photo_choice.addButton(button, column - 1)
                grid.addWidget(button, row, column)
            row += 1
        grid.setColumnStretch(len(self.people) + 1, 1)

    def _likely_survivor(self) -> int:
        """The record with the most filled fields (the oldest wins a tie)."""

        def filled(n: int) -> tuple[int, float]:
            draft = self.drafts[n]
            count = sum(bool(getattr(draft, name)) for name in CHOOSABLE)
            count += len(draft.emails) + len(draft.phones) + len(draft.addresses)
            return count, -self.people[n].created_at.timestamp()

        return max(range(len(self.people)), key=filled)

    # Choosing
    def _survivor_changed(self, index: int) -> None:
        """The survivor's values are chosen, its blanks filled from the others."""
        self.survivor.button(index).setChecked(True)
        order = [index] + [n for n in range(len(self.people)) if n != index]
        for name, group in self.choices.items():
            chosen = next((n for n in order if self._value(self.drafts[n], name)), index)
            group.button(chosen).setChecked(True)
        if self.photo_choice is not None:
            with_photo = [n for n in order if self.people[n].id in self.photos]
            self.photo_choice.button(with_photo[0]).setChecked(True)
        self._show_combined()

    @property
    def survivor_index(self) -> int:
        return self.survivor.checkedId()

    @property
    def survivor_id(self) -> uuid.UUID:
        return self.people[self.survivor_index].id

    @property
    def others(self) -> list[uuid.UUID]:
        return [p.id for n, p in enumerate(self.people) if n != self.survivor_index]

    @property
    def photo_from(self) -> uuid.UUID | None:
        if self.photo_choice is None or self.photo_choice.checkedId() < 0:
            return None
        return self.people[self.photo_choice.checkedId()].id

    def draft(self) -> ContactDraft:
        """The survivor's new values: the chosen ones and everything combined."""
        index = self.survivor_index
        order = [self.drafts[index]] + [d for n, d in enumerate(self.drafts) if n != index]
        merged = combined_draft(order, [p.id for p in self.people])
        chosen: dict[str, Any] = {
            name: getattr(self.drafts[group.checkedId()], name)
            for name, group in self.choices.items()
            if group.checkedId() >= 0
        }
        return replace(merged, **chosen)

    def _show_combined(self) -> None:
        draft = self.draft()
        lines = [
            ("Emails", [e.address for e in draft.emails]),
            ("Phones", [p.number for p in draft.phones]),
            ("Addresses", [_address(a) for a in draft.addresses]),
            ("Web sites", [u.url for u in draft.urls]),
            ("Custom fields", [f"{k}: {v}" for k, v in draft.custom_fields.items()]),
        ]
        groups = {g.id: g.name for p in self.people for g in p.groups}
        lines.append(("Groups", [groups[g] for g in draft.group_ids if g in groups]))
        shown = [
            f"<b>{title}:</b> {html.escape('; '.join(values))}" for title, values in lines if values
        ]
        self.combined.setText(
            f"<b>{html.escape(compose_display_name(draft))}</b> keeps all of these:<br>"
            + "<br>".join(shown)
        )

    @staticmethod
    def _value(draft: ContactDraft, name: str) -> str:
        value = getattr(draft, name)
        if name == "birthday":
            return birthday(value) if value else ""
        return str(value or "")


def _address(address: AddressValue) -> str:
    return ", ".join(filter(None, (address.street, address.city, address.country)))


def _field_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("color: palette(placeholder-text);")
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


def _shown(value: str) -> str:
    one_line = " ".join(value.split())
    return one_line if len(one_line) <= 40 else one_line[:39] + "…"
