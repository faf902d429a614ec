"""Import, export, Find Duplicates and merging, as the main window offers them: the
dialogs, the background runs with progress and Stop, and the undo steps."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from db.errors import CallsheetError
from desktop.contact_book import ContactBook
from desktop.settings import EXPORT_FOLDER, Settings
from desktop.ui.export_dialog import ExportDialog, Scope
from desktop.ui.undo import MergeContacts, UndoImport
from desktop.ui.workers import JobRunner
from desktop.wording import counted

if TYPE_CHECKING:  # the readers, writers and their dialogs load when first used
    from desktop.interop.ical import CalendarPlan
    from desktop.interop.importer import Outcome, Preview
    from desktop.ui.duplicates_view import DuplicatesView
    from desktop.ui.import_wizard import ImportSource
    from desktop.ui.main_window import MainWindow


def _undo_key() -> str:
    """The Undo shortcut as this platform writes it (Ctrl+Z, ⌘Z)."""
    sequence = QKeySequence(QKeySequence.StandardKey.Undo)
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


class Interop(QObject):
    """Signals:
    changed(object): contacts changed; the id worth selecting, or None.
    failed(object): an error to show.
    message(str): a line for the status bar.
    """

    changed = Signal(object)
    failed = Signal(object)
    message = Signal(str)

    def __init__(
        self,
        book: ContactBook,
        undo_stack: QUndoStack,
        settings: Settings,
        parent: MainWindow,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.undo_stack = undo_stack
        self.settings = settings
        self.window = parent
        self.jobs = JobRunner(self, serial=True)
        self.duplicates: DuplicatesView | None = None

    @property
    def region(self) -> str:
        return self.window.default_region

    def busy(self) -> bool:
        return self.jobs.busy()

    # Import
    def import_file(self, path: Path | None = None) -> None:
        """The import wizard (on `path` when a file was dropped), then the import."""
        from desktop.ui.import_wizard import ImportWizard

        if self.busy():
            self.message.emit("An import or export is still running.")
            return
        wizard = ImportWizard(self.book, self.settings, self.region, path, self.window, self.jobs)
        if path is not None:  # straight to the mapping (or the preview) once it shows
            QTimer.singleShot(0, wizard.next)
        accepted = wizard.exec()
        source, preview, calendar = wizard.source, wizard.preview, wizard.calendar
        wizard.deleteLater()
        if not accepted or source is None:
            return
        if calendar is not None:
            self._import_calendar(source, calendar)
        elif preview is not None:
            self._import_contacts(source, preview)

    def _import_contacts(self, source: ImportSource, preview: Preview) -> None:
        total = sum(1 for step in preview.steps if step.writes)
        progress = self._progress(f"Importing {total:,} records from {source.path.name}…", total)

        def work(progress: object) -> Outcome:
            stop = False

            def report(done: int, total: int) -> None:
                nonlocal stop
                stop = progress(done, total) is False  # type: ignore[operator]

            return self.book.import_contacts(
                preview, str(source.path), source.format, report, lambda: stop
            )

        job = self.jobs.start(
            work,
            on_done=lambda outcome: self._imported(source, outcome, progress),
            on_failed=lambda error: self._import_failed(source, error, progress),
            with_progress=True,
            writes=True,
        )
        job.signals.progress.connect(lambda done, total: _imported_so_far(progress, done, total))
        progress.canceled.connect(job.cancel)

    def _imported(self, source: ImportSource, outcome: Outcome, progress: QProgressDialog) -> None:
        _dismiss(progress)
        if outcome.batch_id is None:
            self.message.emit("Nothing was imported.")
            return
        what = f"{outcome.created:,} new, {outcome.changed:,} updated or merged"
        self._undoable_import(outcome.batch_id, source)
        if outcome.cancelled:
            self.message.emit(f"Import stopped: {what} landed. {_undo_key()} takes them back.")
        else:
            self.message.emit(f"Imported {source.path.name}: {what}. {_undo_key()} takes it back.")
        self.changed.emit(None)

    def _import_failed(
        self, source: ImportSource, error: Exception, progress: QProgressDialog
    ) -> None:
        _dismiss(progress)
        self.failed.emit(error)
        landed = next(
            (
                b
                for b in self.book.import_batches()
                if b.source == str(source.path) and b.status == "running"
            ),
            None,
        )
        if landed is not None:  # the committed chunks stay, and can still be undone
            self._undoable_import(landed.id, source)
        self.changed.emit(None)

    def _import_calendar(self, source: ImportSource, plan: CalendarPlan) -> None:
        self.message.emit(f"Importing {source.path.name}…")
        self.jobs.start(
            self.book.import_calendar,
            plan,
            str(source.path),
            on_done=lambda batch: self._calendar_imported(source, plan, batch),
            on_failed=self.failed.emit,
            writes=True,
        )

    def _calendar_imported(
        self, source: ImportSource, plan: CalendarPlan, batch: uuid.UUID | None
    ) -> None:
        if batch is None:
            self.message.emit("Nothing was imported.")
            return
        self._undoable_import(batch, source)
        self.message.emit(
            f"Imported {len(plan.todos):,} follow-ups and {len(plan.journals):,} history "
            f"entries. {_undo_key()} takes them back."
        )
        self.changed.emit(None)

    def _undoable_import(self, batch_id: uuid.UUID, source: ImportSource) -> None:
        self.undo_stack.push(
            UndoImport(
                batch_id,
                f"Import of {source.path.name}",
                self.jobs,
                self.message.emit,
                self.book,
                self.changed.emit,
                self.failed.emit,
            )
        )

    def show_history(self) -> None:
        """File > Import History; taking an import back there refreshes the window."""
        from desktop.ui.import_history import ImportHistory

        try:
            history = ImportHistory(self.book, self.window)
        except CallsheetError as error:
            self.failed.emit(error)
            return
        history.changed.connect(lambda: self.changed.emit(None))
        history.exec()
        history.deleteLater()

    # Export
    def export(self, scopes: list[Scope]) -> None:
        if self.busy():
            self.message.emit("An import or export is still running.")
            return
        folder = Path(self.settings.get(EXPORT_FOLDER) or Path.home())
        dialog = ExportDialog(
            scopes,
            folder if folder.is_dir() else Path.home(),
            self.book.clock.today(),
            self.window,
        )
        accepted = dialog.exec()
        path, format, version, scope = (
            dialog.path,
            dialog.format,
            dialog.vcard_version,
            dialog.scope,
        )
        dialog.deleteLater()
        if not accepted:
            return
        self.settings.set(EXPORT_FOLDER, str(path.parent))
        progress = self._progress(f"Exporting to {path.name}…", 0)

        def work(progress: object) -> int:
            ids = scope.ids()
            return self.book.export(ids, format, path, version, progress)  # type: ignore[arg-type]

        job = self.jobs.start(
            work,
            on_done=lambda count: self._exported(path, format, count, progress),
            on_failed=lambda error: self._export_failed(error, progress),
            with_progress=True,
        )
        job.signals.progress.connect(lambda done, total: _advance(progress, done, total))
        progress.canceled.connect(job.cancel)

    def _exported(self, path: Path, format: str, count: int, progress: QProgressDialog) -> None:
        _dismiss(progress)
        what = counted(count, "calendar item") if format == "ics" else counted(count, "contact")
        self.message.emit(f"Exported {what} to {path}.")

    def _export_failed(self, error: Exception, progress: QProgressDialog) -> None:
        from desktop.interop.export import ExportCancelled

        _dismiss(progress)
        if isinstance(error, ExportCancelled):
            self.message.emit(str(error))
        else:
            self.failed.emit(error)

    # Duplicates and merging
    def find_duplicates(self) -> None:
        from desktop.ui.duplicates_view import DuplicatesView

        if self.duplicates is None:
            self.duplicates = DuplicatesView(self.book, self.window)
            self.duplicates.mergeRequested.connect(self.merge)
            self.duplicates.failed.connect(self.failed.emit)
        self.duplicates.show()
        self.duplicates.raise_()
        self.duplicates.scan()

    def merge(self, ids: list[uuid.UUID]) -> None:
        """The merge view for these contacts, then the merge (undoable)."""
        from desktop.ui.merge_dialog import MAX_AT_ONCE, MergeDialog

        ids = list(dict.fromkeys(ids))
        if len(ids) < 2:
            self.message.emit("Select two or more contacts to merge.")
            return
        if len(ids) > MAX_AT_ONCE:
            QMessageBox.information(
                self.window, "Merge", f"Merge at most {MAX_AT_ONCE} records at a time."
            )
            return
        try:
            people = [self.book.contact(cid) for cid in ids]
            photos = self.book.photos(ids)
        except CallsheetError as error:
            self.failed.emit(error)
            return
        parent = self.duplicates if self.duplicates and self.duplicates.isVisible() else None
        dialog = MergeDialog(people, photos, self.region, parent or self.window)
        accepted = dialog.exec()
        survivor, others, draft, photo = (
            dialog.survivor_id, dialog.others, dialog.draft(), dialog.photo_from
        )  # fmt: skip
        dialog.deleteLater()
        if not accepted:
            return
        try:
            merge_id = self.book.merge(survivor, others, draft, photo)
        except CallsheetError as error:
            self.failed.emit(error)
            return
        self.undo_stack.push(
            MergeContacts(
                merge_id, survivor, others, draft, photo,
                self.book, self.changed.emit, self.failed.emit,
            )
        )  # fmt: skip
        if self.duplicates is not None:
            self.duplicates.merged(ids)
        self.message.emit(
            f"Merged {len(ids)} records into one. {_undo_key()} takes the merge back."
        )
        self.changed.emit(survivor)

    def _progress(self, text: str, total: int) -> QProgressDialog:
        progress = QProgressDialog(text, "Stop", 0, total, self.window)
        progress.setObjectName("interopProgress")
        progress.setWindowTitle("Callsheet")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setValue(0)
        return progress

    def wait(self) -> bool:
        return self.jobs.wait()


def _dismiss(progress: QProgressDialog) -> None:
    """Take a finished job's progress box off the screen. Its auto-close is off (it stays
    up while an import finishes its indexes), so reset() alone would leave it there,
    modal, swallowing every click and key."""
    progress.hide()
    progress.deleteLater()


def _advance(progress: QProgressDialog, done: int, total: int) -> None:
    progress.setMaximum(total)
    progress.setValue(done)


def _imported_so_far(progress: QProgressDialog, done: int, total: int) -> None:
    progress.setValue(done)
    if done >= total:
        progress.setLabelText("Finishing the import (indexes and links)…")


def dropped_import_file(data: QMimeData) -> Path | None:
    """The one local file being dragged in, if it is one an import can read."""
    from desktop.interop.kinds import IMPORT_SUFFIXES

    urls = data.urls() if data.hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() in IMPORT_SUFFIXES else None
