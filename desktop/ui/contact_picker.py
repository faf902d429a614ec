"""Choose the contacts an activity or history entry is with: removable chips of
names and a box that looks people up as you type."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from db.lookup_query import LookupHit

ID_ROLE = Qt.ItemDataRole.UserRole
SUGGESTIONS = 12


class ContactPicker(QWidget):
    """The chosen contacts; `lookup(text, limit)` finds candidates to add."""

    changed = Signal()

    def __init__(
        self,
        lookup: Callable[[str, int], list[LookupHit]],
        parent: QWidget | None = None,
        *,
        single: bool = False,
    ) -> None:
        super().__init__(parent)
        self.lookup = lookup
        self.single = single
        self._hits: dict[str, uuid.UUID] = {}
        self.chosen = QListWidget()
        self.chosen.setObjectName("chosenContacts")
        self.chosen.setFlow(QListWidget.Flow.LeftToRight)
        self.chosen.setWrapping(True)
        self.chosen.setSpacing(2)
        rows = 1 if single else 3
        self.chosen.setMaximumHeight(rows * self.fontMetrics().height() + 12)
        self.chosen.setToolTip("Delete removes the selected contact")
        self.chosen.installEventFilter(self)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Add a contact: type a name, company or phone")
        self.suggestions = QStringListModel(self)
        completer = QCompleter(self.suggestions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.activated.connect(self._chosen_from_list)
        self.search.setCompleter(completer)
        self.search.textEdited.connect(self._suggest)
        self.search.installEventFilter(self)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.remove_button)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chosen)
        layout.addLayout(row)
        self.changed.connect(self._update_state)
        self.chosen.itemSelectionChanged.connect(self._update_state)
        self._update_state()

    def _update_state(self) -> None:
        """Remove shows only with someone to remove; a single pick hides its empty list."""
        count = self.chosen.count()
        self.remove_button.setVisible(count > 0)
        self.remove_button.setEnabled(self.single or bool(self.chosen.selectedItems()))
        if self.single:
            self.chosen.setVisible(count > 0)

    def set_contacts(self, contacts: list[tuple[uuid.UUID, str]]) -> None:
        self.chosen.clear()
        for contact_id, name in contacts:
            self.add(contact_id, name)
        self._update_state()

    def add(self, contact_id: uuid.UUID, name: str) -> None:
        if contact_id in self.contact_ids():
            return
        if self.single:
            self.chosen.clear()
        item = QListWidgetItem(name)
        item.setData(ID_ROLE, contact_id)
        self.chosen.addItem(item)
        self.changed.emit()

    def contact_ids(self) -> tuple[uuid.UUID, ...]:
        return tuple(self.chosen.item(n).data(ID_ROLE) for n in range(self.chosen.count()))

    def names(self) -> list[str]:
        return [self.chosen.item(n).text() for n in range(self.chosen.count())]

    def remove_selected(self) -> None:
        """Take out the selected contacts (the one chosen, for a single pick)."""
        items = self.chosen.selectedItems() or (
            [self.chosen.item(0)] if self.single and self.chosen.count() else []
        )
        for item in items:
            self.chosen.takeItem(self.chosen.row(item))
        self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the search box adds the best match instead of saving the dialog;
        Delete in the list removes the selected contact."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            entered = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if watched is self.search and entered and self.search.text().strip():
                popup = self.search.completer().popup()
                if not popup.isVisible():
                    self._add_typed()
                return not popup.isVisible()
            if watched is self.chosen and event.key() == Qt.Key.Key_Delete:
                self.remove_selected()
                return True
        return super().eventFilter(watched, event)

    def _suggest(self, text: str) -> None:
        if len(text.strip()) < 2:
            self.suggestions.setStringList([])
            return
        hits = self.lookup(text, SUGGESTIONS)
        self._hits = {_label(hit): hit.id for hit in hits}
        self.suggestions.setStringList(list(self._hits))

    def _chosen_from_list(self, label: str) -> None:
        contact_id = self._hits.get(label)
        if contact_id is not None:
            self.add(contact_id, label.split("  ·  ")[0])
            self.search.clear()

    def _add_typed(self) -> None:
        if self._hits and self.search.text().strip():
            self._chosen_from_list(next(iter(self._hits)))


def _label(hit: LookupHit) -> str:
    detail = hit.company or hit.city or hit.email or ""
    return f"{hit.display_name}  ·  {detail}" if detail else hit.display_name
