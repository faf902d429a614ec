"""The user's settings file as the app keeps it: Qt's INI format in the settings folder
(so tests can move it), under the machine defaults IT set. What each setting is lives
in `desktop.settings`."""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings

from desktop.defaults import load_defaults
from desktop.paths import config_dir
from desktop.settings import SOURCE_URLS, Settings


def user_settings() -> Settings:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    store = QSettings(str(folder / "callsheet.ini"), QSettings.Format.IniFormat)
    return Settings(store, load_defaults())


def apply_source_urls(settings: Settings) -> None:
    """Base URLs set in the settings (`social/<source>_url`, for proxies and self-hosted
    servers) apply unless the environment already sets `CALLSHEET_<SOURCE>_URL`."""
    for name, setting in SOURCE_URLS.items():
        value = settings.get(setting).strip()
        if value:
            os.environ.setdefault(f"CALLSHEET_{name.upper()}_URL", value)
