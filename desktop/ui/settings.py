"""The user's settings file as the app keeps it: Qt's INI format in the settings folder
(so tests can move it), under the machine defaults IT set. What each setting is lives
in `desktop.settings`."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from desktop.defaults import load_defaults
from desktop.paths import config_dir
from desktop.settings import Settings


def user_settings() -> Settings:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    store = QSettings(str(folder / "callsheet.ini"), QSettings.Format.IniFormat)
    return Settings(store, load_defaults())
