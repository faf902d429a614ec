"""The contact list's table view and the panel shown instead while the book is empty."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.contact_list import (
    CITY,
    COLUMNS,
    COMPANY,
    EMAIL,
    NAME,
    PHONE,
    TITLE,
    UPDATED,
    ContactListModel,
)
from desktop.ui.found_by import FoundByDelegate

COLUMN_WIDTHS = (150, 130, 150, 200, 115, 100, 90, 105, 95)
# What a rep needs on a 1280-pixel screen beside the sidebar and the detail pane: who,
# where, how to reach them and when next. The rest is a click away (View > Columns).
HIDDEN_BY_DEFAULT = (TITLE, EMAIL, CITY, UPDATED)


def make_contact_table(model: ContactListModel) -> QTableView:
    """A read-only, sortable, multi-select table over `model`, rows one line high."""
    table = QTableView()
    table.setObjectName("contactList")
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setSortingEnabled(True)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    vertical = table.verticalHeader()
    vertical.hide()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSortIndicator(NAME, Qt.SortOrder.AscendingOrder)
    # The name takes the room the other columns leave, so the list never scrolls
    # sideways on a laptop's screen (long text elides); the others keep their widths.
    header.setStretchLastSection(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setTextElideMode(Qt.TextElideMode.ElideRight)
    header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
    header.setSectionsMovable(True)
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    for column, width in enumerate(COLUMN_WIDTHS):
        table.setColumnWidth(column, width)
    for column in HIDDEN_BY_DEFAULT:
        header.setSectionHidden(column, True)
    header.moveSection(header.visualIndex(PHONE), header.visualIndex(COMPANY) + 1)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setItemDelegateForColumn(NAME, FoundByDelegate(header))
    table.setDragEnabled(True)
    table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    return table


def make_empty_state(
    new_contact: Callable[[], object], try_demo: Callable[[], object], demo_count: int
) -> QWidget:
    """ "No contacts yet", with New contact and Try demo data."""
    panel = QWidget()
    panel.setObjectName("emptyState")
    title = QLabel("No contacts yet")
    title.setStyleSheet("font-size: 16pt; font-weight: 600;")
    text = QLabel(
        "Add the people you sell to, or try Callsheet with demo data.\n"
        "Everything stays on this computer; no server needed."
    )
    text.setWordWrap(True)
    text.setAlignment(Qt.AlignmentFlag.AlignCenter)
    new = QPushButton("New contact (Ctrl+N)")
    new.clicked.connect(new_contact)
    demo = QPushButton(f"Try demo data ({demo_count:,} contacts)")
    demo.setObjectName("demoButton")
    demo.clicked.connect(try_demo)
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    buttons.addWidget(new)
    buttons.addWidget(demo)
    buttons.addStretch(1)
    layout = QVBoxLayout(panel)
    layout.addStretch(1)
    layout.addWidget(title, 0, Qt.AlignmentFlag.AlignCenter)
    layout.addWidget(text)
    layout.addSpacing(12)
    layout.addLayout(buttons)
    layout.addStretch(2)
    return panel


def fill_columns_menu(menu: QMenu, header: QHeaderView) -> None:
    """A check per column to show or hide it (the name always shows)."""
    menu.clear()
    for column, spec in enumerate(COLUMNS):
        action = menu.addAction(spec.title)
        action.setCheckable(True)
        action.setChecked(not header.isSectionHidden(column))
        action.setEnabled(column != NAME)
        action.toggled.connect(lambda shown, c=column: header.setSectionHidden(c, not shown))
