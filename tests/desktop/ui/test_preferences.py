"""Preferences for dialing and profile fetching, and what they change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.calls.dialer import DialSettings
from desktop.settings import CALLS_SCHEME, SOCIAL_ENABLED
from desktop.social.refresh import RefreshPolicy
from desktop.ui.main_window import MainWindow
from desktop.ui.preferences import PreferencesDialog
from tests.factories import add_contact
from tests.locations import ROOT


def test_preferences_are_saved_and_checked(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = PreferencesDialog(window.settings, window)
    qtbot.addWidget(dialog)
    dialog.scheme.setCurrentIndex(dialog.scheme.findData("sip"))
    dialog.command.setText("softphone --dial")
    dialog.accept()
    assert "must contain {number}" in dialog.problems_label.text()
    dialog.command.setText("")
    dialog.sources["github"].setChecked(False)
    dialog.max_age.setValue(3)
    dialog.accept()
    assert DialSettings.from_settings(window.settings).scheme == "sip"
    policy = RefreshPolicy.from_settings(window.settings)
    assert policy.disabled == frozenset({"github"}) and policy.max_age.days == 3
    assert policy.enabled


def test_brief_refresh_obeys_fetching_turned_off(window: MainWindow, data_dir: Path) -> None:
    add_contact(window.book, "Maya", "Lund")
    window.settings.set(SOCIAL_ENABLED, False)
    window.settings.sync()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "--data-dir",
            str(data_dir),
            "brief",
            "maya",
            "--refresh",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env=os.environ.copy(),
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "fetching is turned off in the settings" in result.stderr
    assert result.stdout.startswith("Maya Lund\n")


def test_locked_settings_cannot_be_changed_by_the_user(
    qtbot, data_dir: Path, monkeypatch, book
) -> None:  # type: ignore[no-untyped-def]
    defaults = data_dir.parent / "defaults.toml"
    defaults.write_text(
        '[social]\nenabled = false\n[calls]\nscheme = "sip"\n[lock]\nkeys = ["social.enabled"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("CALLSHEET_DEFAULTS", str(defaults))
    window = MainWindow(book, "NO")
    qtbot.addWidget(window)
    settings = window.settings
    settings.set(SOCIAL_ENABLED, True)  # refused: IT locked it
    assert RefreshPolicy.from_settings(settings).enabled is False
    assert DialSettings.from_settings(settings).scheme == "sip"  # IT's default...
    settings.set(CALLS_SCHEME, "tel")
    assert DialSettings.from_settings(settings).scheme == "tel"  # ...which the user may change
    dialog = PreferencesDialog(settings, window)
    qtbot.addWidget(dialog)
    assert not dialog.fetching.isEnabled()
    assert dialog.fetching.toolTip() == "Set by your IT department for this computer."
    assert dialog.scheme.isEnabled()


def test_a_bad_defaults_file_is_said_in_the_status_bar(
    qtbot, data_dir: Path, monkeypatch, book
) -> None:  # type: ignore[no-untyped-def]
    defaults = data_dir.parent / "defaults.toml"
    defaults.write_text("[social]\nenabled = 'sometimes'\n", encoding="utf-8")
    monkeypatch.setenv("CALLSHEET_DEFAULTS", str(defaults))
    window = MainWindow(book, "NO")
    qtbot.addWidget(window)
    assert (
        "was ignored because social.enabled must be a bool" in window.statusBar().currentMessage()
    )


def test_about_names_the_build(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from tests.desktop.conftest import when_dialog_opens

    seen: list[str] = []

    def read(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, QMessageBox)
        seen.append(dialog.text())
        dialog.accept()

    when_dialog_opens(read)
    window.about_action.trigger()
    from desktop.build_info import build_info

    assert f"Build: {build_info()}" in seen[0] and "Qt for Python" in seen[0]


def test_preferences_say_where_passwords_are_kept(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    import keyring
    import keyring.backends.fail

    dialog = PreferencesDialog(window.settings, window)
    qtbot.addWidget(dialog)
    assert dialog.passwords.text().startswith("Passwords are kept in the system keychain")
    keyring.set_keyring(keyring.backends.fail.Keyring())
    without = PreferencesDialog(window.settings, window)
    qtbot.addWidget(without)
    assert without.passwords.text().startswith("No keychain was found on this computer")


def test_the_default_phone_region_is_a_preference(qtbot, book) -> None:  # type: ignore[no-untyped-def]
    """Unset, numbers are read as this computer's locale says; chosen, as the user says,
    in new contacts and imports alike."""
    from desktop.settings import PHONE_REGION

    window = MainWindow(book, "NO")
    qtbot.addWidget(window)
    assert window.default_region == "NO"
    dialog = PreferencesDialog(window.settings, window, locale_region="NO")
    qtbot.addWidget(dialog)
    assert dialog.region.code() == "" and dialog.region.currentText() == "This computer's (Norway)"
    dialog.region.setCurrentIndex(dialog.region.findData("NL"))
    dialog.accept()
    assert window.settings.get(PHONE_REGION) == "NL"
    assert window.default_region == "NL" and window.interop.region == "NL"


def test_lookups_by_email_are_off_until_turned_on_and_saving_other_things_does_not_answer(
    qtbot, book
) -> None:  # type: ignore[no-untyped-def]
    from desktop.settings import SOCIAL_BY_EMAIL

    window = MainWindow(book, "NO")
    qtbot.addWidget(window)
    dialog = PreferencesDialog(window.settings, window)
    qtbot.addWidget(dialog)
    assert not dialog.sources["gravatar"].isChecked()
    assert not RefreshPolicy.from_settings(window.settings).allows("gravatar")
    dialog.accept()
    assert window.settings.get(SOCIAL_BY_EMAIL) == ""  # still to be asked
    dialog = PreferencesDialog(window.settings, window)
    qtbot.addWidget(dialog)
    dialog.sources["gravatar"].setChecked(True)
    dialog.accept()
    assert window.settings.get(SOCIAL_BY_EMAIL) == "yes"
    assert RefreshPolicy.from_settings(window.settings).allows("gravatar")
