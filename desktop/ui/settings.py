"""The user's settings file (INI in the settings folder, so tests can move it)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from desktop.paths import config_dir


def user_settings() -> QSettings:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "callsheet.ini"), QSettings.Format.IniFormat)
