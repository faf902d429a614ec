"""What the main window remembers between sessions: geometry, splitters, the list's
columns and sort, and the view it showed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter

from db.list_query import ListQuery, SortColumn
from desktop.models.contact_list import COLUMNS, NAME
from desktop.settings import LIST_DESCENDING, LIST_SORT, LIST_VIEW, Settings
from desktop.ui.sidebar import View

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


def restore_window(window: MainWindow) -> None:
    s = window.settings
    geometry = s.state("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    else:
        fit_first_window(window)
    state = s.state("window/state")
    if state is not None:
        window.restoreState(state)
    for splitter in (window.main_split, window.contacts_split):
        restore_splitter(window, splitter)
    header = window.table.horizontalHeader()
    header_state = s.state("list/header")
    if header_state is not None:
        header.restoreState(header_state)
    query, window.view = saved_list(s)
    window.model.query = query
    if query.sort is SortColumn.FILE_AS:
        window.model.name_sort = query.sort
    column = next((n for n, c in enumerate(COLUMNS) if c.sort is query.sort), NAME)
    header.setSortIndicator(
        column, Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder
    )


def saved_list(settings: Settings) -> tuple[ListQuery, View]:
    """The list's order and the view the window showed when it was last closed."""
    try:
        chosen = SortColumn(settings.get(LIST_SORT))
    except ValueError:
        chosen = SortColumn.NAME
    return ListQuery(chosen, settings.get(LIST_DESCENDING)), View.from_key(settings.get(LIST_VIEW))


def restore_splitter(window: MainWindow, splitter: QSplitter) -> None:
    """The splitter's sizes as left (again, once a widget it waited for is in)."""
    saved = window.settings.state(f"window/{splitter.objectName()}")
    if saved is not None:
        splitter.restoreState(saved)


# Room for the window manager's title bar and frame, unknown until the window shows.
FRAME_ALLOWANCE = 48


def fit_first_window(window: MainWindow) -> None:
    """The first window fits the screen's free area (its status bar stays in view)."""
    free = window.screen().availableGeometry()
    width = min(window.width(), free.width())
    height = min(window.height(), free.height() - FRAME_ALLOWANCE)
    window.resize(width, height)
    window.move(free.x() + (free.width() - width) // 2, free.y())


def save_window(window: MainWindow) -> None:
    s = window.settings
    s.set_state("window/geometry", window.saveGeometry())
    s.set_state("window/state", window.saveState())
    for splitter in (window.main_split, window.contacts_split):
        s.set_state(f"window/{splitter.objectName()}", splitter.saveState())
    s.set_state("list/header", window.table.horizontalHeader().saveState())
    s.set(LIST_SORT, window.model.query.sort.value)
    s.set(LIST_DESCENDING, window.model.query.descending)
    s.set(LIST_VIEW, window.view.key())
    s.sync()
