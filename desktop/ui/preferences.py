"""Preferences: how numbers are dialed and whether (and how often) public profiles are
fetched, per source. Stored in the user's settings file; IT can preset the same keys."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.errors import ValidationError
from desktop.calls.dialer import SCHEMES, DialSettings, dial_command
from desktop.social.profiles import NETWORK_TITLES
from desktop.social.refresh import SOURCE_NAMES, RefreshPolicy
from desktop.ui.form_dialog import FormDialog
from desktop.ui.settings import Settings, dial_settings, refresh_policy

SOURCE_TITLES = {**NETWORK_TITLES, "gravatar": "Gravatar (by email)", "website": "Web pages"}


class PreferencesDialog(FormDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("preferences")
        self.setWindowTitle("Preferences")
        dialing = dial_settings(settings)
        policy = refresh_policy(settings)

        self.scheme = QComboBox()
        for scheme in SCHEMES:
            self.scheme.addItem(f"{scheme}: links (the system's handler)", scheme)
        self.scheme.setCurrentIndex(max(self.scheme.findData(dialing.scheme), 0))
        self.command = QLineEdit(dialing.command)
        self.command.setPlaceholderText("optional, e.g. linphone-cli call {number}")
        calls = QGroupBox("Calls")
        calls_form = QFormLayout(calls)
        calls_form.addRow("&Dial with:", self.scheme)
        calls_form.addRow("Or run &command:", self.command)

        self.fetching = QCheckBox("Fetch public profile snapshots (needs the network)")
        self.fetching.setChecked(policy.enabled)
        self.max_age = QSpinBox()
        self.max_age.setRange(1, 365)
        self.max_age.setSuffix(" days")
        self.max_age.setValue(max(policy.max_age.days, 1))
        self.sources = {name: QCheckBox(SOURCE_TITLES.get(name, name)) for name in SOURCE_NAMES}
        for name, box in self.sources.items():
            box.setChecked(name not in policy.disabled)
        profiles = QGroupBox("Profiles")
        profiles_form = QFormLayout(profiles)
        profiles_form.addRow(self.fetching)
        profiles_form.addRow("Refresh when &older than:", self.max_age)
        for box in self.sources.values():
            profiles_form.addRow("", box)
        self.fetching.toggled.connect(self._update)
        self._update()
        self._lock(
            {
                "calls/scheme": [self.scheme],
                "calls/command": [self.command],
                "social/enabled": [self.fetching],
                "social/max_age_days": [self.max_age],
                "social/disabled": list(self.sources.values()),
            }
        )

        layout = QVBoxLayout()
        layout.addWidget(calls)
        layout.addWidget(profiles)
        self.finish_layout(layout)
        for signal in (self.command.textEdited, self.scheme.currentIndexChanged):
            signal.connect(self.mark_dirty)
        self.mark_clean()

    def _update(self) -> None:
        for box in self.sources.values():
            box.setEnabled(
                self.fetching.isChecked() and not self.settings.is_locked("social/disabled")
            )
        locked_age = self.settings.is_locked("social/max_age_days")
        self.max_age.setEnabled(self.fetching.isChecked() and not locked_age)

    def _lock(self, editors: dict[str, list[QWidget]]) -> None:
        """Settings IT locked are shown, greyed out, with the reason."""
        for key, widgets in editors.items():
            if self.settings.is_locked(key):
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
            disabled=frozenset(n for n, box in self.sources.items() if not box.isChecked()),
        )
        return dialing, policy

    def accept(self) -> None:
        super().accept()
        if self.result() == self.DialogCode.Accepted:
            dialing, policy = self.value()
            s = self.settings
            s.setValue("calls/scheme", dialing.scheme)
            s.setValue("calls/command", dialing.command)
            s.setValue("social/enabled", "true" if policy.enabled else "false")
            s.setValue("social/max_age_days", policy.max_age.days)
            s.setValue("social/disabled", ",".join(sorted(policy.disabled)))
            s.sync()

    def widget_for(self, key: str) -> QWidget | None:
        return {"command": self.command}.get(key)

    def markable_widgets(self) -> list[QWidget]:
        return [self.command]
