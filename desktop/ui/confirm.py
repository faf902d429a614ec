"""Asking before something that cannot simply be taken back: a named action button
beside Cancel, with Cancel the default, so Enter never does the risky thing."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm_action(
    parent: QWidget,
    title: str,
    text: str,
    details: str,
    action: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
    object_name: str = "",
    text_width: int = 0,
) -> bool:
    """Whether the user chose `action` (a button label, with its & mnemonic);
    `text_width` (pixels) keeps a long unbreakable value, a fingerprint, whole."""
    box = QMessageBox(icon, title, text, parent=parent)
    if object_name:
        box.setObjectName(object_name)
    if text_width:
        box.setStyleSheet(f"QLabel#qt_msgbox_informativelabel {{ min-width: {text_width}px; }}")
    box.setInformativeText(details)
    chosen = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is chosen
