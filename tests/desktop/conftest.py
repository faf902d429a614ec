from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop.contact_book import ContactBook
from desktop.ui.main_window import MainWindow


@pytest.fixture
def open_window(qtbot, book: ContactBook) -> Callable[[], MainWindow]:  # type: ignore[no-untyped-def]
    """Opens a main window on the test's database (again, to test what it remembers),
    or on another book."""

    def opener(on: ContactBook | None = None) -> MainWindow:
        window = MainWindow(on or book, "NO")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return opener


@pytest.fixture
def window(open_window: Callable[[], MainWindow]) -> MainWindow:
    return open_window()


POLL_MS = 20
POLL_ATTEMPTS = 1500  # half a minute at the least


def when_dialog_opens(action: Callable[[QDialog], None]) -> None:
    """Run `action` on the next modal dialog once it is shown (dialogs block in exec()).

    Gives up (failing the test) after `POLL_ATTEMPTS` looks, so a dialog that never
    opens cannot leave the poll running into the tests that follow.
    """

    def attempt(left: int) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            action(dialog)
        elif left > 0:
            QTimer.singleShot(POLL_MS, lambda: attempt(left - 1))
        else:
            raise AssertionError("the dialog the test waited for never opened")

    QTimer.singleShot(0, lambda: attempt(POLL_ATTEMPTS))


def find(widget: QWidget, kind: type, name: str) -> QWidget:
    found = widget.findChild(kind, name)
    assert found is not None, f"no {kind.__name__} named {name!r}"
    return found
