"""Where Callsheet keeps its files: the data directory and the settings directory."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Callsheet"


def default_data_dir() -> Path:
    """The user's data directory: CALLSHEET_DATA_DIR, else the machine defaults'
    `[data] dir` (with ~ and environment variables expanded), else the OS's place."""
    override = os.environ.get("CALLSHEET_DATA_DIR")
    if override:
        return Path(override).expanduser()
    from desktop.defaults import load_defaults

    configured = load_defaults().values.get("data/dir")
    if configured:
        return Path(os.path.expandvars(configured)).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The user's settings directory (CALLSHEET_CONFIG_DIR overrides it)."""
    override = os.environ.get("CALLSHEET_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path(APP_NAME, appauthor=False)
