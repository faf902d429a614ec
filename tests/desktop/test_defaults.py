"""Machine-wide defaults from IT: what they set, what they lock, and a bad file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.defaults import load_defaults
from desktop.paths import default_data_dir
from desktop.settings import (
    CALLS_COMMAND,
    CALLS_SCHEME,
    SOCIAL_ENABLED,
    SOCIAL_MAX_AGE_DAYS,
    Settings,
)
from tests.factories import MemoryStore
from tests.locations import ROOT

GOOD = """
[data]
dir = "~/CallsheetData"

[sync]
server_url = "https://dav.example.com/"

[social]
enabled = false
disabled = ["gravatar"]
max_age_days = 14

[calls]
scheme = "sip"

[lock]
keys = ["social.enabled", "sync.server_url"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "defaults.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_values_and_locks(tmp_path: Path) -> None:
    machine = load_defaults(write(tmp_path, GOOD))
    assert machine.problem is None
    assert machine.values == {
        "data/dir": "~/CallsheetData",
        "sync/server_url": "https://dav.example.com/",
        "social/enabled": "false",
        "social/disabled": "gravatar",
        "social/max_age_days": "14",
        "calls/scheme": "sip",
    }
    assert machine.locked == {"social/enabled", "sync/server_url"}
    mine = MemoryStore({"social/enabled": "true", "calls/scheme": "tel", "social/max_age_days": ""})
    settings = Settings(mine, machine)
    assert settings.get(SOCIAL_ENABLED) is False  # locked
    assert settings.get(CALLS_SCHEME) == "tel"  # the user's wins
    assert settings.get(SOCIAL_MAX_AGE_DAYS) == 14  # IT's default
    assert settings.get(CALLS_COMMAND) == ""  # the schema's default
    settings.set(SOCIAL_ENABLED, False)  # refused: IT locked it
    assert mine.values["social/enabled"] == "true"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("[social\nenabled = false", "not valid TOML"),
        ("[social]\nenabled = 'no'", "social.enabled must be a bool"),
        ("[social]\nmax_age_days = true", "social.max_age_days must be a int"),
        ("[social]\nfetch_everything = true", "social.fetch_everything is not a setting"),
        ("[printer]\nname = 'x'", "[printer] is not a section"),
        ("[lock]\nkeys = ['social.everything']", "names settings Callsheet does not know"),
        ("[social]\ndisabled = [1, 2]", "must be a list of names"),
    ],
)
def test_a_bad_file_is_ignored_and_says_why(tmp_path: Path, text: str, why: str) -> None:
    path = write(tmp_path, text)
    machine = load_defaults(path)
    assert machine.values == {} and machine.locked == frozenset()
    assert machine.problem is not None and why in machine.problem and str(path) in machine.problem


def test_no_file_means_no_defaults(tmp_path: Path) -> None:
    machine = load_defaults(tmp_path / "missing.toml")
    assert (machine.values, machine.problem) == ({}, None)


def test_the_data_folder_can_be_set_by_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALLSHEET_DATA_DIR", raising=False)
    monkeypatch.setenv("CALLSHEET_DEFAULTS", str(write(tmp_path, '[data]\ndir = "$HOME/Sales"')))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_data_dir() == tmp_path / "Sales"


def test_the_cli_warns_about_a_bad_file_and_still_works(tmp_path: Path, data_dir: Path) -> None:
    env = {**os.environ, "CALLSHEET_DEFAULTS": str(write(tmp_path, "[social\n"))}
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "seed", "--count", "5"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("callsheet: warning: The defaults file ")
    assert "using safe defaults" in result.stderr
