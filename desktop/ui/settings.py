"""The user's settings file (INI in the settings folder, so tests can move it)."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QSettings

from desktop.calls.dialer import DialSettings
from desktop.defaults import KEYS, MachineDefaults, load_defaults
from desktop.paths import config_dir
from desktop.social.refresh import RefreshPolicy


class Settings:
    """The user's settings file over the machine defaults IT set: for the keys IT can
    set, a locked default wins, then the user's value, then the default. Everything
    else (window layout, columns) is the user's alone."""

    def __init__(self, user: QSettings, machine: MachineDefaults) -> None:
        self.user = user
        self.machine = machine

    def value(self, key: str, default: Any = None) -> Any:
        if key in KEYS:
            fallback = "" if default is None else str(default)
            return self.machine.effective(key, self.user.value, fallback)
        return self.user.value(key, default)

    def setValue(self, key: str, value: Any) -> None:
        if not self.machine.is_locked(key):
            self.user.setValue(key, value)

    def is_locked(self, key: str) -> bool:
        return self.machine.is_locked(key)

    def sync(self) -> None:
        self.user.sync()


def user_settings() -> Settings:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    user = QSettings(str(folder / "callsheet.ini"), QSettings.Format.IniFormat)
    return Settings(user, load_defaults())


def dial_settings(settings: Settings) -> DialSettings:
    """How numbers are dialed: `calls/scheme` (tel, sip, callto) or `calls/command`."""
    return DialSettings(
        scheme=str(settings.value("calls/scheme", "tel")),
        command=str(settings.value("calls/command", "")),
    )


def refresh_policy(settings: Settings) -> RefreshPolicy:
    """Profile fetching as the settings say (see `RefreshPolicy.from_settings`)."""
    return RefreshPolicy.from_settings(lambda key, default: settings.value(key, default))


SOURCE_URL_KEYS = ("bluesky", "github", "gravatar", "mastodon")


def apply_source_urls(settings: Settings) -> None:
    """Base URLs set in the settings (`social/<source>_url`, for proxies and self-hosted
    servers) apply unless the environment already sets `CALLSHEET_<SOURCE>_URL`."""
    for name in SOURCE_URL_KEYS:
        value = str(settings.value(f"social/{name}_url", "")).strip()
        if value:
            os.environ.setdefault(f"CALLSHEET_{name.upper()}_URL", value)
