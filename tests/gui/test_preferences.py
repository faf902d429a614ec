"""Preferences for dialing and profile fetching, and what they change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.ui.main_window import MainWindow
from desktop.ui.preferences import PreferencesDialog
from desktop.ui.settings import dial_settings, refresh_policy
from tests.factories import add_contact


def test_preferences_are_saved_and_checked(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = PreferencesDialog(window.settings, window)
    qtbot.addWidget(dialog)
    dialog.scheme.setCurrentIndex(dialog.scheme.findData("sip"))
    dialog.command.setText("softphone --dial")
    dialog.accept()
    assert "must contain {number}" in dialog.problems_label.text()
    dialog.command.setText("")
    dialog.sources["gravatar"].setChecked(False)
    dialog.max_age.setValue(3)
    dialog.accept()
    assert dial_settings(window.settings).scheme == "sip"
    policy = refresh_policy(window.settings)
    assert policy.disabled == frozenset({"gravatar"}) and policy.max_age.days == 3
    assert policy.enabled


def test_brief_refresh_obeys_fetching_turned_off(window: MainWindow, data_dir: Path) -> None:
    add_contact(window.book.db, "Maya", "Lund")
    window.settings.setValue("social/enabled", "false")
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
        cwd=Path(__file__).parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert "fetching is turned off in the settings" in result.stderr
    assert result.stdout.startswith("Maya Lund\n")
