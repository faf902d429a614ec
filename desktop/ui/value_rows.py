"""An editor for a multi-valued field: rows of (label, value) that can grow and shrink."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class ValueRows(QWidget):
    """Signals:
    changed(): a value or label was edited, or a row added or removed.
    """

    changed = Signal()

    def __init__(
        self,
        labels: list[str],
        placeholder: str,
        add_text: str,
        parent: QWidget | None = None,
        *,
        label_width: int = 90,
    ) -> None:
        super().__init__(parent)
        self.labels = labels
        self.label_width = label_width
        self.placeholder = placeholder
        self._rows: list[tuple[QWidget, QComboBox, QLineEdit]] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.add_button = QPushButton(add_text)
        self.add_button.setFlat(True)
        self.add_button.setStyleSheet("text-align: left; padding: 2px 0;")
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        self._layout.addWidget(self.add_button)

    def add_row(
        self, label: str | None = None, value: str = "", *, focus: bool = False
    ) -> QLineEdit:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        kind = QComboBox(row)
        kind.setEditable(True)
        kind.addItems(self.labels)
        kind.setCurrentText(label or self.labels[0])
        kind.setFixedWidth(self.label_width)
        edit = QLineEdit(value, row)
        edit.setPlaceholderText(self.placeholder)
        edit.setClearButtonEnabled(True)
        remove = QToolButton(row)
        remove.setText("✕")
        remove.setToolTip("Remove this line")
        remove.setAutoRaise(True)
        layout.addWidget(kind)
        layout.addWidget(edit, 1)
        layout.addWidget(remove)
        entry = (row, kind, edit)
        self._rows.append(entry)
        self._layout.insertWidget(len(self._rows) - 1, row)
        remove.clicked.connect(lambda: self._remove(entry))
        edit.textEdited.connect(self.changed)
        kind.currentTextChanged.connect(self.changed)
        if focus:
            edit.setFocus()
            self.changed.emit()
        return edit

    def set_values(self, values: list[tuple[str, str]]) -> None:
        for row, _, _ in self._rows:
            row.deleteLater()
        self._rows.clear()
        for label, value in values or [(self.labels[0], "")]:
            self.add_row(label, value)

    def values(self) -> list[tuple[str, str]]:
        return [
            (kind.currentText().strip() or self.labels[0], edit.text())
            for _, kind, edit in self._rows
        ]

    def edit_at(self, position: int) -> QLineEdit | None:
        """The value editor of the `position`-th row, counting every row shown."""
        return self._rows[position][2] if 0 <= position < len(self._rows) else None

    def edits(self) -> list[QLineEdit]:
        return [edit for _, _, edit in self._rows]

    def _remove(self, entry: tuple[QWidget, QComboBox, QLineEdit]) -> None:
        self._rows.remove(entry)
        entry[0].deleteLater()
        if not self._rows:
            self.add_row()
        self.changed.emit()
