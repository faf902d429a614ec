"""A job long enough to show its progress box (past the 300 ms minimum) takes the box
away when it is done, so the window takes clicks and keys again."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog

from db.imports import ContactWriter
from desktop.contact_book import ContactBook
from desktop.ui.export_dialog import ExportDialog
from desktop.ui.main_window import MainWindow
from tests.desktop.conftest import when_dialog_opens
from tests.desktop.ui.test_import_wizard import walk_wizard
from tests.factories import add_contact


def held_until_shown(qtbot, window: MainWindow, release: threading.Event) -> None:  # type: ignore[no-untyped-def]
    """Wait until the job's progress box is on screen, then let the job go on."""
    qtbot.waitUntil(lambda: any(box.isVisible() for box in boxes(window)), timeout=15_000)
    release.set()


def boxes(window: MainWindow) -> list[QProgressDialog]:
    return window.findChildren(QProgressDialog)


def gate(function: Callable[..., object], release: threading.Event) -> Callable[..., object]:
    """`function`, first waiting for `release` (the real work, just later)."""

    def held(*args: object, **kwargs: object) -> object:
        release.wait(60)
        return function(*args, **kwargs)

    return held


def assert_window_takes_input_again(window: MainWindow) -> None:
    assert not any(box.isVisible() for box in boxes(window))
    assert QApplication.activeModalWidget() is None


def test_a_long_export_closes_its_progress_box(
    qtbot, window: MainWindow, book: ContactBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    add_contact(book, "Maya", "Lund")
    release = threading.Event()
    monkeypatch.setattr(ContactBook, "export", gate(ContactBook.export, release))
    out = tmp_path / "all.vcf"

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ExportDialog)
        dialog.path_box.setText(str(out))
        dialog._confirm()

    when_dialog_opens(fill)
    window.export_action.trigger()
    held_until_shown(qtbot, window, release)
    qtbot.waitUntil(lambda: "Exported 1" in window.statusBar().currentMessage(), timeout=15_000)
    qtbot.waitUntil(lambda: not any(box.isVisible() for box in boxes(window)), timeout=5_000)
    assert_window_takes_input_again(window)
    assert out.exists()


def test_a_long_import_closes_its_progress_box(
    qtbot, window: MainWindow, book: ContactBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    monkeypatch.setattr(ContactWriter, "create", gate(ContactWriter.create, release))
    sheet = tmp_path / "people.csv"
    sheet.write_text("First Name,Last Name\nMaya,Lund\nOla,Nordmann\n")
    walk_wizard(qtbot, sheet)
    window.import_action.trigger()
    held_until_shown(qtbot, window, release)
    qtbot.waitUntil(lambda: window.undo_stack.canUndo(), timeout=15_000)
    qtbot.waitUntil(lambda: not any(box.isVisible() for box in boxes(window)), timeout=5_000)
    assert_window_takes_input_again(window)
    assert book.count() == 2


def test_demo_data_shows_its_box_at_once_and_closes_it(
    qtbot, window: MainWindow, book: ContactBook, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Preparing the names takes seconds before the first count: the box is there from
    the start (busy), then counts, then goes."""
    from desktop.ui.demo_data import PREPARING

    release = threading.Event()
    monkeypatch.setattr(ContactBook, "seed", gate(ContactBook.seed, release))
    window.demo.load(150)
    [box] = [b for b in boxes(window) if b.isVisible()]
    assert box.labelText() == PREPARING and box.maximum() == 0  # busy, before any count
    release.set()
    qtbot.waitUntil(lambda: book.count() == 150, timeout=60_000)
    qtbot.waitUntil(lambda: not any(b.isVisible() for b in boxes(window)), timeout=10_000)
    assert_window_takes_input_again(window)
