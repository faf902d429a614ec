"""Preferences > Sync > Add Account: the server (its URL, or just the e-mail address),
the user name and password, which address book and which task list. Save signs in
first, in the background; a refusal is shown on its field and nothing typed is lost."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from db.errors import CallsheetError, ValidationError
from db.sync_state import AccountRow
from desktop.contact_book import ContactBook
from desktop.credentials import CredentialStore
from desktop.ui.confirm import confirm_action
from desktop.ui.form_dialog import FormDialog, label_for
from desktop.ui.workers import JobRunner

if TYPE_CHECKING:
    from desktop.sync.certificates import UntrustedCertificate


class SyncAccountDialog(FormDialog):
    """After `exec()` returns Accepted, `account` is the account added."""

    def __init__(
        self,
        book: ContactBook,
        credentials: CredentialStore,
        server: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.credentials = credentials
        self.account: AccountRow | None = None
        self.trusted_certificate: str | None = None  # confirmed by the user, for this server
        self.jobs = JobRunner(self)
        self.setObjectName("syncAccount")
        self.setWindowTitle("Add Sync Account")
        self.server = QLineEdit(server)
        self.server.setObjectName("syncServer")
        self.server.setPlaceholderText("https://dav.example.com/ or you@example.com")
        self.user = QLineEdit()
        self.user.setObjectName("syncUser")
        self.password = QLineEdit()
        self.password.setObjectName("syncPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("an app password, where the server offers them")
        self.address_book = QLineEdit()
        self.address_book.setObjectName("syncAddressBook")
        self.address_book.setPlaceholderText("the only one there is, or a new “Callsheet”")
        self.tasks = QCheckBox("Sync &follow-ups, history and notes too")
        self.tasks.setObjectName("syncTasks")
        self.tasks.setChecked(True)
        self.tasks.setToolTip(
            "Follow-ups go to a task list your phone's reminders app shows; history goes "
            "with them where the list takes journal entries."
        )
        self.task_list = QLineEdit()
        self.task_list.setObjectName("syncTaskList")
        self.task_list.setPlaceholderText("“Callsheet” (made if missing), or the only one")
        self.tasks.toggled.connect(self.task_list.setEnabled)
        self.tasks.toggled.connect(self.mark_dirty)
        self.group = QComboBox()
        self.group.setObjectName("syncGroup")
        self.group.addItem("All contacts", None)
        for row in book.groups():
            self.group.addItem(f"Only the group “{row.name}”", row.name)
        self.group.setToolTip(
            "A book shared with a team: only that group's members, and their follow-ups "
            "and history, go to this account; contacts that arrive from it join the group."
        )
        self.group.currentIndexChanged.connect(self.mark_dirty)
        self.name = QLineEdit()
        self.name.setObjectName("syncName")
        self.name.setPlaceholderText("the server's name")
        form = QFormLayout()
        form.addRow(label_for("&Server:", self.server), self.server)
        form.addRow(label_for("&User name:", self.user), self.user)
        form.addRow(label_for("&Password:", self.password), self.password)
        form.addRow(label_for("&Address book:", self.address_book), self.address_book)
        form.addRow("", self.tasks)
        form.addRow(label_for("&Task list:", self.task_list), self.task_list)
        form.addRow(label_for("&Carries:", self.group), self.group)
        form.addRow(label_for("Account &name:", self.name), self.name)
        note = QLabel(
            "CardDAV and CalDAV servers such as Nextcloud, Radicale, Fastmail, iCloud or "
            f"SOGo. {credentials.describe()} Contacts and follow-ups go both ways; what "
            "both sides changed is kept in File > Sync Conflicts."
        )
        note.setWordWrap(True)
        form.addRow(note)
        self.state = QLabel()
        self.state.setObjectName("syncSigningIn")
        form.addRow(self.state)
        self.finish_layout(form)
        self.save_button.setText("Sign In and Add")
        self.save_button.setShortcut(QKeySequence("Ctrl+S"))  # setText replaced it
        for editor in self.markable_widgets():
            editor.textEdited.connect(self.mark_dirty)  # type: ignore[attr-defined]
        self.server.textEdited.connect(self._forget_trust)
        self.setMinimumWidth(520)
        (self.user if server else self.server).setFocus()

    def checked_value(self) -> dict[str, Any]:
        problems = {}
        if not self.server.text().strip():
            problems["server"] = "Type the server's address, or your e-mail address."
        if not self.user.text().strip():
            problems["user"] = "Type your user name on the server."
        if not self.password.text():
            problems["password"] = "Type the password (or an app password)."
        if problems:
            raise ValidationError(problems)
        return {
            "address": self.server.text().strip(),
            "username": self.user.text().strip(),
            "password": self.password.text(),
            "name": self.name.text().strip() or None,
            "address_book": self.address_book.text().strip() or None,
            "task_list": self.task_list.text().strip() or None,
            "tasks": self.tasks.isChecked(),
            "certificate": self.trusted_certificate,
            "group": self.group.currentData(),
        }

    def accept(self) -> None:
        """Check the form, then sign in off the UI thread; close once the account is in."""
        try:
            entry = self.checked_value()
        except ValidationError as error:
            self.show_problems(error.problems)
            return
        self.clear_problems()
        self._busy(True)
        self.jobs.start(self._set_up, entry, on_done=self._added, on_failed=self._refused)

    def _set_up(self, entry: dict[str, Any]) -> AccountRow:
        from desktop.sync.accounts import set_up

        return set_up(self.book, self.credentials, **entry)

    def _added(self, account: AccountRow) -> None:
        self.account = account
        self._busy(False)
        self._value = account
        self.mark_clean()
        self.done(self.DialogCode.Accepted)

    def _refused(self, error: Exception) -> None:
        from desktop.sync.accounts import ChooseAddressBook
        from desktop.sync.certificates import UntrustedCertificate
        from desktop.sync.dav import AuthenticationFailed

        self._busy(False)
        if isinstance(error, UntrustedCertificate) and self.trusted_certificate is None:
            if self._trust(error):
                self.trusted_certificate = error.certificate
                self.accept()
                return
            problems = {"server": "The server's certificate was not trusted: nothing was added."}
        elif isinstance(error, ChooseAddressBook):
            problems = {"address_book": str(error)}
        elif isinstance(error, ValidationError):
            problems = error.problems
        elif isinstance(error, AuthenticationFailed):
            problems = {"password": str(error)}
        elif isinstance(error, CallsheetError):
            problems = {"server": str(error)}
        else:
            raise error
        self.show_problems(problems)

    def _trust(self, error: UntrustedCertificate) -> bool:
        """Ask whether to trust the certificate the server showed (its fingerprint)."""
        return confirm_action(
            self,
            "Untrusted Certificate",
            f"No authority on this computer vouches for {error.host}'s certificate.",
            f"SHA-256 fingerprint:\n{error.fingerprint}\n\nTrust it only if the server's "
            "administrator confirms this fingerprint (a self-signed server, a Synology box). "
            "Callsheet then trusts this certificate, and no other, for this account.",
            "&Trust This Certificate",
            QMessageBox.Icon.Warning,
            "trustCertificate",
            text_width=self.fontMetrics().horizontalAdvance(error.fingerprint) + 16,
        )

    def _forget_trust(self) -> None:
        self.trusted_certificate = None

    def reject(self) -> None:
        if not self.save_button.isEnabled():
            return  # signing in: the answer (or the time-out) comes within seconds
        super().reject()

    def _busy(self, busy: bool) -> None:
        self.state.setText(
            "Signing in and looking for your address books and task lists…" if busy else ""
        )
        self.save_button.setEnabled(not busy)
        for editor in self.markable_widgets():
            editor.setEnabled(not busy)
        self.tasks.setEnabled(not busy)
        self.task_list.setEnabled(not busy and self.tasks.isChecked())
        self.group.setEnabled(not busy)

    def field_title(self, key: str) -> str:
        return {
            "name": "Account name",
            "address_book": "Address book",
            "task_list": "Task list",
        }.get(key, super().field_title(key))

    def widget_for(self, key: str) -> QWidget | None:
        editors = {
            "server": self.server,
            "user": self.user,
            "password": self.password,
            "address_book": self.address_book,
            "name": self.name,
        }
        return editors.get(key)

    def markable_widgets(self) -> list[QWidget]:
        return [
            self.server, self.user, self.password, self.address_book, self.task_list, self.name,
        ]  # fmt: skip
