"""Sync in the app: Preferences > Sync, the status bar, Sync Now and the conflict log,
against a real Radicale (issue 16.1, 16.4 and 16.5)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import keyring
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QTreeWidget

from db.contact_values import ContactDraft
from desktop.contact_book import ContactBook
from desktop.credentials import SERVICE, CredentialStore, account_key
from desktop.settings import SYNC_DELETE_ON_SERVER
from desktop.ui.main_window import MainWindow
from desktop.ui.preferences import PreferencesDialog
from desktop.ui.sync_account_dialog import SyncAccountDialog
from tests.desktop.conftest import find, when_dialog_opens
from tests.desktop.sync.conftest import DavServer, Device, titles_about_to_conflict
from tests.radicale_server import free_port

Devices = Callable[[str], Device]
WAIT_MS = 60_000


def synced(qtbot, window: MainWindow) -> str:  # type: ignore[no-untyped-def]
    """Sync Now, wait for the run to end; the status bar's text."""
    qtbot.waitUntil(lambda: not window.sync.running, timeout=WAIT_MS)
    window.sync_now_action.trigger()
    assert window.sync.running
    qtbot.waitUntil(lambda: not window.sync.running, timeout=WAIT_MS)
    return status_of(window)


def status_of(window: MainWindow) -> str:
    label = find(window.statusBar(), QLabel, "syncStatus")
    assert isinstance(label, QLabel) and label.isVisible()
    return label.text()


def test_an_account_added_in_preferences_syncs_at_once(
    qtbot,  # type: ignore[no-untyped-def]
    radicale: DavServer,
    account: tuple[str, str],
    book: ContactBook,
    open_window: Callable[[ContactBook], MainWindow],
) -> None:
    user, password = account
    key_accounts = book.create_group("Key accounts")
    maya_id = book.create(
        ContactDraft(given_name="Maya", family_name="Lund", group_ids=(key_accounts,))
    )
    window = open_window(book)
    assert not find(window.statusBar(), QLabel, "syncStatus").isVisible()

    def fill_account(dialog: QDialog) -> None:
        assert isinstance(dialog, SyncAccountDialog)
        find(dialog, QLineEdit, "syncServer").setText(radicale.url)  # type: ignore[attr-defined]
        find(dialog, QLineEdit, "syncUser").setText(user)  # type: ignore[attr-defined]
        dialog.password.setText("wrong")
        dialog.save_button.click()
        qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=WAIT_MS)
        # Refused: said on the password field, and every field still holds what was typed.
        assert dialog.isVisible() and "password" in dialog.problems_label.text().lower()
        assert dialog.server.text() == radicale.url and dialog.user.text() == user
        dialog.password.setText(password)
        dialog.address_book.setText("Team")
        assert dialog.tasks.isChecked()
        dialog.task_list.setText("Road")
        assert dialog.group.currentText() == "All contacts"
        dialog.group.setCurrentIndex(dialog.group.findData("Key accounts"))
        dialog.save_button.click()

    def add_in_preferences(dialog: QDialog) -> None:
        assert isinstance(dialog, PreferencesDialog) and dialog.sync_page is not None
        assert dialog.pages.currentWidget() is dialog.sync_page
        when_dialog_opens(fill_account)
        dialog.sync_page.add.click()
        accounts = find(dialog, QTreeWidget, "syncAccounts")
        assert isinstance(accounts, QTreeWidget) and accounts.topLevelItemCount() == 1
        assert accounts.topLevelItem(0).text(0) == "127.0.0.1"  # type: ignore[union-attr]
        said = find(dialog, QLabel, "syncWhat").text()  # type: ignore[attr-defined]
        assert said == "“127.0.0.1” syncs the group “Key accounts”, follow-ups, history and notes."
        dialog.sync_page.delete_when.setCurrentIndex(1)
        dialog.save_button.click()

    when_dialog_opens(add_in_preferences)
    window.sync_now_action.trigger()  # no account yet: Preferences > Sync opens
    assert keyring.get_keyring().get_password(SERVICE, account_key(radicale.url, user)) == password
    qtbot.waitUntil(lambda: not window.sync.running, timeout=WAIT_MS)
    assert status_of(window).startswith("Synced ")
    assert window.settings.get(SYNC_DELETE_ON_SERVER) == "when-emptied"
    (added,) = book.sync_accounts()
    assert added.contacts_url and added.contacts_url.endswith("/team/")
    assert added.tasks_url and added.tasks_url.endswith("/road/")
    assert added.contacts_group == "Key accounts"
    assert book.sync_pending(added.id) == 0
    assert book.contact(maya_id).display_name == "Maya Lund"


def test_a_conflict_shows_in_the_status_bar_and_its_value_can_be_put_back(
    qtbot,  # type: ignore[no-untyped-def]
    devices: Devices,
    open_window: Callable[[ContactBook], MainWindow],
) -> None:
    laptop, desktop = devices("laptop"), devices("desktop")
    maya_id = titles_about_to_conflict(laptop, desktop)
    window = open_window(desktop.book)

    assert "1 conflict" in synced(qtbot, window)
    assert desktop.book.contact(maya_id).title == "Head of buying"

    def restore(dialog: QDialog) -> None:
        rows = find(dialog, QTreeWidget, "conflictList")
        assert isinstance(rows, QTreeWidget) and rows.topLevelItemCount() == 1
        row = rows.topLevelItem(0)
        assert row is not None
        assert [row.text(n) for n in range(1, 5)] == [
            "Maya Lund", "Job title", "“Chief buyer”", "“Head of buying”",
        ]  # fmt: skip
        row.setSelected(True)
        dialog.restore.click()  # type: ignore[attr-defined]
        assert rows.topLevelItemCount() == 0
        dialog.accept()

    when_dialog_opens(restore)
    window.sync_conflicts_action.trigger()
    assert desktop.book.contact(maya_id).title == "Chief buyer"
    assert synced(qtbot, window).startswith("Synced ")
    laptop.sync()
    assert laptop.book.contact(maya_id).title == "Chief buyer"


def test_offline_says_what_waits_and_keeps_it(
    qtbot,  # type: ignore[no-untyped-def]
    book: ContactBook,
    open_window: Callable[[ContactBook], MainWindow],
    tmp_path: Path,
) -> None:
    closed = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    road = book.add_sync_account("Road", closed, "rep", f"{closed}rep/book/")
    CredentialStore().set(account_key(closed, "rep"), "secret")
    book.create(ContactDraft(given_name="Maya", family_name="Lund"))
    window = open_window(book)

    assert synced(qtbot, window) == "Offline: 1 change waiting, kept until the server answers"
    assert book.sync_pending(road.id) == 1
