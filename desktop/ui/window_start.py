"""Opening the main window on a book. When the book can be read by sqlite3 alone (closed
cleanly at this version's schema, see `db.quick_read`) and the list was left showing
the whole book by name in a window laid out before, the window paints its first page
from that read, then opens the book and finishes itself (`MainWindow.attach`): the rows
are on screen before SQLAlchemy and the models load. Otherwise the book is opened
first, the whole way (its upgrade, checks and messages), and the window built on it."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from db.clock import SystemClock
from db.errors import CallsheetError, DamagedDatabaseError
from db.first_page import FirstPage, first_page
from desktop import logs
from desktop.models.contact_list import PAGE_SIZE
from desktop.settings import apply_source_urls, backup_plan
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import user_settings
from desktop.ui.window_state import saved_list

if TYPE_CHECKING:
    from desktop.contact_book import ContactBook
    from desktop.ui.unexpected_errors import UnexpectedErrors

log = logging.getLogger(__name__)

# When the window cannot paint (started minimised), the book is opened anyway.
PAINT_WAIT_MS = 2000


class WindowStart(QObject):
    """The window (`window`, once `begin` returned True) and its book (`book`, once
    open); `close` closes the book after the event loop."""

    def __init__(self, data_dir: Path, region: str) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.region = region
        self.window: MainWindow | None = None
        self.book: ContactBook | None = None
        self._errors: UnexpectedErrors | None = None
        self._waiting = False

    def begin(self) -> bool:
        """Show the window; False when the book cannot be opened (the user was told)."""
        first = self._first_page()
        if first is None:
            book = self._open_book()
            if book is None:
                return False
            self.window = MainWindow(book, self.region)
            self._opened(book)
            self.window.show()
            return True
        self.window = MainWindow(None, self.region, first_page=first)
        self._waiting = True
        self.window.table.viewport().installEventFilter(self)
        QTimer.singleShot(PAINT_WAIT_MS, self.open_now)
        self.window.show()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._waiting:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.open_now)  # once this paint is on screen
        return False

    def open_now(self) -> None:
        """Open the book and finish the window on it, unless done (or closed) already;
        a book that cannot be opened ends the app with 1 (the user was told)."""
        window = self.window
        if not self._waiting or window is None:
            return
        self._waiting = False
        if not window.isVisible():  # closed before the book was open
            return
        book = self._open_book()
        if book is None:
            window.close()
            QApplication.exit(1)
            return
        window.attach(book)
        self._opened(book)

    def close(self) -> None:
        if self._errors is not None:
            self._errors.uninstall()
        if self.book is not None:
            self.book.close()

    def _first_page(self) -> FirstPage | None:
        settings = user_settings()
        query, view = saved_list(settings)
        if view.kind != "all" or settings.state("window/contactsSplit") is None:
            return None  # a first start lays the window out around its detail pane
        first = first_page(self.data_dir, query, PAGE_SIZE, SystemClock())
        return first if first is not None and first.total else None

    def _open_book(self) -> ContactBook | None:
        from desktop.contact_book import ContactBook

        plan = backup_plan(user_settings(), self.data_dir.expanduser().absolute())
        try:
            try:
                return ContactBook.open(self.data_dir, backups=plan)
            except DamagedDatabaseError as error:
                if not restore_damaged(error):
                    return None
                return ContactBook.open(self.data_dir, backups=plan)
        except CallsheetError as error:
            log.info("cannot open the database", exc_info=True)
            QMessageBox.critical(self.window, "Callsheet cannot open its database", str(error))
            return None

    def _opened(self, book: ContactBook) -> None:
        from desktop.ui.unexpected_errors import UnexpectedErrors

        self.book = book
        log_path = logs.configure(self.data_dir)
        apply_source_urls(user_settings())
        window = self.window
        self._errors = UnexpectedErrors(log_path, lambda: window).install()


def restore_damaged(error: DamagedDatabaseError) -> bool:
    """Offer to put the last backup in the place of a damaged book; True if it was."""
    from desktop.contact_book import ContactBook

    log.warning("the book is damaged: %s", error)
    box = QMessageBox(QMessageBox.Icon.Critical, "Callsheet cannot open its database", "")
    box.setText(f"The book {error.path} is damaged ({error.problem}).")
    if error.backup is None:
        box.setInformativeText(
            "There is no backup of it in the backup folder. Callsheet has not changed it; "
            "a backup kept elsewhere can be put back with callsheet restore FILE."
        )
        box.exec()
        return False
    box.setInformativeText(
        f"The last backup is {error.backup.name}. Restoring it replaces the damaged book, "
        "which is moved aside, not deleted; changes made since the backup are not in it."
    )
    restore = box.addButton("&Restore Last Backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    ContactBook.replace_damaged(error.path.parent, error.backup)
    return True
