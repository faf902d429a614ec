"""A file name box with a Browse… button beside it, and its "&File:" label."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton


def file_row(box: QLineEdit, browse: Callable[[], None]) -> tuple[QLabel, QHBoxLayout]:
    """The label (its mnemonic focuses `box`) and the row of `box` and Browse…."""
    button = QPushButton("&Browse…")
    button.clicked.connect(browse)
    row = QHBoxLayout()
    row.addWidget(box, 1)
    row.addWidget(button)
    label = QLabel("&File:")
    label.setBuddy(box)
    return label, row
