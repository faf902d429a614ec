"""The lookup box: what is typed filters the contact list, off the UI thread."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit

from db.list_query import ContactRow
from desktop.ui.controller import WindowController
from desktop.ui.sidebar import View

if TYPE_CHECKING:
    from db.lookup_reasons import Reason
    from desktop.ui.main_window import MainWindow

DELAY_MS = 150
LIMIT = 200


def make_lookup_box() -> QLineEdit:
    """The toolbar's lookup box (the window's frame has it before its controller)."""
    box = QLineEdit()
    box.setObjectName("lookupBox")
    box.setPlaceholderText("Look up name, company, email, phone or city  (Ctrl+F)")
    box.setClearButtonEnabled(True)
    box.setMinimumWidth(360)
    return box


class LookupController(WindowController):
    """Owns the lookup box (`box`); answers older than the text typed are dropped."""

    def __init__(self, window: MainWindow, box: QLineEdit) -> None:
        super().__init__(window)
        self.box = box
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(lambda: self.run())
        self.box.textChanged.connect(lambda _text: self.timer.start())
        self.box.returnPressed.connect(self._enter)
        self.box.installEventFilter(self)
        window.table.installEventFilter(self)
        self._generation = 0

    def focus(self) -> None:
        if self.window.view.kind == "trash":
            self.window.choose(View("all"))
        self.box.setFocus()
        self.box.selectAll()

    def clear_quietly(self) -> None:
        """Empty the box without looking up (the window is browsing again)."""
        self.box.blockSignals(True)
        self.box.clear()
        self.box.blockSignals(False)
        self._generation += 1

    def run(self, select: uuid.UUID | None = None) -> None:
        """Filter the list by the box's text; `select` that contact if it is found."""
        text = self.box.text()
        self._generation += 1
        generation = self._generation
        if not text.strip():
            self.window.browse()
            return
        self.window.jobs.start(
            self.book.lookup_explained,
            text,
            LIMIT,
            on_done=lambda found: self._done(generation, *found, select),
            on_failed=self.window.show_error,
        )

    def _done(
        self,
        generation: int,
        hits: list[ContactRow],
        reasons: dict[uuid.UUID, list[Reason]],
        select: uuid.UUID | None,
    ) -> None:
        if generation != self._generation:
            return
        window = self.window
        window.model.show_hits(hits, reasons)
        window.no_match.show_query(self.box.text())
        row = window.row_of(select) if select is not None else None
        window.select_row(row if row is not None else (0 if hits else None))
        window.update_actions()

    def _enter(self) -> None:
        self.timer.stop()
        self.run()
        self.window.table.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.box
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and _is_undo_or_redo(event)
        ):
            # The box would take Ctrl+Z for its own text; the app's Undo wins here, as
            # the status bar's "Ctrl+Z takes it back" promises.
            event.ignore()
            return True
        if not isinstance(event, QKeyEvent) or event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        if watched is self.box:
            if event.key() == Qt.Key.Key_Escape:
                self.box.clear()
                return True
            if event.key() == Qt.Key.Key_Down:
                self.window.table.setFocus()
                return True
        elif watched is self.window.table and _starts_a_lookup(event):
            # Typing in the list looks up (Qt's own type-to-find would read every row).
            self.box.setFocus()
            self.box.setText(event.text())
            return True
        return super().eventFilter(watched, event)


def _is_undo_or_redo(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Undo) or event.matches(
        QKeySequence.StandardKey.Redo
    )


def _starts_a_lookup(event: QKeyEvent) -> bool:
    text = event.text()
    plain = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier == Qt.KeyboardModifier.NoModifier
    return plain and len(text) == 1 and text.isprintable() and not text.isspace()
