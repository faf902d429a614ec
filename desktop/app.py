"""Starting the desktop app: QApplication, the database, the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from db.errors import CallsheetError
from desktop import __version__
from desktop.resources import app_icon_path


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
    """On Linux, refuse clearly before Qt aborts for want of a screen or of the plugin
    that draws on it."""
    if not sys.platform.startswith("linux"):
        return
    env = os.environ
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or env.get("QT_QPA_PLATFORM")):
        raise NoDisplayError()
    check_platform_plugin(
        env.get("QT_QPA_PLATFORM") or ("xcb" if env.get("DISPLAY") else "wayland")
    )


class MissingPluginError(CallsheetError):
    def __init__(self, name: str, folder: Path) -> None:
        super().__init__(
            f"Qt's {name!r} display plugin is missing from {folder}. The installation is "
            "incomplete: reinstall Callsheet (or run `callsheet selftest` after it)."
        )


def check_platform_plugin(requested: str) -> None:
    """The platform plugin Qt will load must be there (a damaged install would abort)."""
    from PySide6.QtCore import QLibraryInfo

    name = requested.split(":", 1)[0].split(";", 1)[0].strip() or "xcb"
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    if not list(folder.glob(f"libq{name}.*")) and not list(folder.glob(f"q{name}.*")):
        raise MissingPluginError(name, folder)


def run_app(data_dir: Path) -> int:
    """Open the main window on the database in `data_dir`; returns the exit code."""
    check_display()
    from desktop.ui.single_instance import SingleInstance
    from desktop.ui.window_start import WindowStart

    app = application()
    instance = SingleInstance(data_dir)
    if instance.notify_running():
        print(
            f"callsheet: Callsheet is already open on {data_dir}; it was brought to the front.",
            file=sys.stderr,
        )
        return 0
    instance.listen()
    start = WindowStart(data_dir, default_region())
    if not start.begin():
        return 1
    assert start.window is not None
    instance.activated.connect(start.window.bring_to_front)
    try:
        return app.exec()
    finally:
        start.close()


def run_selftest(data_dir: Path) -> int:
    """Check an installation end to end: open the database (creating it), show the main
    window, add a contact through the app, find it with the lookup, close. For IT after
    a rollout, and for the packaged-build test. Exit 0 when everything worked."""
    import time

    from db.contact_values import ContactDraft
    from desktop.contact_book import ContactBook
    from desktop.ui.main_window import MainWindow

    check_display()
    app = application()
    book = ContactBook.open(data_dir)
    try:
        window = MainWindow(book, default_region())
        window.show()
        contact_id = book.create(ContactDraft(given_name="Selftest", family_name="Callsheet"))
        window.lookup_box.setText("selftest callsh")
        window.lookup.run()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (
            window.model.in_lookup and window.model.contact_id(0) == contact_id
        ):
            app.processEvents()
            time.sleep(0.01)
        found = window.model.in_lookup and window.model.contact_id(0) == contact_id
        window.close()
        app.processEvents()
    finally:
        book.close()
    if not found:
        print("callsheet: selftest failed: the new contact was not found", file=sys.stderr)
        return 1
    print(f"Selftest passed: {book.path} opened, a contact added and found, the window shown.")
    return 0
