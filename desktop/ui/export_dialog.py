"""File > Export: which contacts (all, the group or lookup shown, the selection), in
which format, to which file."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.contact_book import ContactBook
from desktop.models.formats import number
from desktop.ui.file_row import file_row

FORMATS = (
    ("csv", "4.0", "CSV table (Excel, Numbers, Google Contacts)", ".csv"),
    ("vcf", "4.0", "vCard 4.0 (every field, for other contact apps)", ".vcf"),
    ("vcf", "3.0", "vCard 3.0 (older phones and Outlook)", ".vcf"),
    ("ics", "4.0", "iCalendar (these contacts' follow-ups and history)", ".ics"),
)
UNSAFE_IN_FILE_NAMES = set('<>:"/\\|?*')
FILTERS = {".csv": "CSV files (*.csv)", ".vcf": "vCard files (*.vcf)", ".ics": "iCalendar (*.ics)"}


@dataclass(frozen=True)
class Scope:
    """A set of contacts to export: its description and how to list it (off the UI
    thread, since "all" may be 100,000)."""

    title: str
    ids: Callable[[], list[uuid.UUID]]
    name: str = ""  # one person's name: the file is named after them, as a vCard


class ExportDialog(QDialog):
    def __init__(
        self, scopes: list[Scope], folder: Path, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        self.scopes = scopes
        self._replace_agreed: Path | None = None
        self.today = today
        self.folder = folder
        self.scope_box = QComboBox()
        self.scope_box.setObjectName("exportScope")
        for scope in scopes:
            self.scope_box.addItem(scope.title)
        self.scope_box.currentIndexChanged.connect(self._scope_changed)
        self.format_box = QComboBox()
        self.format_box.setObjectName("exportFormat")
        for format, version, title, _suffix in FORMATS:
            self.format_box.addItem(title, (format, version))
        if scopes[0].name:  # one person: a card, as one sends a person
            self.format_box.setCurrentIndex(1)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self.path_box = QLineEdit(str(self._default_path()))
        self.path_box.setObjectName("exportFile")
        self.path_box.textChanged.connect(self._update_ok)
        file_label, path_row = file_row(self.path_box, self._browse)
        form = QFormLayout()
        form.addRow("&Contacts:", self.scope_box)
        form.addRow("F&ormat:", self.format_box)
        form.addRow(file_label, path_row)
        note = QLabel(
            "A CSV file opens in any spreadsheet; a vCard file keeps every field, photo and "
            "social profile, and Callsheet or another contact app can import it again."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Export")
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(640, self.sizeHint().height())

    @property
    def scope(self) -> Scope:
        return self.scopes[self.scope_box.currentIndex()]

    @property
    def format(self) -> str:
        return str(self.format_box.currentData()[0])

    @property
    def vcard_version(self) -> str:
        return str(self.format_box.currentData()[1])

    @property
    def path(self) -> Path:
        return Path(self.path_box.text().strip()).expanduser()

    def _suffix(self) -> str:
        return FORMATS[self.format_box.currentIndex()][3]

    def _default_path(self, scope: Scope | None = None) -> Path:
        name = (scope or self.scope).name or f"Callsheet contacts {self.today:%Y-%m-%d}"
        return self.folder / f"{_file_safe(name)}{self._suffix()}"

    def _scope_changed(self) -> None:
        """A file name the user did not type follows the scope ("Maya Lund.vcf")."""
        automatic = {self._default_path(scope).stem for scope in self.scopes}
        if self.path.stem in automatic:
            self.path_box.setText(str(self._default_path()))

    def _format_changed(self) -> None:
        if self.path_box.text().strip():
            self.path_box.setText(str(self.path.with_suffix(self._suffix())))

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export to", str(self.path), FILTERS[self._suffix()]
        )
        if chosen:
            self.path_box.setText(chosen)
            self._replace_agreed = Path(chosen)  # the file dialog asked already

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.path_box.text().strip()))

    def _confirm(self) -> None:
        path = self.path
        if path.is_dir():
            QMessageBox.warning(self, "Export", f"{path} is a folder; give a file name.")
            return
        if not path.parent.is_dir():
            QMessageBox.warning(self, "Export", f"The folder {path.parent} does not exist.")
            return
        if path.exists() and path != self._replace_agreed:
            answer = QMessageBox.question(
                self,
                "Export",
                f"{path.name} already exists. Replace it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.accept()


def _file_safe(name: str) -> str:
    """A name fit for a file on any system ("A/S Nord: Ola" -> "A-S Nord- Ola")."""
    safe = "".join("-" if ch in UNSAFE_IN_FILE_NAMES or ord(ch) < 32 else ch for ch in name)
    return safe.strip(" .") or "contact"


def shown_scopes(
    book: ContactBook,
    group: tuple[uuid.UUID, str] | None,
    looked_up: str | None,
    selected: list[uuid.UUID],
) -> list[Scope]:
    """What an export can cover, most specific first: the contact or contacts selected,
    the contacts a lookup found, the group shown, everyone."""
    scopes = [Scope(f"All contacts ({number(book.count())})", lambda: book.export_ids())]
    if group is not None:
        group_id, name = group
        scopes.insert(0, Scope(f"The group “{name}”", lambda: book.export_ids(group_id)))
    if looked_up:
        scopes.insert(
            0,
            Scope(
                f"The contacts found for “{looked_up}”", lambda: book.export_ids(None, looked_up)
            ),
        )
    if len(selected) == 1:
        name = book.contact(selected[0]).display_name
        scopes.insert(0, Scope(f"This contact ({name})", lambda: selected, name))
    elif selected:
        scopes.insert(0, Scope(f"The {len(selected):,} selected contacts", lambda: selected))
    return scopes
