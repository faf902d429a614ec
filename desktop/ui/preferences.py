"""Preferences: how numbers are dialed, the country numbers typed without +country code
belong to, whether (and how often) public profiles are fetched, per source, where
backups go, and the sync accounts. Stored in the user's settings file (the accounts in
the book); IT can preset the same keys."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.errors import ValidationError
from desktop.calls.dialer import SCHEMES, DialSettings, dial_command
from desktop.contact_book import ContactBook
from desktop.credentials import CredentialStore
from desktop.models.formats import country_name
from desktop.settings import (
    BACKUP_FOLDER,
    BACKUP_KEEP,
    CALLS_COMMAND,
    CALLS_SCHEME,
    PHONE_REGION,
    SOCIAL_BY_EMAIL,
    SOCIAL_DISABLED,
    SOCIAL_ENABLED,
    SOCIAL_MAX_AGE_DAYS,
    WORKING_DAYS,
    Setting,
    Settings,
)
from desktop.social.profiles import NETWORK_TITLES
from desktop.social.refresh import SOURCE_NAMES, RefreshPolicy
from desktop.typed_dates import WEEKDAYS
from desktop.ui.country_box import RegionBox
from desktop.ui.file_row import file_row
from desktop.ui.form_dialog import FormDialog, label_for
from desktop.ui.sync_accounts_page import SyncAccountsPage

SOURCE_TITLES = {**NETWORK_TITLES, "gravatar": "Gravatar (by email)", "website": "Web pages"}


class PreferencesDialog(FormDialog):
    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        credentials: CredentialStore | None = None,
        locale_region: str = "US",
        book: ContactBook | None = None,
        page: str | None = None,
    ) -> None:
        """`book` adds the Sync page (its accounts); `page` ("sync") opens on a page."""
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("preferences")
        self.setWindowTitle("Preferences")
        dialing = DialSettings.from_settings(settings)
        policy = RefreshPolicy.from_settings(settings)

        self.scheme = QComboBox()
        for scheme in SCHEMES:
            self.scheme.addItem(f"{scheme}: links (the system's handler)", scheme)
        self.scheme.setCurrentIndex(max(self.scheme.findData(dialing.scheme), 0))
        self.command = QLineEdit(dialing.command)
        self.command.setPlaceholderText("optional, e.g. linphone-cli call {number}")
        calls = QGroupBox("Calls")
        calls_form = QFormLayout(calls)
        calls_form.addRow(f"{CALLS_SCHEME.label}:", self.scheme)
        calls_form.addRow(f"{CALLS_COMMAND.label}:", self.command)
        self.region = RegionBox(automatic=f"This computer's ({country_name(locale_region)})")
        self.region.setObjectName("defaultRegion")
        self.region.set_code(settings.get(PHONE_REGION))
        calls_form.addRow(f"{PHONE_REGION.label}:", self.region)

        self.fetching = QCheckBox(f"{SOCIAL_ENABLED.label} (needs the network)")
        self.fetching.setChecked(policy.enabled)
        self.max_age = QSpinBox()
        self.max_age.setRange(SOCIAL_MAX_AGE_DAYS.minimum or 1, SOCIAL_MAX_AGE_DAYS.maximum or 365)
        self.max_age.setSuffix(" days")
        self.max_age.setValue(max(policy.max_age.days, 1))
        self.sources = {name: QCheckBox(SOURCE_TITLES.get(name, name)) for name in SOURCE_NAMES}
        for name, box in self.sources.items():
            box.setChecked(name not in policy.disabled)
        by_email = self.sources["gravatar"]
        by_email.setChecked(policy.allows("gravatar") or (not policy.enabled and policy.by_email))
        by_email.setToolTip(
            "Sends a hash of each contact's email address to gravatar.com to find their "
            "public profile. Off until you turn it on."
        )
        profiles = QGroupBox("Profiles")
        profiles_form = QFormLayout(profiles)
        profiles_form.addRow(self.fetching)
        profiles_form.addRow("Refresh when &older than:", self.max_age)
        for box in self.sources.values():
            profiles_form.addRow("", box)
        self.fetching.toggled.connect(self._update)
        self._update()
        self._lock(
            [
                (CALLS_SCHEME, [self.scheme]),
                (CALLS_COMMAND, [self.command]),
                (PHONE_REGION, [self.region]),
                (SOCIAL_ENABLED, [self.fetching]),
                (SOCIAL_MAX_AGE_DAYS, [self.max_age]),
                (SOCIAL_DISABLED, list(self.sources.values())),
                (SOCIAL_BY_EMAIL, [self.sources["gravatar"]]),
            ]
        )

        working = settings.get(WORKING_DAYS)
        self.working_days = {day: QCheckBox(day.capitalize()) for day in WEEKDAYS}
        days_row = QHBoxLayout()
        for day, box in self.working_days.items():
            box.setChecked(day in working)
            box.toggled.connect(self.mark_dirty)
            days_row.addWidget(box)
        days_row.addStretch(1)
        calendar = QGroupBox("Follow-ups")
        calendar_form = QFormLayout(calendar)
        calendar_form.addRow(label_for("&Working days:", self.working_days["mon"]), days_row)
        calendar_form.addRow(
            "", QLabel("Quick choices such as “Tomorrow 9:00” skip the other days.")
        )

        self.backup_folder = QLineEdit(settings.get(BACKUP_FOLDER))
        self.backup_folder.setObjectName("backupFolder")
        self.backup_folder.setPlaceholderText("“backups” in the data folder")
        self.backup_folder.textEdited.connect(self.mark_dirty)
        self.backups_kept = QSpinBox()
        self.backups_kept.setObjectName("backupsKept")
        self.backups_kept.setRange(BACKUP_KEEP.minimum or 1, BACKUP_KEEP.maximum or 365)
        self.backups_kept.setValue(settings.get(BACKUP_KEEP))
        self.backups_kept.valueChanged.connect(self.mark_dirty)
        folder_label, folder_row = file_row(self.backup_folder, self._browse_backup_folder)
        folder_label.setText("F&older:")
        backups = QGroupBox("Backups")
        backups_form = QFormLayout(backups)
        backups_form.addRow(folder_label, folder_row)
        backups_form.addRow(f"{BACKUP_KEEP.label}:", self.backups_kept)
        backups_form.addRow(
            "", QLabel("One is taken every day while Callsheet runs, and before every import.")
        )
        self._lock(
            [(BACKUP_FOLDER, [self.backup_folder, *_buttons(folder_row)]),
             (BACKUP_KEEP, [self.backups_kept])]
        )  # fmt: skip

        credentials = credentials or CredentialStore()
        self.passwords = QLabel(credentials.describe())
        self.passwords.setObjectName("passwordStore")
        self.passwords.setWordWrap(True)
        passwords = QGroupBox("Passwords")
        QVBoxLayout(passwords).addWidget(self.passwords)

        self.pages = QTabWidget()
        self.pages.setObjectName("preferencePages")
        self.pages.addTab(_page(calls, calendar), "&General")
        self.pages.addTab(_page(profiles), "P&rofiles")
        self.pages.addTab(_page(backups, passwords), "&Backups")
        self.sync_page: SyncAccountsPage | None = None
        if book is not None:
            self.sync_page = SyncAccountsPage(book, credentials, settings, self)
            self.sync_page.edited.connect(self.mark_dirty)
            self.pages.addTab(self.sync_page, "S&ync")
            if page == "sync":
                self.pages.setCurrentWidget(self.sync_page)
        layout = QVBoxLayout()
        layout.addWidget(self.pages)
        self.finish_layout(layout)
        signals = (
            self.command.textEdited,
            self.scheme.currentIndexChanged,
            self.region.currentIndexChanged,
        )
        for signal in signals:
            signal.connect(self.mark_dirty)
        self.mark_clean()

    def _update(self) -> None:
        for name, box in self.sources.items():
            locked = self.settings.is_locked(SOCIAL_DISABLED) or (
                name == "gravatar" and self.settings.is_locked(SOCIAL_BY_EMAIL)
            )
            box.setEnabled(self.fetching.isChecked() and not locked)
        locked_age = self.settings.is_locked(SOCIAL_MAX_AGE_DAYS)
        self.max_age.setEnabled(self.fetching.isChecked() and not locked_age)

    def _lock(self, editors: list[tuple[Setting[object], list[QWidget]]]) -> None:
        """Settings IT locked are shown, greyed out, with the reason."""
        for setting, widgets in editors:
            if self.settings.is_locked(setting):
                for widget in widgets:
                    widget.setEnabled(False)
                    widget.setToolTip("Set by your IT department for this computer.")

    def checked_value(self) -> tuple[DialSettings, RefreshPolicy]:
        command = self.command.text().strip()
        dialing = DialSettings(scheme=self.scheme.currentData(), command=command)
        if command:
            try:
                dial_command("+4712345678", dialing)
            except ValueError as error:
                raise ValidationError({"command": str(error)}) from None
        policy = RefreshPolicy(
            enabled=self.fetching.isChecked(),
            max_age=timedelta(days=self.max_age.value()),
            disabled=frozenset(
                n for n, box in self.sources.items() if not box.isChecked() and n != "gravatar"
            ),
            by_email=self.sources["gravatar"].isChecked(),
        )
        return dialing, policy

    def accept(self) -> None:
        super().accept()
        if self.result() == self.DialogCode.Accepted:
            dialing, policy = self.value()
            unasked = self.settings.get(SOCIAL_BY_EMAIL) == ""
            dialing.save(self.settings)
            policy.save(self.settings)
            if unasked and not policy.by_email:
                self.settings.set(SOCIAL_BY_EMAIL, "")  # left as it was: still to be asked
            if not self.settings.is_locked(PHONE_REGION):
                self.settings.set(PHONE_REGION, self.region.code())
            days = tuple(day for day, box in self.working_days.items() if box.isChecked())
            self.settings.set(WORKING_DAYS, days or WORKING_DAYS.default)
            self.settings.set(BACKUP_FOLDER, self.backup_folder.text().strip())
            self.settings.set(BACKUP_KEEP, self.backups_kept.value())
            if self.sync_page is not None:
                self.sync_page.save()
            self.settings.sync()

    def _browse_backup_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Backup folder", self.backup_folder.text() or str(Path.home())
        )
        if chosen:
            self.backup_folder.setText(chosen)
            self.mark_dirty()

    def widget_for(self, key: str) -> QWidget | None:
        return {"command": self.command}.get(key)

    def markable_widgets(self) -> list[QWidget]:
        return [self.command]


def _page(*groups: QWidget) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    for group in groups:
        layout.addWidget(group)
    layout.addStretch(1)
    return page


def _buttons(row: QHBoxLayout) -> list[QWidget]:
    items = (row.itemAt(n).widget() for n in range(row.count()))
    return [widget for widget in items if isinstance(widget, QPushButton)]
