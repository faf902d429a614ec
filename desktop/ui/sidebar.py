"""The navigation pane: all contacts, groups, companies and the Trash."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QMenu, QTreeWidget, QTreeWidgetItem, QWidget

from desktop.models.contact_list import CONTACT_IDS_MIME
from desktop.models.formats import number

if TYPE_CHECKING:
    from db.groups import GroupRow
    from desktop.contact_book import NavigationCounts

ROLE = Qt.ItemDataRole.UserRole


OVERDUE_BRUSH = QBrush(QColor("#c62828"))


@dataclass(frozen=True)
class View:
    """What the main area shows: kind is "all", "group", "company" (one company's
    contacts), "companies" (the Companies page), "trash", "tasks" or "calendar"."""

    kind: str
    id: uuid.UUID | None = None

    def key(self) -> str:
        return f"{self.kind}:{self.id or ''}"

    @classmethod
    def from_key(cls, key: str) -> View:
        kind, _, ident = key.partition(":")
        if kind not in ("all", "group", "company", "companies", "trash", "tasks", "calendar"):
            return cls("all")
        try:
            return cls(kind, uuid.UUID(ident) if ident else None)
        except ValueError:
            return cls("all")


class Sidebar(QTreeWidget):
    """Signals:
    chosen(object): the View the user picked.
    contactsDropped(object, list): contact UUIDs dropped on a group (its UUID).
    renameGroupRequested(object), deleteGroupRequested(object): a group's UUID.
    newGroupRequested(): the user asked for a new group.
    """

    chosen = Signal(object)
    contactsDropped = Signal(object, list)
    renameGroupRequested = Signal(object)
    deleteGroupRequested = Signal(object)
    newGroupRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setObjectName("sidebar")
        self.setMinimumWidth(180)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.tasks_item = self._top("Tasks", View("tasks"))
        self.calendar_item = self._top("Calendar", View("calendar"))
        self.all_item = self._top("All contacts", View("all"))
        self.groups_item = self._top("Groups", None)
        self.companies_item = self._top("Companies", View("companies"))
        self.trash_item = self._top("Trash", View("trash"))
        self.groups_item.setExpanded(True)
        self.currentItemChanged.connect(self._changed)
        self.itemClicked.connect(self._clicked)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)

    def _top(self, text: str, view: View | None) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self, [text])
        item.setData(0, ROLE, view)
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        if view is None:
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
        return item

    def set_counts(self, counts: NavigationCounts) -> None:
        """Show how many contacts each entry holds (counted off the UI thread)."""
        self.all_item.setText(0, f"All contacts ({number(counts.contacts)})")
        overdue = f"Tasks ({number(counts.overdue)} overdue)" if counts.overdue else "Tasks"
        self.tasks_item.setText(0, overdue)
        self.tasks_item.setForeground(0, OVERDUE_BRUSH if counts.overdue else self.palette().text())
        self.trash_item.setText(0, f"Trash ({number(counts.trash)})" if counts.trash else "Trash")
        for n in range(self.groups_item.childCount()):
            item = self.groups_item.child(n)
            view = item.data(0, ROLE)
            if view is not None:
                name = item.toolTip(0)
                item.setText(0, f"{name} ({number(counts.groups.get(view.id, 0))})")

    def set_groups(self, groups: list[GroupRow]) -> None:
        self._fill(self.groups_item, [(g.id, g.name) for g in groups], "group")
        if not groups:
            hint = QTreeWidgetItem(self.groups_item, ["New group… (right-click)"])
            hint.setFlags(Qt.ItemFlag.ItemIsEnabled)
            hint.setForeground(0, self.palette().placeholderText())

    def _fill(self, parent: QTreeWidgetItem, rows: list[tuple[uuid.UUID, str]], kind: str) -> None:
        current = self.current_view()
        self.blockSignals(True)
        parent.takeChildren()
        for ident, name in rows:
            item = QTreeWidgetItem(parent, [name])
            item.setData(0, ROLE, View(kind, ident))
            item.setToolTip(0, name)
            if current == View(kind, ident):
                self.setCurrentItem(item)
        self.blockSignals(False)

    def current_view(self) -> View | None:
        item = self.currentItem()
        return item.data(0, ROLE) if item is not None else None

    def select(self, view: View) -> bool:
        """Select the item showing `view`; False when there is none (e.g. a deleted group).
        One company's contacts mark Companies, without choosing the Companies page."""
        if view.kind == "company":
            self.blockSignals(True)
            self.setCurrentItem(self.companies_item)
            self.blockSignals(False)
            return False
        for item in self._items():
            if item.data(0, ROLE) == view:
                self.setCurrentItem(item)
                return True
        return False

    def _items(self) -> list[QTreeWidgetItem]:
        items = []
        for n in range(self.topLevelItemCount()):
            top = self.topLevelItem(n)
            items.append(top)
            items += [top.child(c) for c in range(top.childCount())]
        return items

    def _changed(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        view = item.data(0, ROLE) if item is not None else None
        if view is not None:
            self.chosen.emit(view)

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        """A click on the entry already marked (Companies, while one company is shown)
        goes there again."""
        if item is self.currentItem():
            self._changed(item, None)

    def group_at(self, position: QPoint) -> View | None:
        """The group under `position` (viewport coordinates), if any."""
        item = self.itemAt(position)
        view = item.data(0, ROLE) if item is not None else None
        return view if view is not None and view.kind == "group" else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(CONTACT_IDS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if (
            event.mimeData().hasFormat(CONTACT_IDS_MIME)
            and self.group_at(event.position().toPoint()) is not None
        ):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        group = self.group_at(event.position().toPoint())
        data = event.mimeData()
        if group is None or not data.hasFormat(CONTACT_IDS_MIME):
            event.ignore()
            return
        ids = [
            uuid.UUID(line)
            for line in bytes(data.data(CONTACT_IDS_MIME).data()).decode().splitlines()
            if line.strip()
        ]
        event.acceptProposedAction()
        self.contactsDropped.emit(group.id, ids)

    def _menu(self, position: QPoint) -> None:
        item = self.itemAt(position)
        menu = QMenu(self)
        view = item.data(0, ROLE) if item is not None else None
        if item is self.groups_item or (item is not None and item.parent() is self.groups_item):
            menu.addAction("New group…", self.newGroupRequested.emit)
        if view is not None and view.kind == "group":
            menu.addAction("Rename group…", lambda: self.renameGroupRequested.emit(view.id))
            menu.addAction("Delete group", lambda: self.deleteGroupRequested.emit(view.id))
        if not menu.isEmpty():
            menu.exec(self.viewport().mapToGlobal(position))
