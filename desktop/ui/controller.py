"""What the main window's feature controllers share: the window they act for."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from db.errors import CallsheetError

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


class WindowController(QObject):
    """A feature of the main window (groups, companies, call lists…): its actions run
    here; the window keeps the views they read and refresh."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.book = window.book

    def say(self, text: str, msecs: int = 5000) -> None:
        """A line in the status bar."""
        self.window.statusBar().showMessage(text, msecs)

    def attempt(self, action: Callable[..., Any], *args: Any) -> bool:
        """Run a contact book call; a failure is shown to the user. True if it worked."""
        try:
            action(*args)
        except CallsheetError as error:
            self.window.show_error(error)
            return False
        return True
