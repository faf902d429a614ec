"""Every key the README's "In the app" table promises is bound in the app."""

from __future__ import annotations

import re

from PySide6.QtGui import QAction, QKeySequence, QShortcut

from desktop.contact_book import ContactBook
from desktop.ui.main_window import MainWindow
from tests.factories import add_contact
from tests.locations import ROOT

_KEY = re.compile(r"^(?:(?:Ctrl|Alt|Shift)\+)+(?:[A-Z0-9,]|F\d{1,2}|Right|Left)$|^F\d{1,2}$")


def documented_keys() -> list[str]:
    """The key combinations in the README's shortcut table (plain keys such as arrows,
    Home or Esc are handled by the widgets themselves and left out)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("| action | keys |", 1)[1].split("\n\n", 1)[0]
    keys = []
    for row in table.splitlines()[2:]:
        cell = row.strip().strip("|").rsplit("|", 1)[1]
        cell = re.sub(r"\([^)]*\)", "", cell)
        for token in re.split(r" / | or |, | … ", cell.strip()):
            if _KEY.match(token.strip()):
                keys.append(token.strip())
    return keys


def bound_keys(*widgets: object) -> set[str]:
    found: set[str] = set()
    for widget in widgets:
        for action in widget.findChildren(QAction):  # type: ignore[attr-defined]
            found |= {s.toString() for s in action.shortcuts()}
        for shortcut in widget.findChildren(QShortcut):  # type: ignore[attr-defined]
            found |= {s.toString() for s in shortcut.keys()}  # noqa: SIM118 (not a dict)
    return found


def test_every_documented_shortcut_is_bound(qtbot, window: MainWindow, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    keys = documented_keys()
    assert {"Ctrl+,", "Ctrl+F", "F9", "Alt+Right", "Ctrl+Shift+H"} <= set(keys)
    add_contact(book, "Maya", "Lund")
    window.refresh_all()
    window.select_row(0)
    window.sheet_action.trigger()
    qtbot.waitUntil(lambda: window.call_sheet is not None)
    bound = bound_keys(window, window.call_sheet)
    missing = [k for k in keys if QKeySequence(k).toString() not in bound]
    assert missing == []


def test_preferences_opens_with_ctrl_comma(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert QKeySequence("Ctrl+,") in window.preferences_action.shortcuts()
