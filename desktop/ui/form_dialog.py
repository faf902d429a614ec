"""A dialog that checks its form on Save, marks each problem on its field (and checks
again as the user fixes them), and asks before throwing away anything typed."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from db.errors import ValidationError

PROBLEM_STYLE = "border: 2px solid #c62828; border-radius: 3px; background: #fff6f6;"
BANNER_LINES = 3  # more problems are marked on their fields, not listed
_INDEXED = re.compile(r"^(\w+)\[(\d+)\]$")
# A list field's name for one of its values ("emails[1]" -> "Email 2").
ONE_OF = {"emails": "Email", "phones": "Phone", "urls": "Web address", "addresses": "Address"}


class FormDialog(QDialog):
    """Subclasses build the form, call `watch()` on its editors, and implement
    `checked_value()`, `widget_for()` and `markable_widgets()`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value: Any = None
        self._dirty = False
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("problems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problems_label.setStyleSheet(
            "QLabel#problems { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
            " border-radius: 4px; padding: 8px; }"
        )
        self.problems_label.hide()

    # For subclasses
    def finish_layout(self, form: QLayout) -> None:
        """Lay out the problems banner, `form`, and Save (Ctrl+S) / Cancel."""
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setShortcut(QKeySequence("Ctrl+S"))
        self.save_button.setToolTip("Save (Ctrl+S)")
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems_label)
        layout.addLayout(form, 1)
        layout.addWidget(buttons)

    def checked_value(self) -> Any:
        """The form's value, validated; raises ValidationError keyed by field."""
        raise NotImplementedError

    def widget_for(self, key: str) -> QWidget | None:
        """The editor a problem's key refers to."""
        raise NotImplementedError

    def markable_widgets(self) -> list[QWidget]:
        """Every editor that a problem can be marked on (to clear old marks)."""
        raise NotImplementedError

    def mark_dirty(self, *_args: object) -> None:
        """Something was typed: leaving without saving now asks first; problems shown
        are checked again, so a fixed one goes away."""
        self._dirty = True
        if self.problems_label.isVisible():
            self.recheck()

    def recheck(self) -> None:
        try:
            self.checked_value()
        except ValidationError as error:
            self.show_problems(error.problems, move_focus=False)
            return
        self.clear_problems()

    def clear_problems(self) -> None:
        for widget in self.markable_widgets():
            mark(widget, None)
        self.problems_label.hide()

    def field_title(self, key: str) -> str:
        """What the banner calls a problem's field: "emails[1]" -> "Email 2"."""
        indexed = _INDEXED.match(key)
        if indexed:
            base, position = indexed.groups()
            one = ONE_OF.get(base, base.replace("_", " ").capitalize())
            return f"{one} {int(position) + 1}"
        return key.replace("_", " ").capitalize()

    def mark_clean(self) -> None:
        self._dirty = False

    # Saving and leaving
    def value(self) -> Any:
        """The validated value, after the dialog was accepted."""
        return self._value

    def accept(self) -> None:
        try:
            self._value = self.checked_value()
        except ValidationError as error:
            self.show_problems(error.problems)
            return
        super().accept()

    def reject(self) -> None:
        if self._dirty and not self._confirm_discard():
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        asking = self.isVisible() and self.result() != QDialog.DialogCode.Accepted
        if asking and self._dirty and not self._confirm_discard():
            event.ignore()
            return
        super().closeEvent(event)

    def show_problems(self, problems: dict[str, str], *, move_focus: bool = True) -> None:
        """Say what is wrong above the form, naming each field, and mark the fields."""
        for widget in self.markable_widgets():
            mark(widget, None)
        lines = []
        first_bad: QWidget | None = None
        for key, message in problems.items():
            widget = self.widget_for(key)
            if widget is not None:
                mark(widget, message)
                first_bad = first_bad or widget
            lines.append(f"• {self.field_title(key)}: {message}")
        if len(lines) > BANNER_LINES:
            rest = len(lines) - BANNER_LINES + 1
            lines = [*lines[: BANNER_LINES - 1], f"• and {rest} more, marked in red"]
        self.problems_label.setText("Please fix before saving:\n" + "\n".join(lines))
        self.problems_label.show()
        if first_bad is not None and move_focus:
            first_bad.setFocus()

    def _confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Discard changes?",
            "You have typed changes that are not saved. Discard them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard


def mark(widget: QWidget, problem: str | None) -> None:
    """Show (or clear) a problem on an editor: a red frame and the message as tooltip."""
    widget.setStyleSheet("" if problem is None else PROBLEM_STYLE)
    widget.setToolTip(problem or "")


def label_for(text: str, buddy: QWidget) -> QLabel:
    """A form label whose &-shortcut focuses `buddy`."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
