"""What the app does with an error nobody caught: log it, then say so in a dialog.

Qt calls `sys.excepthook` for an exception that escapes a slot or an event handler,
and Python's default prints it to a console nobody sees. The hook installed here
writes the traceback to the log file and shows "something went wrong", with the
traceback under Details; a `CallsheetError` that slipped through shows its own
message instead. Committed work is never at risk: each change is its own transaction.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from db.errors import CallsheetError

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


class UnexpectedErrors:
    """The installed hook; `uninstall()` puts the previous one back."""

    def __init__(self, log_path: Path | None, parent: Callable[[], QWidget | None]) -> None:
        self.log_path = log_path
        self.parent = parent
        self.showing = False
        self.previous: ExceptHook = sys.excepthook
        self.previous_thread_hook = threading.excepthook

    def install(self) -> UnexpectedErrors:
        sys.excepthook = self.handle
        threading.excepthook = self._from_thread
        return self

    def uninstall(self) -> None:
        sys.excepthook = self.previous
        threading.excepthook = self.previous_thread_hook

    def handle(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        """Log the error and tell the user (one dialog at a time)."""
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        log.error("unexpected error", exc_info=(kind, error, trace))
        if self.showing or QApplication.instance() is None:
            return
        self.showing = True
        try:
            self._dialog(error, "".join(traceback.format_exception(kind, error, trace))).exec()
        finally:
            self.showing = False

    def _from_thread(self, args: threading.ExceptHookArgs) -> None:
        # A plain thread cannot show a dialog; its traceback goes to the log.
        log.error(
            "unexpected error in thread %s",
            args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback),
        )

    def _dialog(self, error: BaseException, details: str) -> QMessageBox:
        box = QMessageBox(self.parent())
        box.setObjectName("unexpectedError")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Callsheet")
        if isinstance(error, CallsheetError):
            box.setText(str(error))
            return box
        where = f"\n\nDetails are in the log: {self.log_path}" if self.log_path else ""
        box.setText("Something went wrong, and Callsheet did not finish what it was doing.")
        box.setInformativeText(
            "Everything saved before this is safe. If it happens again, please send the "
            f"log with a note of what you were doing.{where}"
        )
        box.setDetailedText(details)
        return box
