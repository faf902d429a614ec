"""Starting the app: a database it cannot open is explained, never overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.app import run_app


def test_a_damaged_database_is_explained_in_a_dialog(
    qtbot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    data_dir.mkdir(parents=True)
    damaged = data_dir / "callsheet.db"
    damaged.write_bytes(b"PK\x03\x04 this is a zip file" + bytes(4000))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda _parent, title, text: shown.append((title, text))
    )
    assert run_app(data_dir) == 1
    [(title, text)] = shown
    assert "cannot open" in title
    assert str(damaged) in text and "not a Callsheet database" in text
    assert damaged.read_bytes().startswith(b"PK\x03\x04 this is a zip file")


def test_the_app_has_its_icon_and_desktop_entry(qtbot) -> None:  # type: ignore[no-untyped-def]
    from configparser import ConfigParser

    from desktop.app import application
    from desktop.resources import resources_dir

    icon = application().windowIcon()
    assert not icon.isNull()
    assert not icon.pixmap(64, 64).toImage().isNull()
    entry = ConfigParser(interpolation=None)
    entry.read(resources_dir() / "callsheet.desktop")
    assert entry["Desktop Entry"]["Exec"] == "callsheet"
    assert entry["Desktop Entry"]["Icon"] == "callsheet"
