"""The settings schema: one name, type and default per setting, read the same by the
app (Qt's settings file) and the command line (without Qt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.defaults import KEYS, MachineDefaults
from desktop.settings import (
    BY_KEY,
    LIST_DESCENDING,
    SCHEMA,
    SOCIAL_DISABLED,
    SOCIAL_MAX_AGE_DAYS,
    IniFile,
    Settings,
)
from tests.factories import MemoryStore


def test_every_key_is_declared_once_and_every_lockable_one_can_be_set_by_it() -> None:
    assert len(BY_KEY) == len(SCHEMA)
    assert set(KEYS) == {s.key for s in SCHEMA if s.lockable}
    assert all("/" in s.key and s.label for s in SCHEMA)


@pytest.mark.parametrize(
    ("raw", "expected"), [("30", 30), ("0", 1), ("9999", 365), ("soon", 7), (None, 7)]
)
def test_numbers_are_read_within_their_range_or_fall_back(raw: object, expected: int) -> None:
    assert SOCIAL_MAX_AGE_DAYS.parse(raw) == expected


def test_values_go_back_and_forth_as_the_settings_file_keeps_them() -> None:
    settings = Settings(MemoryStore(), MachineDefaults())
    settings.set(SOCIAL_DISABLED, ("gravatar", "github"))
    settings.set(LIST_DESCENDING, True)
    assert settings.store.value("social/disabled") == "gravatar,github"  # type: ignore[attr-defined]
    assert settings.get(SOCIAL_DISABLED) == ("gravatar", "github")
    assert settings.get(LIST_DESCENDING) is True
    assert LIST_DESCENDING.parse(True) is True  # Qt may hand back a real bool


def test_the_command_line_reads_the_file_qt_writes(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    path = tmp_path / "callsheet.ini"
    written = QSettings(str(path), QSettings.Format.IniFormat)
    for setting, value in ((SOCIAL_DISABLED, ("gravatar", "github")), (SOCIAL_MAX_AGE_DAYS, 3)):
        Settings(written, MachineDefaults()).set(setting, value)  # type: ignore[arg-type]
    written.sync()
    read = Settings(IniFile(path), MachineDefaults())
    assert read.get(SOCIAL_DISABLED) == ("gravatar", "github")
    assert read.get(SOCIAL_MAX_AGE_DAYS) == 3
