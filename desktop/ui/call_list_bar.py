"""The bar above a contact while walking a call list: where you are, Previous/Next,
log the call, end the list."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.calls.call_list import CallList


class CallListBar(QFrame):
    previousRequested = Signal()
    nextRequested = Signal()
    logRequested = Signal()
    endRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callListBar")
        self.setStyleSheet(
            "QFrame#callListBar { background: #e3f2fd; border: 1px solid #90caf9;"
            " border-radius: 4px; } QLabel { color: #0d47a1; }"
        )
        self.label = QLabel()
        self.label.setObjectName("callListProgress")
        self.previous_button = QPushButton("◀ Previous")
        self.previous_button.setToolTip("Previous contact (Alt+Left)")
        self.previous_button.clicked.connect(self.previousRequested)
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("Next contact (Alt+Right)")
        self.next_button.clicked.connect(self.nextRequested)
        self.log_button = QPushButton("Log call…")
        self.log_button.setToolTip("Log the call and move on (Ctrl+H)")
        self.log_button.clicked.connect(self.logRequested)
        end = QPushButton("End")
        end.setToolTip("Stop walking this call list")
        end.clicked.connect(self.endRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        for button in (self.previous_button, self.next_button, self.log_button, end):
            layout.addWidget(button)
        self.hide()

    def show_list(self, call_list: CallList | None) -> None:
        if call_list is None:
            self.hide()
            return
        self.label.setText(f"Call list: {call_list.name} · {call_list.progress()}")
        self.previous_button.setEnabled(call_list.position > 0)
        self.next_button.setEnabled(not call_list.at_end)
        self.show()
