"""One call to give a widget both a tooltip and a status-bar hint."""

from __future__ import annotations

from PyQt6.QtWidgets import QWidget


def hint(widget: QWidget, text: str) -> QWidget:
    """Explain ``widget``: the tooltip on hover, and the same sentence in the status bar.

    QMainWindow shows a widget's statusTip in its status bar while the mouse is over it,
    so every control that has a hint also tells the status bar what it does.
    """
    widget.setToolTip(text)
    widget.setStatusTip(text)
    return widget
