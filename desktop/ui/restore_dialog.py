"""File > Restore from Backup: the backups there are, what the chosen one holds, and
putting the book back as it was then (the book as it is now is kept as a backup)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.backups import BackupFile, BackupSummary
from db.errors import CallsheetError
from desktop.contact_book import ContactBook
from desktop.models.formats import when
from desktop.ui.confirm import confirm_action
from desktop.ui.workers import JobRunner
from desktop.wording import counted, file_size

PATH = Qt.ItemDataRole.UserRole


class RestoreDialog(QDialog):
    """Signals:
    restored(str): the book was restored; the text says from what and where the book
    as it was is kept.
    """

    restored = Signal(str)

    def __init__(self, book: ContactBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.jobs = JobRunner(self)
        self._checked: dict[Path, BackupSummary | str] = {}
        self.setObjectName("restoreDialog")
        self.setWindowTitle("Restore from Backup")
        intro = QLabel(
            "Choose the backup to put the book back to. Everything changed since it was "
            "taken is replaced; the book as it is now is kept as a backup first, so a "
            "restore can itself be taken back."
        )
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setObjectName("backupList")
        self.list.setHeaderLabels(["Taken", "Why", "Size"])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setColumnWidth(0, 240)
        self.list.setColumnWidth(1, 170)
        self.list.currentItemChanged.connect(lambda *_: self._show_selected())
        self.list.itemActivated.connect(lambda *_: self.restore_selected())
        self.empty = QLabel()
        self.empty.setObjectName("noBackups")
        self.empty.setWordWrap(True)
        self.details = QLabel()
        self.details.setObjectName("backupDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.other = QPushButton("&Other File…")
        self.other.clicked.connect(self.choose_file)
        self.restore = QPushButton("&Restore…")
        self.restore.setObjectName("restoreBackup")
        self.restore.setDefault(True)
        self.restore.clicked.connect(self.restore_selected)
        close = QPushButton("Cancel")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.other)
        buttons.addStretch(1)
        buttons.addWidget(self.restore)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        self.resize(680, 400)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for backup in self.book.backup_list():
            self._add(backup)
        self.empty.setText(
            f"There are no backups in {self.book.backups.folder} yet. Callsheet takes one "
            "every day while it runs and before every import; Other File… opens one kept "
            "elsewhere."
        )
        self.empty.setVisible(self.list.topLevelItemCount() == 0)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        self._show_selected()

    def _add(self, backup: BackupFile) -> QTreeWidgetItem:
        item = QTreeWidgetItem([when(backup.taken_at), backup.description, file_size(backup.size)])
        item.setData(0, PATH, backup.path)
        item.setToolTip(0, str(backup.path))
        item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
        self.list.addTopLevelItem(item)
        return item

    def selected(self) -> Path | None:
        item = self.list.currentItem()
        return item.data(0, PATH) if item is not None else None

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Restore from a backup file",
            str(self.book.backups.folder),
            "Callsheet backups (*.db *.bak);;All files (*)",
        )
        if not name:
            return
        path = Path(name)
        item = self._add(BackupFile(path, _modified(path), "chosen", path.stat().st_size))
        item.setText(1, "Chosen file")
        self.empty.hide()
        self.list.setCurrentItem(item)

    def _show_selected(self) -> None:
        path = self.selected()
        self.restore.setEnabled(False)
        if path is None:
            self.details.clear()
            return
        known = self._checked.get(path)
        if known is None:
            self.details.setText(f"Checking {path.name}…")
            self.jobs.start(
                self.book.check_backup,
                path,
                on_done=lambda summary: self._checked_one(path, summary),
                on_failed=lambda error: self._checked_one(path, _reason(error)),
            )
        elif isinstance(known, str):
            self.details.setText(known)
        else:
            self.details.setText(
                f"{counted(known.contacts, 'contact')} · {path}"
                + (" · from an earlier Callsheet" if known.older else "")
            )
            self.restore.setEnabled(True)

    def _checked_one(self, path: Path, result: BackupSummary | str) -> None:
        self._checked[path] = result
        if self.selected() == path:
            self._show_selected()

    def restore_selected(self) -> None:
        path = self.selected()
        summary = self._checked.get(path) if path is not None else None
        item = self.list.currentItem()
        if path is None or not isinstance(summary, BackupSummary) or item is None:
            return
        taken = item.text(0)
        if not confirm_action(
            self,
            "Restore from Backup",
            f"Put the book back as it was in the backup of {taken} "
            f"({counted(summary.contacts, 'contact')})?",
            "Everything changed since then is replaced. The book as it is now is kept as a "
            "backup first, so you can restore it again.",
            "&Restore",
        ):
            return
        self.restore.setEnabled(False)
        self.other.setEnabled(False)
        self.details.setText(f"Restoring from the backup of {taken}…")
        self.jobs.start(
            self.book.restore_backup,
            path,
            on_done=lambda result: self._restored(taken, result),
            on_failed=self._failed,
            writes=True,
        )

    def _restored(self, taken: str, result: tuple[BackupSummary, Path]) -> None:
        summary, kept = result
        self.restored.emit(
            f"Restored the backup of {taken} ({counted(summary.contacts, 'contact')}). "
            f"The book as it was is kept as {kept.name}."
        )
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.other.setEnabled(True)
        self._checked.pop(self.selected() or Path(), None)
        self._show_selected()
        if not isinstance(error, CallsheetError):
            raise error
        QMessageBox.warning(self, "Restore from Backup", str(error))

    def done(self, result: int) -> None:
        self.jobs.wait()  # a restore under way finishes before the dialog goes
        super().done(result)


def _reason(error: Exception) -> str:
    if isinstance(error, CallsheetError):
        what = getattr(error, "what", str(error))
        return f"This backup cannot be restored: {what}."
    raise error


def _modified(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)
