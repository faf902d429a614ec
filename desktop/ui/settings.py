"""The user's settings file (INI in the settings folder, so tests can move it)."""

from __future__ import annotations

from datetime import timedelta

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
    """Profile fetching: `social/enabled`, `social/disabled` (sources, comma-separated)
    and `social/max_age_days`."""
    enabled = str(settings.value("social/enabled", "true")).lower() not in ("false", "0", "no")
    disabled = str(settings.value("social/disabled", ""))
    try:
        days = max(int(str(settings.value("social/max_age_days", "7"))), 1)
    except ValueError:
        days = 7
    return RefreshPolicy(
        enabled=enabled,
        max_age=timedelta(days=days),
        disabled=frozenset(s.strip().lower() for s in disabled.split(",") if s.strip()),
    )
