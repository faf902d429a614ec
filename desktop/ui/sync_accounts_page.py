"""Preferences > Sync: the accounts (added and removed at once, since signing in is
checked on the spot) and when the app syncs by itself (saved with the dialog)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.sync_state import AccountRow
from desktop.contact_book import ContactBook
from desktop.credentials import CredentialStore, account_key
from desktop.models.formats import when
from desktop.settings import (
    SYNC_AUTOMATIC,
    SYNC_DELETE_ON_SERVER,
    SYNC_EVERY_MINUTES,
    SYNC_SERVER_URL,
    Settings,
)
from desktop.ui.sync_account_dialog import SyncAccountDialog
from desktop.ui.workers import JobRunner

ID = Qt.ItemDataRole.UserRole


class SyncAccountsPage(QWidget):
    """Signals:
    edited(): a setting here changed (the dialog has something to save).
    accountsChanged(): an account was added or removed (already stored).
    """

    edited = Signal()
    accountsChanged = Signal()

    def __init__(
        self,
        book: ContactBook,
        credentials: CredentialStore,
        settings: Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.credentials = credentials
        self.settings = settings
        self.setObjectName("syncPage")
        self.list = QTreeWidget()
        self.list.setObjectName("syncAccounts")
        self.list.setHeaderLabels(["Account", "User", "Last synced", "State"])
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setColumnWidth(0, 150)
        self.list.setColumnWidth(1, 110)
        self.list.setColumnWidth(2, 130)
        self.list.itemSelectionChanged.connect(self._update)
        self.empty = QLabel(
            "No account yet. Add one to keep this book in step with a CardDAV server "
            "(Nextcloud, Radicale, Fastmail, iCloud, SOGo…) and, through it, your phone "
            "and your colleagues' computers."
        )
        self.empty.setObjectName("noSyncAccounts")
        self.empty.setWordWrap(True)
        self.add = QPushButton("&Add Account…")
        self.add.setObjectName("addSyncAccount")
        self.add.clicked.connect(self.add_account)
        self.password = QPushButton("&Password…")
        self.password.setObjectName("syncEnterPassword")
        self.password.setToolTip("Enter the account's password again (a new computer or keychain)")
        self.password.clicked.connect(self.enter_password)
        self.task_list = QPushButton("&Task List…")
        self.task_list.setObjectName("syncChooseTaskList")
        self.task_list.setToolTip("Choose the task list follow-ups sync with, or keep them here")
        self.task_list.clicked.connect(self.choose_task_list)
        self.what = QLabel()
        self.what.setObjectName("syncWhat")
        self.what.setWordWrap(True)
        self.jobs = JobRunner(self)
        self.remove = QPushButton("Re&move…")
        self.remove.setObjectName("removeSyncAccount")
        self.remove.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add)
        buttons.addWidget(self.password)
        buttons.addWidget(self.task_list)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        accounts = QGroupBox("Accounts")
        accounts_layout = QVBoxLayout(accounts)
        accounts_layout.addWidget(self.list)
        accounts_layout.addWidget(self.empty)
        accounts_layout.addWidget(self.what)
        accounts_layout.addLayout(buttons)

        self.automatic = QCheckBox(SYNC_AUTOMATIC.label)
        self.automatic.setObjectName("syncAutomatic")
        self.automatic.setChecked(settings.get(SYNC_AUTOMATIC))
        self.every = QSpinBox()
        self.every.setObjectName("syncEvery")
        self.every.setRange(SYNC_EVERY_MINUTES.minimum or 1, SYNC_EVERY_MINUTES.maximum or 1440)
        self.every.setSuffix(" minutes")
        self.every.setValue(settings.get(SYNC_EVERY_MINUTES))
        self.automatic.toggled.connect(self._update)
        for signal in (self.automatic.toggled, self.every.valueChanged):
            signal.connect(lambda *_: self.edited.emit())
        when_group = QGroupBox("When and how")
        when_form = QFormLayout(when_group)
        when_form.addRow(self.automatic)
        when_form.addRow(f"{SYNC_EVERY_MINUTES.label}:", self.every)
        when_form.addRow(
            QLabel("Also when Callsheet starts, shortly after an edit, and with Ctrl+Shift+S.")
        )
        self.delete_when = QComboBox()
        self.delete_when.setObjectName("syncDeleteWhen")
        self.delete_when.addItem("At the next sync (it stays in this computer's Trash)", "at-once")
        self.delete_when.addItem("Only when the Trash is emptied", "when-emptied")
        chosen = self.delete_when.findData(settings.get(SYNC_DELETE_ON_SERVER))
        self.delete_when.setCurrentIndex(max(chosen, 0))
        self.delete_when.currentIndexChanged.connect(lambda *_: self.edited.emit())
        when_form.addRow(f"{SYNC_DELETE_ON_SERVER.label}:", self.delete_when)
        editors = (
            (SYNC_AUTOMATIC, self.automatic),
            (SYNC_EVERY_MINUTES, self.every),
            (SYNC_DELETE_ON_SERVER, self.delete_when),
        )
        for setting, widget in editors:
            if settings.is_locked(setting):
                widget.setEnabled(False)
                widget.setToolTip("Set by your IT department for this computer.")

        layout = QVBoxLayout(self)
        layout.addWidget(accounts, 1)
        layout.addWidget(when_group)
        self.load()

    def load(self, select: uuid.UUID | None = None) -> None:
        self.list.clear()
        accounts = self.book.sync_accounts()
        for account in accounts:
            item = QTreeWidgetItem(
                [
                    account.name,
                    account.username,
                    when(account.last_synced_at) if account.last_synced_at else "never",
                    _state(account),
                ]
            )
            item.setToolTip(0, account.contacts_url or account.server_url)
            item.setToolTip(3, account.last_error or "")
            item.setData(0, ID, account.id)
            self.list.addTopLevelItem(item)
            if account.id == select or self.list.currentItem() is None:
                self.list.setCurrentItem(item)
        self.list.setVisible(bool(accounts))
        self.empty.setVisible(not accounts)
        self._update()

    def _update(self) -> None:
        from desktop.sync.accounts import what_syncs

        item = self.list.currentItem()
        for button in (self.remove, self.password, self.task_list):
            button.setEnabled(item is not None)
        account = self.book.sync_account(item.data(0, ID)) if item is not None else None
        self.what.setText(f"“{account.name}” syncs {what_syncs(account)}." if account else "")
        self.what.setVisible(account is not None)
        self.every.setEnabled(
            self.automatic.isChecked() and not self.settings.is_locked(SYNC_EVERY_MINUTES)
        )

    def add_account(self) -> None:
        dialog = SyncAccountDialog(
            self.book, self.credentials, self.settings.get(SYNC_SERVER_URL), self
        )
        if dialog.exec() and dialog.account is not None:
            self.load(select=dialog.account.id)
            self.accountsChanged.emit()
        dialog.deleteLater()

    def enter_password(self) -> None:
        """Keep a new password for the selected account; the next sync uses it."""
        item = self.list.currentItem()
        if item is None:
            return
        account = self.book.sync_account(item.data(0, ID))
        password, given = QInputDialog.getText(
            self,
            "Password",
            f"Password for {account.username} at {account.server_url}:",
            QLineEdit.EchoMode.Password,
        )
        if given and password:
            self.credentials.set(account_key(account.server_url, account.username), password)
            self.accountsChanged.emit()

    def choose_task_list(self) -> None:
        """Name the task list the selected account's follow-ups sync with (made when
        missing), or none to keep them on this computer; signs in in the background."""
        item = self.list.currentItem()
        if item is None:
            return
        account = self.book.sync_account(item.data(0, ID))
        current = (account.tasks_url or "").rstrip("/").rsplit("/", 1)[-1]
        name, given = QInputDialog.getText(
            self,
            "Task List",
            "The task list for follow-ups, history and notes (made if missing).\n"
            "Leave it empty to keep them on this computer only.",
            QLineEdit.EchoMode.Normal,
            current if account.tasks_url else "Callsheet",
        )
        if not given:
            return
        if not name.strip():
            self.book.set_sync_task_list(account.id, None)
            self._changed(account.id)
            return
        from desktop.sync.accounts import use_task_list

        self.task_list.setEnabled(False)
        self.what.setText("Signing in and looking for the task list…")
        self.jobs.start(
            use_task_list,
            self.book,
            self.credentials,
            account,
            name.strip(),
            on_done=lambda changed: self._changed(changed.id),
            on_failed=self._task_list_refused,
            writes=True,
        )

    def _changed(self, account_id: uuid.UUID) -> None:
        self.load(select=account_id)
        self.accountsChanged.emit()

    def _task_list_refused(self, error: Exception) -> None:
        from db.errors import CallsheetError

        if not isinstance(error, CallsheetError):
            raise error
        self._update()
        QMessageBox.warning(self, "Task List", str(error))

    def remove_selected(self) -> None:
        from desktop.sync.accounts import forget

        item = self.list.currentItem()
        if item is None:
            return
        account = self.book.sync_account(item.data(0, ID))
        answer = QMessageBox.question(
            self,
            "Remove Sync Account",
            f"Stop syncing with “{account.name}”? The contacts stay in Callsheet and on the "
            "server; the password is removed from this computer's keychain.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        forget(self.book, self.credentials, account)
        self.load()
        self.accountsChanged.emit()

    def save(self) -> None:
        if not self.settings.is_locked(SYNC_AUTOMATIC):
            self.settings.set(SYNC_AUTOMATIC, self.automatic.isChecked())
        if not self.settings.is_locked(SYNC_EVERY_MINUTES):
            self.settings.set(SYNC_EVERY_MINUTES, self.every.value())
        if not self.settings.is_locked(SYNC_DELETE_ON_SERVER):
            self.settings.set(SYNC_DELETE_ON_SERVER, self.delete_when.currentData())


def _state(account: AccountRow) -> str:
    if account.last_error:
        return f"Problem: {account.last_error}"
    return "Synced" if account.last_synced_at else "Not synced yet"
