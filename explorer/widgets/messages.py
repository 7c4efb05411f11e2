"""Messages to the user that never block the event loop (training and tests go on)."""

from __future__ import annotations

from PyQt6.QtWidgets import QMessageBox, QWidget


def show_message(parent: QWidget | None, title: str, text: str, warning: bool = True) -> QMessageBox:
    """Open a window-modal message box without blocking; returns it (tests read and close it)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.finished.connect(box.deleteLater)
    box.open()
    return box
