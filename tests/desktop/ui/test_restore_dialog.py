"""File > Restore from Backup and File > Back Up Now (issue 15.10), as a user tries them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QDialog, QMessageBox

from db.clock import FixedClock
from desktop.contact_book import ContactBook
from desktop.settings import BACKUP_FOLDER, BACKUP_KEEP
from desktop.ui.main_window import MainWindow
from desktop.ui.preferences import PreferencesDialog
from desktop.ui.restore_dialog import RestoreDialog
from tests.desktop.conftest import when_dialog_opens
from tests.factories import add_contact


def answer(text: str) -> None:
    """Click the button labelled `text` on the message box that opens next."""

    def click(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)
        [button] = [b for b in box.buttons() if b.text().replace("&", "") == text]
        button.click()

    when_dialog_opens(click)


def test_restoring_a_backup_from_the_file_menu(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, book: ContactBook, clock: FixedClock
) -> None:
    add_contact(book._db, "Maya", "Lund")
    older = book.back_up("manual")
    clock.advance(timedelta(hours=2))
    add_contact(book._db, "Ola", "Berg")
    book.back_up("before-import")
    window.refresh_all()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    window.undo_stack.push(QUndoCommand("an edit made before the restore"))

    dialog = RestoreDialog(book, window)
    qtbot.addWidget(dialog)
    dialog.restored.connect(window.backups._restored)
    dialog.show()
    listed = [dialog.list.topLevelItem(n).text(1) for n in range(dialog.list.topLevelItemCount())]
    assert listed == ["Before an import", "Taken by hand"]  # newest first
    dialog.list.setCurrentItem(dialog.list.topLevelItem(1))
    qtbot.waitUntil(lambda: dialog.restore.isEnabled())
    assert dialog.details.text() == f"1 contact · {older}"

    answer("Cancel")
    dialog.restore_selected()
    assert book.count() == 2  # a second thought changes nothing

    answer("Restore")
    with qtbot.waitSignal(dialog.restored, timeout=60_000):
        dialog.restore_selected()
    assert book.count() == 1
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert window.undo_stack.count() == 0
    assert "The book as it was is kept as callsheet-" in window.statusBar().currentMessage()
    assert book.backup_list()[0].reason == "before-restore"


def test_a_damaged_backup_is_shown_as_such_and_cannot_be_restored(  # type: ignore[no-untyped-def]
    qtbot, book: ContactBook, tmp_path: Path
) -> None:
    good = book.back_up("manual")
    good.write_bytes(good.read_bytes()[:5000])
    dialog = RestoreDialog(book)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "cannot be restored" in dialog.details.text())
    assert "not a whole Callsheet book" in dialog.details.text()
    assert not dialog.restore.isEnabled()


def test_with_no_backups_the_dialog_says_when_they_are_taken(qtbot, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    dialog = RestoreDialog(book)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.empty.isVisible()
    assert "every day while it runs and before every import" in dialog.empty.text()
    assert not dialog.restore.isEnabled()


def test_back_up_now_and_the_backup_preferences(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, book: ContactBook, tmp_path: Path
) -> None:
    dialog = PreferencesDialog(window.settings, window)
    qtbot.addWidget(dialog)
    dialog.backup_folder.setText(str(tmp_path / "safe"))
    dialog.backups_kept.setValue(2)
    dialog.accept()
    assert window.settings.get(BACKUP_FOLDER) == str(tmp_path / "safe")
    assert window.settings.get(BACKUP_KEEP) == 2
    window.backups.apply_settings()

    for _ in range(3):
        window.back_up_action.trigger()
        qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Backed up to"))
        window.statusBar().clearMessage()
        book.clock.advance(timedelta(seconds=1))  # type: ignore[attr-defined]
    assert len(list((tmp_path / "safe").iterdir())) == 2


def test_a_damaged_book_at_start_up_offers_its_last_backup(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from db.errors import DamagedDatabaseError
    from desktop.ui.window_start import restore_damaged
    from tests.db.test_damage import damage

    book = ContactBook.open(data_dir)
    for n in range(300):
        add_contact(book, f"Given{n}", f"Family{n}")
    book.back_up("daily")
    book.close()
    damage(Path(book.path))
    with pytest.raises(DamagedDatabaseError) as raised:
        ContactBook.open(data_dir)

    def choose_restore(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)
        assert "is damaged" in box.text() and "moved aside, not deleted" in box.informativeText()
        [restore] = [b for b in box.buttons() if b.text() == "&Restore Last Backup"]
        restore.click()

    when_dialog_opens(choose_restore)
    assert restore_damaged(raised.value)
    book = ContactBook.open(data_dir)
    try:
        assert book.count() == 300
    finally:
        book.close()
