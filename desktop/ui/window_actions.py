"""The main window's actions, menus and toolbar, built from one table.

Each action is declared once: its name (the window gets it as `<name>_action`), its
text with mnemonic, what it runs, its shortcut and status tip, and where it shows.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QToolBar

from db.list_query import SortColumn
from desktop.ui.contact_table import fill_columns_menu
from desktop.ui.sidebar import View

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

Key = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    run: Callable[[MainWindow], Callable[[], Any]]
    shortcut: QKeySequence.StandardKey | str | None = None
    tip: str = ""


def _view(kind: str) -> Callable[[MainWindow], Callable[[], Any]]:
    return lambda w: lambda: w.choose(View(kind))


ACTIONS = (
    ActionSpec("new", "&New Contact…", lambda w: lambda: w.contacts.new(), Key.New,
               "Add a contact"),
    ActionSpec("edit", "&Edit Contact…", lambda w: w.contacts.edit, "Ctrl+E",
               "Edit the selected contact"),
    ActionSpec("delete", "&Delete", lambda w: w.contacts.delete, Key.Delete,
               "Move the selected contacts to the Trash"),
    ActionSpec("find", "&Look Up…", lambda w: w.lookup.focus, Key.Find,
               "Find contacts by any fragment"),
    ActionSpec("note", "Add &Note", lambda w: w.add_note, "Ctrl+Shift+N",
               "Write a note on the selected contact"),
    ActionSpec("import", "&Import…", lambda w: lambda: w.interop.import_file(), "Ctrl+I",
               "Bring in contacts (CSV, vCard) or follow-ups (iCalendar); you see what "
               "happens first"),
    ActionSpec("export", "&Export…", lambda w: w.export, "Ctrl+Shift+E",
               "Write contacts to a CSV or vCard file, or follow-ups to an iCalendar file"),
    ActionSpec("import_history", "Import &History…", lambda w: w.interop.show_history, None,
               "Every import, and taking back an earlier one"),
    ActionSpec("duplicates", "Find &Duplicates…", lambda w: w.interop.find_duplicates,
               "Ctrl+Shift+D", "Records that look like the same person, to merge"),
    ActionSpec("merge", "&Merge Selected Contacts…",
               lambda w: lambda: w.interop.merge(w.selected_ids()), "Ctrl+M",
               "Merge the selected records of one person into one"),
    ActionSpec("back_up", "&Back Up Now", lambda w: w.backups.back_up_now, "Ctrl+Shift+B",
               "Take a backup of the book now (kept with the daily ones)"),
    ActionSpec("restore_backup", "&Restore from Backup…", lambda w: w.backups.restore, None,
               "Put the book back as a backup holds it; the book as it is now is kept"),
    ActionSpec("sync_now", "&Sync Now", lambda w: w.sync.sync_now, "Ctrl+Shift+S",
               "Sync with every account now (again to stop a sync that is running)"),
    ActionSpec("sync_conflicts", "Sync &Conflicts…", lambda w: w.sync.show_conflicts, None,
               "Values that lost when this computer and the server changed the same detail"),
    ActionSpec("demo", "Add &Demo Data…", lambda w: w.demo.ask),
    ActionSpec("preferences", "&Preferences…", lambda w: w.edit_preferences, Key.Preferences),
    ActionSpec("quit", "&Quit", lambda w: w.close, Key.Quit),
    ActionSpec("new_group", "&New Group…", lambda w: w.groups.new),
    ActionSpec("add_to_group", "&Add Selected to Group…", lambda w: w.groups.add_selected,
               "Ctrl+G"),
    ActionSpec("remove_from_group", "&Remove Selected from This Group",
               lambda w: w.groups.remove_selected),
    ActionSpec("rename_group", "Re&name This Group…",
               lambda w: lambda: w.groups.rename(w.view.id)),
    ActionSpec("delete_group", "&Delete This Group",
               lambda w: lambda: w.groups.delete(w.view.id)),
    ActionSpec("all", "&All Contacts", _view("all"), "Ctrl+1"),
    ActionSpec("trash", "&Trash", _view("trash"), "Ctrl+2"),
    ActionSpec("tasks", "Tas&ks", _view("tasks"), "Ctrl+3"),
    ActionSpec("calendar", "&Calendar", _view("calendar"), "Ctrl+4"),
    ActionSpec("schedule", "&Schedule Follow-up…", lambda w: w.follow_up_actions.schedule,
               "Ctrl+Shift+F",
               "Schedule a call, meeting, to-do or email with the selected contacts"),
    ActionSpec("record", "&Record History…", lambda w: w.follow_up_actions.record_history, "Ctrl+H",
               "Log a call, meeting or email that was not scheduled"),
    ActionSpec("sheet", "Call S&heet", lambda w: lambda: w.follow_up_actions.open_sheet(), "F9",
               "The call sheet of the contact shown: local time, dialing, history, profiles"),
    ActionSpec("call_list", "Make &Call List", lambda w: w.call_lists.make, "Ctrl+Shift+L",
               "Walk the contacts shown (a group, a lookup or a selection) one after another"),
    ActionSpec("next_in_list", "&Next in Call List", lambda w: w.call_lists.next, "Alt+Right"),
    ActionSpec("previous_in_list", "&Previous in Call List", lambda w: w.call_lists.previous,
               "Alt+Left"),
    ActionSpec("new_company", "&New Company…", lambda w: w.companies.new),
    ActionSpec("edit_company", "&Edit This Company…", lambda w: w.companies.edit),
    ActionSpec("delete_company", "&Delete This Company", lambda w: w.companies.delete),
    ActionSpec("about", "&About Callsheet", lambda w: lambda: show_about(w)),
)  # fmt: skip

# Menus in order; "-" is a separator, "undo"/"redo" are the undo stack's own actions.
MENUS = (
    ("&File", ("new", "-", "import", "export", "import_history", "-", "back_up",
               "restore_backup", "-", "sync_now", "sync_conflicts", "-", "demo", "preferences",
               "-", "quit")),
    ("&Edit", ("undo", "redo", "-", "edit", "note", "delete", "-", "merge", "duplicates", "-",
               "find")),
    ("&View", ("all", "trash", "tasks", "calendar")),
    ("F&ollow-ups", ("schedule", "record", "-", "sheet", "call_list", "next_in_list",
                     "previous_in_list", "-", "tasks", "calendar")),
    ("&Groups", ("new_group", "add_to_group", "remove_from_group", "rename_group",
                 "delete_group")),
    ("&Companies", ("new_company", "edit_company", "delete_company")),
    ("&Help", ("about",)),
)  # fmt: skip
TOOLBAR = ("new", "edit", "delete", "toolbar_undo", "-", "schedule", "record", "sheet", "-")
# Toolbar buttons whose tooltip also names their shortcut.
TIPS_WITH_SHORTCUT = ("new", "edit", "delete", "find", "schedule", "record")


# Where a platform gives a standard key no binding (Preferences on Linux and Windows),
# the keys the README promises.
_FALLBACKS = {Key.Preferences: "Ctrl+,", Key.Quit: "Ctrl+Q"}


def _bindings(shortcut: QKeySequence.StandardKey | str) -> list[QKeySequence]:
    if isinstance(shortcut, str):
        return [QKeySequence(shortcut)]
    fallback = _FALLBACKS.get(shortcut)
    return QKeySequence.keyBindings(shortcut) or ([QKeySequence(fallback)] if fallback else [])


def build_actions(window: MainWindow) -> dict[str, QAction]:
    """Make every action (also set on the window as `<name>_action`), the menus and the
    toolbar; returns the actions by name."""
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(spec.text, window)
        if spec.shortcut is not None:
            action.setShortcuts(_bindings(spec.shortcut))
        if spec.tip:
            action.setStatusTip(spec.tip)
        # Looked up when triggered: the window's controllers come after its actions.
        action.triggered.connect(lambda _checked=False, run=spec.run: run(window)())
        actions[spec.name] = action
    stack = window.undo_stack
    actions["undo"] = stack.createUndoAction(window, "&Undo")
    actions["undo"].setShortcuts(_bindings(Key.Undo))
    actions["redo"] = stack.createRedoAction(window, "&Redo")
    actions["redo"].setShortcuts(_bindings(Key.Redo))
    # The menu's Undo says what it undoes; the toolbar's keeps one width and says it in
    # its tooltip, so the lookup box does not jump around.
    toolbar_undo = actions["toolbar_undo"] = QAction("Undo", window)
    toolbar_undo.triggered.connect(stack.undo)
    toolbar_undo.setEnabled(False)
    stack.canUndoChanged.connect(toolbar_undo.setEnabled)
    stack.undoTextChanged.connect(
        lambda text: toolbar_undo.setToolTip(f"Undo {text} (Ctrl+Z)" if text else "Undo")
    )
    for name, action in actions.items():
        setattr(window, f"{name}_action", action)
    for title, names in MENUS:
        menu = window.menuBar().addMenu(title)
        for name in names:
            if name == "-":
                menu.addSeparator()
            else:
                menu.addAction(actions[name])
        if title == "&View":
            menu.addSeparator()
            by_family = actions["by_family_name"] = QAction("Sort Names by &Last Name", window)
            by_family.setCheckable(True)
            by_family.setChecked(window.model.name_sort is SortColumn.FILE_AS)
            by_family.setStatusTip("File people by family name, as Act! and Outlook do")
            by_family.toggled.connect(window.sort_names_by_family)
            window.by_family_name_action = by_family
            menu.addAction(by_family)
            window.columns_menu = menu.addMenu("&Columns")
            window.columns_menu.aboutToShow.connect(
                lambda: fill_columns_menu(window.columns_menu, window.table.horizontalHeader())
            )
    toolbar = QToolBar("Main")
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for name in TOOLBAR:
        if name == "-":
            toolbar.addSeparator()
        else:
            toolbar.addAction(actions[name])
    toolbar.addWidget(window.lookup_box)
    toolbar.addWidget(window.follow_up_filter)
    window.addToolBar(toolbar)
    actions["schedule"].setIconText("Schedule…")
    actions["record"].setIconText("Log…")
    for name in TIPS_WITH_SHORTCUT:
        action = actions[name]
        action.setToolTip(
            f"{action.text().replace('&', '').rstrip('…')} "
            f"({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        )
    return actions


def enable_actions(window: MainWindow) -> None:
    """Enable what applies to what the window shows and has selected."""
    view = window.view.kind
    on_contacts = view not in ("trash", "tasks", "calendar")
    has_contact = window.detail.details is not None and on_contacts
    several = len(window.table.selectionModel().selectedRows()) > 1
    walking = window.call_lists.current is not None
    enabled = {
        "edit": has_contact,
        "delete": has_contact,
        "note": has_contact,
        "merge": on_contacts and several,
        "add_to_group": has_contact,
        "remove_from_group": view == "group" and has_contact,
        "rename_group": view == "group",
        "delete_group": view == "group",
        "edit_company": view == "company",
        "delete_company": view == "company",
        "next_in_list": walking,
        "previous_in_list": walking,
        "call_list": on_contacts,
    }
    for name, on in enabled.items():
        getattr(window, f"{name}_action").setEnabled(on)


def show_about(window: MainWindow) -> None:
    from PySide6 import __version__ as qt_version

    from desktop import __version__
    from desktop.build_info import build_info

    QMessageBox.about(
        window,
        "About Callsheet",
        f"<b>Callsheet {__version__}</b><p>The contact manager for people "
        f"who sell.</p><p>Build: {html.escape(build_info())}<br>Qt for Python "
        f"{qt_version}</p><p>Database: {html.escape(window.book.path)}</p>",
    )
