"""Starting the desktop app: QApplication, the database, the main window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from db.errors import CallsheetError
from desktop import __version__, logs
from desktop.resources import app_icon_path

log = logging.getLogger(__name__)


def default_region() -> str:
    """The user's country, for reading phone numbers typed without +country code."""
    code = QLocale.territoryToCode(QLocale().territory())
    return code if len(code) == 2 and code.isalpha() else "US"


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Callsheet")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Callsheet")
    app.setDesktopFileName("callsheet")
    icon = app_icon_path()
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


class NoDisplayError(CallsheetError):
    def __init__(self) -> None:
        super().__init__(
            "there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are "
            "unset). Run Callsheet in a desktop session, or use its commands (callsheet "
            "--help) over SSH."
        )


def check_display() -> None:
    """On Linux, refuse clearly before Qt aborts for want of a screen."""
    if not sys.platform.startswith("linux"):
        return
    env = os.environ
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or env.get("QT_QPA_PLATFORM")):
        raise NoDisplayError()


def run_app(data_dir: Path) -> int:
    """Open the main window on the database in `data_dir`; returns the exit code."""
    from db.engine import open_database

    check_display()
    from desktop.contact_book import ContactBook
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import apply_source_urls, user_settings

    app = application()
    try:
        db = open_database(data_dir)
    except CallsheetError as error:
        log.info("cannot open the database", exc_info=True)
        QMessageBox.critical(None, "Callsheet cannot open its database", str(error))
        return 1
    logs.configure(data_dir)
    apply_source_urls(user_settings())
    window = MainWindow(ContactBook(db), default_region())
    window.show()
    try:
        return app.exec()
    finally:
        db.close()
