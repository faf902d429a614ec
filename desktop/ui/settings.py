"""The user's settings file (INI in the settings folder, so tests can move it)."""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings

from desktop.calls.dialer import DialSettings
from desktop.paths import config_dir
from desktop.social.refresh import RefreshPolicy


def user_settings() -> QSettings:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "callsheet.ini"), QSettings.Format.IniFormat)


def dial_settings(settings: QSettings) -> DialSettings:
    """How numbers are dialed: `calls/scheme` (tel, sip, callto) or `calls/command`."""
    return DialSettings(
        scheme=str(settings.value("calls/scheme", "tel")),
        command=str(settings.value("calls/command", "")),
    )


def refresh_policy(settings: QSettings) -> RefreshPolicy:
    """Profile fetching as the settings say (see `RefreshPolicy.from_settings`)."""
    return RefreshPolicy.from_settings(lambda key, default: settings.value(key, default))


SOURCE_URL_KEYS = ("bluesky", "github", "gravatar", "mastodon")


def apply_source_urls(settings: QSettings) -> None:
    """Base URLs set in the settings (`social/<source>_url`, for proxies and self-hosted
    servers) apply unless the environment already sets `CALLSHEET_<SOURCE>_URL`."""
    for name in SOURCE_URL_KEYS:
        value = str(settings.value(f"social/{name}_url", "")).strip()
        if value:
            os.environ.setdefault(f"CALLSHEET_{name.upper()}_URL", value)
