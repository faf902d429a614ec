"""Backups from the main window: the day's backup while the app runs, File > Back Up
Now, and File > Restore from Backup."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QTimer

from db.errors import CallsheetError
from desktop.settings import backup_plan
from desktop.ui.controller import WindowController
from desktop.ui.restore_dialog import RestoreDialog

log = logging.getLogger(__name__)

FIRST_CHECK_MS = 20_000  # after start-up has settled
CHECK_EVERY_MS = 60 * 60 * 1000


class BackupsController(WindowController):
    def start(self) -> None:
        """Apply the backup settings and take the day's backup now and then."""
        self.apply_settings()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.daily)
        self.timer.start(CHECK_EVERY_MS)
        QTimer.singleShot(FIRST_CHECK_MS, self.daily)

    def apply_settings(self) -> None:
        self.book.backups = backup_plan(self.window.settings, Path(self.book.path).parent)

    def daily(self) -> None:
        self.window.jobs.start(
            self.book.back_up_daily, on_done=self._daily_taken, on_failed=self._daily_failed
        )

    def _daily_taken(self, path: Path | None) -> None:
        if path is not None:
            log.info("daily backup: %s", path)

    def _daily_failed(self, error: Exception) -> None:
        if not isinstance(error, CallsheetError):
            raise error
        log.warning("daily backup failed: %s", error)
        self.say(f"The daily backup failed: {error}", 30_000)

    def back_up_now(self) -> None:
        self.say("Backing up…", 0)
        self.window.jobs.start(
            self.book.back_up,
            on_done=lambda path: self.say(f"Backed up to {path}.", 15_000),
            on_failed=self._failed,
        )

    def _failed(self, error: Exception) -> None:
        self.window.statusBar().clearMessage()
        self.window.show_error(error)

    def restore(self) -> None:
        dialog = RestoreDialog(self.book, self.window)
        dialog.restored.connect(self._restored)
        dialog.exec()
        dialog.deleteLater()

    def _restored(self, text: str) -> None:
        self.window.undo_stack.clear()  # what it would undo is gone with the old book
        self.window.refresh_all()
        self.say(text, 30_000)
