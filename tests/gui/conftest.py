from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop.contact_book import ContactBook
from desktop.ui.main_window import MainWindow


@pytest.fixture
def open_window(qtbot, book: ContactBook) -> Callable[[], MainWindow]:  # type: ignore[no-untyped-def]
    """Opens a main window on the test's database (again, to test what it remembers)."""

    def opener() -> MainWindow:
        window = MainWindow(book, "NO")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return opener


@pytest.fixture
def window(open_window: Callable[[], MainWindow]) -> MainWindow:
    return open_window()


def when_dialog_opens(action: Callable[[QDialog], None]) -> None:
    """Run `action` on the next modal dialog once it is shown (dialogs block in exec())."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            action(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def find(widget: QWidget, kind: type, name: str) -> QWidget:
    found = widget.findChild(kind, name)
    assert found is not None, f"no {kind.__name__} named {name!r}"
    return found
