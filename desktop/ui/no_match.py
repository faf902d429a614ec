"""What the list shows when a lookup finds nobody: says so, and offers to add them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class NoMatchPanel(QWidget):
    """Signals: createRequested(str): the text looked up, to start a new contact with."""

    createRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noMatch")
        self.query = ""
        self.title = QLabel()
        self.title.setObjectName("noMatchTitle")
        self.title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        advice = QLabel(
            "Check the spelling, or type the start of a company, city, email or phone number."
        )
        advice.setWordWrap(True)
        advice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.create = QPushButton()
        self.create.setObjectName("createFromLookup")
        self.create.clicked.connect(lambda: self.createRequested.emit(self.query))
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(advice)
        layout.addSpacing(8)
        layout.addWidget(self.create, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)

    def show_query(self, query: str) -> None:
        """Word the panel for what was typed."""
        self.query = " ".join(query.split())
        shown = self.query if len(self.query) <= 60 else self.query[:59] + "…"
        self.title.setText(f"Nobody matches “{shown}”")
        self.create.setText(f"Create a contact named “{shown}”")
