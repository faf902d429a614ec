"""A round avatar with a person's initials on a colour picked from their name."""

from __future__ import annotations

import zlib

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from db.contact_values import bare_name

# Colours with white text readable on them (contrast >= 4.5:1).
PALETTE = (
    "#1565c0",
    "#2e7d32",
    "#6a1b9a",
    "#ad1457",
    "#00695c",
    "#4e342e",
    "#283593",
    "#c62828",
    "#37474f",
    "#9e4d00",
)


def initials(name: str) -> str:
    """Up to two initials: "Øyvind Berg" -> "ØB", "Dr. Maya Lund" -> "ML", "Acme" -> "A"."""
    words = [w for w in bare_name(name).replace("-", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][0].upper()
    return (words[0][0] + words[-1][0]).upper()


class InitialsAvatar(QWidget):
    def __init__(self, size: int = 56, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._size = size
        self._name = ""
        self.setFixedSize(size, size)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_name(self, name: str) -> None:
        self._name = name
        self.setToolTip(name)
        self.update()

    def text(self) -> str:
        return initials(self._name)

    def sizeHint(self) -> QSize:
        return QSize(self._size, self._size)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = PALETTE[zlib.crc32(self._name.encode()) % len(PALETTE)]
        painter.setBrush(QColor(colour))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QRectF(0, 0, self._size, self._size))
        font = QFont(self.font())
        font.setPixelSize(int(self._size * 0.38))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(
            QRectF(0, 0, self._size, self._size), Qt.AlignmentFlag.AlignCenter, self.text()
        )
